/**
 * `tsx test/bench/profile.ts pglite|postgres [seconds]`: one ingest load as run.ts makes it (server
 * on core 0, load and PostgreSQL on core 1), then one raw-insert ceiling, with the CPU each process
 * used (cores busy). A tool for finding where ingest spends its CPU, not a benchmark: one short run.
 * PROFILE=file.cpuprofile: the server's CPU profile of the measured window (Chrome DevTools opens it).
 * PG_CPU=0,1: PostgreSQL on these cores instead (to compare placements).
 */
import { execFileSync, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import autocannon from 'autocannon'
import { startPostgresCluster } from '../support/pg-cluster'
import { makeBody } from './data'

const kind = process.argv[2] ?? 'pglite'
const seconds = Number(process.argv[3] ?? 10)
execFileSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' })

const TICK = 100 // USER_HZ
function cpuOf(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return (Number(f[11]) + Number(f[12])) / TICK
  } catch {
    return 0
  }
}
function postgresPids(): number[] {
  try {
    return execFileSync('pgrep', ['-x', 'postgres']).toString().trim().split('\n').map(Number).filter(Boolean)
  } catch {
    return []
  }
}
const cpuAll = (pids: number[]) => new Map(pids.map((p) => [p, cpuOf(p)]))

const cluster = kind === 'postgres' && !process.env.DATABASE_URL ? await startPostgresCluster() : null
const url = process.env.DATABASE_URL ?? cluster?.url ?? ''
if (cluster && process.env.PG_CPU)
  for (const pid of postgresPids())
    execFileSync('taskset', ['-a', '-cp', process.env.PG_CPU, String(pid)], { stdio: 'ignore' })
const child = spawn('taskset', ['-c', '0', process.execPath, '--import', 'tsx', 'test/bench/server.ts', kind, url], {
  stdio: ['ignore', 'pipe', 'inherit'],
})
const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve))
const { port, secretKey } = JSON.parse(line) as { port: number; secretKey: string }
const load = (path: string, duration: number) =>
  autocannon({
    url: `http://127.0.0.1:${port}${path}`,
    connections: 50,
    duration,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secretKey}` },
    requests: [{ setupRequest: (req) => ({ ...req, body: makeBody(20) }) }],
  })
await load('/v1/batch', 2)
const serverPid = child.pid! // taskset execs node: same pid
const pids = [serverPid, ...postgresPids()]
const before = cpuAll(pids)
const self0 = process.cpuUsage()
const profile = process.env.PROFILE
if (profile) await fetch(`http://127.0.0.1:${port}/__profile/start`, { method: 'POST' })
const t0 = performance.now()
const r = await load('/v1/batch', seconds)
if (profile)
  await fetch(`http://127.0.0.1:${port}/__profile/stop?file=${encodeURIComponent(profile)}`, { method: 'POST' })
const wall = (performance.now() - t0) / 1000
const self = process.cpuUsage(self0)
const after = cpuAll([...pids, ...postgresPids()])
const pgCpu = [...after.entries()]
  .filter(([p]) => p !== serverPid)
  .reduce((s, [p, t]) => s + t - (before.get(p) ?? 0), 0)
console.log(
  JSON.stringify({
    kind,
    eps: Math.round(r.requests.average * 20),
    p50: r.latency.p50,
    p99: r.latency.p99,
    bad: r.non2xx + r.errors,
    serverCpu: +((after.get(serverPid)! - before.get(serverPid)!) / wall).toFixed(2),
    postgresCpu: +(pgCpu / wall).toFixed(2),
    loadCpu: +((self.user + self.system) / 1e6 / wall).toFixed(2),
  }),
)
const raw = (await (await fetch(`http://127.0.0.1:${port}/__raw?rows=100000`, { method: 'POST' })).json()) as {
  rowsPerSecond: number
}
console.log(JSON.stringify({ raw: Math.round(raw.rowsPerSecond) }))
child.kill('SIGTERM')
await new Promise((r) => child.once('exit', r))
await cluster?.stop()
