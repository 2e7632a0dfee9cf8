/**
 * `server/node.ts` in a process of its own, as `npm start` runs it: on a free port of 127.0.0.1
 * (`PORT=0`), with `env` over this process's environment cleaned of every variable the server reads
 * (the developer's or CI's must not leak in). Resolves once it prints the line it listens with.
 */
import { spawn, type ChildProcess } from 'node:child_process'

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

export function startNode(env: Record<string, string>): Promise<NodeProcess> {
  const clean: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k === 'DATABASE_URL' || k === 'PORT' || k === 'HOST' || k.startsWith('JORNADA_')) continue
    clean[k] = v
  }
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/node.ts'], {
    env: { ...clean, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start in 120 s:\n${out}\n${err}`)), 120_000)
    child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${out}\n${err}`)))
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
            if (child.exitCode !== null) return done()
            child.once('exit', () => done())
            child.kill('SIGTERM')
          }),
      }
      running.add(started)
      resolve(started)
    })
  })
}
