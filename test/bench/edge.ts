/**
 * The API on Cloudflare Workers, beside the same app under Node, on one PostgreSQL (`npm run bench`
 * runs it after the PostgreSQL part, on its cluster; `npm run bench:edge` alone, on a cluster of its
 * own or DATABASE_URL; `tsx test/bench/edge.ts workerd node` measures only the targets named).
 * Three targets, each on a fresh database copied from one template (the experience's year-long
 * account and the demo's config, see experience.ts):
 *   - workerd: the Worker as shipped (server/edge/worker.ts, bundled as `npm run build:edge` does) in
 *     workerd through Miniflare: every API request goes to the one Durable Object holding the store,
 *     its pool of 5 connections and group commit;
 *   - node: the bench's PostgreSQL server (server.ts: createApp under @hono/node-server, a pool of 10);
 *   - per-request: a Worker with no Durable Object that opens a store per request (one connection)
 *     and closes it after answering (edge-per-request.ts), the design worker.ts argues against.
 * The Workers are reached on a socket of workerd's own that leads straight to the Worker, as
 * Cloudflare's front end hands it requests; the experience is also measured through Miniflare's
 * port, where Miniflare's entry Worker (a development layer) runs in front.
 * For each: ingest committed (the ingest bench's traffic: ingest-load.ts, 20-event batches with fresh
 * ids, the secret key, 50 connections, a 2 s warm-up, then the median of BENCH_ROUNDS × BENCH_SECONDS),
 * with events per transaction counted in the database (distinct `xmin` of the ingested rows); and
 * `POST /v1/experience` with the write key over HTTP, one request at a time on a kept-alive
 * connection, after a warm-up of a second: EXPERIENCE_N requests (500), or as many as
 * EXPERIENCE_SECONDS (6) allow, p50 / p99 (through Miniflare's port: 200, or 3 s).
 * workerd and the Node server are pinned to core 0 (workerd with all its threads, once Miniflare has
 * started it), this process (Miniflare's host, the load generator and the HTTP client) to core 1, and
 * so is a PostgreSQL cluster started by it. Rate limits are off in all three (one client address).
 */
import { randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Readable } from 'node:stream'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Miniflare } from 'miniflare'
import postgres from 'postgres'
import { buildWorker } from '../../server/edge/build'
import { validateBatch } from '../../server/ingest/validate-batch'
import { WORKSPACE_ID } from '../../server/settings'
import { createPostgresStore } from '../../server/store/postgres'
import { startPostgresCluster } from '../support/pg-cluster'
import { EXPERIENCE_BODY, experienceYear } from './experience'
import { BATCH, CONNECTIONS, load, median } from './ingest-load'
import type { Load } from './ingest-load'
import { percentile } from './journey'
import { inBatches } from './journey-data'
import { canPin, childrenNamed, machine, pin, pinLoadGenerator, startBenchServer, stopBenchServer } from './processes'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const EXPERIENCE_N = Number(process.env.EXPERIENCE_N ?? 500)
/** The experience's requests stop here if EXPERIENCE_N are not done (a store per request is slow). */
const EXPERIENCE_SECONDS = Number(process.env.EXPERIENCE_SECONDS ?? 6)
/** The same through Miniflare's entry Worker: a comparison of two paths, so fewer. */
const ENTRY_N = Math.min(EXPERIENCE_N, 200)
const WARM_UP_S = 2
const PER_REQUEST_ENTRY = fileURLToPath(new URL('./edge-per-request.ts', import.meta.url))

export type EdgeTargetName = 'workerd' | 'node' | 'per-request'

export interface EdgeFigures {
  target: EdgeTargetName
  rps: number
  eps: number
  p50: number
  p99: number
  /** Non-2xx answers, errors and timeouts over the measured rounds. */
  bad: number
  /** The database holds at least every acknowledged event of the rounds. */
  committed: boolean
  /** Ingested events ÷ the transactions that wrote them (group commit), counted in the database. */
  eventsPerTransaction: number
  experienceP50: number
  experienceP99: number
  /** Requests the experience's figures are of. */
  experienceN: number
  /** workerd: the experience through Miniflare's entry Worker (Miniflare's port), p50 / p99 ms. */
  entryP50?: number
  entryP99?: number
  /** What the experience decided (the same for every target). */
  kinds: string
  /** Seconds this target took, start to stop. */
  seconds: number
}

export interface EdgeRun {
  date: string
  /** The machine's 1-minute load average before and after: other work on it shows here. */
  load: [number, number]
  figures: EdgeFigures[]
  /** Seconds the whole edge part took, builds and the template database included. */
  seconds: number
  postgres: string
}

/** A server under test: where it listens, the keys it knows and the workspace ingest goes to. */
interface Target {
  base: string
  /** workerd: the same Worker through Miniflare's own entry Worker (what `wrangler dev` serves). */
  entryBase?: string
  secretKey: string
  ingestWorkspace: string
  stop(): Promise<void>
}

const WRITE_KEY = `pk_edge_${randomUUID().slice(0, 8)}`
const SECRET_KEY = `sk_edge_${randomUUID().slice(0, 8)}`

function databaseUrl(base: string, name: string): string {
  const u = new URL(base)
  u.pathname = `/${name}`
  return u.toString()
}

/** The template every target's database is copied from: migrated, the default workspace with the year and the demo's config. */
async function makeTemplate(admin: postgres.Sql, base: string, name: string): Promise<void> {
  await admin.unsafe(`CREATE DATABASE ${name}`)
  const store = await createPostgresStore({ url: databaseUrl(base, name), max: 2 })
  try {
    const now = Date.now()
    await store.createWorkspace({ id: WORKSPACE_ID, name: 'Edge bench', writeKey: WRITE_KEY, secretKey: SECRET_KEY })
    await store.setConfig(WORKSPACE_ID, JSON.parse(readFileSync('demo/jornada.config.json', 'utf8')))
    for (const batch of inBatches(experienceYear(now), 500)) {
      const { events, rejected } = validateBatch(batch, 'secret', now)
      if (rejected.length > 0) throw new Error(`bench data rejected: ${JSON.stringify(rejected[0])}`)
      await store.ingest(WORKSPACE_ID, events)
    }
  } finally {
    await store.close()
  }
}

/** A Worker module in workerd through Miniflare, listening on a port of 127.0.0.1; workerd pinned to core 0. */
async function workerdTarget(scriptPath: string, url: string, durableObject: boolean): Promise<Target> {
  let stderr = ''
  const mf = new Miniflare({
    modules: true,
    scriptPath,
    modulesRoot: dirname(scriptPath),
    compatibilityDate: '2025-09-01',
    compatibilityFlags: ['nodejs_compat'],
    ...(durableObject && { durableObjects: { JORNADA_API: 'JornadaApi' } }),
    bindings: {
      DATABASE_URL: url,
      JORNADA_WRITE_KEY: WRITE_KEY,
      JORNADA_SECRET_KEY: SECRET_KEY,
      JORNADA_RATE_LIMIT: 'off',
    },
    host: '127.0.0.1',
    port: 0,
    // workerd's own socket straight to the Worker, as Cloudflare's front end hands it requests;
    // Miniflare's port (ready's URL) puts its entry Worker in front (dev-only: cf, errors, logs).
    unsafeDirectSockets: [{ host: '127.0.0.1', port: 0 }],
    // The Worker's request log lines (one per request, as deployed) are read and dropped here.
    handleRuntimeStdio(stdout: Readable, err: Readable) {
      stdout.resume()
      err.on('data', (c: Buffer) => {
        stderr = (stderr + c.toString()).slice(-4000)
      })
    },
  })
  const ready = await mf.ready.catch(async (err: unknown) => {
    await mf.dispose().catch(() => {})
    throw new Error(`workerd did not start: ${String(err)}\n${stderr}`)
  })
  const direct = await mf.unsafeGetDirectURL()
  for (const pid of childrenNamed('workerd')) pin(pid, 0, true)
  return {
    base: direct.origin,
    entryBase: ready.origin,
    secretKey: SECRET_KEY,
    ingestWorkspace: WORKSPACE_ID,
    async stop() {
      await mf.dispose()
      if (stderr.trim()) process.stderr.write(`workerd printed on stderr:\n${stderr}\n`)
    },
  }
}

async function nodeTarget(url: string): Promise<Target> {
  const { child, base, secretKey } = await startBenchServer('postgres', url)
  // server.ts makes a workspace of its own (`bench`) for ingest; the experience's is the template's.
  return { base, secretKey, ingestWorkspace: 'bench', stop: () => stopBenchServer(child) }
}

/**
 * `POST /v1/experience` one at a time, after a warm-up of a second: p50 / p99 ms, and what was
 * decided; EXPERIENCE_N requests, or as many as EXPERIENCE_SECONDS allow.
 */
async function experience(
  base: string,
  n = EXPERIENCE_N,
  seconds = EXPERIENCE_SECONDS,
): Promise<{ p50: number; p99: number; n: number; kinds: string }> {
  const ask = async () => {
    const res = await fetch(`${base}/v1/experience`, {
      method: 'POST',
      headers: { authorization: `Bearer ${WRITE_KEY}`, 'content-type': 'application/json' },
      body: EXPERIENCE_BODY,
    })
    if (res.status !== 200) throw new Error(`experience: ${res.status} ${await res.text()}`)
    return (await res.json()) as { experiences: { kind: string }[] }
  }
  let kinds = ''
  const warmUntil = performance.now() + 1000
  for (let i = 0; i < 20 || performance.now() < warmUntil; i++)
    kinds = (await ask()).experiences.map((e) => e.kind).join(', ')
  const ms: number[] = []
  const until = performance.now() + seconds * 1000
  while (ms.length < n && performance.now() < until) {
    const t0 = performance.now()
    await ask()
    ms.push(performance.now() - t0)
  }
  const r2 = (x: number) => Math.round(x * 100) / 100
  return { p50: r2(percentile(ms, 50)), p99: r2(percentile(ms, 99)), n: ms.length, kinds }
}

async function measure(name: EdgeTargetName, target: Target, url: string): Promise<Omit<EdgeFigures, 'seconds'>> {
  const x = await experience(target.base)
  const entry = name === 'workerd' && target.entryBase ? await experience(target.entryBase, ENTRY_N, 3) : undefined
  const batch = `${target.base}/v1/batch`
  await load(batch, target.secretKey, WARM_UP_S)
  const rounds: Load[] = []
  for (let round = 0; round < ROUNDS; round++) rounds.push(await load(batch, target.secretKey, SECONDS))
  const db = postgres(url, { max: 1, onnotice: () => {} })
  try {
    const [row] = await db.unsafe<{ events: number; transactions: number }[]>(
      `SELECT count(*)::int AS events, count(DISTINCT xmin::text)::int AS transactions
         FROM events WHERE workspace_id = $1 AND account_id LIKE 'account-%'`,
      [target.ingestWorkspace],
    )
    const acknowledged = rounds.reduce((s, r) => s + r.ok, 0) * BATCH
    return {
      target: name,
      rps: median(rounds.map((r) => r.rps)),
      eps: median(rounds.map((r) => r.eps)),
      p50: median(rounds.map((r) => r.p50)),
      p99: median(rounds.map((r) => r.p99)),
      bad: rounds.reduce((s, r) => s + r.bad, 0),
      committed: row!.events >= acknowledged,
      eventsPerTransaction: row!.events / Math.max(1, row!.transactions),
      experienceP50: x.p50,
      experienceP99: x.p99,
      experienceN: x.n,
      ...(entry && { entryP50: entry.p50, entryP99: entry.p99 }),
      kinds: x.kinds,
    }
  } finally {
    await db.end({ timeout: 1 })
  }
}

/** The three targets, one after the other, each on a fresh copy of the template on the PostgreSQL at `base`. */
export async function benchEdge(base: string, only?: EdgeTargetName[]): Promise<EdgeRun> {
  const t0 = performance.now()
  const loadBefore = loadavg()[0]!
  const dir = mkdtempSync(join(tmpdir(), 'jornada-edge-bench-'))
  const admin = postgres(base, { max: 1, onnotice: () => {} })
  const tag = randomUUID().replaceAll('-', '').slice(0, 12)
  const template = `jornada_edge_${tag}`
  const made: string[] = []
  try {
    const workerFile = join(dir, 'worker.mjs')
    const perRequestFile = join(dir, 'per-request.mjs')
    await buildWorker(workerFile)
    await buildWorker(perRequestFile, PER_REQUEST_ENTRY)
    await makeTemplate(admin, base, template)
    made.push(template)
    const targets: [EdgeTargetName, (url: string) => Promise<Target>][] = [
      ['workerd', (url) => workerdTarget(workerFile, url, true)],
      ['node', (url) => nodeTarget(url)],
      ['per-request', (url) => workerdTarget(perRequestFile, url, false)],
    ]
    const figures: EdgeFigures[] = []
    for (const [name, start] of targets) {
      if (only && !only.includes(name)) continue
      const t = performance.now()
      const db = `${template}_${name.replace('-', '_')}`
      await admin.unsafe(`CREATE DATABASE ${db} TEMPLATE ${template}`)
      made.push(db)
      const url = databaseUrl(base, db)
      const target = await start(url)
      try {
        figures.push({ ...(await measure(name, target, url)), seconds: (performance.now() - t) / 1000 })
      } finally {
        await target.stop()
      }
    }
    const [server] = await admin.unsafe<{ server_version: string }[]>('SHOW server_version')
    return {
      date: new Date().toISOString().slice(0, 10),
      load: [loadBefore, loadavg()[0]!],
      figures,
      seconds: (performance.now() - t0) / 1000,
      postgres: `PostgreSQL ${server!.server_version.split(' ')[0]}`,
    }
  } finally {
    for (const db of made.reverse()) await admin.unsafe(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch(() => {})
    await admin.end({ timeout: 1 })
    rmSync(dir, { recursive: true, force: true })
  }
}

const LABELS: Record<EdgeTargetName, string> = {
  workerd: 'Worker + Durable Object (workerd)',
  node: 'Node (@hono/node-server)',
  'per-request': 'Worker, a store per request (workerd)',
}

/** Prints the edge figures; `rawRows`: the raw multi-row INSERT ceiling on the same PostgreSQL, when measured in the same run. */
export function printEdge(run: EdgeRun, rawRows?: number): void {
  const n = (x: number) => Math.round(x).toLocaleString('en-US')
  console.log(
    `\nThe API on Cloudflare Workers (workerd ${workerdVersion()}, through Miniflare) beside Node — ${run.date}, ${machine()}, Node ${process.version}, ${run.postgres}`,
  )
  console.log(
    `${BATCH}-event batches, ${CONNECTIONS} connections, median of ${ROUNDS} × ${SECONDS}s after ${WARM_UP_S}s; experience: ${EXPERIENCE_N} requests one at a time; a fresh database per target`,
  )
  console.log(
    canPin
      ? 'core 0: the server (workerd with all its threads, or Node); core 1: Miniflare host, load generator, HTTP client, PostgreSQL (when started here)\n'
      : 'not pinned: every process shares every core\n',
  )
  const f = run.figures
  const rows = [
    ['', ...f.map((x) => LABELS[x.target])],
    ['ingest req/s (committed)', ...f.map((x) => n(x.rps))],
    ['ingest events/s', ...f.map((x) => n(x.eps))],
    ['ingest latency p50 / p99 ms', ...f.map((x) => `${x.p50} / ${x.p99}`)],
    [
      '(b) raw multi-row INSERT rows/s (PostgreSQL)',
      ...f.map(() => (rawRows === undefined ? 'not measured' : n(rawRows))),
    ],
    ['ingest / (b) raw', ...f.map((x) => (rawRows === undefined ? '–' : `${((x.eps / rawRows) * 100).toFixed(0)}%`))],
    ['events per transaction (group commit)', ...f.map((x) => x.eventsPerTransaction.toFixed(0))],
    ['non-2xx or errors', ...f.map((x) => String(x.bad))],
    ['acknowledged ⊆ committed', ...f.map((x) => String(x.committed))],
    ['POST /v1/experience p50 / p99 ms', ...f.map((x) => `${x.experienceP50} / ${x.experienceP99}`)],
    ['  requests measured', ...f.map((x) => String(x.experienceN))],
    [
      "  the same through Miniflare's entry Worker",
      ...f.map((x) => (x.entryP50 === undefined ? '–' : `${x.entryP50} / ${x.entryP99}`)),
    ],
    ['seconds for this target', ...f.map((x) => x.seconds.toFixed(0))],
  ]
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
  for (const r of rows)
    console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('   '))
  if (rawRows === undefined)
    console.log(
      '(b), the raw INSERT ceiling, is measured by `npm run bench` (its PostgreSQL part), not by this part alone',
    )
  console.log(`experience decided: ${[...new Set(f.map((x) => x.kinds || '(nothing)'))].join(' | ')}`)
  console.log(
    `edge part: ${run.seconds.toFixed(0)} s; 1-minute load average ${run.load[0].toFixed(2)} before, ${run.load[1].toFixed(2)} after (the bench's own processes add about 2)`,
  )
}

function workerdVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync('node_modules/workerd/package.json', 'utf8')) as { version: string }
    return pkg.version
  } catch {
    return '(version unknown)'
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  pinLoadGenerator()
  const only = process.argv.slice(2) as EdgeTargetName[]
  for (const name of only)
    if (!(name in LABELS)) throw new Error(`unknown target ${name}: workerd, node or per-request`)
  const cluster = process.env.DATABASE_URL ? null : await startPostgresCluster()
  try {
    printEdge(await benchEdge(process.env.DATABASE_URL ?? cluster!.url, only.length ? only : undefined))
  } finally {
    await cluster?.stop()
  }
}
