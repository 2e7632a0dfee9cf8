/**
 * The evaluator (server/evaluator.ts): snapshots for the accounts listing, from touched accounts and
 * from sweeps, because dates pass without events; the timer's sweep covers every workspace of the
 * store, so a restarted process fires date-driven webhooks for workspaces it never saw.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEvaluator } from '../../server/evaluator'
import { defaultConfig } from '../../server/journey'
import { validateBatch } from '../../server/ingest/validate-batch'
import { createPgliteStore } from '../../server/store'
import type { Store } from '../../server/store/types'
import { accountHistory, DAY_MS, HOUR_MS } from '../bench/journey-data'
import { newWorkspace } from './helpers'

/** A Monday noon, so that the day numbers below are easy to follow. */
const T0 = Date.parse('2026-11-02T00:00:00.000Z')

let store: Store
beforeAll(async () => {
  store = await createPgliteStore({ dataDir: 'memory://' })
})
afterAll(async () => {
  await store?.close()
})

/** Stores events as the secret key would (past timestamps kept). */
async function ingest(ws: string, events: ReturnType<typeof accountHistory>, receivedAt: number): Promise<void> {
  const { events: ok, rejected } = validateBatch(events, 'secret', receivedAt)
  expect(rejected).toEqual([])
  await store.ingest(ws, ok)
}

const snapshot = async (ws: string, accountId: string) =>
  (await store.listSnapshots(ws, { limit: 500 })).items.find((s) => s.accountId === accountId)

/** An account that logs in daily but never completes setup, with days 0 … `days`-1 of activity. */
const noSetup = (accountId: string, days: number) =>
  accountHistory({ accountId, start: T0, days, users: 3, seed: 11, active: () => true, until: T0 + days * DAY_MS })

describe('evaluator', () => {
  it('evaluate: stores one snapshot per account with the state at clock()', async () => {
    const ws = await newWorkspace(store)
    const now = T0 + 5 * DAY_MS + 18 * HOUR_MS
    await ingest(ws.id, noSetup('a1', 6), now)
    const evaluator = createEvaluator({ store, clock: () => now, configFor: async () => defaultConfig })
    expect(await evaluator.evaluate(ws.id, ['a1'])).toBe(1)
    expect(await snapshot(ws.id, 'a1')).toMatchObject({
      accountId: 'a1',
      segment: 'smb',
      phase: 'onboarding',
      computedAt: now,
    })
  })

  it('evaluate: an account with no event at clock() gets no snapshot (and no error)', async () => {
    const ws = await newWorkspace(store)
    const evaluator = createEvaluator({ store, clock: () => T0, configFor: async () => defaultConfig })
    expect(await evaluator.evaluate(ws.id, ['ghost'])).toBe(0)
    expect(await snapshot(ws.id, 'ghost')).toBeUndefined()
  })

  it('sweep: RF01 setup_late appears at midnight of day 8 with no new event (dates pass without events)', async () => {
    const ws = await newWorkspace(store)
    // Activity up to day 7; nothing after.
    await ingest(ws.id, noSetup('late', 8), T0 + 8 * DAY_MS)
    let now = T0 + 7 * DAY_MS + 23 * HOUR_MS
    const evaluator = createEvaluator({ store, clock: () => now, configFor: async () => defaultConfig })
    await evaluator.sweep(ws.id)
    expect((await snapshot(ws.id, 'late'))!.flags).not.toContain('setup_late')
    now = T0 + 8 * DAY_MS + 60_000 // 00:01 on day 8
    expect(await evaluator.sweep(ws.id)).toBe(1)
    expect((await snapshot(ws.id, 'late'))!.flags).toContain('setup_late')
    const listed = await store.listSnapshots(ws.id, { flag: 'setup_late' })
    expect(listed.items.map((s) => s.accountId)).toEqual(['late'])
  })

  it('sweep: covers every account of the workspace, in chunks', async () => {
    const ws = await newWorkspace(store)
    for (let i = 0; i < 230; i++) {
      await ingest(
        ws.id,
        [
          {
            id: `e${i}`,
            type: 'track',
            event: '$login',
            userId: `u${i}`,
            accountId: `acc-${i}`,
            timestamp: new Date(T0 + HOUR_MS).toISOString(),
          },
        ],
        T0 + DAY_MS,
      )
    }
    const evaluator = createEvaluator({ store, clock: () => T0 + DAY_MS, configFor: async () => defaultConfig })
    expect(await evaluator.sweep(ws.id)).toBe(230)
    expect((await store.listSnapshots(ws.id, { limit: 500 })).items.length).toBe(230)
  })

  it('evaluateTouched: accounts with new events get a snapshot; a second call has nothing left', async () => {
    const ws = await newWorkspace(store)
    const now = T0 + 3 * DAY_MS
    store.takeTouchedAccounts() // what earlier tests left
    await ingest(ws.id, noSetup('t1', 3), now)
    await ingest(ws.id, noSetup('t2', 2), now)
    const evaluator = createEvaluator({ store, clock: () => now, configFor: async () => defaultConfig })
    expect(await evaluator.evaluateTouched()).toBe(2)
    expect((await snapshot(ws.id, 't1'))?.phase).toBe('onboarding')
    expect(await evaluator.evaluateTouched()).toBe(0)
  })

  it("config: evaluate uses the workspace's config (configFor)", async () => {
    const ws = await newWorkspace(store)
    const now = T0 + 5 * DAY_MS
    await ingest(ws.id, noSetup('cfg', 5), now)
    const weights = { adoption: 0, trend: 0, milestones: 0, nps: 0, support: 1, sponsor: 0 }
    const evaluator = createEvaluator({
      store,
      clock: () => now,
      configFor: async () => ({ ...defaultConfig, health: { ...defaultConfig.health, weights } }),
    })
    await evaluator.evaluate(ws.id, ['cfg'])
    // Only support counts, and there is no ticket: 100.
    expect((await snapshot(ws.id, 'cfg'))!.health).toBe(100)
  })
})

describe('evaluator: timers', () => {
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))
  const until = async (cond: () => Promise<boolean>, ms = 5000) => {
    const end = Date.now() + ms
    while (!(await cond())) {
      if (Date.now() > end) throw new Error('timed out')
      await wait(10)
    }
  }

  it('start: touched accounts are evaluated within an interval; stop ends the timers', async () => {
    const ws = await newWorkspace(store)
    const now = T0 + 2 * DAY_MS
    const evaluator = createEvaluator({ store, clock: () => now, configFor: async () => defaultConfig, log: () => {} })
    store.takeTouchedAccounts()
    evaluator.start({ intervalMs: 20 })
    try {
      await ingest(ws.id, noSetup('live', 2), now)
      await until(async () => (await snapshot(ws.id, 'live')) !== undefined)
    } finally {
      await evaluator.stop()
    }
    await ingest(ws.id, noSetup('after-stop', 2), now)
    await wait(100)
    expect(await snapshot(ws.id, 'after-stop')).toBeUndefined()
  })

  it('start: a full sweep at start, after each UTC midnight and every hour; not on every tick', async () => {
    const ws = await newWorkspace(store)
    await ingest(ws.id, noSetup('s1', 2), T0 + 2 * DAY_MS)
    let now = T0 + DAY_MS + 23 * HOUR_MS + 59 * 60_000 // 23:59 of day 1
    const sweeps: number[] = []
    const evaluator = createEvaluator({
      store,
      clock: () => now,
      configFor: async () => defaultConfig,
      log: (l) => {
        if (l.evaluator === 'sweep' && l.workspace === ws.id && l.error === undefined) sweeps.push(now)
      },
    })
    evaluator.start({ intervalMs: 15, workspaceIds: [ws.id] })
    try {
      await until(async () => sweeps.length === 1)
      await wait(100)
      expect(sweeps.length).toBe(1) // same day, same hour: no sweep on later ticks
      now = T0 + 2 * DAY_MS + 60_000 // 00:01: a new UTC day
      await until(async () => sweeps.length === 2)
      now += 30 * 60_000
      await wait(100)
      expect(sweeps.length).toBe(2)
      now += 31 * 60_000 // an hour after the last sweep
      await until(async () => sweeps.length === 3)
    } finally {
      await evaluator.stop()
    }
  })

  // Nothing throws out of a timer.
  it('start: a failing run is logged, the timers go on, and its accounts are tried again', async () => {
    const ws = await newWorkspace(store)
    const errors: unknown[] = []
    let fail = true
    const now = T0 + 2 * DAY_MS
    const evaluator = createEvaluator({
      store,
      clock: () => now,
      log: (l) => {
        if (l.error !== undefined) errors.push(l.error)
      },
      configFor: async () => {
        if (fail) throw new Error('config store down')
        return defaultConfig
      },
    })
    store.takeTouchedAccounts()
    evaluator.start({ intervalMs: 15, workspaceIds: [ws.id] })
    try {
      await ingest(ws.id, noSetup('flaky', 2), now)
      await until(async () => errors.length >= 1)
      expect(String(errors[0])).toContain('config store down')
      fail = false
      // The accounts of the failed run are kept and tried again on a later tick, with no new event.
      await until(async () => (await snapshot(ws.id, 'flaky')) !== undefined)
    } finally {
      await evaluator.stop()
    }
  })
})

describe('evaluator: the sweep covers every workspace of the store', () => {
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))
  let own: Store
  beforeAll(async () => {
    own = await createPgliteStore({ dataDir: 'memory://' })
  })
  afterAll(async () => {
    await own?.close()
  })

  const overdue = async (ws: string) =>
    own.db.query<{ id: string }>(
      "SELECT id FROM webhook_events WHERE workspace_id = $1 AND cause_key = 'milestone.overdue:late:setup'",
      [ws],
    )

  // For a workspace the new process never saw.
  it('EV01 after a restart, a milestone falling due with no event enqueues milestone.overdue', async () => {
    const seen = await newWorkspace(own)
    const unseen = await newWorkspace(own)
    // A webhook endpoint in the workspace that will get no event after the restart.
    const endpoint = await own.webhooks.createEndpoint(unseen.id, {
      url: 'https://hooks.example.com/jornada',
      events: ['milestone.overdue'],
      format: 'standard',
      at: T0,
    })
    for (const ws of [seen, unseen]) {
      const { events, rejected } = validateBatch(noSetup('late', 8), 'secret', T0 + 8 * DAY_MS)
      expect(rejected).toEqual([])
      await own.ingest(ws.id, events)
    }

    // The first process evaluates what it ingested, on day 7: setup is not overdue yet. Then it stops.
    let now = T0 + 7 * DAY_MS + 23 * HOUR_MS
    const first = createEvaluator({ store: own, clock: () => now, configFor: async () => defaultConfig, log: () => {} })
    expect(await first.evaluateTouched()).toBe(2)
    expect(await overdue(unseen.id)).toEqual([])
    await first.stop()

    // The new process: nothing touched since it started, told of no workspace but the one it serves.
    // Midnight passes (00:01 on day 8) and nobody sends an event.
    now = T0 + 8 * DAY_MS + 60_000
    const second = createEvaluator({
      store: own,
      clock: () => now,
      configFor: async () => defaultConfig,
      log: () => {},
    })
    second.start({ intervalMs: 15, workspaceIds: [seen.id] })
    try {
      const end = Date.now() + 5000
      while ((await overdue(unseen.id)).length === 0) {
        if (Date.now() > end) throw new Error(`no milestone.overdue for ${unseen.id}: its workspace was not swept`)
        await wait(10)
      }
    } finally {
      await second.stop()
    }
    const [evt] = await overdue(unseen.id)
    expect(await overdue(seen.id)).toHaveLength(1)
    // The webhook is in the outbox with a pending delivery for the workspace's endpoint.
    const deliveries = await own.db.query<{ endpoint_id: string; status: string }>(
      'SELECT endpoint_id, status FROM webhook_deliveries WHERE workspace_id = $1 AND event_id = $2',
      [unseen.id, evt!.id],
    )
    expect(deliveries).toEqual([{ endpoint_id: endpoint.id, status: 'pending' }])
  })

  it('EV02 listWorkspaceIds lists every workspace, sorted; sweepAll evaluates each of them', async () => {
    const a = await newWorkspace(own)
    const b = await newWorkspace(own)
    const ids = await own.listWorkspaceIds()
    expect(ids).toEqual(expect.arrayContaining([a.id, b.id]))
    expect(ids).toEqual([...ids].sort())
    const now = T0 + 3 * DAY_MS
    for (const ws of [a, b]) {
      const { events } = validateBatch(noSetup('s', 3), 'secret', now)
      await own.ingest(ws.id, events)
    }
    own.takeTouchedAccounts()
    const swept: string[] = []
    const evaluator = createEvaluator({
      store: own,
      clock: () => now,
      configFor: async () => defaultConfig,
      log: (l) => {
        if (l.evaluator === 'sweep' && l.error === undefined) swept.push(String(l.workspace))
      },
    })
    expect(await evaluator.sweepAll()).toBeGreaterThanOrEqual(2)
    expect(swept).toEqual(ids)
    for (const ws of [a, b]) expect((await own.listSnapshots(ws.id, {})).items.map((x) => x.accountId)).toEqual(['s'])
  })

  // Both processes' evaluators run the sweep at start; after midnight, still only one of them sweeps.
  it('EV03 two processes on one store: each later UTC hour, one of them sweeps a workspace, not both', async () => {
    const ws = await newWorkspace(own)
    let now = T0 + 3 * DAY_MS + 10 * 60_000 // 00:10
    const { events } = validateBatch(noSetup('c', 3), 'secret', now)
    await own.ingest(ws.id, events)
    own.takeTouchedAccounts()
    const sweeps: Record<string, number> = { one: 0, two: 0 }
    const make = (name: string) =>
      createEvaluator({
        store: own,
        clock: () => now,
        configFor: async () => defaultConfig,
        log: (l) => {
          if (l.evaluator === 'sweep' && l.workspace === ws.id && l.error === undefined) sweeps[name]!++
        },
      })
    const one = make('one')
    const two = make('two')
    // At start: both (a process's first sweep is not claimed).
    await one.sweepIfDue()
    await two.sweepIfDue()
    expect(sweeps).toEqual({ one: 1, two: 1 })
    // The same hour: nothing due.
    now += 20 * 60_000
    expect(await one.sweepIfDue()).toBe(0)
    expect(sweeps).toEqual({ one: 1, two: 1 })
    // The next hour: whichever comes first sweeps; the other finds it claimed.
    now += 40 * 60_000
    await two.sweepIfDue()
    await one.sweepIfDue()
    expect(sweeps).toEqual({ one: 1, two: 2 })
    // Across midnight: one sweep of the new day's first hour.
    now = T0 + 4 * DAY_MS + 60_000
    await one.sweepIfDue()
    await two.sweepIfDue()
    expect(sweeps).toEqual({ one: 2, two: 2 })
    // sweepAll without a claim (a config change) always runs.
    await two.sweepAll()
    expect(sweeps).toEqual({ one: 2, two: 3 })
  })

  it('EV04 a claimed sweep that fails gives the hour back: tried again at the next tick, same hour', async () => {
    const ws = await newWorkspace(own)
    let now = T0 + 5 * DAY_MS + 30 * 60_000
    const { events } = validateBatch(noSetup('f', 3), 'secret', now)
    await own.ingest(ws.id, events)
    own.takeTouchedAccounts()
    let failNext = false
    const swept: string[] = []
    const errors: string[] = []
    const ev = createEvaluator({
      store: own,
      clock: () => now,
      configFor: async (id) => {
        if (failNext && id === ws.id) throw ((failNext = false), new Error('the database went away'))
        return defaultConfig
      },
      log: (l) => {
        if (l.evaluator !== 'sweep' || l.workspace !== ws.id) return
        if (l.error === undefined) swept.push(new Date(now).toISOString())
        else errors.push(String(l.error))
      },
    })
    await ev.sweepIfDue() // at start
    now += 60 * 60_000 // the next hour: claimed, and it fails
    failNext = true
    await ev.sweepIfDue()
    expect(errors).toEqual(['Error: the database went away'])
    expect(swept).toHaveLength(1)
    now += 1000 // the next tick, same hour: the claim was given back, so it runs again
    await ev.sweepIfDue()
    expect(swept).toHaveLength(2)
    now += 1000 // and then nothing more this hour
    await ev.sweepIfDue()
    expect(swept).toHaveLength(2)
    expect(await own.claimSweep(ws.id, Math.floor(now / 3_600_000))).toBe(false)
  })
})
