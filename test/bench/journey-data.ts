/**
 * Synthetic journey histories, seeded (the same seed gives the same events, ids included), as the
 * wire events a secret-key import sends. Used by the journey benchmark (test/bench/journey.ts) and
 * by the journey API tests (a year of one account, test/server/journey-api.test.ts).
 */
import type { WireEvent } from '../../sdk/wire'
import { prng } from '../support/prng'

export const DAY_MS = 86_400_000
export const HOUR_MS = 3_600_000

/** An account-level fact or a user's product event on a given account day. */
export interface PlannedEvent {
  day: number
  event: string
  /** Hour of the day (UTC, may be fractional); default 15. */
  hour?: number
  /** Omitted: an account-level fact with no user (secret key only). */
  userId?: string
  properties?: Record<string, unknown>
}

export interface HistoryOptions {
  accountId: string
  /** Contract start: a UTC midnight (epoch ms). Day d is [start + d×24h, start + (d+1)×24h). */
  start: number
  /** Days of activity generated: days 0 … days-1. */
  days: number
  /** Users `${accountId}-u0` … ; u0 is the stakeholder (sponsor). */
  users: number
  seed: number
  /** Account traits sent with the first `group` call (day 0); `contractStart` is added. */
  traits?: Record<string, unknown>
  /** Seats, default `users`. */
  seats?: number
  /** Features used by `feature_used` (round-robin with jitter). */
  features?: string[]
  /** The day a user joins (first identify and activity); default: u0-u2 on day 0, the rest spread over the first 60 days. */
  joinDay?: (user: number) => number
  /** Whether `user` is active on `day` (logs in, views pages, uses features); default: weekdays, 90%. */
  active?: (day: number, user: number, rand: () => number) => boolean
  /** Facts and special events on given days. */
  planned?: PlannedEvent[]
  /** No event at or after this time is generated (the import happens "now"). */
  until?: number
}

const iso = (t: number) => new Date(t).toISOString()

/**
 * A history of one account: `group` (traits) on day 0, `identify` for each user on their join day,
 * and on each active user-day a `$login`, 1-3 page views and 1-2 `feature_used`; plus `planned`.
 * Sorted by timestamp.
 */
export function accountHistory(o: HistoryOptions): WireEvent[] {
  const rand = prng(o.seed)
  const events: WireEvent[] = []
  let seq = 0
  const id = () => `${o.accountId}-${o.seed}-${(seq++).toString(36)}`
  const until = o.until ?? Number.POSITIVE_INFINITY
  const features = o.features ?? ['reports', 'alerts', 'export']
  const joinDay =
    o.joinDay ?? ((u: number) => (u < 3 ? 0 : Math.min(60, Math.floor((u - 2) * (60 / Math.max(1, o.users - 3))))))
  const active =
    o.active ??
    ((day: number, _u: number, r: () => number) => {
      const weekday = new Date(o.start + day * DAY_MS).getUTCDay()
      return weekday !== 0 && weekday !== 6 && r() < 0.9
    })
  const push = (t: number, e: Omit<WireEvent, 'id' | 'timestamp'>) => {
    if (t < until) events.push({ id: id(), timestamp: iso(t), ...e })
  }
  const user = (u: number) => `${o.accountId}-u${u}`

  push(o.start, {
    type: 'group',
    userId: user(0),
    accountId: o.accountId,
    traits: { name: o.accountId, seats: o.seats ?? o.users, ...o.traits, contractStart: iso(o.start).slice(0, 10) },
  })
  for (let day = 0; day < o.days; day++) {
    const base = o.start + day * DAY_MS
    for (let u = 0; u < o.users; u++) {
      if (day === joinDay(u)) {
        push(base + 8 * HOUR_MS + u, {
          type: 'identify',
          userId: user(u),
          accountId: o.accountId,
          traits: {
            email: `${user(u)}@example.com`,
            name: `User ${u}`,
            role: u === 0 ? 'admin' : 'member',
            ...(u === 0 && { stakeholder: true }),
          },
        })
      }
      if (day < joinDay(u) || !active(day, u, rand)) continue
      let t = base + (9 + rand() * 6) * HOUR_MS
      push(t, { type: 'track', event: '$login', userId: user(u), accountId: o.accountId, properties: {} })
      const pages = 1 + Math.floor(rand() * 3)
      for (let p = 0; p < pages; p++) {
        t += 60_000 + rand() * 600_000
        push(t, {
          type: 'page',
          name: 'Reports',
          userId: user(u),
          accountId: o.accountId,
          properties: { path: '/reports' },
        })
      }
      const uses = 1 + Math.floor(rand() * 2)
      for (let f = 0; f < uses; f++) {
        t += 60_000 + rand() * 600_000
        const feature = features[(day + u + f + Math.floor(rand() * 2)) % features.length]!
        push(t, {
          type: 'track',
          event: 'feature_used',
          userId: user(u),
          accountId: o.accountId,
          properties: { feature },
        })
      }
    }
  }
  for (const p of o.planned ?? []) {
    push(o.start + p.day * DAY_MS + (p.hour ?? 15) * HOUR_MS, {
      type: 'track',
      event: p.event,
      accountId: o.accountId,
      ...(p.userId !== undefined && { userId: p.userId }),
      properties: p.properties ?? {},
    })
  }
  return events.sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0))
}

/** `events` in batches of at most `size` (500: the batch limit of POST /v1/batch). */
export function inBatches<T>(events: T[], size = 500): T[][] {
  const out: T[][] = []
  for (let i = 0; i < events.length; i += size) out.push(events.slice(i, i + size))
  return out
}

const SEGMENTS = ['smb', 'smb', 'smb', 'mid_market', 'enterprise'] as const
const MILESTONE_EVENTS = [
  'welcome_email_sent',
  'kickoff_held',
  'setup_completed',
  'first_value',
  'training_attended',
  'health_check_done',
] as const

/**
 * Account `i` of a large workspace with a few events: a `group` call, then 3-6 events of one or
 * two users over its life, contract starts spread over the last 400 days, so that the listing has
 * every phase, band and a mix of flags.
 */
export function smallAccount(i: number, now: number, seed = 1): WireEvent[] {
  const rand = prng(seed * 1_000_003 + i)
  const accountId = `acct-${String(i).padStart(5, '0')}`
  const start = Math.floor((now - Math.floor(rand() * 400) * DAY_MS) / DAY_MS) * DAY_MS
  const age = Math.floor((now - start) / DAY_MS)
  const segment = SEGMENTS[Math.floor(rand() * SEGMENTS.length)]!
  const renewal = rand() < 0.3 ? { renewalDate: iso(start + 365 * DAY_MS).slice(0, 10) } : {}
  let seq = 0
  const id = () => `${accountId}-${seed}-${seq++}`
  const at = (day: number) => iso(Math.min(now - 60_000, start + day * DAY_MS + (10 + rand() * 6) * HOUR_MS))
  const events: WireEvent[] = [
    {
      id: id(),
      type: 'group',
      userId: `${accountId}-u0`,
      accountId,
      timestamp: iso(start),
      traits: {
        name: `Account ${i}`,
        segment,
        seats: 1 + Math.floor(rand() * 20),
        contractStart: iso(start).slice(0, 10),
        ...renewal,
      },
    },
  ]
  const n = 3 + Math.floor(rand() * 4)
  for (let k = 0; k < n; k++) {
    const day = Math.floor(rand() * (age + 1))
    const userId = `${accountId}-u${Math.floor(rand() * 2)}`
    const r = rand()
    if (r < 0.4)
      events.push({ id: id(), type: 'track', event: '$login', userId, accountId, timestamp: at(day), properties: {} })
    else if (r < 0.7)
      events.push({
        id: id(),
        type: 'track',
        event: 'feature_used',
        userId,
        accountId,
        timestamp: at(day),
        properties: { feature: ['reports', 'alerts', 'export'][k % 3] },
      })
    else if (r < 0.9)
      events.push({
        id: id(),
        type: 'track',
        event: MILESTONE_EVENTS[Math.min(5, Math.floor(day / 6))]!,
        accountId,
        timestamp: at(day),
        properties: {},
      })
    else
      events.push({
        id: id(),
        type: 'track',
        event: 'nps_response',
        userId,
        accountId,
        timestamp: at(day),
        properties: { score: Math.floor(rand() * 11) },
      })
  }
  return events
}
