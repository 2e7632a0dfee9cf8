/**
 * `npm run bench`: ingest throughput and latency, committed, on the embedded store and on PostgreSQL,
 * next to two ceilings measured in the same run on the same machine:
 *   (a) bare: the same batches through a Hono endpoint that validates and answers 202, storing nothing;
 *   (b) raw: the same rows written straight into the same store with a multi-row INSERT.
 * The server runs pinned to core 0, the load generator (autocannon, 50 connections) to core 1; the
 * PostgreSQL cluster started here inherits core 1 from this process, so on PostgreSQL the database
 * shares its core with the load generator during ingest but not during (b): the generator builds
 * its bodies from templates (data.ts makeBody) to take as little of that core as it can.
 * Figures are medians of BENCH_ROUNDS rounds (default 3) of BENCH_SECONDS seconds (default 5).
 * Then the journey, experience and edge parts (journey.ts, experience.ts, edge.ts: the API in workerd
 * beside Node on the same PostgreSQL, next to this run's raw INSERT ceiling), and ingest as users run
 * the server (as-run.ts: server/node.ts with its evaluator, PGlite on disk and in memory).
 * A program that prints figures, not a test: nothing here fails because the machine is slow.
 */
import { startPostgresCluster } from '../support/pg-cluster'
import { printAccountPage } from './account-page'
import { type AsRunFigures, benchAsRun, printAsRun } from './as-run'
import { benchEdge, printEdge, type EdgeRun } from './edge'
import { benchExperience, printExperience } from './experience'
import { BATCH, CONNECTIONS, load, median } from './ingest-load'
import { benchJourney, printJourney, type JourneyFigures } from './journey'
import { canPin, machine, pinLoadGenerator, startBenchServer, stopBenchServer } from './processes'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const RAW_ROWS = 100_000

pinLoadGenerator()

interface Figures {
  kind: string
  rps: number
  eps: number
  p50: number
  p99: number
  bareRps: number
  bareEps: number
  bareP99: number
  rawRows: number
  committed: boolean
  bad: number
  transactions: number
  events: number
}

async function benchStore(kind: string, url?: string): Promise<Figures> {
  const { child, base, secretKey } = await startBenchServer(kind, url)
  try {
    await load(`${base}/v1/batch`, secretKey, 2) // warm-up: JIT, caches, the store's pages
    await load(`${base}/bare/v1/batch`, secretKey, 1)
    const ingest: Awaited<ReturnType<typeof load>>[] = []
    const bare: Awaited<ReturnType<typeof load>>[] = []
    const raw: number[] = []
    for (let round = 0; round < ROUNDS; round++) {
      ingest.push(await load(`${base}/v1/batch`, secretKey, SECONDS))
      bare.push(await load(`${base}/bare/v1/batch`, secretKey, SECONDS))
      const r = (await (await fetch(`${base}/__raw?rows=${RAW_ROWS}`, { method: 'POST' })).json()) as {
        rowsPerSecond: number
      }
      raw.push(r.rowsPerSecond)
    }
    const count = (await (await fetch(`${base}/__count`)).json()) as {
      events: number
      stats: { transactions: number; events: number }
    }
    const sent = ingest.reduce((s, x) => s + x.ok, 0) * BATCH
    return {
      kind,
      rps: median(ingest.map((x) => x.rps)),
      eps: median(ingest.map((x) => x.eps)),
      p50: median(ingest.map((x) => x.p50)),
      p99: median(ingest.map((x) => x.p99)),
      bareRps: median(bare.map((x) => x.rps)),
      bareEps: median(bare.map((x) => x.eps)),
      bareP99: median(bare.map((x) => x.p99)),
      rawRows: median(raw),
      // Every 200 answered is committed: the store holds at least the acknowledged events of the rounds.
      committed: count.events >= sent,
      bad: ingest.reduce((s, x) => s + x.bad, 0),
      transactions: count.stats.transactions,
      events: count.stats.events,
    }
  } finally {
    await stopBenchServer(child)
  }
}

const pct = (a: number, b: number) => `${((a / b) * 100).toFixed(0)}%`
const n = (x: number) => Math.round(x).toLocaleString('en-US')

// The journey part (test/bench/journey.ts) runs in this process, on the same stores; BENCH_JOURNEY=0 skips it.
const withJourney = process.env.BENCH_JOURNEY !== '0'
// The edge part (test/bench/edge.ts) runs on the same PostgreSQL, after it; BENCH_EDGE=0 skips it.
const withEdge = process.env.BENCH_EDGE !== '0'
// The as-run part (test/bench/as-run.ts): server/node.ts as `npm start` runs it; BENCH_AS_RUN=0 skips it.
const withAsRun = process.env.BENCH_AS_RUN !== '0'
const results: Figures[] = []
const journey: JourneyFigures[] = []
let edge: EdgeRun | undefined
results.push(await benchStore('pglite'))
if (withJourney) journey.push(await benchJourney('pglite'))
const experience = withJourney ? await benchExperience() : null
const cluster = process.env.DATABASE_URL ? null : await startPostgresCluster()
try {
  results.push(await benchStore('postgres', process.env.DATABASE_URL ?? cluster!.url))
  if (withJourney) journey.push(await benchJourney('postgres', process.env.DATABASE_URL ?? cluster!.url))
  if (withEdge) edge = await benchEdge(process.env.DATABASE_URL ?? cluster!.url)
} finally {
  await cluster?.stop()
}
const asRun: AsRunFigures[] = withAsRun ? [await benchAsRun('disk'), await benchAsRun('memory')] : []

console.log(
  `\nJornada ingest benchmark — ${new Date().toISOString().slice(0, 10)}, ${machine()}, Node ${process.version}`,
)
console.log(
  `${BATCH}-event batches, ${CONNECTIONS} connections, median of ${ROUNDS} × ${SECONDS}s; server pinned to core 0, load (and a cluster started here) to core 1: ${canPin}\n`,
)
const rows = [
  ['', ...results.map((r) => r.kind)],
  ['ingest req/s (committed)', ...results.map((r) => n(r.rps))],
  ['ingest events/s', ...results.map((r) => n(r.eps))],
  ['ingest latency p50 / p99 ms', ...results.map((r) => `${r.p50} / ${r.p99}`)],
  ['(a) bare validate+202 events/s', ...results.map((r) => n(r.bareEps))],
  ['(b) raw multi-row INSERT rows/s', ...results.map((r) => n(r.rawRows))],
  ['ingest / (a) bare', ...results.map((r) => pct(r.eps, r.bareEps))],
  ['ingest / (b) raw  [target ≥ 60%]', ...results.map((r) => pct(r.eps, r.rawRows))],
  ['events per transaction (group commit)', ...results.map((r) => (r.events / Math.max(1, r.transactions)).toFixed(0))],
  ['non-2xx or errors', ...results.map((r) => String(r.bad))],
  ['acknowledged ⊆ committed', ...results.map((r) => String(r.committed))],
]
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
for (const r of rows)
  console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('   '))

printJourney(journey)
printAccountPage(journey.map((j) => j.accountPage))
if (experience) printExperience(experience)
if (edge) printEdge(edge, results.find((r) => r.kind === 'postgres')?.rawRows)
if (asRun.length) printAsRun(asRun)
