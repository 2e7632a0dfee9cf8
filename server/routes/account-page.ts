/**
 * What the console's account page reads besides the journey state (console.md, "An account"): the
 * health of the last days, one point per UTC day, and the account's users, latest events and what
 * each user was shown. To be mounted under `/v1`. Glue only: the store loads, the engine computes.
 */
import { Hono } from 'hono'
import type { MiddlewareHandler } from 'hono'
import { z } from 'zod'
import { callerOf } from '../http/access'
import { AccountPathSchema, accountIdOr404, factsOr404 } from '../http/account-facts'
import type { JourneyDeps } from '../http/account-facts'
import type { AppEnv } from '../http/app-env'
import { ApiError } from '../http/errors'
import { notAfterNow, param, query, timeSchema } from '../http/validate'
import { journeyState } from '../journey'
import type { JourneyConfig } from '../journey'
import type { AccountFacts } from '../journey/facts'
import { EXPERIENCE_KINDS } from '../journey/vocabulary'
import type { Band, ExperienceKind } from '../journey/vocabulary'
import type { Store, StoredEvent } from '../store/types'

const DAY_MS = 86_400_000
/** Days of `GET /v1/accounts/:id/health-history`: default and most. */
export const DEFAULT_HISTORY_DAYS = 90
export const MAX_HISTORY_DAYS = 365
/** Events `GET /v1/accounts/:id/activity` lists, the latest first. */
export const ACTIVITY_EVENTS = 50

/** `GET /v1/accounts/:id/health-history` query. */
export const HealthHistoryQuerySchema = z.strictObject({
  days: z.coerce.number().int().min(1).max(MAX_HISTORY_DAYS).optional(),
  at: timeSchema.optional(),
})

const iso = (t: number) => new Date(t).toISOString()
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

export interface HealthPoint {
  date: string
  score: number | null
  band: Band | null
}

/** The health of `facts` at `t` as the journey route computes it; null facts: before the first event. */
function pointOf(config: JourneyConfig, facts: AccountFacts | null, t: number): HealthPoint {
  const date = iso(t).slice(0, 10)
  if (facts === null) return { date, score: null, band: null }
  const { score, band } = journeyState(config, facts, t).health
  return { date, score, band }
}

/**
 * The times of a health history of `days` days ending at `at`, oldest first: the end of each UTC
 * day (23:59:59.999, what `?at=YYYY-MM-DD` means), and `at` itself for its own day.
 */
export function historyTimes(at: number, days: number): number[] {
  const last = Math.floor(at / DAY_MS)
  return Array.from({ length: days }, (_, i) => {
    const day = last - days + 1 + i
    return day === last ? at : (day + 1) * DAY_MS - 1
  })
}

/**
 * The account's health at each time of historyTimes, as `GET /v1/accounts/:id/journey?at=` computes
 * it (the engine over loadFacts at that time): the facts of every day come from one
 * Store.loadFactsDaily (one loadFacts and one statement, not one loadFacts per day). 404 when the
 * account has no event at or before `at`, as the journey route.
 */
async function healthHistory(
  store: Store,
  config: JourneyConfig,
  ws: string,
  accountId: string,
  at: number,
  days: number,
): Promise<HealthPoint[]> {
  const times = historyTimes(at, days)
  const facts = await store.loadFactsDaily(ws, accountId, at, days)
  if (facts[days - 1] === null)
    throw new ApiError(404, 'not_found', `account ${JSON.stringify(accountId)} has no event at or before ${iso(at)}`)
  return times.map((t, i) => pointOf(config, facts[i] ?? null, t))
}

/** A string trait, or nothing. */
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)

/** The engagement events the SDK sends about an experience (sdk/wire.ts, "Engagement events"). */
const EXPOSURES = new Map<string, 'shown' | 'completed' | 'dismissed'>([
  ['experience_shown', 'shown'],
  ['experience_completed', 'completed'],
  ['experience_dismissed', 'dismissed'],
])

export interface ExperienceRow {
  userId: string
  experienceId: string
  kind: ExperienceKind
  shown: number
  completed: number
  dismissed: number
  lastAt: string
}

/**
 * Per user and experience, how often it was shown, completed and dismissed, from the account's
 * `experience_*` facts (each carries `experienceId` and `kind`; one without either, or of another
 * kind, is left out). `kind` is the latest event's. Most recent first (then user, experience).
 */
export function experiencesOf(facts: AccountFacts): ExperienceRow[] {
  const rows = new Map<string, Omit<ExperienceRow, 'lastAt'> & { last: number }>()
  for (const f of facts.facts) {
    const what = EXPOSURES.get(f.name)
    if (what === undefined || f.userId === null) continue
    const { experienceId, kind } = f.properties
    if (typeof experienceId !== 'string' || !EXPERIENCE_KINDS.includes(kind as ExperienceKind)) continue
    const key = JSON.stringify([f.userId, experienceId])
    let row = rows.get(key)
    if (!row) {
      row = {
        userId: f.userId,
        experienceId,
        kind: kind as ExperienceKind,
        shown: 0,
        completed: 0,
        dismissed: 0,
        last: f.at,
      }
      rows.set(key, row)
    }
    row[what]++
    // Facts come in (at, id) order: the last one seen is the latest.
    row.kind = kind as ExperienceKind
    row.last = f.at
  }
  return [...rows.values()]
    .sort((a, b) => b.last - a.last || cmp(a.userId, b.userId) || cmp(a.experienceId, b.experienceId))
    .map(({ last, ...row }) => ({ ...row, lastAt: iso(last) }))
}

/** The day of each user's latest activity (track and page events), from the facts' days. */
function lastActiveDays(facts: AccountFacts): { userId: string; day: number }[] {
  const last = new Map<string, number>()
  for (const d of facts.days) for (const u of d.users) last.set(u.userId, d.date / DAY_MS)
  return [...last].map(([userId, day]) => ({ userId, day }))
}

/** An event as the page lists it; `name` of an `identify` or `group` call (which has none): its type. */
const eventJson = (e: StoredEvent) => ({
  id: e.id,
  type: e.type,
  name: e.name ?? e.type,
  userId: e.userId,
  at: iso(e.timestamp),
})

/** The account page's data: health history and activity. Secret key (viewer) only. */
export function accountPageRoute({
  store,
  clock,
  configOf,
  guard,
}: JourneyDeps & { guard: MiddlewareHandler<AppEnv> }): Hono<AppEnv> {
  const route = new Hono<AppEnv>()
  const account = param(AccountPathSchema)

  route.get('/accounts/:id/health-history', guard, account, query(HealthHistoryQuerySchema), async (c) => {
    const ws = callerOf(c).workspace.id
    const id = accountIdOr404(c.req.valid('param').id)
    const q = c.req.valid('query')
    const now = clock()
    const at = notAfterNow(q.at ?? now, now, 'at')
    const points = await healthHistory(store, await configOf(ws), ws, id, at, q.days ?? DEFAULT_HISTORY_DAYS)
    return c.json({ accountId: id, points }, 200)
  })

  route.get('/accounts/:id/activity', guard, account, async (c) => {
    const ws = callerOf(c).workspace.id
    const id = accountIdOr404(c.req.valid('param').id)
    const now = clock()
    const facts = await factsOr404(store, ws, id, now)
    const [seen, events] = await Promise.all([
      store.lastSeenOn(ws, id, lastActiveDays(facts)),
      store.listEvents(ws, { accountId: id, newestFirst: true, limit: ACTIVITY_EVENTS }),
    ])
    const lastSeen = new Map(seen.map((s) => [s.userId, s.at]))
    const users = facts.users
      .map((u) => {
        const name = text(u.traits.name)
        const email = text(u.traits.email)
        const at = lastSeen.get(u.userId)
        return {
          userId: u.userId,
          ...(name !== undefined && { name }),
          ...(email !== undefined && { email }),
          lastSeenAt: at === undefined ? null : iso(at),
          at: at ?? Number.NEGATIVE_INFINITY,
        }
      })
      // Last seen first, never-seen last; then by id.
      .sort((a, b) => b.at - a.at || cmp(a.userId, b.userId))
      .map(({ at: _, ...u }) => u)
    return c.json({ users, events: events.map(eventJson), experiences: experiencesOf(facts) }, 200)
  })

  return route
}
