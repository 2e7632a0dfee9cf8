/**
 * `server/node.ts` in a process of its own, as `npm start` runs it (or `npm run start:deno`,
 * `start:bun`: the same file under Deno or Bun): on a free port of 127.0.0.1 (`PORT=0`), with `env`
 * over this process's environment cleaned of every variable the server reads (the developer's or
 * CI's must not leak in). Resolves once it prints the line it listens with.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/** The runtimes `server/node.ts` is tested on (docs/deploy/deno.md, docs/deploy/bun.md). */
export const RUNTIMES = ['node', 'deno', 'bun'] as const
export type Runtime = (typeof RUNTIMES)[number]

export interface NodeProcess {
  child: ChildProcess
  /** `http://127.0.0.1:<port>`. */
  base: string
  /** Everything it printed to stdout so far. */
  out(): string
  /** SIGTERM, resolved once it exited. */
  stop(): Promise<void>
}

const running = new Set<NodeProcess>()

/** Stops every process still running (an afterAll of the files that start some). */
export const stopAll = (): Promise<unknown[]> => Promise.all([...running].map((p) => p.stop()))

/** Where each package's install script leaves the binary, and where its platform package holds it. */
const BINARY = {
  deno: { installed: 'deno', platform: 'deno' },
  bun: { installed: 'bin/bun.exe', platform: 'bin/bun' },
} as const

const found = new Map<'deno' | 'bun', { path: string; version: string }>()

/**
 * The executable of the `deno` or `bun` devDependency and its version, run directly (no wrapper
 * between the test and the runtime, so SIGTERM reaches the server). npm may skip the packages'
 * install scripts (`--ignore-scripts`, or a policy that blocks unapproved ones): then
 * `node_modules/.bin/bun` is a placeholder that only prints an error, and `.bin/deno` a Node wrapper.
 * The binary is then still in the platform package npm installed for this machine (an optional
 * dependency: `@oven/bun-linux-x64`, `@deno/linux-x64-glibc`, …), which the install script empties
 * (bun) or links from (deno). The first candidate that answers `--version` with the package's
 * version wins.
 */
export function runtimeBinary(name: 'deno' | 'bun'): { path: string; version: string } {
  const known = found.get(name)
  if (known) return known
  const require = createRequire(import.meta.url)
  const manifest = require.resolve(`${name}/package.json`)
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string; optionalDependencies?: object }
  const candidates = [join(dirname(manifest), BINARY[name].installed)]
  for (const dep of Object.keys(pkg.optionalDependencies ?? {})) {
    try {
      candidates.push(join(dirname(require.resolve(`${dep}/package.json`)), BINARY[name].platform))
    } catch {
      // Another platform's package: not installed here.
    }
  }
  for (const path of candidates) {
    const run = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 30_000 })
    if (run.status === 0 && run.stdout.includes(pkg.version)) {
      const binary = { path, version: pkg.version }
      found.set(name, binary)
      return binary
    }
  }
  throw new Error(`no working ${name} ${pkg.version} executable; tried:\n  ${candidates.join('\n  ')}`)
}

/** The command that runs `server/node.ts` under `runtime`, as package.json's start scripts do. */
function commandOf(runtime: Runtime): [string, string[]] {
  if (runtime === 'node') return [process.execPath, ['--import', 'tsx', 'server/node.ts']]
  if (runtime === 'deno') return [runtimeBinary('deno').path, ['run', '-A', 'server/node.ts']]
  // Bun reads `.env` files of the working directory unless told not to; Node and Deno do not.
  return [runtimeBinary('bun').path, ['run', '--no-env-file', 'server/node.ts']]
}

export function startNode(env: Record<string, string>, runtime: Runtime = 'node'): Promise<NodeProcess> {
  const clean: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k === 'DATABASE_URL' || k === 'PORT' || k === 'HOST' || k.startsWith('JORNADA_')) continue
    clean[k] = v
  }
  const [command, args] = commandOf(runtime)
  // Deno would otherwise look for a newer release online now and then.
  const quiet = runtime === 'deno' ? { DENO_NO_UPDATE_CHECK: '1' } : {}
  const child = spawn(command, args, {
    env: { ...clean, ...quiet, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${runtime}: no start in 120 s:\n${out}\n${err}`)), 120_000)
    child.once('error', (e) => reject(new Error(`${runtime}: ${command} did not start: ${e.message}`)))
    child.once('exit', (code, signal) =>
      reject(new Error(`${runtime}: exited with ${code ?? signal}:\n${out}\n${err}`)),
    )
    child.stdout!.on('data', (c: Buffer) => {
      const before = out
      out += c.toString()
      const m = /listening on (http:\/\/\S+)/.exec(out)
      if (!m || /listening on /.test(before)) return
      clearTimeout(timer)
      const started: NodeProcess = {
        child,
        base: m[1]!,
        out: () => out,
        stop: () =>
          new Promise<void>((done) => {
            running.delete(started)
            if (child.exitCode !== null || child.signalCode !== null) return done()
            child.once('exit', () => done())
            child.kill('SIGTERM')
          }),
      }
      running.add(started)
      resolve(started)
    })
  })
}
