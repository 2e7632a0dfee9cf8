/**
 * The journey benchmark (`npm run bench` runs it after the ingest table; `tsx test/bench/journey.ts`
 * alone runs it on PGlite, and on DATABASE_URL when set):
 *   (1) one account with a year of daily activity by 50 users, stored with secret-key semantics
 *       (store.ingest, past timestamps); then its state at `now`, `loadFacts + journeyState`, N times;
 *   (2) a workspace of many accounts with a few events each; `evaluator.sweep` builds the snapshots;
 *       then `GET /v1/accounts?limit=50` and a filtered listing through app.request; the accounts
 *       page's data (a filter and a sort, its total counted), next to the riskiest-first listing
 *       of the same run as its ceiling (one index range); the CSV of every account.
 * A program that prints figures, not a test. Sizes: JOURNEY_N (500), JOURNEY_ACCOUNTS (10,000),
 * JOURNEY_LIST_N (200 requests per listing).
 */
import { pathToFileURL } from 'node:url'
import { createApp } from '../../server/app'
import { createEvaluator } from '../../server/evaluator'
import { defaultConfig, journeyState } from '../../server/journey'
import { validateBatch } from '../../server/ingest/validate-batch'
import { configSource } from '../../server/config-source'
import { createPgliteStore, createPostgresStore } from '../../server/store'
import type { Store } from '../../server/store/types'
import type { WireEvent } from '../../sdk/wire'
import { benchAccountPage, printAccountPage, type AccountPageFigures } from './account-page'
import { accountHistory, DAY_MS, inBatches, smallAccount } from './journey-data'

const N = Number(process.env.JOURNEY_N ?? 500)
const ACCOUNTS = Number(process.env.JOURNEY_ACCOUNTS ?? 10_000)
const LIST_N = Number(process.env.JOURNEY_LIST_N ?? 200)

/** Targets of the journey API (docs/performance.md); printed next to the figures. */
export const TARGET_STATE_P99_MS = 5
export const TARGET_LIST_P99_MS = 500

export interface JourneyFigures {
  kind: string
  yearEvents: number
  yearIngestS: number
  stateP50: number
  stateP99: number
  /** The two halves of a state: the store's loadFacts, the engine's journeyState. */
  loadP50: number
  loadP99: number
  engineP50: number
  engineP99: number
  /** The state at a past time, a different day each call: nothing cached (loadFacts reads the whole year). */
  pastP50: number
  pastP99: number
  /** The same, after a late event invalidated the cached history: the whole year read from the packed rollups. */
  coldP50: number
  coldP99: number
  accounts: number
  manyEvents: number
  manyIngestS: number
  sweepS: number
  listP50: number
  listP99: number
  filteredP50: number
  filteredP99: number
  filter: string
  /** The accounts page: a filter and a sort (not the index's order), with its total. */
  sortedP50: number
  sortedP99: number
  sorted: string
  /** GET /v1/accounts?format=csv: every account, one run. */
  csvMs: number
  /** GET /v1/journey-map over every account: from the summaries stored by the sweep (median of 5), and computed from the facts (`?at=`, one run). */
  mapStoredMs: number
  mapComputedMs: number
  /** The account page's calls on the year's account (account-page.ts). */
  accountPage: AccountPageFigures
}

/** The p-th percentile (nearest rank) of `xs`. */
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!
}

/** Stores wire events as POST /v1/batch with the secret key would (validated, past times kept), 500 at a time. */
export async function ingest(store: Store, ws: string, events: WireEvent[], receivedAt: number): Promise<void> {
  for (const batch of inBatches(events, 500)) {
    const { events: ok, rejected } = validateBatch(batch, 'secret', receivedAt)
    if (rejected.length > 0) throw new Error(`bench data rejected: ${JSON.stringify(rejected[0])}`)
    await store.ingest(ws, ok)
  }
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now()
  const value = await fn()
  return { ms: performance.now() - t0, value }
}

export async function benchJourney(kind: 'pglite' | 'postgres', url?: string): Promise<JourneyFigures> {
  const store =
    kind === 'postgres' ? await createPostgresStore({ url: url! }) : await createPgliteStore({ dataDir: 'memory://' })
  try {
    const now = Date.now()
    const tag = Math.random().toString(36).slice(2, 8)
    const secretKey = `sk_jbench_${tag}`

    // (1) A year of one account, 50 users.
    const wsYear = `jbench-year-${tag}`
    await store.createWorkspace({
      id: wsYear,
      name: 'Journey bench (year)',
      writeKey: `pk_jbench_y_${tag}`,
      secretKey: `${secretKey}_y`,
    })
    const start = Math.floor(now / DAY_MS) * DAY_MS - 364 * DAY_MS
    // `let`: the generated events are dropped once stored, so that the state loop below measures a
    // heap like the server's, not one that also holds 48k generated events (they lengthen every
    // full garbage collection that lands in the loop).
    let year: WireEvent[] | null = accountHistory({
      accountId: 'big',
      start,
      days: 365,
      users: 50,
      seats: 60,
      seed: 2026,
      until: now,
      traits: { segment: 'enterprise', renewalDate: new Date(start + 365 * DAY_MS).toISOString().slice(0, 10) },
      planned: [
        { day: 0, event: 'welcome_email_sent' },
        { day: 2, event: 'kickoff_held' },
        { day: 6, event: 'setup_completed' },
        { day: 10, event: 'first_value' },
        { day: 18, event: 'training_attended' },
        { day: 30, event: 'health_check_done' },
        ...Array.from({ length: 40 }, (_, i) => ({
          day: 30 + i * 8,
          event: 'nps_response',
          userId: `big-u${i % 50}`,
          properties: { score: 6 + (i % 5) },
        })),
        ...Array.from({ length: 12 }, (_, i) => ({
          day: 20 + i * 28,
          event: 'ticket_opened',
          properties: { ticketId: `T${i}` },
        })),
        ...Array.from({ length: 11 }, (_, i) => ({
          day: 25 + i * 28,
          event: 'ticket_closed',
          properties: { ticketId: `T${i}` },
        })),
      ],
    })
    const yearIngest = await timed(() => ingest(store, wsYear, year!, now))
    const yearEvents = year.length
    year = null
    // What the hourly sweep does first: the closed days' rollups packed by month.
    await store.compactRollups(wsYear, Math.floor(now / DAY_MS) - 1)
    const config = defaultConfig
    // Warm-up: JIT, the store's pages and plans, and one second of calls, so that the full garbage
    // collections owed to generating and importing 48k events in this same process are paid
    // before the measured calls (a server answering states has no such debt; measured: without it
    // a 10-15 ms mark-compact of the import's heap lands in about 1% of the calls).
    const warmUntil = performance.now() + 1000
    for (let i = 0; i < 20 || performance.now() < warmUntil; i++)
      journeyState(config, (await store.loadFacts(wsYear, 'big', now))!, now)
    const stateMs: number[] = []
    const loadMs: number[] = []
    const engineMs: number[] = []
    for (let i = 0; i < N; i++) {
      const t0 = performance.now()
      const facts = await store.loadFacts(wsYear, 'big', now)
      const t1 = performance.now()
      journeyState(config, facts!, now)
      const t2 = performance.now()
      stateMs.push(t2 - t0)
      loadMs.push(t1 - t0)
      engineMs.push(t2 - t1)
    }

    // The same account at a past time, a different day each call (time travel: the journey at
    // `?at=`, a diff, the QBR's retrospective): the history loadFacts keeps in memory for now serves
    // the days before `at`'s; the store reads that one day.
    const pastMs: number[] = []
    const pastAt = (i: number) => now - (1 + (i % 360)) * DAY_MS - 3 * 3_600_000
    for (let i = 0; i < 20; i++)
      journeyState(config, (await store.loadFacts(wsYear, 'big', pastAt(N + i)))!, pastAt(N + i))
    for (let i = 0; i < N; i++) {
      const t0 = performance.now()
      journeyState(config, (await store.loadFacts(wsYear, 'big', pastAt(i)))!, pastAt(i))
      pastMs.push(performance.now() - t0)
    }
    // And with nothing cached: before each call (not timed) a late event of an old day arrives, which
    // invalidates the account's cached history, so the call reads the whole year from the packed rollups.
    const coldMs: number[] = []
    const lateEvent = (i: number) =>
      validateBatch(
        [
          {
            id: `late-${tag}-${i}`,
            type: 'page',
            userId: 'big-u0',
            accountId: 'big',
            timestamp: new Date(pastAt(i) - 2 * DAY_MS).toISOString(),
            name: 'Dashboard',
          },
        ],
        'secret',
        now,
      ).events
    for (let i = 0; i < N; i++) {
      await store.ingest(wsYear, lateEvent(i))
      const t0 = performance.now()
      journeyState(config, (await store.loadFacts(wsYear, 'big', pastAt(i)))!, pastAt(i))
      if (i >= 20) coldMs.push(performance.now() - t0)
    }

    // The account page's calls on the same account, its history as the late events above left it.
    const accountPage = await benchAccountPage(kind, store, wsYear, `${secretKey}_y`, 'big', now)

    // (2) Many accounts, a few events each.
    const wsMany = `jbench-many-${tag}`
    await store.createWorkspace({ id: wsMany, name: 'Journey bench (many)', writeKey: `pk_jbench_m_${tag}`, secretKey })
    const many: WireEvent[] = []
    for (let i = 0; i < ACCOUNTS; i++) many.push(...smallAccount(i, now))
    const manyIngest = await timed(() => ingest(store, wsMany, many, now))
    store.takeTouchedAccounts() // the sweep below covers them
    const evaluator = createEvaluator({ store, clock: () => now, configFor: configSource(store) })
    const sweep = await timed(() => evaluator.sweep(wsMany))

    const app = createApp({ store, clock: () => now, log: () => {} })
    const list = async (query: string) => {
      const ms: number[] = []
      for (let i = 0; i < LIST_N + 10; i++) {
        const t0 = performance.now()
        const res = await app.request(`http://bench/v1/accounts?${query}`, {
          headers: { authorization: `Bearer ${secretKey}` },
        })
        if (res.status !== 200) throw new Error(`listing ${query}: ${res.status} ${await res.text()}`)
        await res.json()
        if (i >= 10) ms.push(performance.now() - t0) // the first 10 warm up
      }
      return ms
    }
    const plain = await list('limit=50')
    const filter = 'phase=onboarding&band=red&limit=50'
    const filtered = await list(filter)
    const sortedQuery = 'segment=enterprise&sort=name&order=desc&limit=50'
    const sorted = await list(sortedQuery)
    const t0 = performance.now()
    const csv = await app.request('http://bench/v1/accounts?format=csv', {
      headers: { authorization: `Bearer ${secretKey}` },
    })
    if (csv.status !== 200 || (await csv.text()).split('\r\n').length !== ACCOUNTS + 2)
      throw new Error(`accounts CSV: ${csv.status}`)
    const csvMs = performance.now() - t0
    const map = async (query: string) => {
      const t0 = performance.now()
      const res = await app.request(`http://bench/v1/journey-map${query}`, {
        headers: { authorization: `Bearer ${secretKey}`, accept: 'application/json' },
      })
      if (res.status !== 200) throw new Error(`journey map: ${res.status} ${await res.text()}`)
      const body = (await res.json()) as { accounts: number; sources: { computed: number } }
      if (body.accounts !== ACCOUNTS || (query === '' && body.sources.computed !== 0))
        throw new Error(`journey map: ${JSON.stringify(body.sources)}`)
      return performance.now() - t0
    }
    await map('')
    const mapStored: number[] = []
    for (let i = 0; i < 5; i++) mapStored.push(await map(''))
    const mapComputedMs = await map(`?at=${new Date(now).toISOString()}`)

    return {
      kind,
      yearEvents,
      yearIngestS: yearIngest.ms / 1000,
      stateP50: percentile(stateMs, 50),
      stateP99: percentile(stateMs, 99),
      loadP50: percentile(loadMs, 50),
      loadP99: percentile(loadMs, 99),
      engineP50: percentile(engineMs, 50),
      engineP99: percentile(engineMs, 99),
      pastP50: percentile(pastMs, 50),
      pastP99: percentile(pastMs, 99),
      coldP50: percentile(coldMs, 50),
      coldP99: percentile(coldMs, 99),
      accounts: sweep.value,
      manyEvents: many.length,
      manyIngestS: manyIngest.ms / 1000,
      sweepS: sweep.ms / 1000,
      listP50: percentile(plain, 50),
      listP99: percentile(plain, 99),
      filteredP50: percentile(filtered, 50),
      filteredP99: percentile(filtered, 99),
      filter,
      sortedP50: percentile(sorted, 50),
      sortedP99: percentile(sorted, 99),
      sorted: sortedQuery,
      csvMs,
      mapStoredMs: percentile(mapStored, 50),
      mapComputedMs,
      accountPage,
    }
  } finally {
    await store.close()
  }
}

const n = (x: number) => Math.round(x).toLocaleString('en-US')
const ms = (x: number) => x.toFixed(2)

/** The journey table, one column per store. */
export function printJourney(results: JourneyFigures[]): void {
  if (results.length === 0) return
  console.log(
    `\nJornada journey benchmark — N=${N} state computations, ${n(ACCOUNTS)} accounts, ${LIST_N} listings each\n`,
  )
  const rows = [
    ['', ...results.map((r) => r.kind)],
    ['(1) year of 1 account, 50 users: events', ...results.map((r) => n(r.yearEvents))],
    ['    stored in s', ...results.map((r) => r.yearIngestS.toFixed(1))],
    [
      `    state at now (loadFacts + journeyState) p50 / p99 ms  [target p99 ≤ ${TARGET_STATE_P99_MS}]`,
      ...results.map((r) => `${ms(r.stateP50)} / ${ms(r.stateP99)}`),
    ],
    ['      of which loadFacts p50 / p99 ms', ...results.map((r) => `${ms(r.loadP50)} / ${ms(r.loadP99)}`)],
    ['      of which journeyState p50 / p99 ms', ...results.map((r) => `${ms(r.engineP50)} / ${ms(r.engineP99)}`)],
    [
      '    state at a past time, a new day each call (history cached) p50 / p99 ms',
      ...results.map((r) => `${ms(r.pastP50)} / ${ms(r.pastP99)}`),
    ],
    [
      '    the same after a late event each time (nothing cached) p50 / p99 ms',
      ...results.map((r) => `${ms(r.coldP50)} / ${ms(r.coldP99)}`),
    ],
    ['(2) accounts / events', ...results.map((r) => `${n(r.accounts)} / ${n(r.manyEvents)}`)],
    ['    stored in s', ...results.map((r) => r.manyIngestS.toFixed(1))],
    [
      '    evaluator.sweep s (accounts/s)',
      ...results.map((r) => `${r.sweepS.toFixed(1)} (${n(r.accounts / r.sweepS)})`),
    ],
    [
      `    GET /v1/accounts?limit=50 p50 / p99 ms  [target p99 ≤ ${TARGET_LIST_P99_MS}]`,
      ...results.map((r) => `${ms(r.listP50)} / ${ms(r.listP99)}`),
    ],
    [
      `    GET /v1/accounts?${results[0]!.filter} p50 / p99 ms`,
      ...results.map((r) => `${ms(r.filteredP50)} / ${ms(r.filteredP99)}`),
    ],
    [
      `    accounts page data: GET /v1/accounts?${results[0]!.sorted} p50 / p99 ms`,
      ...results.map((r) => `${ms(r.sortedP50)} / ${ms(r.sortedP99)}`),
    ],
    [
      '      its p99 / the riskiest-first listing p99 of this run (the ceiling: one index range)',
      ...results.map((r) => `${(r.sortedP99 / r.listP99).toFixed(1)}×`),
    ],
    ['    GET /v1/accounts?format=csv (every account) ms', ...results.map((r) => n(r.csvMs))],
    [
      '    GET /v1/journey-map (every account) from stored summaries / computed (?at=) ms',
      ...results.map((r) => `${n(r.mapStoredMs)} / ${n(r.mapComputedMs)}`),
    ],
  ]
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
  for (const r of rows)
    console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('   '))
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const results = [await benchJourney('pglite')]
  if (process.env.DATABASE_URL) results.push(await benchJourney('postgres', process.env.DATABASE_URL))
  printJourney(results)
  printAccountPage(results.map((r) => r.accountPage))
}
