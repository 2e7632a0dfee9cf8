/**
 * The journey API (api.md, "Journey") end to end through app.request on one PGlite store: a year of
 * one account imported with the secret key, then read back at ten dates; the override; the diff;
 * the listing after a sweep; the secret-key rule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../server/app'
import { createEvaluator } from '../../server/evaluator'
import { configSource } from '../../server/config-source'
import { createPgliteStore } from '../../server/store'
import type { Store } from '../../server/store/types'
import type { WireEvent } from '../../sdk/wire'
import { accountHistory, DAY_MS, HOUR_MS, inBatches, smallAccount } from '../bench/journey-data'
import type { PlannedEvent } from '../bench/journey-data'
import { ONBOARDING_PLAN } from '../support/onboarding-plan'
import { API, newWorkspace } from './helpers'
import type { TestWorkspace } from './helpers'

/** "Now" for the whole file: the clock is injected. */
const NOW = Date.parse('2026-11-24T18:00:00.000Z')
/** Contract start of the year account: day 364 is today. */
const START = Math.floor(NOW / DAY_MS) * DAY_MS - 364 * DAY_MS
/** 17:00 UTC of account day `d`: after that day's events (planned ones at 10-15h, activity 9-16h). */
const atDay = (d: number) => START + d * DAY_MS + 17 * HOUR_MS
const iso = (t: number) => new Date(t).toISOString()
const ymd = (t: number) => iso(t).slice(0, 10)

let store: Store
let now = NOW
const clock = () => now
let app: ReturnType<typeof createApp>

beforeAll(async () => {
  store = await createPgliteStore({ dataDir: 'memory://' })
  app = createApp({ store, clock, log: () => {} })
})
afterAll(async () => {
  await store?.close()
})

/** Responses are read as plain JSON. */
type Json = any

async function call(
  method: string,
  path: string,
  key: string | null,
  body?: unknown,
): Promise<{ status: number; body: Json }> {
  const headers: Record<string, string> = {}
  if (key !== null) headers.authorization = `Bearer ${key}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  const res = await app.request(
    new Request(API + path, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) }),
  )
  return { status: res.status, body: await res.json() }
}

/** Imports events with the secret key, in batches of at most 500, as a CRM import would. */
async function importEvents(ws: TestWorkspace, events: WireEvent[]): Promise<void> {
  for (const batch of inBatches(events, 500)) {
    const { status, body } = await call('POST', '/v1/batch', ws.secretKey, { batch })
    expect(status).toBe(200)
    expect(body.rejected).toEqual([])
    expect(body.accepted).toBe(batch.length)
  }
}

// ---------------------------------------------------------------------------------------------
// The year account. Its rules, by day (journey.md defaults, mid_market):
//   0 welcome_email_sent · 1 two kickoff_rescheduled · 2 kickoff_held · 9 first_value
//   10 setup_completed (late: window 3-7) · 20 training_attended · 30 health_check_done, NPS 10/9/9
//   40 ticket_opened · 50 ticket_closed · 92 usage_limit 90/100 · 93 premium_feature_requested
//   187-200 a quiet fortnight (only the sponsor, every 4th day) · 250 NPS 5/6/8
//   renewalDate = day 365 (mid_market renewal window: 60 days)
// u0 (the stakeholder) logs in every day; u1, u2 from day 0, u3 from day 20, u4 from day 40 on
// weekdays.

const YEAR_PLAN: PlannedEvent[] = [
  ...ONBOARDING_PLAN,
  { day: 30, event: 'nps_response', hour: 13, userId: 'acme-u0', properties: { score: 10 } },
  { day: 30, event: 'nps_response', hour: 13, userId: 'acme-u1', properties: { score: 9 } },
  { day: 30, event: 'nps_response', hour: 13, userId: 'acme-u2', properties: { score: 9 } },
  { day: 40, event: 'ticket_opened', hour: 12, properties: { ticketId: 'T-1' } },
  { day: 50, event: 'ticket_closed', hour: 12, properties: { ticketId: 'T-1' } },
  { day: 92, event: 'usage_limit', hour: 12, properties: { used: 90, limit: 100 } },
  { day: 93, event: 'premium_feature_requested', hour: 12, userId: 'acme-u1', properties: { feature: 'sso' } },
  { day: 250, event: 'nps_response', hour: 13, userId: 'acme-u0', properties: { score: 5 } },
  { day: 250, event: 'nps_response', hour: 13, userId: 'acme-u1', properties: { score: 6 } },
  { day: 250, event: 'nps_response', hour: 13, userId: 'acme-u2', properties: { score: 8 } },
]
const QUIET = (day: number) => day >= 187 && day <= 200

function yearOfAcme(): WireEvent[] {
  return accountHistory({
    accountId: 'acme',
    start: START,
    days: 365,
    users: 5,
    seats: 8,
    seed: 42,
    until: NOW,
    traits: { segment: 'mid_market', plan: 'pro', renewalDate: ymd(START + 365 * DAY_MS) },
    joinDay: (u) => [0, 0, 0, 20, 40][u]!,
    active: (day, u, rand) => {
      if (u === 0) return !QUIET(day) || day % 4 === 0
      if (QUIET(day)) return false
      const weekday = new Date(START + day * DAY_MS).getUTCDay()
      return weekday !== 0 && weekday !== 6 && rand() < 0.85
    },
    planned: YEAR_PLAN,
  })
}

describe('journey: a year of one account, imported with the secret key', () => {
  let ws: TestWorkspace
  const journey = async (day: number) => {
    const { status, body } = await call('GET', `/v1/accounts/acme/journey?at=${iso(atDay(day))}`, ws.secretKey)
    expect(status).toBe(200)
    return body
  }
  const milestone = (state: Json, id: string) => state.milestones.find((m: Json) => m.id === id)?.status
  const flags = (state: Json) => state.redFlags.map((f: Json) => f.id).sort()

  beforeAll(async () => {
    ws = await newWorkspace(store)
    const events = yearOfAcme()
    expect(events.length).toBeGreaterThan(5000)
    expect(events.every((e) => Date.parse(e.timestamp) < NOW)).toBe(true)
    await importEvents(ws, events)
  }, 120_000)

  it('import: a year of past events is accepted with the secret key, timestamps kept', async () => {
    const [first] = await store.listEvents(ws.id, { accountId: 'acme', name: 'welcome_email_sent' })
    expect(first!.timestamp).toBe(START + 12 * HOUR_MS)
  })

  it('day 0: onboarding; welcome done, kickoff upcoming; no flag yet', async () => {
    const s = await journey(0)
    expect(s.day).toBe(0)
    expect(s.segment).toBe('mid_market')
    expect(s.phase.id).toBe('onboarding')
    expect(s.phase.override).toBeNull()
    expect(milestone(s, 'welcome')).toBe('done')
    expect(milestone(s, 'kickoff')).toBe('upcoming')
    expect(milestone(s, 'setup')).toBe('upcoming')
    expect(flags(s)).toEqual([])
  })

  it('day 2: kickoff held in its window (done); RF03 kickoff_rescheduled after two reschedules', async () => {
    const s = await journey(2)
    expect(s.phase.id).toBe('onboarding')
    expect(milestone(s, 'kickoff')).toBe('done')
    expect(milestone(s, 'setup')).toBe('upcoming')
    // RF02 no_login is not checked before day 3.
    expect(flags(s)).toEqual(['kickoff_rescheduled'])
  })

  it('day 8: RF01 setup_late (day > 7, no setup_completed); setup overdue, first_value due', async () => {
    const s = await journey(8)
    expect(milestone(s, 'setup')).toBe('overdue')
    expect(milestone(s, 'first_value')).toBe('due')
    expect(flags(s)).toEqual(['kickoff_rescheduled', 'setup_late'])
    expect(s.redFlags.find((f: Json) => f.id === 'setup_late').reason).toEqual(expect.any(String))
  })

  it('day 12: setup_completed on day 10 clears setup_late; setup done_late, first_value done', async () => {
    const s = await journey(12)
    expect(milestone(s, 'setup')).toBe('done_late')
    expect(milestone(s, 'first_value')).toBe('done')
    expect(milestone(s, 'training')).toBe('upcoming')
    expect(flags(s)).toEqual(['kickoff_rescheduled'])
  })

  it('day 29: still onboarding (day < 30); training done, health_check upcoming', async () => {
    const s = await journey(29)
    expect(s.phase.id).toBe('onboarding')
    expect(milestone(s, 'training')).toBe('done')
    expect(milestone(s, 'health_check')).toBe('upcoming')
    expect(flags(s)).toEqual(['kickoff_rescheduled'])
  })

  it('day 45: adoption (30 <= day < 90); onboarding flags not checked; the open ticket costs support 70', async () => {
    const s = await journey(45)
    expect(s.phase.id).toBe('adoption')
    expect(milestone(s, 'health_check')).toBe('done')
    expect(flags(s)).toEqual([])
    expect(s.health.components.find((c: Json) => c.id === 'support').value).toBe(70)
    expect(s.expansion.blockers.find((b: Json) => b.id === 'open_ticket').met).toBe(true)
    expect(s.nps).toMatchObject({ responses: 3, promoters: 3, detractors: 0, score: 100 })
  })

  it('day 95: growth (expansion-ready: near limit, premium requested, advocacy score 9; no blocker)', async () => {
    const s = await journey(95)
    expect(s.phase.id).toBe('growth')
    expect(s.expansion.ready).toBe(true)
    const met = (xs: Json[]) => xs.filter((x) => x.met).map((x) => x.id)
    expect(met(s.expansion.signals)).toEqual(
      expect.arrayContaining(['near_usage_limit', 'premium_requested', 'nps_9_10']),
    )
    expect(met(s.expansion.blockers)).toEqual([])
    expect(s.health.components.find((c: Json) => c.id === 'support').value).toBe(100)
    expect(s.adoption.level).toBe('regular')
  })

  // The quiet fortnight: 4 active days vs 14.
  it('day 200: value; RF05 usage_declining after a quiet fortnight, adoption basic blocks growth', async () => {
    const s = await journey(200)
    expect(s.phase.id).toBe('value')
    expect(flags(s)).toEqual(['usage_declining'])
    expect(s.adoption.level).toBe('basic')
    expect(s.expansion.blockers.find((b: Json) => b.id === 'low_usage').met).toBe(true)
  })

  it('day 300: value; 65 days to renewal is outside the mid_market window (60); the decline is over', async () => {
    const s = await journey(300)
    expect(s.phase.id).toBe('value')
    expect(s.renewal.daysToRenewal).toBe(65)
    expect(flags(s)).toEqual([])
    // Latest answers 5/6/8 (day 250): two detractors, one passive.
    expect(s.nps).toMatchObject({ responses: 3, promoters: 0, passives: 1, detractors: 2, score: -67 })
  })

  it('day 364: renewal (0 <= 1 day to renewal <= 60)', async () => {
    const s = await journey(364)
    expect(s.phase.id).toBe('renewal')
    expect(s.renewal.daysToRenewal).toBe(1)
    expect(s.renewal.tasks.map((t: Json) => t.id)).toContain('renewal_or_churn')
  })

  it('journey: `at` defaults to now (the clock)', async () => {
    const { status, body } = await call('GET', '/v1/accounts/acme/journey', ws.secretKey)
    expect(status).toBe(200)
    expect(body.at).toBe(iso(NOW))
    expect(body.day).toBe(364)
  })

  it('journey: the same question gives the same answer (time travel is a pure function of stored facts)', async () => {
    expect(await journey(95)).toEqual(await journey(95))
  })

  it('diff day 8 → 12: setup_late cleared, setup overdue → done_late, phase unchanged', async () => {
    const { status, body } = await call(
      'GET',
      `/v1/accounts/acme/journey/diff?from=${iso(atDay(8))}&to=${iso(atDay(12))}`,
      ws.secretKey,
    )
    expect(status).toBe(200)
    expect(body.from).toBe(iso(atDay(8)))
    expect(body.to).toBe(iso(atDay(12)))
    expect(body.accountId).toBe('acme')
    expect(JSON.stringify(body)).toContain('setup_late')
    expectDiffShape(body, { phaseFrom: 'onboarding', phaseTo: 'onboarding', cleared: ['setup_late'], raised: [] })
  })

  // The health deltas per component sum to the score change.
  it('diff day 29 → 45: onboarding → adoption, kickoff_rescheduled cleared', async () => {
    const { status, body } = await call(
      'GET',
      `/v1/accounts/acme/journey/diff?from=${iso(atDay(29))}&to=${iso(atDay(45))}`,
      ws.secretKey,
    )
    expect(status).toBe(200)
    expectDiffShape(body, {
      phaseFrom: 'onboarding',
      phaseTo: 'adoption',
      cleared: ['kickoff_rescheduled'],
      raised: [],
    })
  })

  it('diff day 186 → 200: usage_declining raised; growth → value', async () => {
    const { status, body } = await call(
      'GET',
      `/v1/accounts/acme/journey/diff?from=${iso(atDay(186))}&to=${iso(atDay(200))}`,
      ws.secretKey,
    )
    expect(status).toBe(200)
    expectDiffShape(body, { phaseFrom: 'growth', phaseTo: 'value', cleared: [], raised: ['usage_declining'] })
  })

  it('diff: from after to is a 400 naming from', async () => {
    const { status, body } = await call(
      'GET',
      `/v1/accounts/acme/journey/diff?from=${iso(atDay(12))}&to=${iso(atDay(8))}`,
      ws.secretKey,
    )
    expect(status).toBe(400)
    expect(body.error.code).toBe('invalid_query')
    expect(body.error.issues).toEqual([{ path: 'from', message: expect.any(String) }])
  })

  it('diff: a missing or malformed from is a 400; to defaults to now', async () => {
    expect((await call('GET', '/v1/accounts/acme/journey/diff', ws.secretKey)).status).toBe(400)
    expect(
      (await call('GET', '/v1/accounts/acme/journey/diff?from=yesterday', ws.secretKey)).body.error.issues[0].path,
    ).toBe('from')
    const { status, body } = await call('GET', `/v1/accounts/acme/journey/diff?from=${iso(atDay(300))}`, ws.secretKey)
    expect(status).toBe(200)
    expect(body.to).toBe(iso(NOW))
  })

  // The next journey answer: the mid_market renewal window going from 60 to 70 days puts day 300 in renewal.
  it('config: a valid PUT is used by the next answer (mid_market window 60 → 70: day 300 in renewal)', async () => {
    const put = await call('PUT', '/v1/config', ws.secretKey, { segments: { mid_market: { renewalWindowDays: 70 } } })
    expect(put.status).toBe(200)
    expect(put.body.segments.mid_market.renewalWindowDays).toBe(70)
    expect((await journey(300)).phase.id).toBe('renewal')
    // Back to the defaults: an empty document.
    expect((await call('PUT', '/v1/config', ws.secretKey, {})).status).toBe(200)
    expect((await journey(300)).phase.id).toBe('value')
  })

  it('config: a bad PUT is a 400 and the config in force stays (day 300 is still value)', async () => {
    const bad = await call('PUT', '/v1/config', ws.secretKey, {
      segments: { mid_market: { renewalWindowDays: -1 } },
      health: { weights: { nps: 'high' } },
    })
    expect(bad.status).toBe(400)
    expect(bad.body.error.code).toBe('invalid_config')
    expect((await journey(300)).phase.id).toBe('value')
  })
})

/**
 * What a diff must say (diffStates): the phase change (null when none), the flags raised and
 * cleared, and per-component health deltas that add up to the score change.
 */
function expectDiffShape(
  body: Json,
  want: { phaseFrom: string; phaseTo: string; raised: string[]; cleared: string[] },
): void {
  if (want.phaseFrom === want.phaseTo) expect(body.phase).toBeNull()
  else expect(body.phase).toMatchObject({ from: want.phaseFrom, to: want.phaseTo, reason: expect.any(String) })
  expect(body.redFlags.raised.map((f: Json) => f.id ?? f).sort()).toEqual(want.raised)
  expect(body.redFlags.cleared.map((f: Json) => f.id ?? f).sort()).toEqual(want.cleared)
  const h = body.health
  expect(h.delta).toBe(h.to - h.from)
  expect(h.components.reduce((a: number, c: Json) => a + c.delta, 0)).toBe(h.delta)
}

// ---------------------------------------------------------------------------------------------

describe('journey: errors', () => {
  let ws: TestWorkspace
  beforeAll(async () => {
    ws = await newWorkspace(store)
    await importEvents(
      ws,
      accountHistory({ accountId: 'beta', start: NOW - 20 * DAY_MS, days: 20, users: 2, seed: 7, until: NOW }),
    )
  })

  it('journey: an unknown account is a 404 not_found', async () => {
    const { status, body } = await call('GET', '/v1/accounts/nobody/journey', ws.secretKey)
    expect(status).toBe(404)
    expect(body.error.code).toBe('not_found')
  })

  it('journey: an account of another workspace is a 404 (workspaces never see each other)', async () => {
    const other = await newWorkspace(store)
    expect((await call('GET', '/v1/accounts/beta/journey', other.secretKey)).status).toBe(404)
  })

  it("journey: a time before the account's first event is a 404 (it did not exist yet)", async () => {
    expect((await call('GET', `/v1/accounts/beta/journey?at=${iso(NOW - 30 * DAY_MS)}`, ws.secretKey)).status).toBe(404)
  })

  it.each([
    ['not a date', 'yesterday'],
    ['a time without a zone', '2026-03-01T10:00:00'],
    ['an impossible date', '2026-02-30'],
  ])('journey: at = %s is a 400 invalid_query naming `at`', async (_, at) => {
    const { status, body } = await call('GET', `/v1/accounts/beta/journey?at=${encodeURIComponent(at)}`, ws.secretKey)
    expect(status).toBe(400)
    expect(body.error.code).toBe('invalid_query')
    expect(body.error.issues[0].path).toBe('at')
  })

  it("journey: at = a date alone (YYYY-MM-DD) is the end of that UTC day, the day's events included", async () => {
    const day = iso(NOW - DAY_MS).slice(0, 10)
    const byDate = await call('GET', `/v1/accounts/beta/journey?at=${day}`, ws.secretKey)
    const byTime = await call('GET', `/v1/accounts/beta/journey?at=${day}T23:59:59.999Z`, ws.secretKey)
    expect(byDate.status).toBe(200)
    expect(byDate.body).toEqual(byTime.body)
    expect(byDate.body.at).toBe(`${day}T23:59:59.999Z`)
  })

  it('journey: an at in the future is a 400 (the engine answers for the past and the present)', async () => {
    const { status, body } = await call('GET', `/v1/accounts/beta/journey?at=${iso(NOW + DAY_MS)}`, ws.secretKey)
    expect(status).toBe(400)
    expect(body.error.issues[0].path).toBe('at')
  })

  it('journey: an unknown query parameter is a 400 naming it (a typo must not be ignored)', async () => {
    const { status, body } = await call('GET', '/v1/accounts/beta/journey?when=now', ws.secretKey)
    expect(status).toBe(400)
    expect(JSON.stringify(body.error.issues)).toContain('when')
  })
})

// ---------------------------------------------------------------------------------------------

describe('journey: phase override', () => {
  let ws: TestWorkspace
  let evaluator: ReturnType<typeof createEvaluator>
  beforeAll(async () => {
    ws = await newWorkspace(store)
    // Day 12 of an smb account: onboarding by the rules.
    await importEvents(
      ws,
      accountHistory({
        accountId: 'gamma',
        start: Math.floor(NOW / DAY_MS) * DAY_MS - 12 * DAY_MS,
        days: 13,
        users: 3,
        seed: 9,
        until: NOW,
      }),
    )
    evaluator = createEvaluator({ store, clock, configFor: configSource(store) })
  })

  it('override: PUT sets the phase, the state shows it with its reason, and it wins over the rules', async () => {
    now = NOW
    const { status, body } = await call('PUT', '/v1/accounts/gamma/override', ws.secretKey, {
      phase: 'value',
      reason: 'migrated from our old tool: already live for a year',
      expiresAt: iso(NOW + 2 * DAY_MS),
      by: 'ana@vendor.com',
    })
    expect(status).toBe(200)
    expect(body.phase.id).toBe('value')
    expect(body.phase.override).toMatchObject({
      phase: 'value',
      reason: 'migrated from our old tool: already live for a year',
      by: 'ana@vendor.com',
    })
    const again = await call('GET', '/v1/accounts/gamma/journey', ws.secretKey)
    expect(again.body.phase.id).toBe('value')
  })

  it('override: an evaluator sweep never loses it (it lives in the audit list, not in a snapshot)', async () => {
    await evaluator.sweep(ws.id)
    await evaluator.sweep(ws.id)
    expect((await call('GET', '/v1/accounts/gamma/journey', ws.secretKey)).body.phase.id).toBe('value')
    const list = await call('GET', '/v1/accounts?phase=value', ws.secretKey)
    expect(list.body.items.map((i: Json) => i.accountId)).toEqual(['gamma'])
  })

  it('override: it expires at expiresAt and the rules decide again (injected clock)', async () => {
    now = NOW + 2 * DAY_MS + 1
    try {
      const { body } = await call('GET', '/v1/accounts/gamma/journey', ws.secretKey)
      expect(body.phase.id).toBe('onboarding')
      expect(body.phase.override).toBeNull()
      // Before it expired, it was in force: time travel sees it.
      const before = await call('GET', `/v1/accounts/gamma/journey?at=${iso(NOW + DAY_MS)}`, ws.secretKey)
      expect(before.body.phase.id).toBe('value')
    } finally {
      now = NOW
    }
  })

  it('override: DELETE lifts it; the audit list keeps every change, oldest first', async () => {
    await call('PUT', '/v1/accounts/gamma/override', ws.secretKey, {
      phase: 'churned',
      reason: 'contract cancelled by phone',
      expiresAt: iso(NOW + 30 * DAY_MS),
    })
    now = NOW + 60_000
    try {
      const lifted = await call('DELETE', '/v1/accounts/gamma/override', ws.secretKey, {
        reason: 'they changed their mind',
        by: 'bob',
      })
      expect(lifted.status).toBe(200)
      expect(lifted.body.phase.id).toBe('onboarding')
      const audit = await call('GET', '/v1/accounts/gamma/override', ws.secretKey)
      expect(audit.status).toBe(200)
      expect(audit.body.current).toBeNull()
      expect(audit.body.changes.map((c: Json) => [c.action, c.override?.phase ?? null, c.by, c.reason])).toEqual([
        ['set', 'value', 'ana@vendor.com', 'migrated from our old tool: already live for a year'],
        ['set', 'churned', 'api', 'contract cancelled by phone'],
        ['lift', null, 'bob', 'they changed their mind'],
      ])
      expect(audit.body.changes[2].at).toBe(iso(NOW + 60_000))
    } finally {
      now = NOW
    }
  })

  it('override: DELETE with nothing in force changes nothing and records nothing', async () => {
    const before = (await call('GET', '/v1/accounts/gamma/override', ws.secretKey)).body.changes.length
    now = NOW + 120_000
    try {
      expect((await call('DELETE', '/v1/accounts/gamma/override', ws.secretKey)).status).toBe(200)
    } finally {
      now = NOW
    }
    expect((await call('GET', '/v1/accounts/gamma/override', ws.secretKey)).body.changes.length).toBe(before)
  })

  it.each([
    ['an unknown phase', { phase: 'happy', reason: 'r', expiresAt: iso(NOW + DAY_MS) }, 'phase'],
    ['an empty reason', { phase: 'value', reason: '  ', expiresAt: iso(NOW + DAY_MS) }, 'reason'],
    ['no reason', { phase: 'value', expiresAt: iso(NOW + DAY_MS) }, 'reason'],
    ['an expiry in the past', { phase: 'value', reason: 'r', expiresAt: iso(NOW - 1) }, 'expiresAt'],
    ['an expiry that is not a time', { phase: 'value', reason: 'r', expiresAt: 'next week' }, 'expiresAt'],
  ])('override: %s is a 400 invalid_body naming the field', async (_, body, path) => {
    const res = await call('PUT', '/v1/accounts/gamma/override', ws.secretKey, body)
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('invalid_body')
    expect(res.body.error.issues.map((i: Json) => i.path)).toContain(path)
  })

  it('override: an unknown account is a 404 on PUT, DELETE and GET', async () => {
    const body = { phase: 'value', reason: 'r', expiresAt: iso(NOW + DAY_MS) }
    expect((await call('PUT', '/v1/accounts/nobody/override', ws.secretKey, body)).status).toBe(404)
    expect((await call('DELETE', '/v1/accounts/nobody/override', ws.secretKey)).status).toBe(404)
    expect((await call('GET', '/v1/accounts/nobody/override', ws.secretKey)).status).toBe(404)
  })
})

// ---------------------------------------------------------------------------------------------

describe('journey: accounts listing', () => {
  let ws: TestWorkspace
  let all: Json[]
  const COUNT = 40
  beforeAll(async () => {
    ws = await newWorkspace(store)
    const events: WireEvent[] = []
    for (let i = 0; i < COUNT; i++) events.push(...smallAccount(i, NOW, 3))
    await importEvents(ws, events)
    const evaluator = createEvaluator({ store, clock, configFor: configSource(store) })
    expect(await evaluator.sweep(ws.id)).toBe(COUNT)
    all = []
    let cursor: string | null = null
    do {
      const page: { status: number; body: Json } = await call(
        'GET',
        `/v1/accounts?limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        ws.secretKey,
      )
      expect(page.status).toBe(200)
      expect(page.body.items.length).toBeLessThanOrEqual(7)
      all.push(...page.body.items)
      cursor = page.body.nextCursor
    } while (cursor)
  })

  // Riskiest first: health ascending, no health last.
  it('listing: cursor pagination visits every account once, riskiest first', () => {
    expect(all.length).toBe(COUNT)
    expect(new Set(all.map((i) => i.accountId)).size).toBe(COUNT)
    const rank = (i: Json) => (i.health === null ? Number.POSITIVE_INFINITY : i.health)
    for (let k = 1; k < all.length; k++) expect(rank(all[k - 1])).toBeLessThanOrEqual(rank(all[k]))
    expect(Object.keys(all[0]).sort()).toEqual([
      'accountId',
      'band',
      'computedAt',
      'daysToRenewal',
      'flags',
      'health',
      'lastActiveAt',
      'name',
      'nps',
      'phase',
      'renewalDate',
      'segment',
    ])
  })

  it('listing: a cursor the server did not make is a 400 invalid_query naming cursor', async () => {
    const res = await call('GET', '/v1/accounts?cursor=bm90LWEtY3Vyc29y', ws.secretKey)
    expect(res.status).toBe(400)
    expect(res.body.error).toMatchObject({ code: 'invalid_query', issues: [{ path: 'cursor' }] })
  })

  it("listing: each item agrees with the account's journey state at the sweep time", async () => {
    const item = all[0]
    const { body } = await call('GET', `/v1/accounts/${item.accountId}/journey`, ws.secretKey)
    expect(item).toMatchObject({
      phase: body.phase.id,
      health: body.health.score,
      band: body.health.band,
      segment: body.segment,
    })
    expect([...item.flags].sort()).toEqual(body.redFlags.map((f: Json) => f.id).sort())
  })

  it.each([
    ['phase', (i: Json) => i.phase],
    ['band', (i: Json) => i.band],
    ['segment', (i: Json) => i.segment],
  ])('listing: filter by %s returns exactly the matching accounts', async (name, of) => {
    const value = of(all.find((i) => of(i) !== null))
    const { status, body } = await call('GET', `/v1/accounts?${name}=${value}&limit=500`, ws.secretKey)
    expect(status).toBe(200)
    expect(body.items.map((i: Json) => i.accountId)).toEqual(all.filter((i) => of(i) === value).map((i) => i.accountId))
    expect(body.nextCursor).toBeNull()
  })

  it('listing: filter by flag returns the accounts with that flag', async () => {
    const flagged = all.find((i) => i.flags.length > 0)
    const flag = flagged ? flagged.flags[0] : 'setup_late'
    const { body } = await call('GET', `/v1/accounts?flag=${flag}&limit=500`, ws.secretKey)
    expect(body.items.map((i: Json) => i.accountId)).toEqual(
      all.filter((i) => i.flags.includes(flag)).map((i) => i.accountId),
    )
  })

  it('listing: the default page is 50', async () => {
    const { body } = await call('GET', '/v1/accounts', ws.secretKey)
    expect(body.items.length).toBe(Math.min(COUNT, 50))
  })

  it.each([
    ['phase=happy', 'phase'],
    ['band=blue', 'band'],
    ['limit=0', 'limit'],
    ['limit=501', 'limit'],
    ['limit=ten', 'limit'],
    ['segment=tiny', 'segment'],
    ['flag=setup_lte', 'flag'],
  ])('listing: %s is a 400 invalid_query naming the field', async (query, path) => {
    const { status, body } = await call('GET', `/v1/accounts?${query}`, ws.secretKey)
    expect(status).toBe(400)
    expect(body.error.code).toBe('invalid_query')
    expect(body.error.issues.map((i: Json) => i.path)).toContain(path)
  })

  it('listing: a workspace with no snapshots lists nothing', async () => {
    const empty = await newWorkspace(store)
    expect((await call('GET', '/v1/accounts', empty.secretKey)).body).toEqual({ items: [], nextCursor: null, total: 0 })
  })
})

// ---------------------------------------------------------------------------------------------

describe('journey: secret key only', () => {
  let ws: TestWorkspace
  beforeAll(async () => {
    ws = await newWorkspace(store)
    await importEvents(
      ws,
      accountHistory({ accountId: 'delta', start: NOW - 5 * DAY_MS, days: 5, users: 1, seed: 5, until: NOW }),
    )
  })
  const routes: [string, string, unknown?][] = [
    ['GET', '/v1/accounts'],
    ['GET', '/v1/accounts/delta/journey'],
    ['GET', `/v1/accounts/delta/journey/diff?from=${iso(NOW - DAY_MS)}`],
    ['GET', '/v1/accounts/delta/override'],
    ['PUT', '/v1/accounts/delta/override', { phase: 'value', reason: 'r', expiresAt: iso(NOW + DAY_MS) }],
    ['DELETE', '/v1/accounts/delta/override'],
    ['GET', '/v1/config'],
    ['PUT', '/v1/config', {}],
  ]

  it.each(routes)(
    'auth: a write key on %s %s is a 403 forbidden_key (write keys are public)',
    async (method, path, body) => {
      const res = await call(method, path, ws.writeKey, body)
      expect(res.status).toBe(403)
      expect(res.body.error.code).toBe('forbidden_key')
    },
  )

  it.each(routes)('auth: no key on %s %s is a 401 unauthorized', async (method, path, body) => {
    const res = await call(method, path, null, body)
    expect(res.status).toBe(401)
    expect(res.body.error.code).toBe('unauthorized')
  })

  it('auth: a write key changes nothing (no override recorded)', async () => {
    expect(await store.listOverrideChanges(ws.id, 'delta')).toEqual([])
  })

  it('auth: the secret key in the body is not a key (secrets travel in the Authorization header only)', async () => {
    const res = await call('PUT', '/v1/config', null, { writeKey: ws.secretKey })
    expect(res.status).toBe(401)
  })
})
