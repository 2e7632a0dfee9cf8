import { Hono } from 'hono'
import type { MiddlewareHandler } from 'hono'
import { z } from 'zod'
import type { JourneyDeps } from '../http/account-facts'
import { callerOf } from '../http/access'
import type { AppEnv } from '../http/app-env'
import { query } from '../http/validate'
import { BANDS, PHASES } from '../journey/vocabulary'
import type { Band } from '../journey/vocabulary'
import { DAY_MS } from '../journey/time'
import { intervalStarts, npsSeries, weekStart } from '../reports/nps-series'
import type { AccountChange } from '../store/types'

/** Changes of the last this many days. */
export const CHANGES_DAYS = 7
/** Renewals dated from today to this many days ahead (both included). */
export const RENEWALS_DAYS = 90
/** Weeks of NPS, the current one included. */
export const NPS_WEEKS = 26

/** `GET /v1/overview` takes no parameter; an unknown one is refused, as on every route. */
export const OverviewQuerySchema = z.strictObject({})
const iso = (t: number) => new Date(t).toISOString()

const changeJson = (c: AccountChange) => ({
  accountId: c.accountId,
  name: c.name,
  from: c.from ?? '',
  to: c.to,
  at: iso(c.at),
})

/**
 * `GET /v1/overview` (docs/console.md, "The API the console calls"): the workspace at a glance,
 * from the snapshots the evaluator keeps and the changes it records with them; NPS from the stored
 * answers. Least role viewer.
 */
export function overviewRoute({
  store,
  clock,
  configOf,
  guard,
}: JourneyDeps & { guard: MiddlewareHandler<AppEnv> }): Hono<AppEnv> {
  const route = new Hono<AppEnv>()

  route.get('/overview', guard, query(OverviewQuerySchema), async (c) => {
    const ws = callerOf(c).workspace.id
    const now = clock()
    const today = Math.floor(now / DAY_MS) * DAY_MS
    const since = now - CHANGES_DAYS * DAY_MS
    const firstWeek = weekStart(now) - (NPS_WEEKS - 1) * 7 * DAY_MS
    const config = await configOf(ws)
    const [counts, changes, answers] = await Promise.all([
      store.snapshotOverview(ws, { renewalsFrom: today, renewalsTo: today + (RENEWALS_DAYS + 1) * DAY_MS }),
      store.listAccountChanges(ws, since),
      store.listFactsNamed(ws, config.events.nps, firstWeek, now + 1),
    ])
    const of = (kind: AccountChange['kind']) => changes.filter((ch) => ch.kind === kind)
    return c.json(
      {
        at: iso(now),
        phases: Object.fromEntries(PHASES.map((p) => [p, counts.phases[p] ?? 0])),
        bands: Object.fromEntries(BANDS.map((b) => [b, counts.bands[b] ?? 0])) as Record<Band, number>,
        changes: {
          since: iso(since),
          band: of('band').map(changeJson),
          phase: of('phase').map(changeJson),
          redFlags: of('red_flag').map((ch) => ({
            accountId: ch.accountId,
            name: ch.name,
            flag: ch.to,
            at: iso(ch.at),
          })),
        },
        renewals: counts.renewals.map((r) => ({
          accountId: r.accountId,
          name: r.name,
          renewalDate: iso(r.renewalAt),
          daysToRenewal: Math.floor(r.renewalAt / DAY_MS) - Math.floor(now / DAY_MS),
          band: r.band === 'green' || r.band === 'yellow' || r.band === 'red' ? r.band : null,
        })),
        nps: npsSeries(answers, config, intervalStarts(firstWeek, now, 'week'), 'week').map((w) => ({
          week: w.start,
          score: w.score,
          responses: w.responses,
        })),
      },
      200,
    )
  })

  return route
}
