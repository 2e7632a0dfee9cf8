/**
 * Property: for random histories, Store.loadFacts (rollups kept at ingest + at's day from raw
 * events) equals referenceFacts (test/support/reference-facts.ts, straight from the raw events),
 * at any `at`. Histories mix activity, facts, trait changes, account switches, events with no
 * account or no user, ties in time, and arrive out of order (group calls after the events they
 * date before among them), late, in concurrent batches and with re-sent duplicates (same id, other
 * content). PGlite, one store for the file.
 *
 * Seeds are random per run; a failure names its seed: replay it with FACTS_SEED=<seed>.
 */
import { readFile } from 'node:fs/promises'
import { isDeepStrictEqual } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPgliteStore } from '../../server/store/pglite'
import type { NewEvent, OverrideChange, Store } from '../../server/store/types'
import { referenceFacts } from '../support/reference-facts'
import { prng } from '../support/prng'
import { defaultConfig, journeyState } from '../../server/journey'

const DAY = 86_400_000
const SEEDS = Number(process.env.FACTS_SEEDS ?? 24)
const AT_PER_SEED = 20

interface Gen {
  rand: () => number
  int(n: number): number
  pick<T>(xs: readonly T[]): T
  chance(p: number): boolean
}

function gen(seed: number): Gen {
  const rand = prng(seed)
  const g: Gen = {
    rand,
    int: (n) => Math.floor(rand() * n),
    pick: (xs) => xs[Math.floor(rand() * xs.length)]!,
    chance: (p) => rand() < p,
  }
  return g
}

const ACCOUNTS = ['acme', 'globex', 'initech'] as const
const USERS = ['ana', 'bia', 'caio', 'davi', 'eva', 'fabio'] as const
const FEATURES = ['reports', 'alerts', 'export', 'api'] as const
const PRODUCT = ['report_generated', 'alert_created'] as const
const FACTS = [
  'setup_completed',
  'kickoff_held',
  'nps_response',
  'ticket_opened',
  'ticket_closed',
  'first_value',
  'renewed',
] as const

/** A random history over ~120 days, in the order it happened (ingest reorders it). */
function history(g: Gen, seed: number, start: number): NewEvent[] {
  const span = 120 * DAY
  const events: NewEvent[] = []
  const times: number[] = []
  let n = 0
  const time = () => {
    const r = g.rand()
    // Exact midnights, the last ms of a day and ties with an earlier event, beside plain random times.
    let t: number
    if (r < 0.05) t = start + g.int(120) * DAY
    else if (r < 0.08) t = start + g.int(120) * DAY - 1
    else if (r < 0.14 && times.length) t = g.pick(times)
    else t = start + Math.floor(g.rand() * span)
    times.push(t)
    return t
  }
  const base = (over: Partial<NewEvent>): NewEvent => {
    const t = over.timestamp ?? time()
    return {
      // Random ids: ties in time are broken by id, in both paths.
      id: `s${seed}-${g.int(1e9).toString(36)}-${n++}`,
      type: 'track',
      name: null,
      userId: null,
      anonymousId: null,
      accountId: null,
      timestamp: t,
      receivedAt: t + 1000,
      properties: {},
      traits: null,
      context: null,
      ...over,
    }
  }
  // Common features, rare ones (so that the 90-day window's first day matters) and a non-string one.
  const feature = (): unknown => (g.chance(0.85) ? g.pick(FEATURES) : g.chance(0.9) ? `rare-${g.int(12)}` : 7)
  const homeOf = new Map(USERS.map((u, i) => [u, ACCOUNTS[i % ACCOUNTS.length]!]))
  // Memberships first for most users (some join late, so their early events stay without account).
  for (const u of USERS) {
    if (g.chance(0.8))
      events.push(
        base({
          type: 'group',
          userId: u,
          accountId: homeOf.get(u)!,
          timestamp: start + g.int(10) * DAY,
          traits: { plan: g.pick(['free', 'pro']) },
        }),
      )
  }
  const total = 400 + g.int(500)
  for (let i = 0; i < total; i++) {
    const u = g.pick(USERS)
    // Mostly the user's account, named; sometimes none (the store resolves it), sometimes another.
    const acc = g.chance(0.75) ? homeOf.get(u)! : g.chance(0.5) ? null : g.pick(ACCOUNTS)
    const r = g.rand()
    if (r < 0.2) events.push(base({ name: '$login', userId: u, accountId: acc }))
    else if (r < 0.38)
      events.push(base({ type: 'page', name: '$page', userId: u, accountId: acc, properties: { path: '/x' } }))
    else if (r < 0.55)
      events.push(base({ name: 'feature_used', userId: u, accountId: acc, properties: { feature: feature() } }))
    else if (r < 0.65)
      events.push(base({ name: g.pick(PRODUCT), userId: u, accountId: acc, properties: { rows: g.int(100) } }))
    else if (r < 0.75) {
      const name = g.pick(FACTS)
      const props =
        name === 'nps_response' ? { score: g.int(11) } : name.startsWith('ticket') ? { ticketId: `t${g.int(5)}` } : {}
      // Account-level facts from a CRM have no user.
      events.push(base({ name, userId: g.chance(0.3) ? null : u, accountId: acc ?? homeOf.get(u)!, properties: props }))
    } else if (r < 0.83) {
      const traits: Record<string, unknown> = {}
      if (g.chance(0.6)) traits.role = g.pick(['admin', 'viewer', null])
      if (g.chance(0.5)) traits.name = `${u} ${g.int(3)}`
      if (g.chance(0.3)) traits.stakeholder = g.chance(0.5)
      // Often at the time of an earlier identify of the same user: ties go to the greater id.
      const prev = events.filter((e) => e.type === 'identify' && e.userId === u)
      const timestamp = prev.length && g.chance(0.3) ? g.pick(prev).timestamp : undefined
      events.push(
        base({
          type: 'identify',
          userId: u,
          accountId: g.chance(0.8) ? null : acc,
          traits,
          ...(timestamp === undefined ? {} : { timestamp }),
        }),
      )
    } else if (r < 0.88) {
      // A group call: the user joins (or moves to) an account; account traits change.
      const to = g.chance(0.7) ? homeOf.get(u)! : g.pick(ACCOUNTS)
      if (g.chance(0.2)) homeOf.set(u, to)
      const traits: Record<string, unknown> = {}
      if (g.chance(0.5)) traits.segment = g.pick(['smb', 'mid_market', 'enterprise'])
      if (g.chance(0.5)) traits.seats = 1 + g.int(20)
      const prev = events.filter((e) => e.type === 'group' && e.accountId === to)
      const timestamp = prev.length && g.chance(0.3) ? g.pick(prev).timestamp : undefined
      events.push(
        base({
          type: 'group',
          userId: g.chance(0.2) ? null : u,
          accountId: to,
          traits,
          ...(timestamp === undefined ? {} : { timestamp }),
        }),
      )
    } else if (r < 0.93) {
      // Anonymous page views, with or without an account.
      events.push(
        base({
          type: 'page',
          name: '$page',
          anonymousId: `anon-${g.int(4)}`,
          accountId: g.chance(0.5) ? g.pick(ACCOUNTS) : null,
        }),
      )
    } else {
      // Server-side activity without a user.
      events.push(
        base({
          name: g.chance(0.5) ? 'feature_used' : 'report_generated',
          accountId: g.pick(ACCOUNTS),
          properties: { feature: feature() },
        }),
      )
    }
  }
  return events
}

function shuffle<T>(g: Gen, xs: T[]): T[] {
  const out = [...xs]
  for (let i = out.length - 1; i > 0; i--) {
    const j = g.int(i + 1)
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

/**
 * Sends the history out of order in several batches, some concurrent, with duplicates re-sent.
 * Between batches, loads facts at some of the `at`s checked later: they fill loadFacts's cache,
 * which later batches must invalidate (late events) or leave valid (live ones).
 */
async function deliver(
  store: Store,
  ws: string,
  g: Gen,
  events: NewEvent[],
  atList: number[],
): Promise<[string, number][]> {
  const loads: [string, number][] = []
  // Mostly in time order with local disorder, plus a late tail (an import of old events) that holds
  // half the group calls: they arrive after events of their user they date before.
  const sorted = [...events].sort((a, b) => a.timestamp - b.timestamp)
  const late = sorted.filter((e) => g.chance(e.type === 'group' ? 0.5 : 0.15))
  const lateIds = new Set(late.map((e) => e.id))
  const onTime = sorted.filter((e) => !lateIds.has(e.id))
  const order = [
    ...onTime
      .map((e, i) => ({ e, k: i + g.rand() * 40 }))
      .sort((a, b) => a.k - b.k)
      .map((x) => x.e),
    ...shuffle(g, late),
  ]
  const sent: NewEvent[] = []
  let i = 0
  while (i < order.length) {
    const size = 1 + g.int(120)
    const batch = order.slice(i, i + size)
    i += size
    // Re-sent copies: same id, sometimes other content; the first stored copy must win.
    for (let k = 0; k < 3 && sent.length; k++) {
      const old = g.pick(sent)
      batch.push(
        g.chance(0.5)
          ? old
          : {
              ...old,
              timestamp: old.timestamp + DAY,
              properties: { feature: 'dup' },
              traits: old.traits ? { role: 'dup' } : null,
            },
      )
    }
    if (g.chance(0.3) && batch.length > 1) {
      const half = batch.length >> 1
      await Promise.all([store.ingest(ws, batch.slice(0, half)), store.ingest(ws, batch.slice(half))])
    } else {
      await store.ingest(ws, batch)
    }
    sent.push(...batch)
    // The sweep packs closed days now and then (Store.compactRollups); later events of those days
    // land in rows again, beside the packs.
    if (g.chance(0.2)) await store.compactRollups(ws, Math.floor(g.pick(order).timestamp / DAY) + g.int(3))
    if (g.chance(0.5)) {
      const load: [string, number] = [g.pick(ACCOUNTS), g.pick(atList)]
      await store.loadFacts(ws, ...load)
      loads.push(load)
    }
  }
  return loads
}

function overrideChanges(g: Gen, start: number): OverrideChange[] {
  const out: OverrideChange[] = []
  for (let i = 0, n = g.int(4); i < n; i++) {
    const at = start + Math.floor(g.rand() * 120 * DAY)
    out.push(
      g.chance(0.7)
        ? {
            action: 'set',
            override: {
              phase: g.pick(['adoption', 'value']),
              reason: 'r',
              expiresAt: at + g.int(30) * DAY,
              by: 'cs@x',
              setAt: at,
            },
            by: 'cs@x',
            reason: 'r',
            at,
          }
        : { action: 'lift', override: null, by: 'cs@x', reason: 'lifted', at },
    )
  }
  return out
}

/** The `at`s to check: day boundaries and the ms around them, event times, inside days, before and after it all. */
function ats(g: Gen, start: number, events: NewEvent[]): number[] {
  const out = [start - DAY, start + 130 * DAY]
  while (out.length < AT_PER_SEED) {
    const r = g.rand()
    const day = start + g.int(121) * DAY
    if (r < 0.25) out.push(day)
    else if (r < 0.4) out.push(day - 1)
    else if (r < 0.6) out.push(g.pick(events).timestamp)
    else out.push(day + Math.floor(g.rand() * DAY))
  }
  return out
}

describe('loadFacts and the journey state from rollups equal those from raw events (property, PGlite)', () => {
  let store: Store
  // The store's clock decides which events are late (they invalidate cached history) and which
  // `at`s loadFacts may serve from its cache: each seed sets it (far after the history: every
  // event is late, every `at` cacheable; inside it: both kinds; before it: no cache at all).
  let clockNow = 0
  beforeAll(async () => {
    store = await createPgliteStore({ dataDir: 'memory://', clock: () => clockNow })
  })
  afterAll(async () => {
    await store?.close()
  })

  const fixed = process.env.FACTS_SEED
  const first = fixed !== undefined ? Number(fixed) : Math.floor(Math.random() * 2 ** 31)
  const seeds = fixed !== undefined ? [first] : Array.from({ length: SEEDS }, (_, i) => (first + i * 7919) % 2 ** 31)

  /** One random history ingested into a new workspace; its events as stored, and override lists. */
  async function scenario(seed: number) {
    const g = gen(seed)
    const ws = `prop_${seed}_${Math.random().toString(36).slice(2)}`
    // A random start, not at midnight: UTC days do not line up with the history's.
    const start = Date.UTC(2026, 0, 1) + g.int(365) * DAY + g.int(DAY)
    const events = history(g, seed, start)
    const mode = g.int(3)
    clockNow = mode === 0 ? start + 1000 * DAY : mode === 1 ? start + Math.floor(g.rand() * 130 * DAY) : start - 5 * DAY
    // Some `at`s just before the clock: the cached part there ends with the late events' days.
    const atList = [...ats(g, start, events), ...[0, 1, 2, 3].map((k) => clockNow - k * DAY - g.int(DAY))]
    const loads = await deliver(store, ws, g, events, atList)
    const changes = new Map<string, OverrideChange[]>()
    for (const acc of ACCOUNTS) {
      for (const c of overrideChanges(g, start)) await store.addOverrideChange(ws, acc, c)
      changes.set(acc, await store.listOverrideChanges(ws, acc))
    }
    const stored = await store.listEvents(ws)
    // The store marks as resolved exactly the events of a user sent without an account.
    const sent = new Map(events.map((e) => [e.id, e]))
    for (const e of stored) {
      const given = sent.get(e.id)!.accountId !== null || e.userId === null || e.type === 'group'
      if (given === (e.accountResolved === true))
        throw new Error(`FACTS_SEED=${seed}: event ${e.id} is ${given ? '' : 'not '}marked resolved`)
    }
    return { ws, atList, loads, changes, stored }
  }

  async function check(seed: number, s: Awaited<ReturnType<typeof scenario>>) {
    // First the last `at` loaded during delivery for each account: what its cache entry holds.
    const lastLoads = [...new Map(s.loads).entries()]
    const pairs = [
      ...lastLoads,
      ...s.atList.flatMap((at) => [...ACCOUNTS, 'nobody'].map((acc): [string, number] => [acc, at])),
    ]
    for (const [acc, at] of pairs) {
      const actual = await store.loadFacts(s.ws, acc, at)
      const expected = referenceFacts(s.stored, s.changes.get(acc) ?? [], acc, at)
      try {
        expect(actual).toEqual(expected)
        // The journey state computed from rollups equals the one computed from the raw events.
        if (actual && expected)
          expect(journeyState(defaultConfig, actual, at)).toEqual(journeyState(defaultConfig, expected, at))
      } catch (err) {
        throw new Error(
          `FACTS_SEED=${seed}: loadFacts(${acc}, ${at} = ${new Date(at).toISOString()}) or its state differs from the reference\n${(err as Error).message}`,
        )
      }
    }
  }

  // Generous timeouts: about 35 s on a quiet 2-core machine, several times that on a loaded one,
  // and a slow machine is not a failure.
  it(`FP01 ${seeds.length} histories × ${AT_PER_SEED} times × ${ACCOUNTS.length + 1} accounts (seeds from ${first})`, {
    timeout: 600_000,
  }, async () => {
    for (const seed of seeds) await check(seed, await scenario(seed))
  })

  it('FP03 loadFactsDaily equals loadFacts at the end of each day and at its last time', {
    timeout: 600_000,
  }, async () => {
    for (const seed of seeds.slice(0, 6)) {
      const s = await scenario(seed)
      const g = gen(seed + 1)
      for (const acc of ACCOUNTS) {
        for (const at of [g.pick(s.atList), g.pick(s.atList)]) {
          const days = 1 + g.int(140)
          const daily = await store.loadFactsDaily(s.ws, acc, at, days)
          const last = Math.floor(at / DAY)
          const times = Array.from({ length: days }, (_, i) => (i === days - 1 ? at : (last - days + 2 + i) * DAY - 1))
          for (const [i, t] of times.entries()) {
            const expected = await store.loadFacts(s.ws, acc, t)
            if (!isDeepStrictEqual(daily[i], expected))
              expect(
                daily[i],
                `FACTS_SEED=${seed}: loadFactsDaily(${acc}, ${new Date(at).toISOString()}, ${days}) at ${new Date(t).toISOString()}`,
              ).toEqual(expected)
          }
        }
      }
    }
  })

  it('FP02 migrations 002, 003 and 015 backfill events stored before them: loadFacts equals the reference', async () => {
    const sql = await readFile(new URL('../../server/store/migrations/002_journey.sql', import.meta.url), 'utf8')
    // 003 then drops the facts of names that are not facts any more; 015 keeps the features of accounts.
    const backfill =
      sql.slice(sql.indexOf('-- Backfill')) +
      '\n' +
      (await readFile(new URL('../../server/store/migrations/003_fact_names.sql', import.meta.url), 'utf8')) +
      '\n' +
      (await readFile(new URL('../../server/store/migrations/015_account_features.sql', import.meta.url), 'utf8'))
    for (const seed of seeds.slice(0, 3)) {
      const s = await scenario(seed)
      // No cache from here on: what loadFacts returns comes from the backfilled rows alone.
      clockNow = 0
      // As if the events had been stored by version 1: no journey rows for this workspace.
      for (const table of [
        'rollup_user_days',
        'rollup_days',
        'rollup_packs',
        'workspace_feature_days',
        'account_facts',
        'account_users',
        'trait_values',
      ]) {
        await store.db.query(`DELETE FROM ${table} WHERE workspace_id = $1`, [s.ws])
      }
      expect(await store.db.query('SELECT 1 FROM rollup_user_days WHERE workspace_id = $1', [s.ws])).toEqual([])
      // Other workspaces' rows exist already: the backfill's ON CONFLICT DO NOTHING leaves them.
      await store.db.exec(backfill)
      await check(seed, s)
    }
  })
})
