/**
 * The console's accounts page and overview (docs/console.md, "The API the console calls";
 * docs/spec/console.md, "Pages"): `GET /v1/accounts` searched, filtered by renewal window, sorted
 * by every column both ways with keyset pages, counted and exported as CSV; `GET /v1/overview`
 * counted from the snapshots, with the changes putSnapshots records, the renewals of 90 days and
 * the NPS of 26 weeks. On PGlite and PostgreSQL.
 */
import { beforeAll, expect, it } from 'vitest'
import { createApp } from '../../server/app'
import { createEvaluator } from '../../server/evaluator'
import { defaultConfig } from '../../server/journey'
import { PHASES } from '../../server/journey/vocabulary'
import { AccountsListSchema, OverviewSchema } from '../../server/schemas/console-responses'
import { SNAPSHOT_SORTS } from '../../server/store/types'
import type { AccountSnapshot, SnapshotSort } from '../../server/store/types'
import { accountHistory } from '../bench/journey-data'
import { describeEachStore } from '../support/each-store'
import { API, batchRequest, eid, newWorkspace } from './helpers'
import type { TestWorkspace } from './helpers'

type Json = any
const DAY = 86_400_000
/** Wednesday 10 June 2026, 12:00 UTC. */
const NOW = Date.UTC(2026, 5, 10, 12)
const TODAY = Math.floor(NOW / DAY) * DAY
const iso = (t: number) => new Date(t).toISOString()

/** A snapshot computed at NOW; override what the test is about. */
const snap = (accountId: string, over: Partial<AccountSnapshot> = {}): AccountSnapshot => ({
  accountId,
  segment: 'smb',
  phase: 'adoption',
  health: 50,
  band: 'red',
  flags: [],
  computedAt: NOW,
  name: null,
  renewalAt: null,
  nps: null,
  lastActiveAt: null,
  ...over,
})

const bandOf = (h: number | null) => (h === null ? null : h >= 80 ? 'green' : h >= 60 ? 'yellow' : 'red')
const SEGS = ['smb', 'mid_market', 'enterprise'] as const
const FLAGS = ['no_login', 'low_adoption', 'setup_late'] as const

/** Named accounts, then 22 generated ones whose values repeat (ties) and go missing (nulls). */
const ACCOUNTS: AccountSnapshot[] = [
  snap('acme', {
    name: 'Acme Corp',
    segment: 'enterprise',
    phase: 'value',
    health: 40,
    flags: ['no_login', 'low_adoption'],
    renewalAt: TODAY + 10 * DAY,
    nps: 20,
    lastActiveAt: TODAY - DAY,
  }),
  snap('ACME-2', { name: 'Labs, "West"', segment: 'mid_market', health: 85, band: 'green', renewalAt: TODAY }),
  snap('beta', { health: null, band: null, phase: 'onboarding' }),
  snap('delta', { name: '=HYPERLINK("x")', phase: 'growth', health: 90, band: 'green', nps: -30 }),
  snap('edge-30', { name: '+plus', renewalAt: TODAY + 30 * DAY, health: 65, band: 'yellow' }),
  snap('edge-31', { name: '@at', renewalAt: TODAY + 31 * DAY }),
  snap('past', { name: '-minus', renewalAt: TODAY - DAY }),
  ...Array.from({ length: 22 }, (_, i) => {
    const health = i % 5 === 0 ? null : 30 + ((i * 7) % 60)
    return snap(`z${String(i).padStart(3, '0')}`, {
      name: i % 4 === 0 ? null : `Zed ${i % 6}`,
      segment: SEGS[i % 3]!,
      phase: PHASES[i % PHASES.length]!,
      health,
      band: bandOf(health),
      flags: FLAGS.slice(0, i % 3),
      renewalAt: i % 3 === 0 ? null : TODAY + ((i * 11) % 200) * DAY,
      nps: i % 4 === 1 ? null : ((i * 13) % 200) - 100,
      lastActiveAt: i % 5 === 2 ? null : TODAY - (i % 7) * DAY,
    })
  }),
]

/** The value each sort orders by, as the listing defines it (null: missing, last either way). */
function sortValue(s: AccountSnapshot, sort: SnapshotSort): string | number | null {
  switch (sort) {
    case 'name':
      return s.name == null ? null : s.name.toLowerCase()
    case 'accountId':
      return s.accountId
    case 'segment':
      return s.segment
    case 'phase':
      return PHASES.indexOf(s.phase as (typeof PHASES)[number])
    case 'health':
      return s.health
    case 'band':
      return s.band === null ? null : ['red', 'yellow', 'green'].indexOf(s.band)
    case 'flags':
      return s.flags.length
    case 'daysToRenewal':
      return s.renewalAt ?? null
    case 'nps':
      return s.nps ?? null
    case 'lastActiveAt':
      return s.lastActiveAt ?? null
  }
}

/** The expected order: value, then account id (byte order), both reversed for desc; nulls last. */
function expectedOrder(rows: AccountSnapshot[], sort: SnapshotSort, desc: boolean): string[] {
  const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0)
  return [...rows]
    .sort((x, y) => {
      const a = sortValue(x, sort)
      const b = sortValue(y, sort)
      if (a === null || b === null) {
        if (a !== null) return -1
        if (b !== null) return 1
      } else if (a !== b) return desc ? cmp(b, a) : cmp(a, b)
      return desc ? cmp(y.accountId, x.accountId) : cmp(x.accountId, y.accountId)
    })
    .map((s) => s.accountId)
}

/** A CSV's records (RFC 4180: quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++
      else if (ch === '"') quoted = false
      else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') row.push(field), (field = '')
    else if (ch === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++
    else field += ch
  }
  return rows
}

describeEachStore('console: the accounts list and the overview', (ctx) => {
  let app: ReturnType<typeof createApp>
  let ws: TestWorkspace
  let now = NOW
  const get = async (path: string, key = ws.secretKey) => {
    const res = await app.request(`${API}${path}`, { headers: { authorization: `Bearer ${key}` } })
    const text = await res.text()
    const json = res.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : null
    return { status: res.status, type: res.headers.get('content-type') ?? '', text, body: json as Json }
  }
  /** Every page of a listing (`limit` per page), checked against the schema. */
  async function allPages(ws: TestWorkspace, query: string, limit: number) {
    const ids: string[] = []
    const totals: number[] = []
    let cursor: string | null = null
    do {
      const c: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`
      const { status, body } = await get(`/v1/accounts?${query}&limit=${limit}${c}`, ws.secretKey)
      expect(status, JSON.stringify(body)).toBe(200)
      AccountsListSchema.parse(body)
      ids.push(...body.items.map((i: Json) => i.accountId))
      totals.push(body.total)
      cursor = body.nextCursor
    } while (cursor !== null && ids.length < 1000)
    return { ids, totals }
  }

  beforeAll(async () => {
    app = createApp({ store: ctx.store, clock: () => now, log: () => {} })
    ws = await newWorkspace(ctx.store)
    await ctx.store.putSnapshots(ws.id, ACCOUNTS)
  })

  it('CL01 accounts q matches part of the id or of the name, in any case', async () => {
    const ids = async (q: string) => (await allPages(ws, `q=${encodeURIComponent(q)}&sort=accountId`, 50)).ids
    expect(await ids('ACME')).toEqual(['ACME-2', 'acme'])
    expect(await ids('west')).toEqual(['ACME-2'])
    expect(await ids('zed 3')).toEqual(ACCOUNTS.filter((a) => a.name === 'Zed 3').map((a) => a.accountId))
    // Not a pattern: % and _ are characters like any other.
    expect(await ids('%')).toEqual([])
    expect(await ids('')).toHaveLength(ACCOUNTS.length)
  })

  it('CL02 accounts renewalWithin=30: renewal dates from today to 30 days ahead, both days in', async () => {
    const { ids, totals } = await allPages(ws, 'renewalWithin=30&sort=daysToRenewal', 2)
    const expected = ACCOUNTS.filter(
      (a) => a.renewalAt != null && a.renewalAt >= TODAY && a.renewalAt <= TODAY + 30 * DAY,
    )
    expect(ids).toEqual(expectedOrder(expected, 'daysToRenewal', false))
    expect(ids).toContain('edge-30')
    expect(ids).toContain('ACME-2')
    expect(ids).not.toContain('edge-31')
    expect(ids).not.toContain('past')
    expect(new Set(totals)).toEqual(new Set([expected.length]))
  })

  it('CL03 accounts filters combine with q and a sort; total counts the filtered accounts on every page', async () => {
    const { ids, totals } = await allPages(ws, 'segment=smb&q=z&sort=nps&order=desc', 3)
    const expected = ACCOUNTS.filter(
      (a) => a.segment === 'smb' && (a.accountId.includes('z') || a.name?.toLowerCase().includes('z')),
    )
    expect(ids).toEqual(expectedOrder(expected, 'nps', true))
    expect(totals.length).toBeGreaterThan(1)
    expect(new Set(totals)).toEqual(new Set([expected.length]))
  })

  it('CL04 accounts: every sort, both orders, paged by 4: the whole order, nulls last, no row twice', async () => {
    for (const sort of SNAPSHOT_SORTS) {
      for (const order of ['asc', 'desc'] as const) {
        const { ids } = await allPages(ws, `sort=${sort}&order=${order}`, 4)
        expect(ids, `${sort} ${order}`).toEqual(expectedOrder(ACCOUNTS, sort, order === 'desc'))
      }
    }
  })

  it('CL05 accounts: no sort is riskiest first as before; order=desc alone is healthiest first', async () => {
    expect((await allPages(ws, 'band=red', 3)).ids).toEqual(
      expectedOrder(
        ACCOUNTS.filter((a) => a.band === 'red'),
        'health',
        false,
      ),
    )
    expect((await allPages(ws, 'order=desc', 5)).ids).toEqual(expectedOrder(ACCOUNTS, 'health', true))
  })

  it('CL06 accounts: each item has name, renewalDate, daysToRenewal, nps and lastActiveAt', async () => {
    const { body } = await get('/v1/accounts?q=acme%20corp')
    expect(body.items).toEqual([
      {
        accountId: 'acme',
        segment: 'enterprise',
        phase: 'value',
        health: 40,
        band: 'red',
        flags: ['no_login', 'low_adoption'],
        computedAt: iso(NOW),
        name: 'Acme Corp',
        renewalDate: iso(TODAY + 10 * DAY),
        daysToRenewal: 10,
        nps: 20,
        lastActiveAt: iso(TODAY - DAY),
      },
    ])
    expect(body.total).toBe(1)
    const beta = (await get('/v1/accounts?q=beta')).body.items[0]
    expect([beta.name, beta.renewalDate, beta.daysToRenewal, beta.nps, beta.lastActiveAt]).toEqual([
      null,
      null,
      null,
      null,
      null,
    ])
  })

  it('CL07 accounts: wrong sort, order, renewalWithin or q are 400s naming each field', async () => {
    const bad = await get(`/v1/accounts?sort=size&order=up&renewalWithin=-1&q=${'x'.repeat(201)}`)
    expect(bad.status).toBe(400)
    expect(bad.body.error.code).toBe('invalid_query')
    expect(bad.body.error.issues.map((i: Json) => i.path).sort()).toEqual(['order', 'q', 'renewalWithin', 'sort'])
    for (const q of ['renewalWithin=1.5', 'renewalWithin=ten', 'format=xml', 'q=a%00b']) {
      const res = await get(`/v1/accounts?${q}`)
      expect([q, res.status]).toEqual([q, 400])
    }
  })

  it("CL08 accounts: a cursor of another order (or another sort's) is a 400 naming cursor", async () => {
    const byName = (await get('/v1/accounts?sort=name&limit=2')).body.nextCursor
    const byDefault = (await get('/v1/accounts?limit=2')).body.nextCursor
    for (const [query, cursor] of [
      ['sort=nps', byName],
      ['sort=name&order=desc', byName],
      ['', byName],
      ['sort=health', byDefault],
    ]) {
      const res = await get(`/v1/accounts?${query}&cursor=${encodeURIComponent(cursor)}`)
      expect([query, res.status, res.body.error.issues]).toEqual([
        query,
        400,
        [{ path: 'cursor', message: expect.any(String) }],
      ])
    }
  })

  it('CL09 accounts format=csv: a header, every account of the filters, formulas defused, quotes kept', async () => {
    const res = await get('/v1/accounts?format=csv&sort=accountId&limit=2&renewalWithin=400')
    expect(res.status).toBe(200)
    expect(res.type).toMatch(/^text\/csv/)
    const rows = parseCsv(res.text)
    expect(rows[0]).toEqual([
      'accountId',
      'name',
      'segment',
      'phase',
      'health',
      'band',
      'flags',
      'renewalDate',
      'daysToRenewal',
      'nps',
      'lastActiveAt',
      'computedAt',
    ])
    const expected = ACCOUNTS.filter((a) => a.renewalAt != null && a.renewalAt >= TODAY)
    expect(rows.slice(1).map((r) => r[0])).toEqual(expectedOrder(expected, 'accountId', false))
    const byId = new Map(rows.slice(1).map((r) => [r[0], r]))
    expect(byId.get('acme')).toEqual([
      'acme',
      'Acme Corp',
      'enterprise',
      'value',
      '40',
      'red',
      'no_login low_adoption',
      iso(TODAY + 10 * DAY),
      '10',
      '20',
      iso(TODAY - DAY),
      iso(NOW),
    ])
    expect(byId.get('ACME-2')![1]).toBe('Labs, "West"')
    expect(byId.get('edge-30')![1]).toBe("'+plus")
    expect(byId.get('edge-31')![1]).toBe("'@at")
    expect(res.text).toContain('\r\n')
    const all = parseCsv((await get('/v1/accounts?format=csv')).text)
    expect(all.find((r) => r[0] === 'delta')!.slice(1, 2)).toEqual(['\'=HYPERLINK("x")'])
    // A number stays a number (an NPS below zero is not a formula).
    expect(all.find((r) => r[0] === 'delta')![9]).toBe('-30')
  })

  it('CL10 accounts format=csv: every page, past the 500 rows a page holds', async () => {
    const big = await newWorkspace(ctx.store)
    const many = Array.from({ length: 520 }, (_, i) =>
      snap(`acct-${String(i).padStart(4, '0')}`, { name: i === 7 ? '-7' : `Name ${i}`, health: i % 100 }),
    )
    await ctx.store.putSnapshots(big.id, many)
    const res = await get('/v1/accounts?format=csv&sort=accountId', big.secretKey)
    const rows = parseCsv(res.text)
    expect(rows).toHaveLength(521)
    expect(rows.slice(1).map((r) => r[0])).toEqual(many.map((a) => a.accountId))
    expect(rows[8]![1]).toBe("'-7")
    expect((await get('/v1/accounts?limit=1', big.secretKey)).body.total).toBe(520)
  })

  it('OV01 overview counts accounts by phase and band, every phase and band named', async () => {
    const res = await get('/v1/overview')
    expect(res.status).toBe(200)
    const body = OverviewSchema.parse(res.body)
    for (const p of PHASES) expect([p, body.phases[p]]).toEqual([p, ACCOUNTS.filter((a) => a.phase === p).length])
    for (const b of ['green', 'yellow', 'red'] as const)
      expect([b, body.bands[b]]).toEqual([b, ACCOUNTS.filter((a) => a.band === b).length])
    expect(body.at).toBe(iso(NOW))
    expect(body.nps).toHaveLength(26)
  })

  it('OV02 overview renewals: today to 90 days ahead, soonest first, with days and band', async () => {
    const { body } = await get('/v1/overview')
    const expected = ACCOUNTS.filter(
      (a) => a.renewalAt != null && a.renewalAt >= TODAY && a.renewalAt <= TODAY + 90 * DAY,
    )
    expect(body.renewals.map((r: Json) => r.accountId)).toEqual(expectedOrder(expected, 'daysToRenewal', false))
    expect(body.renewals[0]).toEqual({
      accountId: 'ACME-2',
      name: 'Labs, "West"',
      renewalDate: iso(TODAY),
      daysToRenewal: 0,
      band: 'green',
    })
    expect(body.renewals.find((r: Json) => r.accountId === 'acme').daysToRenewal).toBe(10)
  })

  it('OV03 overview changes: band and phase from/to and red flags raised that snapshots brought', async () => {
    const w = await newWorkspace(ctx.store)
    const at = NOW - 2 * DAY
    await ctx.store.putSnapshots(w.id, [
      snap('a', { name: 'A', band: 'yellow', health: 70, phase: 'value', flags: ['no_login'], computedAt: at - DAY }),
      snap('b', { health: null, band: null, computedAt: at - DAY }),
    ])
    await ctx.store.putSnapshots(w.id, [
      snap('a', {
        name: 'A',
        band: 'red',
        health: 50,
        phase: 'renewal',
        flags: ['no_login', 'low_adoption'],
        computedAt: at,
      }),
      // From "no health data" to a band is not a change of band; a first snapshot brings nothing.
      snap('b', { computedAt: at }),
      snap('c', { flags: ['setup_late'], computedAt: at }),
    ])
    // A snapshot for an earlier time than the stored one changes nothing and records nothing.
    await ctx.store.putSnapshots(w.id, [snap('a', { band: 'green', computedAt: at - 3 * DAY })])
    const { body } = await get('/v1/overview', w.secretKey)
    expect(body.changes).toEqual({
      since: iso(NOW - 7 * DAY),
      band: [{ accountId: 'a', name: 'A', from: 'yellow', to: 'red', at: iso(at) }],
      phase: [{ accountId: 'a', name: 'A', from: 'value', to: 'renewal', at: iso(at) }],
      redFlags: [{ accountId: 'a', name: 'A', flag: 'low_adoption', at: iso(at) }],
    })
    // Older than 7 days: kept (90 days) but not shown.
    await ctx.store.putSnapshots(w.id, [snap('a', { name: 'A', phase: 'growth', computedAt: NOW - DAY })])
    now = NOW + 6 * DAY
    try {
      const later = (await get('/v1/overview', w.secretKey)).body.changes
      expect(later.phase.map((c: Json) => c.to)).toEqual(['growth'])
      expect(later.band).toEqual([])
    } finally {
      now = NOW
    }
  })

  it('OV04 changes are recorded by an evaluation: a red flag raised at midnight, an override phase', async () => {
    const w = await newWorkspace(ctx.store)
    const start = TODAY - 8 * DAY
    const history = accountHistory({
      accountId: 'late',
      start,
      days: 8,
      users: 3,
      seed: 11,
      active: () => true,
      until: TODAY,
    })
    const sent = await app.request(batchRequest({ batch: history }, { auth: { bearer: w.secretKey } }))
    expect(sent.status).toBe(200)
    let clock = TODAY - 60 * 60_000 // 23:00 on day 7
    const evaluator = createEvaluator({ store: ctx.store, clock: () => clock, configFor: async () => defaultConfig })
    await evaluator.evaluate(w.id, ['late'])
    expect((await get('/v1/overview', w.secretKey)).body.changes.redFlags).toEqual([])
    clock = TODAY + 60_000 // 00:01 on day 8: setup_late is due
    await evaluator.evaluate(w.id, ['late'])
    const flags = (await get('/v1/overview', w.secretKey)).body.changes.redFlags
    expect(flags).toContainEqual({ accountId: 'late', name: 'late', flag: 'setup_late', at: iso(clock) })
    // The override refreshes the snapshot: its phase change is recorded too.
    const put = await app.request(`${API}/v1/accounts/late/override`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${w.secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ phase: 'growth', reason: 'moved', expiresAt: iso(NOW + DAY) }),
    })
    expect(put.status).toBe(200)
    const phases = (await get('/v1/overview', w.secretKey)).body.changes.phase
    expect(phases).toEqual([{ accountId: 'late', name: 'late', from: 'onboarding', to: 'growth', at: iso(NOW) }])
  })

  it('OV05 the sweep forgets changes older than 90 days', async () => {
    const w = await newWorkspace(ctx.store)
    const old = NOW - 100 * DAY
    await ctx.store.putSnapshots(w.id, [snap('a', { phase: 'value', computedAt: old - DAY })])
    await ctx.store.putSnapshots(w.id, [snap('a', { phase: 'growth', computedAt: old })])
    await ctx.store.putSnapshots(w.id, [snap('a', { phase: 'renewal', computedAt: NOW - 10 * DAY })])
    const count = async () => (await ctx.store.listAccountChanges(w.id, 0)).length
    expect(await count()).toBe(2)
    await createEvaluator({ store: ctx.store, clock: () => NOW, configFor: async () => defaultConfig }).sweep(w.id)
    expect((await ctx.store.listAccountChanges(w.id, 0)).map((c) => c.to)).toEqual(['renewal'])
  })

  it('OV06 overview NPS: 26 Monday weeks, oldest first; % promoters − % detractors of each week', async () => {
    const w = await newWorkspace(ctx.store)
    // Monday 8 June 2026 starts NOW's week; the first of the 26 is 25 weeks before.
    const monday = Date.UTC(2026, 5, 8)
    const first = monday - 25 * 7 * DAY
    const answer = (userId: string | null, score: unknown, t: number, accountId = 'acc') => ({
      id: eid(),
      type: 'track',
      event: 'nps_response',
      userId,
      accountId,
      timestamp: iso(t),
      properties: { score },
    })
    const batch = [
      { id: eid(), type: 'group', userId: 'u1', accountId: 'acc', timestamp: iso(first - 30 * DAY), traits: {} },
      // This week: u1 answered 3 then 10 (the latest counts), u2 0, an odd score is no answer.
      answer('u1', 3, monday + DAY),
      answer('u1', 10, monday + DAY + 60_000),
      answer('u2', '0', monday + 2 * DAY),
      answer('u3', 11, monday + 2 * DAY),
      answer('u4', 'x', monday + 2 * DAY),
      // Three weeks before: 9, 9, 7.
      answer('u1', 9, monday - 3 * 7 * DAY),
      answer('u2', 9, monday - 3 * 7 * DAY + 1),
      answer('u3', 7, monday - 3 * 7 * DAY + 2, 'other'),
      // The first week counts; the week before it does not.
      answer('u1', 6, first),
      answer('u1', 10, first - 1),
    ]
    const sent = await app.request(batchRequest({ batch }, { auth: { bearer: w.secretKey } }))
    expect(sent.status).toBe(200)
    const { body } = await get('/v1/overview', w.secretKey)
    const weeks = OverviewSchema.parse(body).nps
    expect(weeks).toHaveLength(26)
    expect(weeks[0]).toEqual({ week: '2025-12-15', score: -100, responses: 1 })
    expect(weeks[25]).toEqual({ week: '2026-06-08', score: 0, responses: 2 })
    expect(weeks[22]).toEqual({ week: '2026-05-18', score: 67, responses: 3 })
    expect(weeks.filter((x) => x.responses === 0).every((x) => x.score === null)).toBe(true)
    expect(weeks.filter((x) => x.responses > 0)).toHaveLength(3)
  })

  it('OV07 overview: viewer route, the write key is refused, an unknown parameter is a 400', async () => {
    expect((await get('/v1/overview', ws.writeKey)).status).toBe(403)
    const bad = await get('/v1/overview?days=7')
    expect([bad.status, bad.body.error.issues[0].path]).toEqual([400, 'days'])
  })

  it('CL11 accounts: an evaluation writes name, renewal date, NPS and last activity from the state', async () => {
    const w = await newWorkspace(ctx.store)
    const batch = [
      {
        id: eid(),
        type: 'group',
        userId: 'u1',
        accountId: 'initech',
        timestamp: iso(NOW - 20 * DAY),
        traits: { name: 'Initech', segment: 'mid_market', renewalDate: iso(TODAY + 20 * DAY).slice(0, 10) },
      },
      { id: eid(), type: 'track', event: '$login', userId: 'u1', accountId: 'initech', timestamp: iso(NOW - 2 * DAY) },
      {
        id: eid(),
        type: 'track',
        event: 'nps_response',
        userId: 'u1',
        accountId: 'initech',
        timestamp: iso(NOW - 5 * DAY),
        properties: { score: 10 },
      },
    ]
    expect((await app.request(batchRequest({ batch }, { auth: { bearer: w.secretKey } }))).status).toBe(200)
    await createEvaluator({ store: ctx.store, clock: () => NOW, configFor: async () => defaultConfig }).evaluate(w.id, [
      'initech',
    ])
    const item = (await get('/v1/accounts', w.secretKey)).body.items[0]
    expect(item).toMatchObject({
      accountId: 'initech',
      name: 'Initech',
      segment: 'mid_market',
      renewalDate: iso(TODAY + 20 * DAY),
      daysToRenewal: 20,
      nps: 100,
      lastActiveAt: iso(TODAY - 2 * DAY),
    })
    // A day later, without a new evaluation, days to renewal count from the new day.
    now = NOW + DAY
    try {
      expect((await get('/v1/accounts', w.secretKey)).body.items[0].daysToRenewal).toBe(19)
    } finally {
      now = NOW
    }
  })
})
