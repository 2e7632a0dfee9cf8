/**
 * The account page's data (`npm run bench` runs it inside the journey benchmark, on its year of one
 * account by 50 users): the three calls the console's account page makes when it opens, through
 * app.request, p50 / p99 of ACCOUNT_PAGE_N rounds (default 20):
 *   - `GET /v1/accounts/:id/journey` (the state now),
 *   - `GET /v1/accounts/:id/health-history` (90 days),
 *   - `GET /v1/accounts/:id/activity`;
 * next to floors measured in the same run on the same store: the same work without HTTP (the
 * store's reads and journeyState called directly), and, for the history, the obvious way it
 * replaces: 90 loadFacts one after the other. A program that prints figures, not a test.
 */
import { createApp } from '../../server/app'
import { defaultConfig, journeyState } from '../../server/journey'
import { historyTimes } from '../../server/routes/account-page'
import type { Store } from '../../server/store/types'
import { percentile } from './journey'

const N = Number(process.env.ACCOUNT_PAGE_N ?? 20)
/** Rounds of the obvious way (a comparison, and the slowest thing here: ~0.5 s each). */
const NAIVE_N = 5
const DAY_MS = 86_400_000
const DAYS = 90

export interface AccountPageFigures {
  kind: string
  /** p50 / p99 ms, through HTTP. */
  journey: [number, number]
  history: [number, number]
  activity: [number, number]
  /** The whole page: the three calls made together, as the page makes them. */
  page: [number, number]
  /** Floors, called directly: the state now; loadFactsDaily and 90 journeyState; the activity's three reads. */
  directState: [number, number]
  directHistory: [number, number]
  directActivity: [number, number]
  /** The history the obvious way: 90 × (loadFacts + journeyState), one after the other. */
  naiveHistory: [number, number]
}

const p = (xs: number[]): [number, number] => [percentile(xs, 50), percentile(xs, 99)]

/** Measures the page's calls on `accountId` of `ws` (the secret key `secretKey`), now being `now`. */
export async function benchAccountPage(
  kind: string,
  store: Store,
  ws: string,
  secretKey: string,
  accountId: string,
  now: number,
): Promise<AccountPageFigures> {
  const app = createApp({ store, clock: () => now, log: () => {} })
  const call = async (path: string) => {
    const res = await app.request(`http://bench/v1/accounts/${accountId}/${path}`, {
      headers: { authorization: `Bearer ${secretKey}` },
    })
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`)
    await res.json()
  }
  const timed = async (fn: () => Promise<unknown>) => {
    const t0 = performance.now()
    await fn()
    return performance.now() - t0
  }
  const paths = ['journey', `health-history?days=${DAYS}`, 'activity']
  // Warm-up: JIT, plans, the store's cache of the account's history.
  for (let i = 0; i < 3; i++) for (const path of paths) await call(path)

  const journey: number[] = []
  const history: number[] = []
  const activity: number[] = []
  const page: number[] = []
  const directState: number[] = []
  const directHistory: number[] = []
  const directActivity: number[] = []
  const naiveHistory: number[] = []
  for (let i = 0; i < N; i++) {
    journey.push(await timed(() => call(paths[0]!)))
    history.push(await timed(() => call(paths[1]!)))
    activity.push(await timed(() => call(paths[2]!)))
    page.push(await timed(() => Promise.all(paths.map(call))))
    directState.push(
      await timed(async () => journeyState(defaultConfig, (await store.loadFacts(ws, accountId, now))!, now)),
    )
    directHistory.push(
      await timed(async () => {
        const daily = await store.loadFactsDaily(ws, accountId, now, DAYS)
        for (const [j, t] of historyTimes(now, DAYS).entries()) {
          const facts = daily[j]
          if (facts) journeyState(defaultConfig, facts, t)
        }
      }),
    )
    directActivity.push(
      await timed(async () => {
        const facts = (await store.loadFacts(ws, accountId, now))!
        const last = new Map<string, number>()
        for (const d of facts.days) for (const u of d.users) last.set(u.userId, d.date / DAY_MS)
        await Promise.all([
          store.lastSeenOn(
            ws,
            accountId,
            [...last].map(([userId, day]) => ({ userId, day })),
          ),
          store.listEvents(ws, { accountId, newestFirst: true, limit: 50 }),
        ])
      }),
    )
    if (i < NAIVE_N)
      naiveHistory.push(
        await timed(async () => {
          for (const t of historyTimes(now, DAYS)) {
            const facts = await store.loadFacts(ws, accountId, t)
            if (facts) journeyState(defaultConfig, facts, t)
          }
        }),
      )
  }
  return {
    kind,
    journey: p(journey),
    history: p(history),
    activity: p(activity),
    page: p(page),
    directState: p(directState),
    directHistory: p(directHistory),
    directActivity: p(directActivity),
    naiveHistory: p(naiveHistory),
  }
}

/** The account page table, one column per store. */
export function printAccountPage(results: AccountPageFigures[]): void {
  if (results.length === 0) return
  const ms = ([a, b]: [number, number]) => `${a.toFixed(1)} / ${b.toFixed(1)}`
  console.log(
    `\nJornada account page data — the year of 1 account, 50 users; ${N} rounds (the obvious way: ${NAIVE_N}), p50 / p99 ms\n`,
  )
  const rows = [
    ['', ...results.map((r) => r.kind)],
    ['GET …/journey (the state now)', ...results.map((r) => ms(r.journey))],
    ['  floor: loadFacts + journeyState, no HTTP', ...results.map((r) => ms(r.directState))],
    [`GET …/health-history?days=${DAYS}`, ...results.map((r) => ms(r.history))],
    [`  floor: loadFactsDaily + ${DAYS} × journeyState, no HTTP`, ...results.map((r) => ms(r.directHistory))],
    [`  the obvious way: ${DAYS} × (loadFacts + journeyState) in a row`, ...results.map((r) => ms(r.naiveHistory))],
    ['GET …/activity', ...results.map((r) => ms(r.activity))],
    ['  floor: loadFacts, lastSeenOn and listEvents, no HTTP', ...results.map((r) => ms(r.directActivity))],
    ['the page: the three together', ...results.map((r) => ms(r.page))],
  ]
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
  for (const r of rows)
    console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('   '))
}
