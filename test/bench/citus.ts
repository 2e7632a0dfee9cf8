/**
 * `npm run bench:citus`: ingest and the sweep on Citus beside a single PostgreSQL node, in one run on
 * one machine (docs/scaling.md, "Benchmarks on Citus"). Starts a Citus cluster (a coordinator and
 * CITUS_WORKERS workers, default 2, with ../shared/citus/cluster.sh) and a plain PostgreSQL cluster,
 * then on each:
 *   - ingest: the bench server (server.ts) over the store, the load of `npm run bench` (ingest-load.ts:
 *     20-event batches with fresh ids, here over 50 accounts from 32 connections), median of
 *     BENCH_ROUNDS (3) rounds of BENCH_SECONDS (5) seconds, next to the same store's raw multi-row
 *     INSERT ceiling (rows/s, one connection), and the database's size per event stored;
 *   - the sweep: a workspace of SWEEP_ACCOUNTS (2,000) accounts with a few events each
 *     (journey-data.ts smallAccount), `evaluator.sweep` timed. On Citus a workspace's rows sit on one
 *     worker, so this is one worker's sweep; workspaces on different workers sweep in parallel.
 * Both ingest runs send one workspace's events, so on Citus they land on one worker's shard: the
 * figure is what one workspace, and so one worker, takes through one coordinator.
 * As in run.ts, the server is pinned to core 0 and this process (the load generator, and the
 * clusters it starts) to core 1. Every cluster is stopped at the end. A program that prints figures.
 */
import { loadavg } from 'node:os'
import { createEvaluator } from '../../server/evaluator'
import { configSource } from '../../server/config-source'
import { createPostgresStore } from '../../server/store'
import type { WireEvent } from '../../sdk/wire'
import { startCitusCluster } from '../support/citus-cluster'
import { startPostgresCluster } from '../support/pg-cluster'
import { BATCH, load, median } from './ingest-load'
import { ingest } from './journey'
import { smallAccount } from './journey-data'
import { canPin, machine, pinLoadGenerator, startBenchServer, stopBenchServer } from './processes'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const WORKERS = Number(process.env.CITUS_WORKERS ?? 2)
const SWEEP_ACCOUNTS = Number(process.env.SWEEP_ACCOUNTS ?? 2000)
const CONNECTIONS = 32
const ACCOUNTS = 50
const RAW_ROWS = 20_000

pinLoadGenerator()

interface Figures {
  kind: string
  eps: number
  p50: number
  p99: number
  bad: number
  rawRows: number
  sweepAccounts: number
  sweepS: number
  /** The database's size (every Jornada table with its indexes, over every node) per event stored. */
  bytesPerEvent: number
}

async function bench(kind: string, url: string): Promise<Figures> {
  const { child, base, secretKey } = await startBenchServer('postgres', url)
  const eps: number[] = []
  const p50: number[] = []
  const p99: number[] = []
  let bad = 0
  let rawRows = 0
  try {
    await load(`${base}/v1/batch`, secretKey, 2, { connections: CONNECTIONS, accounts: ACCOUNTS }) // warm-up
    for (let round = 0; round < ROUNDS; round++) {
      const r = await load(`${base}/v1/batch`, secretKey, SECONDS, { connections: CONNECTIONS, accounts: ACCOUNTS })
      eps.push(r.eps)
      p50.push(r.p50)
      p99.push(r.p99)
      bad += r.bad
    }
    const raw = (await (await fetch(`${base}/__raw?rows=${RAW_ROWS}`, { method: 'POST' })).json()) as {
      rowsPerSecond: number
    }
    rawRows = raw.rowsPerSecond
  } finally {
    await stopBenchServer(child)
  }

  // The sweep, in this process: a workspace of many small accounts, then evaluator.sweep over it.
  const store = await createPostgresStore({ url })
  try {
    // Before the sweep's workspace: the ingest's events, and what they take on disk.
    const [size] = await store.db.query<{ bytes: number; events: number }>(
      kind.startsWith('Citus')
        ? `SELECT (SELECT sum(citus_total_relation_size(logicalrelid))::float8 FROM pg_dist_partition) AS bytes,
                  (SELECT count(*)::float8 FROM events) AS events`
        : `SELECT (SELECT sum(pg_total_relation_size(oid))::float8 FROM pg_class
                    WHERE relnamespace = 'public'::regnamespace AND relkind = 'r') AS bytes,
                  (SELECT count(*)::float8 FROM events) AS events`,
    )
    const bytesPerEvent = size!.bytes / size!.events
    const now = Date.now()
    const tag = Math.random().toString(36).slice(2, 8)
    const ws = `sweep-${tag}`
    await store.createWorkspace({
      id: ws,
      name: 'Sweep bench',
      writeKey: `pk_sweep_${tag}`,
      secretKey: `sk_sweep_${tag}`,
    })
    const events: WireEvent[] = []
    for (let i = 0; i < SWEEP_ACCOUNTS; i++) events.push(...smallAccount(i, now))
    await ingest(store, ws, events, now)
    store.takeTouchedAccounts() // the sweep covers them
    const evaluator = createEvaluator({ store, clock: () => now, configFor: configSource(store) })
    const t0 = performance.now()
    const swept = await evaluator.sweep(ws)
    const sweepS = (performance.now() - t0) / 1000
    return {
      kind,
      eps: median(eps),
      p50: median(p50),
      p99: median(p99),
      bad,
      rawRows,
      sweepAccounts: swept,
      sweepS,
      bytesPerEvent,
    }
  } finally {
    await store.close()
  }
}

// The machine may be shared: its load when the run starts is printed with the figures.
const loadAtStart = loadavg()[0]!
const results: Figures[] = []
const citus = await startCitusCluster({ workers: WORKERS, own: true })
try {
  results.push(await bench(`Citus (${WORKERS} workers)`, citus.url))
} finally {
  await citus.stop()
}
const single = await startPostgresCluster()
try {
  results.push(await bench('PostgreSQL (one node)', single.url))
} finally {
  await single.stop()
}

const n = (x: number) => Math.round(x).toLocaleString('en-US')
console.log(
  `\nJornada on Citus beside one PostgreSQL node — ${new Date().toISOString().slice(0, 10)}, ${machine()}, Node ${process.version}, ` +
    `load average ${loadAtStart.toFixed(1)} at the start`,
)
console.log(
  `${BATCH}-event batches, fresh ids, ${ACCOUNTS} accounts, ${CONNECTIONS} connections, median of ${ROUNDS} × ${SECONDS}s; ` +
    `server pinned to core 0, load and clusters to core 1: ${canPin}; every node on this machine, over loopback\n`,
)
const rows = [
  ['', ...results.map((r) => r.kind)],
  ['ingest events/s (committed)', ...results.map((r) => n(r.eps))],
  ['ingest latency p50 / p99 ms', ...results.map((r) => `${r.p50} / ${r.p99}`)],
  ['non-2xx or errors', ...results.map((r) => String(r.bad))],
  ['ceiling: raw multi-row INSERT rows/s', ...results.map((r) => n(r.rawRows))],
  ['ingest / ceiling', ...results.map((r) => `${((r.eps / r.rawRows) * 100).toFixed(0)}%`)],
  ['stored bytes per event (tables + indexes)', ...results.map((r) => n(r.bytesPerEvent))],
  ['sweep: accounts of one workspace', ...results.map((r) => n(r.sweepAccounts))],
  ['sweep s (accounts/s)', ...results.map((r) => `${r.sweepS.toFixed(1)} (${n(r.sweepAccounts / r.sweepS)})`)],
]
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
for (const r of rows)
  console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('   '))
