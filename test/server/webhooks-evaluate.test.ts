/**
 * Webhook events from the evaluator (server/evaluator.ts + server/webhooks/detect.ts): detected at
 * each evaluation, written to the outbox (webhook_events) in the snapshot's transaction, once per
 * cause; the sweep after midnight fires what a date passing made true, with no event at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEvaluator } from '../../server/evaluator'
import { defaultConfig } from '../../server/journey'
import { validateBatch } from '../../server/ingest/validate-batch'
import { createPgliteStore } from '../../server/store'
import type { Store } from '../../server/store/types'
import { accountHistory, DAY_MS, HOUR_MS } from '../bench/journey-data'
import { newWorkspace } from './helpers'

/** A Monday, 00:00 UTC: day numbers below are easy to follow. */
const T0 = Date.parse('2026-11-02T00:00:00.000Z')
const date = (d: number) => new Date(T0 + d * DAY_MS).toISOString().slice(0, 10)

let store: Store
beforeAll(async () => {
  store = await createPgliteStore({ dataDir: 'memory://' })
})
afterAll(async () => {
  await store?.close()
})

type Wire = ReturnType<typeof accountHistory>
async function ingest(s: Store, ws: string, events: Wire, receivedAt: number): Promise<void> {
  const { events: ok, rejected } = validateBatch(events, 'secret', receivedAt)
  expect(rejected).toEqual([])
  await s.ingest(ws, ok)
}

/** Logs in daily (3 users) on days 0 … `days`-1, never completes setup. */
const noSetup = (accountId: string, days: number) =>
  accountHistory({ accountId, start: T0, days, users: 3, seed: 7, active: () => true, until: T0 + days * DAY_MS })

interface Row {
  type: string
  account_id: string
  cause_key: string
  payload: string
}
const outbox = async (ws: string, s: Store = store): Promise<Row[]> =>
  s.db.query<Row>(
    'SELECT type, account_id, cause_key, payload FROM webhook_events WHERE workspace_id = $1 ORDER BY cause_key',
    [ws],
  )
const causes = async (ws: string, type?: string) =>
  (await outbox(ws)).filter((r) => type === undefined || r.type === type).map((r) => r.cause_key)

describe('webhooks from the evaluator', () => {
  it('WE07 value.statement_ready: the email names who sends it, the workspace, in its subject and footer', async () => {
    const ws = await newWorkspace(store)
    await store.setConfig(ws.id, { value: { minutesSaved: { report_generated: 60 } } })
    const days = 100
    const history = accountHistory({
      accountId: 'acme',
      start: T0,
      days,
      users: 3,
      seed: 7,
      active: () => true,
      until: T0 + days * DAY_MS,
      traits: { name: 'Acme Corp' },
      planned: Array.from({ length: 40 }, (_, i) => ({ day: 55 + i, event: 'report_generated' })),
    })
    await ingest(store, ws.id, history, T0 + days * DAY_MS)
    const parsed = (await import('../../server/journey/config')).parseConfig(await store.getConfig(ws.id))
    if (!parsed.ok) throw new Error('config')
    const evaluator = createEvaluator({ store, clock: () => T0 + 95 * DAY_MS, configFor: async () => parsed.config })
    await evaluator.sweep(ws.id)
    const row = (await outbox(ws.id)).find((r) => r.type === 'value.statement_ready')
    const email = (JSON.parse(row!.payload) as { email: { subject: string; text: string } }).email
    expect(email.subject).toContain(`Test ${ws.id}`)
    expect(email.text).toContain(`Test ${ws.id}`)
  })

  it('WE01 milestone.overdue at midnight, no event: the sweep of day 8 enqueues setup once', async () => {
    const ws = await newWorkspace(store)
    // Activity on days 0-7, nothing after.
    await ingest(store, ws.id, noSetup('late', 8), T0 + 8 * DAY_MS)
    let now = T0 + 7 * DAY_MS + 23 * HOUR_MS
    const evaluator = createEvaluator({ store, clock: () => now, configFor: async () => defaultConfig })
    await evaluator.sweep(ws.id)
    expect(await causes(ws.id, 'milestone.overdue')).not.toContain('milestone.overdue:late:setup')
    expect(await causes(ws.id, 'red_flag.raised')).toEqual([])
    const before = (await outbox(ws.id)).length

    now = T0 + 8 * DAY_MS + 60_000 // 00:01 on day 8
    await evaluator.sweep(ws.id)
    const rows = await outbox(ws.id)
    expect(rows.filter((r) => r.cause_key === 'milestone.overdue:late:setup')).toHaveLength(1)
    expect(await causes(ws.id, 'red_flag.raised')).toEqual([`red_flag.raised:late:setup_late:${date(8)}`])
    // Exactly those two are new at midnight.
    expect(rows.length - before).toBe(2)
    const payload = JSON.parse(rows.find((r) => r.cause_key === 'milestone.overdue:late:setup')!.payload) as Record<
      string,
      unknown
    >
    expect(payload).toMatchObject({
      accountId: 'late',
      accountName: 'late',
      segment: 'smb',
      phase: 'onboarding',
      milestone: 'setup',
    })

    // Still holding an hour later (and the next day): nothing new.
    now = T0 + 8 * DAY_MS + HOUR_MS
    await evaluator.sweep(ws.id)
    expect((await outbox(ws.id)).length).toBe(rows.length)
  })

  it('WE02 first evaluation: the phase the account is in, once; no red_flag.cleared without a snapshot', async () => {
    const ws = await newWorkspace(store)
    await ingest(store, ws.id, noSetup('fresh', 2), T0 + 2 * DAY_MS)
    const evaluator = createEvaluator({
      store,
      clock: () => T0 + DAY_MS + 20 * HOUR_MS,
      configFor: async () => defaultConfig,
    })
    await evaluator.sweep(ws.id)
    await evaluator.sweep(ws.id)
    expect(await causes(ws.id, 'phase.changed')).toEqual([`phase.changed:fresh:onboarding:${date(0)}`])
    expect(await causes(ws.id, 'red_flag.cleared')).toEqual([])
  })

  it('WE03 evaluateTouched: an NPS detractor and a setup_completed (red_flag.cleared)', async () => {
    const ws = await newWorkspace(store)
    let now = T0 + 9 * DAY_MS + 10 * HOUR_MS
    await ingest(store, ws.id, noSetup('acme', 10), now)
    const evaluator = createEvaluator({ store, clock: () => now, configFor: async () => defaultConfig })
    store.takeTouchedAccounts() // what earlier tests left
    await evaluator.sweep(ws.id)
    expect(await causes(ws.id, 'red_flag.raised')).toContain(`red_flag.raised:acme:setup_late:${date(8)}`)

    now += HOUR_MS
    await ingest(
      store,
      ws.id,
      [
        {
          id: 'nps-1',
          type: 'track',
          event: 'nps_response',
          userId: 'acme-u1',
          accountId: 'acme',
          timestamp: new Date(now - 60_000).toISOString(),
          properties: { score: 2, comment: 'slow' },
        },
        {
          id: 'setup-1',
          type: 'track',
          event: 'setup_completed',
          accountId: 'acme',
          timestamp: new Date(now - 30_000).toISOString(),
          properties: {},
        },
      ] as Wire,
      now,
    )
    expect(await evaluator.evaluateTouched()).toBe(1)
    const rows = await outbox(ws.id)
    const nps = rows.find((r) => r.cause_key === 'nps.detractor:acme:nps-1')
    expect(JSON.parse(nps!.payload)).toMatchObject({ score: 2, comment: 'slow', userId: 'acme-u1' })
    expect(rows.map((r) => r.cause_key)).toContain(`red_flag.cleared:acme:setup_late:${date(8)}`)
  })

  it('WE04 two evaluators (two processes) on one store, at once: one outbox row per cause', async () => {
    const ws = await newWorkspace(store)
    const now = T0 + 9 * DAY_MS
    await ingest(store, ws.id, noSetup('twice', 9), now)
    const a = createEvaluator({ store, clock: () => now, configFor: async () => defaultConfig })
    const b = createEvaluator({ store, clock: () => now + 1000, configFor: async () => defaultConfig })
    await Promise.all([a.sweep(ws.id), b.sweep(ws.id), a.sweep(ws.id)])
    const keys = await causes(ws.id)
    expect(new Set(keys).size).toBe(keys.length)
    expect(keys).toContain('milestone.overdue:twice:setup')
  })

  it('WE05 one transaction: when the outbox write fails, the snapshot is not stored either', async () => {
    const own = await createPgliteStore({ dataDir: 'memory://' })
    try {
      const ws = await newWorkspace(own)
      await ingest(own, ws.id, noSetup('atomic', 9), T0 + 9 * DAY_MS)
      await own.db.exec('DROP TABLE webhook_events CASCADE')
      const evaluator = createEvaluator({
        store: own,
        clock: () => T0 + 9 * DAY_MS,
        configFor: async () => defaultConfig,
      })
      await expect(evaluator.sweep(ws.id)).rejects.toThrow(/webhook_events/)
      expect((await own.listSnapshots(ws.id, {})).items).toEqual([])
    } finally {
      await own.close()
    }
  })

  it('WE06 two processes across midnight, one snapshot read: one phase.changed', async () => {
    const ws = await newWorkspace(store)
    await ingest(store, ws.id, noSetup('flip', 10), T0 + 10 * DAY_MS)
    // The stored snapshot said value on day 4 (an override since lifted): onboarding again, a change the rules cannot date.
    const stale = {
      accountId: 'flip',
      segment: 'smb',
      phase: 'value',
      health: null,
      band: null,
      flags: [],
      computedAt: T0 + 4 * DAY_MS + 123,
    }
    await store.putSnapshots(ws.id, [stale])
    const a = createEvaluator({ store, clock: () => T0 + 10 * DAY_MS - 1, configFor: async () => defaultConfig })
    const b = createEvaluator({ store, clock: () => T0 + 10 * DAY_MS + 1, configFor: async () => defaultConfig })
    await a.evaluate(ws.id, ['flip'])
    // b read the snapshot before a's commit replaced it (the race of two processes), and evaluates after midnight.
    await store.putSnapshots(ws.id, [stale])
    await b.evaluate(ws.id, ['flip'])
    expect(await causes(ws.id, 'phase.changed')).toEqual([
      `phase.changed:flip:onboarding:after:value:${new Date(stale.computedAt).toISOString()}`,
    ])
    const keys = await causes(ws.id)
    expect(new Set(keys).size).toBe(keys.length)
  })
})
