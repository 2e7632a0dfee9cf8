/**
 * The account page's data (docs/http-api.md, "Account page"): the health history, one point per
 * UTC day that is the journey's health at the end of that day (at `at` for its own day), and the
 * account's users, latest events and experiences, each checked against the stored events read the
 * slow and obvious way. On PGlite and on PostgreSQL.
 */
import { beforeAll, expect, it } from 'vitest'
import { createApp } from '../../server/app'
import { defaultConfig, journeyState } from '../../server/journey'
import type { StoredEvent } from '../../server/store/types'
import { accountHistory, DAY_MS, inBatches } from '../bench/journey-data'
import { describeEachStore } from '../support/each-store'
import { ONBOARDING_PLAN } from '../support/onboarding-plan'
import { referenceFacts } from '../support/reference-facts'
import { batchRequest, getters, newWorkspace } from './helpers'
import type { TestWorkspace } from './helpers'

type Json = any
const NOW = Date.parse('2026-11-24T18:00:00.000Z')
const TODAY = Math.floor(NOW / DAY_MS)
/** The contract started 60 days ago: a 90-day history has 29 empty days first, then 61 days. */
const START = (TODAY - 60) * DAY_MS
const iso = (t: number) => new Date(t).toISOString()
const ymd = (t: number) => iso(t).slice(0, 10)

const shown = (day: number, userId: string, experienceId: string, kind: string, hour = 10) => ({
  day,
  hour,
  userId,
  event: 'experience_shown',
  properties: { experienceId, kind, sessionId: `s-${day}` },
})

function history() {
  return accountHistory({
    accountId: 'acme',
    start: START,
    days: 61,
    users: 4,
    seats: 5,
    seed: 7,
    until: NOW - 60_000,
    traits: { segment: 'mid_market', renewalDate: ymd(START + 200 * DAY_MS) },
    planned: [
      ...ONBOARDING_PLAN,
      { day: 25, event: 'nps_response', hour: 13, userId: 'acme-u0', properties: { score: 9 } },
      { day: 35, event: 'ticket_opened', hour: 12, properties: { ticketId: 'T-1' } },
      shown(3, 'acme-u1', 'onboarding', 'checklist'),
      shown(4, 'acme-u1', 'onboarding', 'checklist'),
      {
        day: 12,
        hour: 11,
        userId: 'acme-u1',
        event: 'experience_completed',
        properties: { experienceId: 'onboarding', kind: 'checklist' },
      },
      shown(40, 'acme-u2', 'tour-reports', 'guide'),
      {
        day: 40,
        hour: 10.5,
        userId: 'acme-u2',
        event: 'experience_dismissed',
        properties: { experienceId: 'tour-reports', kind: 'guide', reason: 'close' },
      },
      shown(41, 'acme-u2', 'tour-reports', 'guide'),
      // Neither an experience id nor a known kind: not an experience the page can show.
      { day: 42, hour: 10, userId: 'acme-u2', event: 'experience_shown', properties: { kind: 'guide' } },
      shown(42, 'acme-u2', 'odd', 'popup'),
    ],
  })
}

describeEachStore('account page', (ctx) => {
  let app: ReturnType<typeof createApp>
  let ws: TestWorkspace
  let events: StoredEvent[]
  const { get, json } = getters(
    () => app,
    () => ws,
  )

  beforeAll(async () => {
    app = createApp({ store: ctx.store, clock: () => NOW, log: () => {} })
    ws = await newWorkspace(ctx.store)
    const extra = [
      // A member who never used the product: in the account by a group call alone.
      { id: 'acme-u9-group', type: 'group', userId: 'acme-u9', accountId: 'acme', timestamp: iso(START + 50 * DAY_MS) },
      { id: 'acme-u9-identify', type: 'identify', userId: 'acme-u9', traits: { name: 9 }, timestamp: iso(START) },
    ]
    for (const batch of inBatches([...history(), ...extra], 500)) {
      const res = await app.request(batchRequest({ batch }, { auth: { bearer: ws.secretKey } }))
      expect(((await res.json()) as Json).rejected).toEqual([])
    }
    // The closed days packed, as the sweep does: loadFacts reads them from the packs.
    await ctx.store.compactRollups(ws.id, TODAY - 1)
    events = await ctx.store.listEvents(ws.id)
  }, 240_000)

  it('AH01 health history point of a day equals the journey at its end; today: the journey now', async () => {
    const { accountId, points } = await json('/v1/accounts/acme/health-history')
    expect(accountId).toBe('acme')
    expect(points).toHaveLength(90)
    for (const [i, p] of (points as Json[]).entries()) {
      const day = TODAY - 89 + i
      expect(p.date).toBe(ymd(day * DAY_MS))
      const res = await get(`/v1/accounts/acme/journey${i === 89 ? '' : `?at=${p.date}`}`)
      if (res.status === 404) {
        expect(p, p.date).toEqual({ date: p.date, score: null, band: null })
        continue
      }
      const state = (await res.json()) as Json
      expect(p, p.date).toEqual({ date: p.date, score: state.health.score, band: state.health.band })
    }
    // Nothing before the contract's first day; something every day from it on.
    expect(points.findIndex((p: Json) => p.score !== null)).toBe(29)
    expect(points.slice(29).every((p: Json) => typeof p.score === 'number')).toBe(true)
  })

  it('AH02 health history equals the engine on facts built from the raw events (no cache, no rollup)', async () => {
    const { points } = await json('/v1/accounts/acme/health-history?days=45&at=2026-11-20T09:30:00Z')
    const at = Date.parse('2026-11-20T09:30:00Z')
    const times = Array.from({ length: 45 }, (_, i) =>
      i === 44 ? at : (Math.floor(at / DAY_MS) - 43 + i) * DAY_MS - 1,
    )
    expect(points.map((p: Json) => p.date)).toEqual(times.map((t) => ymd(t)))
    const expected = times.map((t) => {
      const facts = referenceFacts(events, [], 'acme', t)
      if (facts === null) return { date: ymd(t), score: null, band: null }
      const { score, band } = journeyState(defaultConfig, facts, t).health
      return { date: ymd(t), score, band }
    })
    expect(points).toEqual(expected)
    // Health moves over these days: the comparison is not of one repeated value.
    expect(new Set(points.map((p: Json) => p.score)).size).toBeGreaterThan(2)
  })

  it('AH03 health history: days=1 is today alone; a date alone as at ends with that day', async () => {
    const today = await json('/v1/accounts/acme/health-history?days=1')
    const now = (await json('/v1/accounts/acme/journey')) as Json
    expect(today.points).toEqual([{ date: ymd(NOW), score: now.health.score, band: now.health.band }])
    const past = await json('/v1/accounts/acme/health-history?days=365&at=2026-10-30')
    expect(past.points).toHaveLength(365)
    expect(past.points.at(-1).date).toBe('2026-10-30')
    const then = (await json('/v1/accounts/acme/journey?at=2026-10-30')) as Json
    expect(past.points.at(-1)).toMatchObject({ score: then.health.score, band: then.health.band })
  })

  it('AH04 health history: wrong days, at or parameters are a 400 naming each; unknown account: 404', async () => {
    const cases: [string, string[]][] = [
      ['days=0', ['days']],
      ['days=366', ['days']],
      ['days=1.5', ['days']],
      ['days=ninety', ['days']],
      ['at=yesterday', ['at']],
      ['days=0&at=2026-13-01', ['days', 'at']],
      ['day=90', ['day']],
    ]
    for (const [q, paths] of cases) {
      const res = await get(`/v1/accounts/acme/health-history?${q}`)
      expect(res.status, q).toBe(400)
      const body = (await res.json()) as Json
      expect(body.error.code, q).toBe('invalid_query')
      expect(body.error.issues.map((i: Json) => i.path).sort(), q).toEqual(paths.sort())
    }
    const future = (await (await get('/v1/accounts/acme/health-history?at=2026-11-25')).json()) as Json
    expect(future.error.issues).toEqual([{ path: 'at', message: 'must not be after today' }])
    for (const path of ['/v1/accounts/nobody/health-history', '/v1/accounts/acme/health-history?at=2026-01-01'])
      expect((await get(path)).status, path).toBe(404)
    expect((await get('/v1/accounts/acme/health-history', ws.writeKey)).status).toBe(403)
  })

  it('AC01 activity users: every member with name and email traits, last seen at their latest activity', async () => {
    const { users } = await json('/v1/accounts/acme/activity')
    const latest = (userId: string) =>
      events
        .filter((e) => e.userId === userId && e.accountId === 'acme' && (e.type === 'track' || e.type === 'page'))
        .reduce<number | null>((t, e) => Math.max(t ?? e.timestamp, e.timestamp), null)
    const members = ['acme-u0', 'acme-u1', 'acme-u2', 'acme-u3', 'acme-u9']
    const expected = members.map((userId) => {
      const t = latest(userId)
      return {
        userId,
        ...(userId !== 'acme-u9' && { name: `User ${userId.slice(6)}`, email: `${userId}@example.com` }),
        lastSeenAt: t === null ? null : iso(t),
      }
    })
    // Last seen first; the member never seen last.
    expected.sort((a, b) => (b.lastSeenAt ?? '').localeCompare(a.lastSeenAt ?? '') || a.userId.localeCompare(b.userId))
    expect(users).toEqual(expected)
    expect(users.at(-1)).toEqual({ userId: 'acme-u9', lastSeenAt: null })
  })

  it('AC02 activity events: the 50 latest of the account, newest first', async () => {
    const body = await json('/v1/accounts/acme/activity')
    const mine = events
      .filter((e) => e.accountId === 'acme')
      .sort((a, b) => b.timestamp - a.timestamp || (a.id < b.id ? 1 : -1))
      .slice(0, 50)
    expect(body.events).toEqual(
      mine.map((e) => ({ id: e.id, type: e.type, name: e.name ?? e.type, userId: e.userId, at: iso(e.timestamp) })),
    )
  })

  it('AC03 activity experiences: shown, completed and dismissed per user and experience', async () => {
    const { experiences } = await json('/v1/accounts/acme/activity')
    const at = (day: number, hour: number) => iso(START + day * DAY_MS + hour * 3_600_000)
    expect(experiences).toEqual([
      {
        userId: 'acme-u2',
        experienceId: 'tour-reports',
        kind: 'guide',
        shown: 2,
        completed: 0,
        dismissed: 1,
        lastAt: at(41, 10),
      },
      {
        userId: 'acme-u1',
        experienceId: 'onboarding',
        kind: 'checklist',
        shown: 2,
        completed: 1,
        dismissed: 0,
        lastAt: at(12, 11),
      },
    ])
  })

  it('AC04 activity: an unknown account is a 404, the write key a 403', async () => {
    expect((await get('/v1/accounts/nobody/activity')).status).toBe(404)
    expect((await get(`/v1/accounts/${'x'.repeat(300)}/activity`)).status).toBe(404)
    expect((await get('/v1/accounts/acme/activity', ws.writeKey)).status).toBe(403)
  })
})
