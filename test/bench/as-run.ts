/**
 * Ingest as users run the server (`npm run bench:as-run`, and a part of `npm run bench`):
 * `server/node.ts` in a process of its own, started as `npm start` starts it, pinned to core 0, with
 * the evaluator re-evaluating touched accounts every second and the webhook dispatcher running, on
 * the embedded store ON DISK (a fresh temporary JORNADA_DATA_DIR) and in memory (`memory://`).
 * Load from this process on core 1: 20-event batches with fresh ids over 50 accounts, 32
 * connections for AS_RUN_SECONDS (default 10), then 50 connections as long (for its p99).
 *
 * Ceilings, in the same run and the same kind of store, measured by as-run-ceiling.ts in a process
 * and a fresh store of their own, before the server starts (PGlite is one process: its store
 * cannot be shared): 500-row multi-row INSERTs (i) into a plain table with the columns of `events`
 * and its primary key only, (ii) into the real `events` table with its indexes.
 *
 * Acknowledged ⊆ committed: on disk, once the server has stopped, its data folder is opened here
 * and its events counted (at least every event of a 2xx answer must be there). In memory the store
 * goes with the process: not checked.
 *
 * The evaluator's lag: during the 32-connection load, every LAG_SAMPLE_MS this process sends a
 * batch of its own for an account of its own, new each time (`lag-N`: only that commit touches it,
 * so any snapshot of it was computed from a read after that commit, and includes the batch), and
 * notes when it is acknowledged (the commit precedes the acknowledgement). Meanwhile it reads the
 * listing (`GET /v1/accounts`, secret key) every LAG_POLL_MS, one read at a time, until every
 * sampled account is listed. The lag of a sample is the time from its acknowledgement to the end of
 * the first read that lists it: commit → fresh snapshot, up to one poll interval and one read late,
 * and short by the acknowledgement's way back. `computedAt − ack` is printed too: when the
 * evaluation that included the batch began (negative when it began before the answer arrived).
 * (The same account for every sample would not do: an evaluation that starts between the commit
 * and the acknowledgement includes the batch with a computedAt before the acknowledgement, and the
 * next fresh snapshot comes only with that account's next events.) Bound: the evaluator runs every
 * second and must keep up, so an event waits at most one interval for its run, and that run must
 * end within the next:
 * p99 ≤ 2 s.
 *
 * A program that prints figures, not a test. AS_RUN_STORES=disk or memory: one of the two.
 * AS_RUN_VERBOSE=1: the server's evaluator lines on stderr. AS_RUN_PROFILE=dir: the on-disk server runs under
 * `node --cpu-prof` (each store: AS_RUN_STORES picks) and the profile's samples of the 32-connection window are summarised by area
 * (cpuprofile-summary.ts). AS_RUN_STATEMENTS=1: the server's PGlite time in that window by statement
 * (pglite-statements.ts), which tells ingest's statements from the evaluator's.
 */
import { type ChildProcess, execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { createPgliteStore } from '../../server/store'
import { printProfileSummary, summariseProfile } from './cpuprofile-summary'
import { makeBody } from './data'
import { BATCH, load, type Load } from './ingest-load'
import { canPin, machine, pinLoadGenerator, startNodeServer, stopBenchServer } from './processes'

const SECONDS = Number(process.env.AS_RUN_SECONDS ?? 10)
const CONNECTIONS = 32
const ACCOUNTS = 50
const CEILING_ROWS = Number(process.env.AS_RUN_CEILING_ROWS ?? 100_000)
const LAG_SAMPLE_MS = 200
const LAG_POLL_MS = 100
/** How long after the load the lag samples may take to resolve before they count as missing. */
const LAG_WAIT_MS = 30_000
export const LAG_BOUND_S = 2
export const RATIO_TARGET = 0.5

export interface AsRunFigures {
  kind: 'disk' | 'memory'
  eps: number
  rps: number
  p50: number
  p99: number
  p99At50: number
  eps50: number
  bad: number
  /** Events of 2xx answers, and the events the store holds after the run (null: in memory). */
  acknowledged: number
  stored: number | null
  plain: number
  events: number
  lag: { p50: number; p99: number; computedP50: number; computedP99: number; samples: number; missing: number }
  /** AS_RUN_STATEMENTS=1: PGlite's time in the 32-connection window by statement (pglite-statements.ts). */
  statements?: { windowMs: number; statements: Record<string, { ms: number; statements: number }> }
}

const quantile = (xs: number[], q: number) => {
  if (xs.length === 0) return Number.NaN
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!
}

function ceilings(dataDir: string): { plain: number; events: number } {
  const args = ['--import', 'tsx', 'test/bench/as-run-ceiling.ts', dataDir, String(CEILING_ROWS)]
  const out = canPin
    ? execFileSync('taskset', ['-c', '0', process.execPath, ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
    : execFileSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] })
  return JSON.parse(out.toString().trim().split('\n').at(-1)!) as { plain: number; events: number }
}

interface Sample {
  accountId: string
  ack: number
  seen?: number
  computedAt?: number
}

/** The lag sampler and the listing reader, until `stop()` and then until every sample resolved. */
function lagProbe(base: string, secretKey: string) {
  const samples: Sample[] = []
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${secretKey}` }
  let sampling = true
  let n = 0
  let acknowledged = 0
  const sampler = (async () => {
    while (sampling) {
      // A user of its own too (user-1000 on): the load's users keep their accounts.
      const accountId = `lag-${n}`
      const body = makeBody(BATCH, ACCOUNTS, 1000 + n, accountId)
      n++
      const res = await fetch(`${base}/v1/batch`, { method: 'POST', headers, body })
      await res.arrayBuffer()
      if (res.ok) {
        acknowledged += BATCH
        samples.push({ accountId, ack: Date.now() })
      }
      await new Promise((r) => setTimeout(r, LAG_SAMPLE_MS))
    }
  })()
  // Set once the sampler's last request has been answered (and its sample noted, if any).
  let sampled = false
  let deadline = Number.POSITIVE_INFINITY
  const reader = (async () => {
    while (!sampled || (samples.some((s) => s.seen === undefined) && Date.now() < deadline)) {
      const res = await fetch(`${base}/v1/accounts?limit=500`, { headers })
      const seen = Date.now()
      if (res.ok) {
        const { items } = (await res.json()) as { items: { accountId: string; computedAt: string }[] }
        const at = new Map(items.map((i) => [i.accountId, Date.parse(i.computedAt)]))
        for (const s of samples) {
          const c = at.get(s.accountId)
          if (s.seen === undefined && c !== undefined) {
            s.seen = seen
            s.computedAt = c
          }
        }
      }
      await new Promise((r) => setTimeout(r, LAG_POLL_MS))
    }
  })()
  return {
    async stop() {
      sampling = false
      await sampler
      deadline = Date.now() + LAG_WAIT_MS
      sampled = true
      await reader
      const done = samples.filter((s) => s.seen !== undefined)
      const lags = done.map((s) => (s.seen! - s.ack) / 1000)
      const began = done.map((s) => (s.computedAt! - s.ack) / 1000)
      return {
        acknowledged,
        lag: {
          p50: quantile(lags, 0.5),
          p99: quantile(lags, 0.99),
          computedP50: quantile(began, 0.5),
          computedP99: quantile(began, 0.99),
          samples: samples.length,
          missing: samples.length - done.length,
        },
      }
    },
  }
}

/** Monotonic µs, the clock of V8's CPU profiles. */
const monoMicros = () => Number(process.hrtime.bigint() / 1000n)

export async function benchAsRun(kind: 'disk' | 'memory', profileDir?: string): Promise<AsRunFigures> {
  const temp = mkdtempSync(join(tmpdir(), 'jornada-as-run-'))
  try {
    const { plain, events } = ceilings(kind === 'disk' ? join(temp, 'ceiling') : 'memory://')
    const dataDir = kind === 'disk' ? join(temp, 'data') : 'memory://'
    const secretKey = `sk_asrun_${Math.random().toString(36).slice(2)}`
    const profiling = profileDir !== undefined
    const statementsFile = process.env.AS_RUN_STATEMENTS === '1' ? join(temp, 'statements.json') : undefined
    const { child, base } = await startNodeServer(
      {
        JORNADA_DATA_DIR: dataDir,
        JORNADA_DEMO: '0',
        JORNADA_RATE_LIMIT: 'off',
        JORNADA_WRITE_KEY: `pk_asrun_${Math.random().toString(36).slice(2)}`,
        JORNADA_SECRET_KEY: secretKey,
        ...(statementsFile ? { AS_RUN_STATEMENTS_FILE: statementsFile } : {}),
      },
      [
        ...(profiling ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
        ...(statementsFile ? ['--import', 'tsx', '--import', './test/bench/pglite-statements.ts'] : []),
      ],
      process.env.AS_RUN_VERBOSE === '1' ? /"evaluator"/ : undefined,
    )
    let stopped = false
    const stop = async (c: ChildProcess) => {
      if (!stopped) await stopBenchServer(c)
      stopped = true
    }
    try {
      const url = `${base}/v1/batch`
      const opts = { connections: CONNECTIONS, accounts: ACCOUNTS }
      const warm = await load(url, secretKey, 2, opts) // JIT, caches, the store's first pages
      const probe = lagProbe(base, secretKey)
      if (statementsFile) child.kill('SIGUSR2')
      const t0 = monoMicros()
      const main = await load(url, secretKey, SECONDS, opts)
      const t1 = monoMicros()
      if (statementsFile) child.kill('SIGUSR2')
      const lagged = await probe.stop()
      const at50: Load = await load(url, secretKey, SECONDS, { ...opts, connections: 50 })
      const acknowledged = (warm.ok + main.ok + at50.ok) * BATCH + lagged.acknowledged
      await stop(child)
      const statements =
        statementsFile && existsSync(statementsFile)
          ? (JSON.parse(readFileSync(statementsFile, 'utf8')) as AsRunFigures['statements'])
          : undefined
      let stored: number | null = null
      if (kind === 'disk') {
        const store = await createPgliteStore({ dataDir })
        stored = await store.countEvents('default')
        await store.close()
      }
      if (profiling) {
        const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile') && f.includes(String(child.pid)))
        if (file) printProfileSummary(summariseProfile(join(profileDir, file), t0, t1), join(profileDir, file))
      }
      return {
        kind,
        eps: main.eps,
        rps: main.rps,
        p50: main.p50,
        p99: main.p99,
        eps50: at50.eps,
        p99At50: at50.p99,
        bad: warm.bad + main.bad + at50.bad,
        acknowledged,
        stored,
        plain,
        events,
        lag: lagged.lag,
        statements,
      }
    } finally {
      await stop(child)
    }
  } finally {
    rmSync(temp, { recursive: true, force: true })
  }
}

const n = (x: number) => Math.round(x).toLocaleString('en-US')
const pct = (a: number, b: number) => `${((a / b) * 100).toFixed(0)}%`
const s = (x: number) => (Number.isNaN(x) ? '—' : `${x.toFixed(2)} s`)

export function printAsRun(figures: AsRunFigures[]): void {
  console.log(
    `\nIngest as the server runs (server/node.ts, evaluator on) — ${new Date().toISOString().slice(0, 10)}, ${machine()}, Node ${process.version}`,
  )
  console.log(
    `${BATCH}-event batches, fresh ids, ${ACCOUNTS} accounts, ${CONNECTIONS} connections, ${SECONDS} s; server pinned to core 0, load to core 1: ${canPin}\n`,
  )
  const name = (f: AsRunFigures) => (f.kind === 'disk' ? 'PGlite on disk' : 'PGlite in memory')
  const rows = [
    ['', ...figures.map(name)],
    ['committed events/s (req/s)', ...figures.map((f) => `${n(f.eps)} (${n(f.rps)})`)],
    ['latency p50 / p99 ms', ...figures.map((f) => `${f.p50} / ${f.p99}`)],
    ['at 50 connections: events/s, p99 ms', ...figures.map((f) => `${n(f.eps50)}, ${f.p99At50}`)],
    ['(i) plain table, 500-row INSERTs, rows/s', ...figures.map((f) => n(f.plain))],
    ['(ii) events table, same INSERTs, rows/s', ...figures.map((f) => n(f.events))],
    [
      `committed ÷ (i)  [target ≥ ${RATIO_TARGET * 100}% on disk]`,
      ...figures.map(
        (f) =>
          `${pct(f.eps, f.plain)}${f.kind === 'disk' ? (f.eps / f.plain >= RATIO_TARGET ? ' PASS' : ' under') : ''}`,
      ),
    ],
    ['committed ÷ (ii)', ...figures.map((f) => pct(f.eps, f.events))],
    ['evaluator lag ack → listing, p50 / p99', ...figures.map((f) => `${s(f.lag.p50)} / ${s(f.lag.p99)}`)],
    [
      `  p99 bound ≤ ${LAG_BOUND_S} s`,
      ...figures.map((f) => (f.lag.missing === 0 && f.lag.p99 <= LAG_BOUND_S ? 'PASS' : 'over')),
    ],
    ['  ack → computedAt, p50 / p99', ...figures.map((f) => `${s(f.lag.computedP50)} / ${s(f.lag.computedP99)}`)],
    ['  samples (unresolved)', ...figures.map((f) => `${f.lag.samples} (${f.lag.missing})`)],
    ['non-2xx or errors', ...figures.map((f) => String(f.bad))],
    [
      'acknowledged ⊆ committed',
      ...figures.map((f) =>
        f.stored === null ? 'n/a (memory)' : `${f.stored >= f.acknowledged} (${n(f.acknowledged)} ≤ ${n(f.stored)})`,
      ),
    ],
  ]
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
  for (const r of rows)
    console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('   '))
  // Each figure as it is quoted, with what it must be read beside: the machine, the date and the
  // ceilings of the same run.
  const when = `${new Date().toISOString().slice(0, 10)}, ${machine()}, Node ${process.version}`
  console.log('\nEach figure with its ceilings (same run):')
  for (const f of figures) {
    const ceilings = `(i) ${n(f.plain)} rows/s, (ii) ${n(f.events)} rows/s`
    console.log(
      `  ${name(f)}, 32 connections: ${n(f.eps)} events/s = ${pct(f.eps, f.plain)} of (i), ${pct(f.eps, f.events)} of (ii); ${ceilings}; lag p50/p99 ${s(f.lag.p50)} / ${s(f.lag.p99)}; ${when}`,
    )
    console.log(
      `  ${name(f)}, 50 connections: p99 ${f.p99At50} ms at ${n(f.eps50)} events/s = ${pct(f.eps50, f.plain)} of (i); ${ceilings}; ${when}`,
    )
  }
  for (const f of figures) if (f.statements) printStatements(name(f), f.statements)
}

/** The statement kinds of pglite-statements.ts, by what runs them. */
function statementArea(label: string): string {
  if (/^EXECUTE jornada_load_facts/.test(label)) return 'evaluator: loadFacts'
  if (/^(INSERT INTO account_snapshots|WITH fresh AS|WITH x AS|SELECT doc FROM workspace_config)/.test(label))
    return 'evaluator: snapshots, webhook events, config'
  if (/^SELECT (count\(\*\)::int AS n FROM account_snapshots|account_id, segment)/.test(label))
    return 'listing (the lag probe) and getSnapshots'
  if (/^(INSERT INTO events|WITH ins AS)/.test(label)) return 'ingest: events'
  if (
    /^(WITH w0 AS|INSERT INTO (rollup_|workspace_feature_days|account_users|account_facts|trait_values|account_versions))/.test(
      label,
    )
  )
    return 'ingest: rollups'
  if (/^(INSERT INTO (users|accounts)|BEGIN|COMMIT|SELECT workspace_id, doc FROM workspace_config)/.test(label))
    return 'ingest: users, accounts, BEGIN/COMMIT, config'
  return 'other'
}

function printStatements(store: string, st: NonNullable<AsRunFigures['statements']>): void {
  const entries = Object.entries(st.statements)
  const total = entries.reduce((x, [, v]) => x + v.ms, 0)
  const areas = new Map<string, number>()
  for (const [label, v] of entries) areas.set(statementArea(label), (areas.get(statementArea(label)) ?? 0) + v.ms)
  console.log(
    `\n${store}: PGlite's time in the 32-connection window by statement, ${n(total)} ms of ${n(st.windowMs)} ms (wall time in WASM)`,
  )
  for (const [a, ms] of [...areas].sort((x, y) => y[1] - x[1]))
    console.log(`  ${a.padEnd(48)} ${n(ms).padStart(7)} ms  ${pct(ms, total).padStart(4)}`)
  for (const [label, v] of entries.sort((x, y) => y[1].ms - x[1].ms).slice(0, 10))
    console.log(`    ${n(v.ms).padStart(7)} ms ${String(v.statements).padStart(6)}×  ${label}`)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  pinLoadGenerator()
  const profileDir = process.env.AS_RUN_PROFILE
  const stores = (process.env.AS_RUN_STORES ?? 'disk,memory').split(',') as ('disk' | 'memory')[]
  const figures: AsRunFigures[] = []
  for (const kind of stores) figures.push(await benchAsRun(kind, profileDir))
  printAsRun(figures)
}
