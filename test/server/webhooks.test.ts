/**
 * Webhooks on the embedded store: endpoints through the API,
 * signed delivery checked by an independent receiver (test/support/webhook-receiver.ts), retries
 * with backoff and jitter, the dead letters, replay, filters, the Slack format, once per cause
 * across enqueues and dispatcher restarts, PATCH and pause, and the deliveries' pages. The receiver
 * listens on 127.0.0.1, so the app and the dispatchers here allow private addresses (the SSRF
 * guard's own tests: webhooks-ssrf.test.ts). PostgreSQL with two processes: webhooks-postgres.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../server/app'
import type { Store } from '../../server/store/types'
import { createDispatcher, MAX_ATTEMPTS, RETRY_JITTER, RETRY_SCHEDULE_MS } from '../../server/webhooks/dispatcher'
import type { Dispatcher } from '../../server/webhooks/dispatcher'
import type { WebhookBody, WebhookEvent } from '../../server/webhooks/types'
import { prng } from '../support/prng'
import { webhookBed } from '../support/webhook-bed'
import { startWebhookReceiver, verifyStandardWebhook } from '../support/webhook-receiver'
import type { WebhookReceiver } from '../support/webhook-receiver'
import { API, newWorkspace } from './helpers'
import type { TestWorkspace } from './helpers'

const T0 = Date.parse('2026-11-24T10:00:00.000Z')
let now = T0
const clock = () => now

const bed = webhookBed(() => {
  now = T0
})
const { receivers, dispatchers } = bed
let store: Store
let app: ReturnType<typeof createApp>

beforeAll(() => {
  store = bed.store
  // The receiver is on 127.0.0.1: the opt-out that JORNADA_WEBHOOK_ALLOW_PRIVATE=1 sets in node.ts.
  app = createApp({ store, clock, webhookUrls: { allowPrivate: true } })
})

async function receiver(): Promise<WebhookReceiver> {
  const r = await startWebhookReceiver({ clock })
  receivers.push(r)
  return r
}

/** A dispatcher that may deliver to 127.0.0.1, with no jitter unless `random` is given (0.5: the schedule itself). */
function dispatcher(opts: { timeoutMs?: number; batchSize?: number; random?: () => number } = {}): Dispatcher {
  const d = createDispatcher({ store, clock, log: () => {}, allowPrivate: true, random: () => 0.5, ...opts })
  dispatchers.push(d)
  return d
}

async function call(method: string, path: string, key: string, body?: unknown) {
  const res = await app.request(`${API}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  })
  const text = await res.text()
  return { status: res.status, json: text ? JSON.parse(text) : null }
}

/** Creates an endpoint for the receiver through the API and gives the receiver its secret. */
async function endpoint(ws: TestWorkspace, r: WebhookReceiver, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await call('POST', '/v1/webhooks', ws.secretKey, { url: r.url, ...extra })
  expect(res.status).toBe(201)
  r.secret = res.json.secret
  return res.json.id
}

const phaseChanged = (accountId = 'acme', n = 1): WebhookEvent => ({
  type: 'phase.changed',
  accountId,
  causeKey: `phase.changed:${accountId}:${n}`,
  occurredAt: T0 - 60_000,
  data: { accountName: 'Acme', from: 'value', to: 'renewal', reason: 'daysToRenewal 30 ≤ 30' },
})

const deliveries = async (ws: TestWorkspace, id: string, query = '') =>
  (await call('GET', `/v1/webhooks/${id}/deliveries${query}`, ws.secretKey)).json.deliveries

describe('webhooks: endpoints (POST/GET/DELETE /v1/webhooks)', () => {
  it('WH01 create answers 201 with a whsec_ secret of 24 bytes, shown only there', async () => {
    const ws = await newWorkspace(store)
    const res = await call('POST', '/v1/webhooks', ws.secretKey, {
      url: 'https://example.com/hook',
      events: ['nps.promoter', 'nps.promoter'],
      format: 'slack',
    })
    expect(res.status).toBe(201)
    expect(res.json).toMatchObject({ url: 'https://example.com/hook', events: ['nps.promoter'], format: 'slack' })
    expect(res.json.id).toMatch(/^whe_/)
    expect(res.json.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/)
    expect(Buffer.from(res.json.secret.slice(6), 'base64')).toHaveLength(24)
    const list = await call('GET', '/v1/webhooks', ws.secretKey)
    expect(list.status).toBe(200)
    expect(list.json.items).toEqual([
      {
        id: res.json.id,
        url: 'https://example.com/hook',
        events: ['nps.promoter'],
        format: 'slack',
        enabled: true,
        createdAt: new Date(T0).toISOString(),
      },
    ])
    expect(JSON.stringify(list.json)).not.toContain('whsec_')
    const all = await call('POST', '/v1/webhooks', ws.secretKey, { url: 'http://127.0.0.1:9/x' })
    expect(all.json).toMatchObject({ events: null, format: 'standard' })
  })

  it('WH02 bodies are validated with every issue named; the write key is refused', async () => {
    const ws = await newWorkspace(store)
    const bad = await call('POST', '/v1/webhooks', ws.secretKey, {
      url: 'ftp://example.com',
      events: ['nope'],
      format: 'xml',
      extra: 1,
    })
    expect(bad.status).toBe(400)
    expect(bad.json.error.code).toBe('invalid_body')
    expect(bad.json.error.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'events.0',
      'extra',
      'format',
      'url',
    ])
    expect((await call('POST', '/v1/webhooks', ws.secretKey, { url: 'https://x.test', events: [] })).status).toBe(400)
    expect((await call('POST', '/v1/webhooks', ws.writeKey, { url: 'https://x.test' })).status).toBe(403)
    expect((await call('GET', '/v1/webhooks', 'sk_nope')).status).toBe(401)
  })

  it('WH03 delete: 204, then 404; another workspace sees nothing of it', async () => {
    const ws = await newWorkspace(store)
    const other = await newWorkspace(store)
    const { json } = await call('POST', '/v1/webhooks', ws.secretKey, { url: 'https://example.com/hook' })
    expect((await call('GET', `/v1/webhooks/${json.id}/deliveries`, other.secretKey)).status).toBe(404)
    expect((await call('DELETE', `/v1/webhooks/${json.id}`, other.secretKey)).status).toBe(404)
    expect((await call('DELETE', `/v1/webhooks/${json.id}`, ws.secretKey)).status).toBe(204)
    expect((await call('DELETE', `/v1/webhooks/${json.id}`, ws.secretKey)).status).toBe(404)
    expect((await call('GET', '/v1/webhooks', ws.secretKey)).json.items).toEqual([])
    expect((await call('GET', `/v1/webhooks/${json.id}/deliveries`, ws.secretKey)).status).toBe(404)
  })
})

describe('webhooks: delivery', () => {
  it('WH10 signature: an independent receiver verifies id, timestamp and v1 signature', async () => {
    const ws = await newWorkspace(store)
    const r = await receiver()
    const id = await endpoint(ws, r)
    expect(await store.webhooks.enqueue(ws.id, [phaseChanged()])).toBe(1)
    const result = await dispatcher().runOnce()
    expect(result).toEqual({ attempted: 1, delivered: 1, retrying: 0, dead: 0 })
    expect(r.rejected).toEqual([])
    expect(r.received).toHaveLength(1)
    const got = r.received[0]!
    const body = got.json as WebhookBody
    expect(got.id).toMatch(/^evt_/)
    expect(body).toEqual({
      id: got.id,
      type: 'phase.changed',
      timestamp: new Date(T0 - 60_000).toISOString(),
      accountId: 'acme',
      data: { accountName: 'Acme', from: 'value', to: 'renewal', reason: 'daysToRenewal 30 ≤ 30' },
    })
    expect(got.timestamp).toBe(T0 / 1000)
    const [d] = await deliveries(ws, id)
    expect(d).toMatchObject({
      eventId: got.id,
      type: 'phase.changed',
      status: 'delivered',
      attempts: 1,
      lastStatus: 200,
      lastResponse: 'ok',
      lastError: null,
      nextAttemptAt: null,
    })
    expect(d.id).toMatch(/^dlv_/)
  })

  it('WH11 the receiver refuses a wrong secret, a changed body and an old timestamp (the checks are real)', async () => {
    const ws = await newWorkspace(store)
    const r = await receiver()
    await endpoint(ws, r)
    const secret = r.secret
    r.secret = 'whsec_' + Buffer.alloc(24, 7).toString('base64')
    await store.webhooks.enqueue(ws.id, [phaseChanged()])
    expect((await dispatcher().runOnce()).retrying).toBe(1)
    expect(r.rejected).toEqual(['no v1 signature matches'])
    const ok = { id: 'evt_x', timestamp: String(T0 / 1000) }
    const sig = (await import('node:crypto'))
      .createHmac('sha256', Buffer.from(secret.slice(6), 'base64'))
      .update(`evt_x.${T0 / 1000}.{}`)
      .digest('base64')
    expect(verifyStandardWebhook(secret, { ...ok, signature: `v0,abc v1,${sig}` }, '{}', T0 / 1000)).toBeNull()
    expect(verifyStandardWebhook(secret, { ...ok, signature: `v1,${sig}` }, '{ }', T0 / 1000)).toBe(
      'no v1 signature matches',
    )
    expect(verifyStandardWebhook(secret, { ...ok, signature: `v1,${sig}` }, '{}', T0 / 1000 + 301)).toBe(
      'webhook-timestamp outside the tolerance',
    )
  })

  it('WH12 a 500 for a while, then success: retried on the schedule, delivered once, attempts recorded', async () => {
    const ws = await newWorkspace(store)
    const r = await receiver()
    const id = await endpoint(ws, r)
    r.failNext = 3
    await store.webhooks.enqueue(ws.id, [phaseChanged()])
    const d = dispatcher()
    expect(await d.runOnce()).toMatchObject({ attempted: 1, retrying: 1 })
    let [row] = await deliveries(ws, id)
    expect(row).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastStatus: 500,
      lastError: 'HTTP 500',
      nextAttemptAt: new Date(T0 + 10_000).toISOString(),
    })
    expect(row.lastResponse).toHaveLength(1024)
    // Not due before its time.
    now = T0 + 9_000
    expect((await d.runOnce()).attempted).toBe(0)
    for (const wait of RETRY_SCHEDULE_MS.slice(0, 3)) {
      now += wait
      await d.runOnce()
    }
    ;[row] = await deliveries(ws, id)
    expect(row).toMatchObject({
      status: 'delivered',
      attempts: 4,
      lastStatus: 200,
      lastError: null,
      nextAttemptAt: null,
    })
    expect(r.attempts.map((a) => a.answered)).toEqual([500, 500, 500, 200])
    expect(new Set(r.attempts.map((a) => a.id)).size).toBe(1) // one webhook-id across retries
    expect(r.received).toHaveLength(1)
    now += 48 * 3600_000
    expect((await d.runOnce()).attempted).toBe(0)
  })

  it('WH13 dead after MAX_ATTEMPTS over more than a day, listed by ?status=dead; replay delivers it again', async () => {
    const ws = await newWorkspace(store)
    const r = await receiver()
    const id = await endpoint(ws, r)
    r.failNext = 1_000
    await store.webhooks.enqueue(ws.id, [phaseChanged(), phaseChanged('beta')])
    const d = dispatcher()
    let elapsed = 0
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      await d.runOnce()
      const wait = RETRY_SCHEDULE_MS[i] ?? 0
      now += wait
      elapsed += wait
    }
    expect(elapsed).toBeGreaterThan(24 * 3600_000)
    expect(r.attempts).toHaveLength(2 * MAX_ATTEMPTS)
    const dead = await deliveries(ws, id, '?status=dead')
    expect(dead).toHaveLength(2)
    expect(dead[0]).toMatchObject({ status: 'dead', attempts: MAX_ATTEMPTS, lastStatus: 500, nextAttemptAt: null })
    expect(await deliveries(ws, id, '?status=pending')).toEqual([])
    expect((await call('GET', `/v1/webhooks/${id}/deliveries?status=lost`, ws.secretKey)).status).toBe(400)
    now += 7 * 24 * 3600_000
    expect((await d.runOnce()).attempted).toBe(0)

    // Replay one: due now, attempts kept, delivered on the next run.
    r.failNext = 0
    const replay = await call('POST', `/v1/webhooks/${id}/deliveries/${dead[0].id}/replay`, ws.secretKey)
    expect(replay.status).toBe(202)
    expect((await deliveries(ws, id, '?status=pending'))[0]).toMatchObject({
      id: dead[0].id,
      attempts: MAX_ATTEMPTS,
      nextAttemptAt: null,
    })
    expect(await d.runOnce()).toMatchObject({ attempted: 1, delivered: 1 })
    expect(r.received).toHaveLength(1)
    expect(r.received[0]!.id).toBe(dead[0].eventId)
    expect((await deliveries(ws, id)).map((x: { status: string }) => x.status).sort()).toEqual(['dead', 'delivered'])
    expect((await call('POST', `/v1/webhooks/${id}/deliveries/dlv_nope/replay`, ws.secretKey)).status).toBe(404)
  })

  it('WH14 a timeout is a failed attempt, retried', async () => {
    const ws = await newWorkspace(store)
    const r = await receiver()
    const id = await endpoint(ws, r)
    r.delayMs = 400
    await store.webhooks.enqueue(ws.id, [phaseChanged()])
    expect(await dispatcher({ timeoutMs: 100 }).runOnce()).toMatchObject({ attempted: 1, retrying: 1 })
    expect((await deliveries(ws, id))[0]).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastStatus: null,
      lastError: 'timeout after 100 ms',
    })
  })

  it('WH15 an unreachable endpoint is retried with the network error recorded', async () => {
    const ws = await newWorkspace(store)
    const r = await receiver()
    await r.close()
    const id = await endpoint(ws, r)
    await store.webhooks.enqueue(ws.id, [phaseChanged()])
    expect(await dispatcher().runOnce()).toMatchObject({ attempted: 1, retrying: 1 })
    expect((await deliveries(ws, id))[0].lastError).toMatch(/fetch failed|ECONNREFUSED/)
  })

  it('WH16 per-endpoint event filter: an endpoint gets only the types it asked for', async () => {
    const ws = await newWorkspace(store)
    const [all, promoters] = [await receiver(), await receiver()]
    await endpoint(ws, all)
    const pid = await endpoint(ws, promoters, { events: ['nps.promoter'] })
    await store.webhooks.enqueue(ws.id, [
      phaseChanged(),
      {
        type: 'nps.promoter',
        accountId: 'acme',
        causeKey: 'nps.promoter:acme:e1',
        occurredAt: T0,
        data: { score: 10, userId: 'u1' },
      },
    ])
    await dispatcher().runOnce()
    expect(all.received.map((x) => (x.json as WebhookBody).type).sort()).toEqual(['nps.promoter', 'phase.changed'])
    expect(promoters.received.map((x) => (x.json as WebhookBody).type)).toEqual(['nps.promoter'])
    expect(await deliveries(ws, pid)).toHaveLength(1)
  })

  it('WH17 slack format: a readable { text, blocks } message, still signed', async () => {
    const ws = await newWorkspace(store)
    const r = await receiver()
    await endpoint(ws, r, { format: 'slack' })
    await store.webhooks.enqueue(ws.id, [
      phaseChanged(),
      {
        type: 'intervention.created',
        accountId: 'big<co>',
        causeKey: 'intervention.created:big:1',
        occurredAt: T0,
        data: {
          accountName: 'Big & Co',
          action: 'user_expansion',
          situation: 'single_user',
          channel: 'task',
          owner: 'csm',
        },
      },
    ])
    await dispatcher().runOnce()
    expect(r.rejected).toEqual([])
    const texts = r.received.map((x) => (x.json as { text: string }).text).sort()
    expect(texts).toEqual([
      '*Acme* (acme) entered phase *renewal* (was value): daysToRenewal 30 ≤ 30',
      '*Big &amp; Co* (big&lt;co&gt;) needs *user expansion* (by task, owner csm)',
    ])
    const msg = r.received[0]!.json as { blocks: { type: string }[] }
    expect(msg.blocks.map((b) => b.type)).toEqual(['section', 'context'])
  })
})

describe('webhooks: once per cause', () => {
  it('WH20 enqueue twice the same causeKey (and twice in one call): one event, one delivery, one POST', async () => {
    const ws = await newWorkspace(store)
    const r = await receiver()
    const id = await endpoint(ws, r)
    expect(await store.webhooks.enqueue(ws.id, [phaseChanged(), phaseChanged()])).toBe(1)
    expect(await store.webhooks.enqueue(ws.id, [phaseChanged(), phaseChanged('acme', 2)])).toBe(1)
    expect(await store.webhooks.enqueue(ws.id, [])).toBe(0)
    // Another workspace's cause keys are its own.
    const other = await newWorkspace(store)
    expect(await store.webhooks.enqueue(other.id, [phaseChanged()])).toBe(1)
    expect(await deliveries(ws, id)).toHaveLength(2)
    await dispatcher().runOnce()
    expect([...r.countsById().values()]).toEqual([1, 1])
  })

  it('WH21 a snapshot write that fails enqueues nothing (the outbox commits with its cause)', async () => {
    const ws = await newWorkspace(store)
    // A snapshot with no phase: the database refuses it, and the transaction with it.
    const broken = {
      accountId: 'acme',
      segment: 'smb',
      phase: null as unknown as string,
      health: null,
      band: null,
      flags: [],
      computedAt: Date.now(),
    }
    await expect(store.putSnapshots(ws.id, [broken], [phaseChanged()])).rejects.toThrow(/phase/)
    expect(await store.webhooks.enqueue(ws.id, [phaseChanged()])).toBe(1)
  })

  it('WH22 a dispatcher dies holding a claim, causes re-enqueued, a new one: each once', async () => {
    const ws = await newWorkspace(store)
    const r = await receiver()
    await endpoint(ws, r)
    const causes = Array.from({ length: 30 }, (_, i) => phaseChanged(`acc${i}`))
    await store.webhooks.enqueue(ws.id, causes.slice(0, 20))
    // The first process, on its timer, delivers the first 20.
    const first = dispatcher({ batchSize: 7 })
    first.start({ intervalMs: 5 })
    while (r.received.length < 20) await new Promise((res) => setTimeout(res, 5))
    await first.stop()
    // 10 more causes; the first process claims 3 of them and dies before it POSTs (never recorded).
    expect(await store.webhooks.enqueue(ws.id, causes)).toBe(10)
    const orphaned = await store.webhooks.claimDue({ now, limit: 3, leaseUntil: now + 120_000, token: 'dead-process' })
    expect(orphaned).toHaveLength(3)
    // After the restart the evaluator re-detects every cause and enqueues them all again: nothing new.
    expect(await store.webhooks.enqueue(ws.id, causes)).toBe(0)
    const second = dispatcher()
    await second.runOnce()
    expect(r.received).toHaveLength(27)
    // The dead process's lease runs out: its rows are delivered by the new dispatcher, once.
    now += 121_000
    expect(await second.runOnce()).toMatchObject({ attempted: 3, delivered: 3 })
    const counts = r.countsById()
    expect(counts.size).toBe(30)
    expect([...counts.values()].every((n) => n === 1)).toBe(true)
    expect(r.rejected).toEqual([])
  })
})

describe('webhooks: retry jitter', () => {
  it('WH23 endpoints failing together retry at different times, within ±20% of the schedule', async () => {
    const ws = await newWorkspace(store)
    const rs = await Promise.all(Array.from({ length: 5 }, () => receiver()))
    const ids: string[] = []
    for (const r of rs) {
      ids.push(await endpoint(ws, r))
      r.failNext = 1
    }
    await store.webhooks.enqueue(ws.id, [phaseChanged()])
    expect(await dispatcher({ random: prng(42) }).runOnce()).toMatchObject({ attempted: 5, retrying: 5 })
    const next = await Promise.all(ids.map(async (id) => Date.parse((await deliveries(ws, id))[0].nextAttemptAt) - T0))
    expect(new Set(next).size).toBe(5)
    for (const wait of next) {
      expect(wait).toBeGreaterThanOrEqual(Math.floor(RETRY_SCHEDULE_MS[0] * (1 - RETRY_JITTER)))
      expect(wait).toBeLessThanOrEqual(Math.ceil(RETRY_SCHEDULE_MS[0] * (1 + RETRY_JITTER)))
    }
  })

  it('WH24 at the shortest jitter each time, a failing delivery still dies after a day', async () => {
    const ws = await newWorkspace(store)
    const r = await receiver()
    const id = await endpoint(ws, r)
    r.failNext = 1_000
    await store.webhooks.enqueue(ws.id, [phaseChanged()])
    const d = dispatcher({ random: () => 0 })
    for (;;) {
      await d.runOnce()
      const [row] = await deliveries(ws, id)
      if (row.status === 'dead') break
      now = Date.parse(row.nextAttemptAt)
    }
    expect(r.attempts).toHaveLength(MAX_ATTEMPTS)
    // The last attempt is the one after the last wait: first to last attempt spans the shortest schedule.
    expect(now - T0).toBeGreaterThan(24 * 3600_000)
  })
})

describe('webhooks: PATCH /v1/webhooks/:id', () => {
  it('WH25 changes url, events and format; the rest and the secret stay', async () => {
    const ws = await newWorkspace(store)
    const [first, second] = [await receiver(), await receiver()]
    const id = await endpoint(ws, first, { events: ['nps.promoter'] })
    const res = await call('PATCH', `/v1/webhooks/${id}`, ws.secretKey, {
      url: second.url,
      events: ['phase.changed', 'phase.changed'],
      format: 'slack',
    })
    expect(res.status).toBe(200)
    expect(res.json).toEqual({
      id,
      url: second.url,
      events: ['phase.changed'],
      format: 'slack',
      enabled: true,
      createdAt: new Date(T0).toISOString(),
    })
    expect(JSON.stringify(res.json)).not.toContain('whsec_')
    expect((await call('GET', '/v1/webhooks', ws.secretKey)).json.items).toEqual([res.json])
    // The new URL gets the deliveries, signed with the endpoint's unchanged secret.
    second.secret = first.secret
    await store.webhooks.enqueue(ws.id, [phaseChanged()])
    await dispatcher().runOnce()
    expect(first.attempts).toEqual([])
    expect(second.rejected).toEqual([])
    expect(second.received.map((x) => (x.json as { text: string }).text)).toEqual([
      '*Acme* (acme) entered phase *renewal* (was value): daysToRenewal 30 ≤ 30',
    ])
    // events: null is every type again; {} changes nothing.
    expect((await call('PATCH', `/v1/webhooks/${id}`, ws.secretKey, { events: null })).json.events).toBeNull()
    expect((await call('PATCH', `/v1/webhooks/${id}`, ws.secretKey, {})).json).toMatchObject({
      url: second.url,
      events: null,
      format: 'slack',
      enabled: true,
    })
  })

  it('WH26 unknown id is a 404, a bad field a 400 naming it, the write key a 403', async () => {
    const ws = await newWorkspace(store)
    const other = await newWorkspace(store)
    const { json } = await call('POST', '/v1/webhooks', ws.secretKey, { url: 'https://example.com/hook' })
    expect((await call('PATCH', '/v1/webhooks/whe_nope', ws.secretKey, { enabled: false })).status).toBe(404)
    const foreign = await call('PATCH', `/v1/webhooks/${json.id}`, other.secretKey, { enabled: false })
    expect(foreign.status).toBe(404)
    expect(foreign.json.error.code).toBe('not_found')
    const bad = await call('PATCH', `/v1/webhooks/${json.id}`, ws.secretKey, {
      url: 'ftp://example.com',
      events: ['nope'],
      format: 'xml',
      enabled: 'no',
      secret: 'x',
    })
    expect(bad.status).toBe(400)
    expect(bad.json.error.code).toBe('invalid_body')
    expect(bad.json.error.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'enabled',
      'events.0',
      'format',
      'secret',
      'url',
    ])
    expect(
      (await call('PATCH', `/v1/webhooks/${json.id}`, ws.secretKey, { events: [] })).json.error.issues[0].path,
    ).toBe('events')
    expect((await call('PATCH', `/v1/webhooks/${json.id}`, ws.writeKey, { enabled: false })).status).toBe(403)
    const notJson = await app.request(`${API}/v1/webhooks/${json.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${ws.secretKey}`, 'content-type': 'application/json' },
      body: '{',
    })
    expect(notJson.status).toBe(400)
    // Nothing changed.
    expect((await call('GET', '/v1/webhooks', ws.secretKey)).json.items[0]).toMatchObject({
      url: 'https://example.com/hook',
      events: null,
      format: 'standard',
      enabled: true,
    })
  })

  it('WH27 enabled: false delivers nothing; its causes wait, then go out once each', async () => {
    const ws = await newWorkspace(store)
    const r = await receiver()
    const id = await endpoint(ws, r)
    // One delivery already failing before the pause: its attempts and schedule are kept.
    r.failNext = 1
    await store.webhooks.enqueue(ws.id, [phaseChanged('before')])
    const d = dispatcher()
    expect(await d.runOnce()).toMatchObject({ attempted: 1, retrying: 1 })

    const paused = await call('PATCH', `/v1/webhooks/${id}`, ws.secretKey, { enabled: false })
    expect(paused.status).toBe(200)
    expect(paused.json.enabled).toBe(false)
    expect((await call('GET', '/v1/webhooks', ws.secretKey)).json.items[0].enabled).toBe(false)
    // Causes that occur while paused: stored, each with a pending delivery for the paused endpoint.
    expect(await store.webhooks.enqueue(ws.id, [phaseChanged('during', 1), phaseChanged('during', 2)])).toBe(2)
    now += 3 * 24 * 3600_000
    expect(await d.runOnce()).toEqual({ attempted: 0, delivered: 0, retrying: 0, dead: 0 })
    expect(r.attempts).toHaveLength(1)
    const waiting = await deliveries(ws, id)
    expect(waiting.map((x: { status: string }) => x.status)).toEqual(['pending', 'pending', 'pending'])
    expect(waiting.find((x: { attempts: number }) => x.attempts === 1)).toBeDefined()

    expect((await call('PATCH', `/v1/webhooks/${id}`, ws.secretKey, { enabled: true })).json.enabled).toBe(true)
    expect(await d.runOnce()).toMatchObject({ attempted: 3, delivered: 3 })
    expect(r.received.map((x) => (x.json as WebhookBody).accountId).sort()).toEqual(['before', 'during', 'during'])
    expect([...r.countsById().values()]).toEqual([1, 1, 1])
    expect((await deliveries(ws, id)).map((x: { status: string }) => x.status)).toEqual([
      'delivered',
      'delivered',
      'delivered',
    ])
  })
})

describe('webhooks: the OpenAPI document', () => {
  it("WH28 PATCH /v1/webhooks/{id} and the deliveries' cursor are in GET /openapi.json", async () => {
    const doc = (await (await app.request(`${API}/openapi.json`)).json()) as any
    const patch = doc.paths['/v1/webhooks/{id}'].patch
    expect(patch.security).toEqual([{ secretKey: [] }, { session: [] }])
    const body = patch.requestBody.content['application/json'].schema
    expect(Object.keys(body.properties).sort()).toEqual(['enabled', 'events', 'format', 'url'])
    expect(body.additionalProperties).toBe(false)
    expect(Object.keys(patch.responses).sort()).toEqual(['200', '400', '401', '403', '404', '413'])
    const params = doc.paths['/v1/webhooks/{id}/deliveries'].get.parameters.map((p: { name: string }) => p.name)
    expect(params).toEqual(['id', 'status', 'limit', 'cursor'])
  })
})

describe('webhooks: GET /v1/webhooks/:id/deliveries pages', () => {
  type Page = {
    status: number
    json: { deliveries: { id: string; eventId: string; status: string }[]; items: unknown[]; nextCursor: string | null }
  }
  const page = async (ws: TestWorkspace, id: string, query: string) =>
    (await call('GET', `/v1/webhooks/${id}/deliveries?${query}`, ws.secretKey)) as Page
  const causes = (from: number, n: number) => Array.from({ length: n }, (_, i) => phaseChanged(`acc${from + i}`))

  it('WH29 limit and cursor: newest first, every delivery once, nextCursor null at the end; items kept', async () => {
    const ws = await newWorkspace(store)
    const { json } = await call('POST', '/v1/webhooks', ws.secretKey, { url: 'https://example.com/hook' })
    for (let i = 0; i < 25; i++) await store.webhooks.enqueue(ws.id, causes(i, 1))
    const all = (await page(ws, json.id, 'limit=500')).json
    expect(all.deliveries).toHaveLength(25)
    expect(all.nextCursor).toBeNull()
    expect(all.items).toEqual(all.deliveries)
    const seen: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const res: Page = await page(ws, json.id, `limit=10${cursor ? `&cursor=${cursor}` : ''}`)
      expect(res.status).toBe(200)
      seen.push(...res.json.deliveries.map((d) => d.id))
      cursor = res.json.nextCursor
      pages++
    } while (cursor !== null)
    expect(pages).toBe(3)
    expect(seen).toEqual(all.deliveries.map((d) => d.id)) // newest first, the same order
    // Newest first: the last enqueued cause is on top.
    const events = await store.db.query<{ id: string; account_id: string }>(
      'SELECT id, account_id FROM webhook_events WHERE workspace_id = $1',
      [ws.id],
    )
    expect(events.find((e) => e.id === all.deliveries[0]!.eventId)!.account_id).toBe('acc24')
  })

  it('WH30 stable across inserts: deliveries created between two pages do not shift the next page', async () => {
    const ws = await newWorkspace(store)
    const { json } = await call('POST', '/v1/webhooks', ws.secretKey, { url: 'https://example.com/hook' })
    await store.webhooks.enqueue(ws.id, causes(0, 20))
    const before = (await page(ws, json.id, 'limit=500')).json.deliveries.map((d) => d.id)
    const first = (await page(ws, json.id, 'limit=8')).json
    await store.webhooks.enqueue(ws.id, causes(100, 5))
    const second = (await page(ws, json.id, `limit=8&cursor=${first.nextCursor}`)).json
    expect(first.deliveries.map((d) => d.id)).toEqual(before.slice(0, 8))
    expect(second.deliveries.map((d) => d.id)).toEqual(before.slice(8, 16))
    const third = (await page(ws, json.id, `limit=8&cursor=${second.nextCursor}`)).json
    expect(third.deliveries.map((d) => d.id)).toEqual(before.slice(16))
    expect(third.nextCursor).toBeNull()
    // The new ones are on a fresh first page.
    expect((await page(ws, json.id, 'limit=500')).json.deliveries).toHaveLength(25)
  })

  it('WH31 status filters, pages included; a bad cursor, limit or status is a 400', async () => {
    const ws = await newWorkspace(store)
    const r = await receiver()
    const id = await endpoint(ws, r, { events: ['phase.changed'] })
    await store.webhooks.enqueue(ws.id, causes(0, 6))
    await dispatcher().runOnce() // 6 delivered
    r.failNext = 1_000
    await store.webhooks.enqueue(ws.id, causes(10, 3))
    await dispatcher().runOnce() // 3 pending (retrying)
    const byStatus = async (status: string) => {
      const ids: string[] = []
      let cursor: string | null = null
      do {
        const res: Page = await page(ws, id, `status=${status}&limit=2${cursor ? `&cursor=${cursor}` : ''}`)
        expect(res.json.deliveries.every((d) => d.status === status)).toBe(true)
        ids.push(...res.json.deliveries.map((d) => d.id))
        cursor = res.json.nextCursor
      } while (cursor !== null)
      return ids
    }
    expect(await byStatus('delivered')).toHaveLength(6)
    expect(await byStatus('pending')).toHaveLength(3)
    expect(await byStatus('dead')).toEqual([])
    for (const [query, path] of [
      ['cursor=nope', 'cursor'],
      [`cursor=${Buffer.from('dlv:99999999999999999999').toString('base64url')}`, 'cursor'],
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['status=lost', 'status'],
      ['after=1', 'after'],
    ]) {
      const res = await call('GET', `/v1/webhooks/${id}/deliveries?${query}`, ws.secretKey)
      expect(res.status, query).toBe(400)
      expect(res.json.error.code).toBe('invalid_query')
      expect(res.json.error.issues.map((i: { path: string }) => i.path)).toEqual([path])
    }
  })
})
