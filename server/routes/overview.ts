import { Hono } from 'hono'
import type { MiddlewareHandler } from 'hono'
import { z } from 'zod'
import type { JourneyDeps } from '../http/account-facts'
import { callerOf } from '../http/access'
import type { AppEnv } from '../http/app-env'
import { query } from '../http/validate'
import type { JourneyConfig } from '../journey'
import { PHASES } from '../journey/vocabulary'
import { DAY_MS, roundHalfUp, toNumber } from '../journey/time'
import type { AccountChange } from '../store/types'

/** Changes of the last this many days. */
export const CHANGES_DAYS = 7
/** Renewals dated from today to this many days ahead (both included). */
export const RENEWALS_DAYS = 90
/** Weeks of NPS, the current one included. */
export const NPS_WEEKS = 26

const BANDS = ['green', 'yellow', 'red'] as const

/** `GET /v1/overview` takes no parameter; an unknown one is refused, as on every route. */
export const OverviewQuerySchema = z.strictObject({})
const iso = (t: number) => new Date(t).toISOString()

/** UTC midnight of the Monday that starts the ISO week of `t`. */
export function weekStart(t: number): number {
  const day = Math.floor(t / DAY_MS)
  // Day 0 (1970-01-01) was a Thursday: 3 days after a Monday.
  return (day - ((((day + 3) % 7) + 7) % 7)) * DAY_MS
}

interface Answer {
  accountId: string
  userId: string | null
  at: number
  properties: Record<string, unknown>
}

/**
 * NPS per week (Monday to Sunday, UTC), oldest first, from the answers as the engine reads them
 * (journey/nps.ts): a user's latest valid answer of the week counts (a user and an integer score
 * 0-10), promoters and detractors by the workspace config's thresholds; score = % promoters − %
 * detractors, rounded half up; null in a week without answers.
 */
export function npsWeeks(answers: Answer[], config: JourneyConfig, firstWeek: number, weeks: number) {
  const { promoterMin, passiveMin } = config.nps
  const latest = Array.from({ length: weeks }, () => new Map<string, number>())
  // Answers come in time order: a later answer replaces the user's earlier one of that week.
  for (const a of answers) {
    const score = toNumber(a.properties.score)
    if (a.userId === null || score === null || !Number.isInteger(score) || score < 0 || score > 10) continue
    const w = Math.floor((a.at - firstWeek) / (7 * DAY_MS))
    if (w < 0 || w >= weeks) continue
    latest[w]!.set(JSON.stringify([a.accountId, a.userId]), score)
  }
  return latest.map((byUser, w) => {
    const scores = [...byUser.values()]
    const promoters = scores.filter((s) => s >= promoterMin).length
    const detractors = scores.filter((s) => s < passiveMin).length
    return {
      week: iso(firstWeek + w * 7 * DAY_MS).slice(0, 10),
      score: scores.length === 0 ? null : roundHalfUp(((promoters - detractors) * 100) / scores.length),
      responses: scores.length,
    }
  })
}

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
        bands: Object.fromEntries(BANDS.map((b) => [b, counts.bands[b] ?? 0])) as Record<
          (typeof BANDS)[number],
          number
        >,
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
        nps: npsWeeks(answers, config, firstWeek, NPS_WEEKS),
      },
      200,
    )
  })

  return route
}
