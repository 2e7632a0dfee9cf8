/**
 * The benchmarks' processes and where they run: the server under test on core 0, this process (the
 * load generator) on core 1, with taskset, when the machine has two cores or more and taskset is there.
 */
import { execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { createInterface } from 'node:readline'

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** Whether the server and the load generator get a core each. */
export const canPin = cpus().length > 1 && hasTaskset()

/**
 * Pins process `pid` to `core`: its main thread (and so the processes and threads it starts later),
 * or with `allThreads` every thread it has now too (a process already running, e.g. workerd).
 */
export function pin(pid: number, core: number, allThreads = false): void {
  if (!canPin) return
  const args = [...(allThreads ? ['-a'] : []), '-cp', String(core), String(pid)]
  execFileSync('taskset', args, { stdio: 'ignore' })
}

/** This process: the load generator's core (and that of a PostgreSQL cluster it starts). */
export function pinLoadGenerator(): void {
  pin(process.pid, 1)
}

/**
 * The bench server (server.ts) on `kind` ('pglite', or 'postgres' at `url`), on the server's core;
 * resolves once it listens.
 */
export async function startBenchServer(
  kind: string,
  url = '',
): Promise<{ child: ChildProcess; base: string; secretKey: string }> {
  const args = ['--import', 'tsx', 'test/bench/server.ts', kind, url]
  const child = canPin
    ? spawn('taskset', ['-c', '0', process.execPath, ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
    : spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] })
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve)
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)))
  })
  const { port, secretKey } = JSON.parse(line) as { port: number; secretKey: string }
  return { child, base: `http://127.0.0.1:${port}`, secretKey }
}

/** Stops a server started by startBenchServer. */
export async function stopBenchServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return
  child.kill('SIGTERM')
  await new Promise((r) => child.once('exit', r))
}

/** The pids of this process's children running `command` (e.g. workerd, which Miniflare spawns). */
export function childrenNamed(command: string): number[] {
  const found: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'.
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid === process.pid && comm === command) found.push(Number(entry))
    } catch {
      // gone meanwhile
    }
  }
  return found
}

/** The machine as the figures name it: `2 × AMD EPYC`. */
export function machine(): string {
  return `${cpus().length} × ${cpus()[0]?.model.trim()}`
}

/**
 * `server/node.ts` as `npm start` runs it, on the server's core, on a free port of 127.0.0.1, with
 * `env` over this process's environment cleaned of the variables the server reads, and `nodeArgs`
 * before the script (e.g. `--cpu-prof`); resolves once it prints the line it listens with. The lines
 * of its stdout that `echo` matches go to this process's stderr.
 */
export async function startNodeServer(
  env: Record<string, string>,
  nodeArgs: string[] = [],
  echo?: RegExp,
): Promise<{ child: ChildProcess; base: string }> {
  const clean: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k === 'DATABASE_URL' || k === 'PORT' || k === 'HOST' || k.startsWith('JORNADA_')) continue
    clean[k] = v
  }
  const args = [...nodeArgs, '--import', 'tsx', 'server/node.ts']
  const options: SpawnOptions = { env: { ...clean, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'inherit'] }
  const child: ChildProcess = canPin
    ? spawn('taskset', ['-c', '0', process.execPath, ...args], options)
    : spawn(process.execPath, args, options)
  const base = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! })
    lines.on('line', (line) => {
      const m = /listening on (http:\/\/\S+)/.exec(line)
      if (m) resolve(m[1]!)
      else if (echo?.test(line)) process.stderr.write(`server: ${line}\n`)
    })
    child.once('exit', (code) => reject(new Error(`server/node.ts exited with ${code}`)))
  })
  return { child, base }
}
