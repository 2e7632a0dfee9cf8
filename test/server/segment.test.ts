import { randomUUID } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { serve, type ServerType } from '@hono/node-server'
import { Analytics } from '@segment/analytics-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../server/app'
import { userHashOf } from '../../server/ingest/verify-identity'
import { generateKey } from '../../server/key-generator'
import { MAX_BODY_BYTES } from '../../server/ingest/limits'
import { SEGMENT_CALLS } from '../../server/ingest/schema'
import { createPgliteStore } from '../../server/store'
import type { Store } from '../../server/store/types'
import { newWorkspace } from './helpers'

// Segment's own Node library, unchanged, against the real server on a random port: the body is a
// superset of Segment's HTTP tracking API (messageId, groupId, context.groupId, Basic auth, screen,
// alias), and Segment's per-call endpoints (/v1/track, …) answer as /v1/batch does.

let store: Store
let server: ServerType
let host: string

beforeAll(async () => {
  store = await createPgliteStore({ dataDir: 'memory://' })
  const app = createApp({ store, log: () => {} })
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve())
  })
  host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
  await store?.close()
})

describe('segment compatibility', () => {
  it('segment: analytics-node identify, group, track (with and without groupId) and page land in the store', async () => {
    const ws = await newWorkspace(store)
    const analytics = new Analytics({ writeKey: ws.writeKey, host, flushAt: 20, maxRetries: 0 })
    const sent: { messageId: string; type: string; event?: string }[] = []
    const statuses: number[] = []
    const errors: unknown[] = []
    analytics.on('http_request', (req) => sent.push(...(JSON.parse(req.body) as { batch: typeof sent }).batch))
    analytics.on('http_response', (res) => statuses.push(res.status))
    analytics.on('error', (err) => errors.push(err))

    const t0 = Date.now() - 3_600_000
    const at = (min: number) => new Date(t0 + min * 60_000)
    const userId = 'seg-user'
    analytics.identify({ userId, traits: { email: 'ana@acme.example', role: 'admin' }, timestamp: at(0) })
    analytics.group({ userId, groupId: 'seg-acme', traits: { name: 'Acme', plan: 'free' }, timestamp: at(1) })
    analytics.track({
      userId,
      event: 'report_generated',
      properties: { rows: 3 },
      context: { groupId: 'seg-globex' },
      timestamp: at(2),
    })
    analytics.track({ userId, event: 'feature_used', properties: { feature: 'reports' }, timestamp: at(3) })
    analytics.page({ userId, name: 'Reports', category: 'App', properties: { path: '/reports' }, timestamp: at(4) })
    // Later traits overwrite their keys only; an earlier group call arriving last changes nothing it should not.
    analytics.identify({ userId, traits: { role: 'owner' }, timestamp: at(5) })
    analytics.group({ userId, groupId: 'seg-acme', traits: { plan: 'pro', seats: 12 }, timestamp: at(6) })
    await analytics.closeAndFlush()

    expect(errors).toEqual([])
    expect(statuses.length).toBeGreaterThan(0)
    expect(statuses.every((s) => s === 200)).toBe(true)
    expect(sent).toHaveLength(7)

    const events = await store.listEvents(ws.id)
    expect(events.map((e) => e.id).sort()).toEqual(sent.map((e) => e.messageId).sort())
    const stored = (i: number) => events.find((e) => e.id === sent[i]!.messageId)!
    expect(stored(0)).toMatchObject({ type: 'identify', userId, traits: { email: 'ana@acme.example', role: 'admin' } })
    expect(stored(1)).toMatchObject({
      type: 'group',
      userId,
      accountId: 'seg-acme',
      traits: { name: 'Acme', plan: 'free' },
    })
    expect(stored(2)).toMatchObject({
      type: 'track',
      name: 'report_generated',
      accountId: 'seg-globex',
      properties: { rows: 3 },
      timestamp: at(2).getTime(),
    })
    expect(stored(3)).toMatchObject({ type: 'track', name: 'feature_used', accountId: 'seg-acme' })
    expect(stored(4)).toMatchObject({
      type: 'page',
      name: '$page',
      accountId: 'seg-acme',
      properties: { path: '/reports', name: 'Reports', category: 'App' },
    })

    expect(await store.getUser(ws.id, userId)).toMatchObject({
      accountId: 'seg-acme',
      traits: { email: 'ana@acme.example', role: 'owner' },
    })
    expect(await store.getAccount(ws.id, 'seg-acme')).toMatchObject({
      traits: { name: 'Acme', plan: 'pro', seats: 12 },
    })
  })

  it('segment: a wrong write key is answered 401 and nothing is stored', async () => {
    const ws = await newWorkspace(store)
    const analytics = new Analytics({ writeKey: 'pk_not_a_key_000000000000000000', host, flushAt: 1, maxRetries: 0 })
    const statuses: number[] = []
    analytics.on('http_response', (res) => statuses.push(res.status))
    analytics.on('error', () => {})
    analytics.track({ userId: 'u', event: 'x' })
    await analytics.closeAndFlush()
    expect(statuses).toEqual([401])
    expect(await store.countEvents(ws.id)).toBe(0)
  })

  // The screen is stored as a page with its name, the alias as a $alias fact of the new id.
  it('SEG01 analytics-node screen and alias: a page with its name, and a $alias fact that merges no users', async () => {
    const ws = await newWorkspace(store)
    const analytics = new Analytics({ writeKey: ws.writeKey, host, flushAt: 20, maxRetries: 0 })
    const sent: { messageId: string; type: string }[] = []
    const statuses: number[] = []
    analytics.on('http_request', (req) => sent.push(...(JSON.parse(req.body) as { batch: typeof sent }).batch))
    analytics.on('http_response', (res) => statuses.push(res.status))
    const t0 = Date.now() - 600_000
    analytics.track({ anonymousId: 'anon-7', event: 'viewed_pricing', timestamp: new Date(t0) })
    analytics.screen({
      userId: 'seg-new',
      name: 'Settings',
      category: 'App',
      properties: { tab: 'billing' },
      timestamp: new Date(t0 + 1000),
    })
    analytics.alias({ userId: 'seg-new', previousId: 'anon-7', timestamp: new Date(t0 + 2000) })
    await analytics.closeAndFlush()

    expect(statuses).toEqual([200])
    expect(sent.map((e) => e.type)).toEqual(['track', 'screen', 'alias'])
    const events = await store.listEvents(ws.id)
    const stored = (i: number) => events.find((e) => e.id === sent[i]!.messageId)!
    expect(stored(1)).toMatchObject({
      type: 'page',
      name: '$page',
      userId: 'seg-new',
      properties: { tab: 'billing', name: 'Settings', category: 'App' },
    })
    expect(stored(2)).toMatchObject({
      type: 'track',
      name: '$alias',
      userId: 'seg-new',
      anonymousId: null,
      properties: { previousId: 'anon-7' },
      traits: null,
    })
    // Nothing is merged: the anonymous id's event keeps its own identity.
    expect(stored(0)).toMatchObject({ type: 'track', name: 'viewed_pricing', userId: null, anonymousId: 'anon-7' })
    expect(await store.getUser(ws.id, 'anon-7')).toBeNull()
  })
})

describe('segment per-call endpoints (POST /v1/identify, /v1/track, /v1/page, /v1/screen, /v1/group, /v1/alias)', () => {
  const basic = (key: string) => `Basic ${Buffer.from(key + ':').toString('base64')}`
  const call = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(host + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })
    return { status: res.status, body: (await res.json()) as any }
  }
  const mid = () => 'seg-' + randomUUID()

  // The body has no type, as Segment's HTTP API sends it.
  it('SEG02 each call, one event as the body, is stored as the batch would store it', async () => {
    const ws = await newWorkspace(store)
    const auth = { authorization: basic(ws.writeKey) }
    const ts = new Date(Date.now() - 60_000).toISOString()
    const bodies = {
      identify: { messageId: mid(), userId: 'seg-u', traits: { role: 'admin' }, timestamp: ts },
      group: { messageId: mid(), userId: 'seg-u', groupId: 'seg-acme', traits: { plan: 'pro' }, timestamp: ts },
      track: { messageId: mid(), userId: 'seg-u', event: 'report_generated', properties: { rows: 3 }, timestamp: ts },
      page: { messageId: mid(), userId: 'seg-u', name: 'Reports', properties: { path: '/reports' }, timestamp: ts },
      screen: { messageId: mid(), userId: 'seg-u', name: 'Home', timestamp: ts },
      alias: { messageId: mid(), userId: 'seg-u', previousId: 'anon-1', timestamp: ts },
    }
    expect(Object.keys(bodies).sort()).toEqual([...SEGMENT_CALLS].sort())
    for (const [name, body] of Object.entries(bodies)) {
      const res = await call(`/v1/${name}`, body, auth)
      expect(res, name).toEqual({ status: 200, body: { accepted: 1, duplicates: 0, rejected: [] } })
    }
    const byId = new Map((await store.listEvents(ws.id)).map((e) => [e.id, e]))
    expect(byId.size).toBe(6)
    expect(byId.get(bodies.identify.messageId)).toMatchObject({
      type: 'identify',
      userId: 'seg-u',
      traits: { role: 'admin' },
    })
    expect(byId.get(bodies.group.messageId)).toMatchObject({
      type: 'group',
      accountId: 'seg-acme',
      traits: { plan: 'pro' },
    })
    expect(byId.get(bodies.track.messageId)).toMatchObject({
      type: 'track',
      name: 'report_generated',
      accountId: 'seg-acme',
      properties: { rows: 3 },
    })
    expect(byId.get(bodies.page.messageId)).toMatchObject({
      type: 'page',
      name: '$page',
      properties: { path: '/reports', name: 'Reports' },
    })
    expect(byId.get(bodies.screen.messageId)).toMatchObject({
      type: 'page',
      name: '$page',
      properties: { name: 'Home' },
    })
    expect(byId.get(bodies.alias.messageId)).toMatchObject({
      type: 'track',
      name: '$alias',
      userId: 'seg-u',
      properties: { previousId: 'anon-1' },
    })
    expect(await store.getUser(ws.id, 'seg-u')).toMatchObject({ accountId: 'seg-acme', traits: { role: 'admin' } })
    expect(await store.getAccount(ws.id, 'seg-acme')).toMatchObject({ traits: { plan: 'pro' } })
    // The same messageId again: a duplicate, as in a batch.
    expect(await call('/v1/track', bodies.track, auth)).toEqual({
      status: 200,
      body: { accepted: 0, duplicates: 1, rejected: [] },
    })
  })

  // A write key from another origin is a 403.
  it("SEG03 the batch's keys: Bearer, Basic and writeKey in the body; no key or an unknown one is a 401", async () => {
    const ws = await newWorkspace(store, ['https://app.example'])
    const ev = () => ({ messageId: mid(), userId: 'u', event: 'clicked' })
    expect((await call('/v1/track', ev(), { authorization: `Bearer ${ws.writeKey}` })).status).toBe(200)
    expect((await call('/v1/track', ev(), { authorization: basic(ws.secretKey) })).status).toBe(200)
    expect((await call('/v1/track', { ...ev(), writeKey: ws.writeKey }, { 'content-type': 'text/plain' })).status).toBe(
      200,
    )
    expect(
      (await call('/v1/track', { ...ev(), writeKey: ws.writeKey }, { origin: 'https://app.example' })).status,
    ).toBe(200)
    for (const [headers, status, code] of [
      [{}, 401, 'unauthorized'],
      [{ authorization: basic('pk_doesnotexist000000000000000000') }, 401, 'unauthorized'],
      [{ authorization: basic(ws.writeKey), origin: 'https://evil.example' }, 403, 'forbidden_origin'],
    ] as const) {
      const res = await call('/v1/identify', { messageId: mid(), userId: 'u', traits: {} }, headers)
      expect(res.status).toBe(status)
      expect(res.body.error.code).toBe(code)
    }
    expect(await store.countEvents(ws.id)).toBe(4)
    // Only the listed calls exist.
    expect((await call('/v1/bogus', ev(), { authorization: basic(ws.writeKey) })).status).toBe(404)
  })

  // A rejected event is a 400 naming the fields of batch.0; bad bodies are 4xx in the error shape.
  it("SEG04 the batch's checks: account-level facts need the secret key", async () => {
    const ws = await newWorkspace(store)
    const auth = { authorization: basic(ws.writeKey) }
    const fact = await call(
      '/v1/track',
      { messageId: mid(), userId: 'u', accountId: 'acme', event: 'kickoff_held' },
      auth,
    )
    expect(fact.status).toBe(403)
    expect(fact.body.error).toMatchObject({
      code: 'forbidden_event',
      issues: [{ path: 'batch.0.event', message: expect.any(String) }],
    })
    expect(
      (
        await call(
          '/v1/track',
          { messageId: mid(), accountId: 'acme', event: 'kickoff_held' },
          { authorization: basic(ws.secretKey) },
        )
      ).status,
    ).toBe(200)

    // A rejected event is a 400 naming its fields (the event being batch.0), not a 200 listing it.
    for (const [path, body, field] of [
      ['/v1/track', { messageId: mid(), userId: 'u' }, 'batch.0.event'],
      ['/v1/alias', { messageId: mid(), userId: 'u' }, 'batch.0.previousId'],
      ['/v1/alias', { messageId: mid(), previousId: 'anon-1', anonymousId: 'anon-1' }, 'batch.0.userId'],
      ['/v1/group', { messageId: mid(), userId: 'u' }, 'batch.0.accountId'],
    ] as const) {
      expect(await call(path, body, auth), field).toEqual({
        status: 400,
        body: {
          error: {
            code: 'invalid_body',
            message: expect.any(String),
            issues: [{ path: field, message: expect.any(String) }],
          },
        },
      })
    }

    for (const [what, path, body, headers, status, code] of [
      ['a batch body', '/v1/track', { batch: [{ messageId: mid(), userId: 'u', event: 'x' }] }, auth, 400, null],
      ['an array', '/v1/track', [{ messageId: mid(), userId: 'u', event: 'x' }], auth, 400, 'invalid_body'],
      [
        'another type',
        '/v1/identify',
        { messageId: mid(), userId: 'u', type: 'track', event: 'x' },
        auth,
        400,
        'invalid_body',
      ],
      ['not JSON', '/v1/page', '{"messageId":', auth, 400, 'invalid_json'],
      [
        'a form',
        '/v1/page',
        'a=1',
        { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
        415,
        'unsupported_media_type',
      ],
      [
        'too large',
        '/v1/track',
        { messageId: mid(), userId: 'u', event: 'x', properties: { s: 'x'.repeat(MAX_BODY_BYTES) } },
        auth,
        413,
        'payload_too_large',
      ],
    ] as const) {
      const res = await call(path, body, headers)
      if (code === null) {
        // A batch envelope is not one track event: it has no event name, so it is rejected, not stored.
        expect(res.status, what).toBe(400)
        expect(
          res.body.error.issues.map((i: any) => i.path),
          what,
        ).toContain('batch.0.event')
        continue
      }
      expect(res.status, what).toBe(status)
      expect(res.body.error, what).toMatchObject({ code, message: expect.any(String) })
    }
    expect((await store.listEvents(ws.id)).map((e) => e.name)).toEqual(['kickoff_held'])
  })

  // In a workspace that verifies identities.
  it("SEG05 the batch's identity checks: a call without the user's userHash is a 401 and stores nothing", async () => {
    const ws = {
      id: 'ws_' + randomUUID().slice(0, 12),
      writeKey: generateKey('write'),
      secretKey: generateKey('secret'),
    }
    await store.createWorkspace({ ...ws, name: 'Verified', identitySecret: 'idsecret' })
    const auth = { authorization: basic(ws.writeKey) }
    const refused = await call('/v1/identify', { messageId: mid(), userId: 'u-9', traits: { role: 'admin' } }, auth)
    expect(refused.status).toBe(401)
    expect(refused.body).toMatchObject({
      error: { code: 'invalid_user_hash', issues: [{ path: 'batch.0.userHash' }] },
      accepted: 0,
    })
    const forged = await call(
      '/v1/alias',
      { messageId: mid(), userId: 'u-9', previousId: 'u-1', userHash: userHashOf('idsecret', 'u-1') },
      auth,
    )
    expect(forged.status).toBe(401)
    expect(await store.countEvents(ws.id)).toBe(0)
    const ok = await call(
      '/v1/identify',
      { messageId: mid(), userId: 'u-9', traits: { role: 'admin' }, userHash: userHashOf('idsecret', 'u-9') },
      auth,
    )
    expect(ok).toEqual({ status: 200, body: { accepted: 1, duplicates: 0, rejected: [] } })
  })
})
