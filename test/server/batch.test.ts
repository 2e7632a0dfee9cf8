import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../server/app'
import type { LogLine } from '../../server/http/request-log'
import {
  MAX_BATCH_EVENTS,
  MAX_BODY_BYTES,
  MAX_EVENT_BYTES,
  MAX_EVENT_DEPTH,
  MAX_FUTURE_SKEW_MS,
  WRITE_KEY_MAX_AGE_MS,
} from '../../server/ingest/limits'
import { createPgliteStore } from '../../server/store'
import type { Store } from '../../server/store/types'
import type { BatchResponse, ErrorBody } from '../../sdk/wire'
import { API, batchRequest, eid, newWorkspace, track } from './helpers'

let store: Store
let lines: LogLine[]
let app: ReturnType<typeof createApp>

beforeAll(async () => {
  store = await createPgliteStore({ dataDir: 'memory://' })
  lines = []
  app = createApp({ store, log: (l) => lines.push(l) })
})
afterAll(async () => {
  await store?.close()
})

const send = async (req: Request, a = app) => {
  const res = await a.request(req)
  return { res, status: res.status, body: (await res.json()) as BatchResponse & ErrorBody & Record<string, unknown> }
}

describe('batch: auth', () => {
  it('batch: a Bearer write key is accepted', async () => {
    const ws = await newWorkspace(store)
    const { status, body } = await send(batchRequest({ batch: [track('a')] }, { auth: { bearer: ws.writeKey } }))
    expect(status).toBe(200)
    expect(body).toEqual({ accepted: 1, duplicates: 0, rejected: [] })
    expect(await store.countEvents(ws.id)).toBe(1)
  })

  it('batch: HTTP Basic with the key as user name is accepted (Segment)', async () => {
    const ws = await newWorkspace(store)
    const { status } = await send(batchRequest({ batch: [track('a')] }, { auth: { basic: ws.secretKey } }))
    expect(status).toBe(200)
    expect(await store.countEvents(ws.id)).toBe(1)
  })

  it('batch: writeKey in a text/plain body is accepted (sendBeacon)', async () => {
    const ws = await newWorkspace(store)
    const { status } = await send(
      batchRequest({ batch: [track('a')] }, { auth: { body: ws.writeKey }, contentType: 'text/plain;charset=UTF-8' }),
    )
    expect(status).toBe(200)
    expect(await store.countEvents(ws.id)).toBe(1)
  })

  it.each([
    ['no key', null],
    ['an unknown Bearer key', { bearer: 'pk_doesnotexist000000000000000000' }],
    ['an unknown Basic key', { basic: 'pk_doesnotexist000000000000000000' }],
    ['an unknown body writeKey', { body: 'pk_doesnotexist000000000000000000' }],
    ['a key with a NUL in it', { body: 'pk_\u0000' }],
    ['a malformed Authorization header', { bearer: '' }],
  ] as const)('batch: %s is a 401 unauthorized', async (_, auth) => {
    const { status, body } = await send(batchRequest({ batch: [track('a')] }, { auth }))
    expect(status).toBe(401)
    expect(body.error.code).toBe('unauthorized')
  })

  it('batch: the Authorization header wins over the body writeKey', async () => {
    const ws = await newWorkspace(store)
    const req = batchRequest(
      { batch: [track('a')], writeKey: ws.writeKey },
      { auth: { bearer: 'pk_unknown00000000000000000000000' } },
    )
    expect((await send(req)).status).toBe(401)
  })
})

describe('batch: validation', () => {
  it('batch: invalid events are rejected with their index and issues while valid ones are stored', async () => {
    const ws = await newWorkspace(store)
    const good1 = track('good')
    const good2 = { id: eid(), type: 'identify', userId: 'u2', traits: { role: 'admin' } }
    const batch = [
      good1,
      { id: eid(), type: 'track', userId: 'u1', timestamp: 'yesterday' }, // no event, bad timestamp
      good2,
      { type: 'scroll', userId: 'u1' }, // no id, unknown type
      { id: eid(), type: 'track', event: 'x' }, // no user
      { id: eid(), type: 'group', userId: 'u1' }, // group without account
      'not an event',
      { id: eid(), type: 'track', event: 'x', userId: 'u', properties: [1, 2] },
    ]
    const { status, body } = await send(batchRequest({ batch }, { auth: { bearer: ws.writeKey } }))
    expect(status).toBe(200)
    expect(body.accepted).toBe(2)
    expect(body.rejected.map((r) => r.index)).toEqual([1, 3, 4, 5, 6, 7])
    const paths = (i: number) => body.rejected.find((r) => r.index === i)!.issues.map((x) => x.path)
    expect(paths(1)).toEqual(expect.arrayContaining(['batch.1.timestamp']))
    expect(paths(3)).toEqual(expect.arrayContaining(['batch.3.type']))
    expect(paths(4)).toEqual(['batch.4.userId'])
    expect(paths(5)).toEqual(['batch.5.accountId'])
    expect(paths(6)).toEqual(['batch.6'])
    expect(paths(7)).toEqual(['batch.7.properties'])
    for (const r of body.rejected) for (const i of r.issues) expect(typeof i.message).toBe('string')
    const ids = (await store.listEvents(ws.id)).map((e) => e.id).sort()
    expect(ids).toEqual([good1.id, good2.id].sort())
  })

  it('batch: a track event without an event name names batch.N.event', async () => {
    const ws = await newWorkspace(store)
    const { body } = await send(
      batchRequest(
        { batch: [track('ok'), { id: eid(), type: 'track', userId: 'u' }] },
        { auth: { bearer: ws.writeKey } },
      ),
    )
    expect(body.rejected).toEqual([{ index: 1, issues: [{ path: 'batch.1.event', message: expect.any(String) }] }])
  })

  it('batch: every WireEvent shape of the SDK is accepted and normalised', async () => {
    const ws = await newWorkspace(store)
    const ts = new Date(Date.now() - 60_000).toISOString()
    const ctx = {
      library: { name: 'jornada', version: '0.1.0' },
      page: { url: 'http://x/a', path: '/a', referrer: '', title: 'A', search: '' },
      locale: 'pt-BR',
      userAgent: 'UA',
      sessionId: 's1',
    }
    const batch = [
      {
        id: eid('t'),
        type: 'track',
        event: 'report_generated',
        userId: 'user-42',
        accountId: 'acme',
        timestamp: ts,
        properties: { rows: 120 },
        context: ctx,
      },
      {
        id: eid('i'),
        type: 'identify',
        userId: 'user-42',
        timestamp: ts,
        traits: { role: 'admin' },
        userHash: 'abc',
        context: ctx,
      },
      { id: eid('g'), type: 'group', userId: 'user-42', accountId: 'acme', timestamp: ts, traits: { segment: 'smb' } },
      {
        id: eid('p'),
        type: 'page',
        name: 'Reports',
        anonymousId: 'anon-1',
        timestamp: ts,
        properties: { path: '/reports' },
        context: ctx,
      },
    ]
    const { body } = await send(
      batchRequest({ batch, sentAt: new Date().toISOString() }, { auth: { bearer: ws.writeKey } }),
    )
    expect(body).toEqual({ accepted: 4, duplicates: 0, rejected: [] })
    const events = await store.listEvents(ws.id)
    const byId = new Map(events.map((e) => [e.id, e]))
    expect(byId.get(batch[0]!.id)).toMatchObject({
      type: 'track',
      name: 'report_generated',
      accountId: 'acme',
      timestamp: Date.parse(ts),
      properties: { rows: 120 },
      traits: null,
      context: ctx,
    })
    expect(byId.get(batch[1]!.id)).toMatchObject({ type: 'identify', name: null, traits: { role: 'admin' } })
    expect(byId.get(batch[2]!.id)).toMatchObject({
      type: 'group',
      name: null,
      accountId: 'acme',
      traits: { segment: 'smb' },
    })
    expect(byId.get(batch[3]!.id)).toMatchObject({
      type: 'page',
      name: '$page',
      userId: null,
      anonymousId: 'anon-1',
      properties: { path: '/reports', name: 'Reports' },
    })
  })

  it('batch: messageId, a numeric userId, groupId and context.groupId are accepted (Segment)', async () => {
    const ws = await newWorkspace(store)
    const a = {
      messageId: eid('m'),
      type: 'track',
      event: 'x',
      userId: 42,
      context: { groupId: 'acme' },
      _metadata: { nodeVersion: '20' },
      integrations: {},
      channel: 'server',
      version: 2,
      originalTimestamp: 'x',
      receivedAt: 'y',
    }
    const b = { messageId: eid('m'), type: 'group', userId: 42, groupId: 'globex', traits: { name: 'Globex' } }
    const { body } = await send(batchRequest({ batch: [a, b] }, { auth: { bearer: ws.writeKey } }))
    expect(body).toEqual({ accepted: 2, duplicates: 0, rejected: [] })
    const events = await store.listEvents(ws.id)
    expect(events.find((e) => e.id === a.messageId)).toMatchObject({ userId: '42', accountId: 'acme' })
    expect(events.find((e) => e.id === b.messageId)).toMatchObject({ userId: '42', accountId: 'globex' })
  })

  it('batch: with the secret key an account-level fact may have no user when it names an account', async () => {
    const ws = await newWorkspace(store)
    const fact = { id: eid(), type: 'track', event: 'kickoff_held', accountId: 'acme' }
    const noAccount = { id: eid(), type: 'track', event: 'kickoff_held' }
    const { body } = await send(batchRequest({ batch: [fact, noAccount] }, { auth: { bearer: ws.secretKey } }))
    expect(body.accepted).toBe(1)
    expect(body.rejected).toEqual([{ index: 1, issues: [expect.objectContaining({ path: 'batch.1.userId' })] }])
    expect(await store.listEvents(ws.id)).toMatchObject([
      { id: fact.id, userId: null, anonymousId: null, accountId: 'acme' },
    ])
  })

  it('batch: a write key event with an account but no user is rejected', async () => {
    const ws = await newWorkspace(store)
    const { body } = await send(
      batchRequest(
        { batch: [{ id: eid(), type: 'track', event: 'x', accountId: 'acme' }] },
        { auth: { bearer: ws.writeKey } },
      ),
    )
    expect(body.rejected[0]!.issues[0]!.path).toBe('batch.0.userId')
  })

  it('batch: U+0000, lone surrogates, deep nesting and events over 32 KB are rejected per event, not a 500', async () => {
    const ws = await newWorkspace(store)
    let deep: unknown = 'leaf'
    for (let i = 0; i < MAX_EVENT_DEPTH + 5; i++) deep = { d: deep }
    let okDeep: unknown = 1
    for (let i = 0; i < MAX_EVENT_DEPTH - 3; i++) okDeep = [okDeep]
    const batch = [
      track('nul', { properties: { s: 'a\u0000b' } }),
      track('lone', { properties: { s: 'a\ud800b' } }),
      track('key', { properties: { ['k\udc00']: 1 } }),
      track('deep', { properties: deep as Record<string, unknown> }),
      track('big', { properties: { s: 'x'.repeat(MAX_EVENT_BYTES) } }),
      track('ok-deep', { properties: { v: okDeep } }),
      track('ok-pair', { properties: { s: 'emoji \ud83d\ude00' } }),
      track('nul\u0000name'),
    ]
    const { status, body } = await send(batchRequest({ batch }, { auth: { bearer: ws.writeKey } }))
    expect(status).toBe(200)
    expect(body.rejected.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 7])
    expect(body.rejected[0]!.issues[0]!.path).toBe('batch.0.properties.s')
    // An unstorable key is named with its characters escaped: the answer stays well-formed Unicode.
    expect(body.rejected[2]!.issues[0]!.path).toBe('batch.2.properties.k\\udc00')
    expect(body.accepted).toBe(2)
  })

  // No stringify for small events, an exact one near the limit.
  it("batch: the 32 KB limit is on the event's JSON bytes: escapes and UTF-8 count, at the border exactly", async () => {
    const ws = await newWorkspace(store)
    const base = track('edge', { properties: { s: '' } })
    const size = (e: unknown) => Buffer.byteLength(JSON.stringify(e), 'utf8')
    const pad = MAX_EVENT_BYTES - size(base)
    const batch = [
      // 6 bytes each once escaped (\u0001): 5,500 characters are 33,000 bytes.
      track('escapes', { properties: { s: '\u0001'.repeat(5500) } }),
      // 2 bytes each in UTF-8: 15,000 characters are 30,000 bytes, under the limit.
      track('utf8', { properties: { s: 'é'.repeat(15_000) } }),
      { ...base, properties: { s: 'x'.repeat(pad) } }, // exactly MAX_EVENT_BYTES
      {
        ...base,
        id: `${base.id.slice(0, -1)}${base.id.endsWith('z') ? 'y' : 'z'}`,
        properties: { s: 'x'.repeat(pad + 1) },
      }, // one byte over
    ]
    expect(size(batch[2])).toBe(MAX_EVENT_BYTES)
    expect(size(batch[3])).toBe(MAX_EVENT_BYTES + 1)
    const { status, body } = await send(batchRequest({ batch }, { auth: { bearer: ws.writeKey } }))
    expect(status).toBe(200)
    expect(body.rejected.map((r) => [r.index, r.issues[0]!.message])).toEqual([
      [0, `event is ${size(batch[0])} bytes of JSON; the limit is ${MAX_EVENT_BYTES}`],
      [3, `event is ${MAX_EVENT_BYTES + 1} bytes of JSON; the limit is ${MAX_EVENT_BYTES}`],
    ])
    expect(body.accepted).toBe(2)
  })

  it.each([
    ['an empty batch', { batch: [] }],
    ['a batch that is not an array', { batch: { 0: {} } }],
    ['no batch', { events: [] }],
    [`more than ${MAX_BATCH_EVENTS} events`, { batch: Array.from({ length: MAX_BATCH_EVENTS + 1 }, () => ({})) }],
  ])('batch: %s is a 400 invalid_body', async (_, payload) => {
    const ws = await newWorkspace(store)
    const { status, body } = await send(batchRequest(payload, { auth: { bearer: ws.writeKey } }))
    expect(status).toBe(400)
    expect(body.error.code).toBe('invalid_body')
    expect(body.error.issues!.length).toBeGreaterThan(0)
    expect(body.error.issues![0]!.path).toMatch(/^batch/)
  })

  it('batch: a body that is not JSON is a 400 invalid_json', async () => {
    const ws = await newWorkspace(store)
    const { status, body } = await send(batchRequest('{"batch": [', { auth: { bearer: ws.writeKey } }))
    expect(status).toBe(400)
    expect(body.error.code).toBe('invalid_json')
  })

  it('batch: a body that is not valid UTF-8 is a 400', async () => {
    const ws = await newWorkspace(store)
    const bytes = Buffer.concat([Buffer.from('{"batch":[{"id":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}]}')])
    const res = await app.request(`${API}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ws.writeKey}` },
      body: bytes,
    })
    expect(res.status).toBe(400)
    expect(((await res.json()) as ErrorBody).error.code).toBe('invalid_json')
  })

  it('batch: a second send of the same ids counts duplicates and changes nothing', async () => {
    const ws = await newWorkspace(store)
    const batch = [track('a', { properties: { v: 1 } }), track('b')]
    expect((await send(batchRequest({ batch }, { auth: { bearer: ws.writeKey } }))).body).toMatchObject({
      accepted: 2,
      duplicates: 0,
    })
    const again = [{ ...batch[0], properties: { v: 2 } }, batch[1], track('c')]
    expect((await send(batchRequest({ batch: again }, { auth: { bearer: ws.writeKey } }))).body).toEqual({
      accepted: 1,
      duplicates: 2,
      rejected: [],
    })
    const events = await store.listEvents(ws.id)
    expect(events).toHaveLength(3)
    expect(events.find((e) => e.id === batch[0]!.id)!.properties).toEqual({ v: 1 })
  })
})

describe('batch: write key limits', () => {
  it('batch: a write key sending kickoff_held is a 403 and stores nothing', async () => {
    const ws = await newWorkspace(store)
    const batch = [track('report_generated'), track('kickoff_held'), track('fine'), track('renewed')]
    const { status, body } = await send(batchRequest({ batch }, { auth: { bearer: ws.writeKey } }))
    expect(status).toBe(403)
    expect(body.error.code).toBe('forbidden_event')
    expect(body.error.issues!.map((i) => i.path)).toEqual(['batch.1.event', 'batch.3.event'])
    expect(await store.countEvents(ws.id)).toBe(0)
  })

  it('batch: the secret key may send kickoff_held', async () => {
    const ws = await newWorkspace(store)
    const { status, body } = await send(
      batchRequest({ batch: [track('kickoff_held')] }, { auth: { bearer: ws.secretKey } }),
    )
    expect(status).toBe(200)
    expect(body.accepted).toBe(1)
  })

  describe('timestamps (clock pinned to 2026-11-24T12:00:00Z)', () => {
    const now = Date.parse('2026-11-24T12:00:00.000Z')
    const at = (ms: number) => new Date(ms).toISOString()
    const cases = [
      {
        id: 'T01',
        rule: 'a write key timestamp 1 hour ago is kept',
        key: 'write',
        ts: now - 3_600_000,
        want: now - 3_600_000,
      },
      {
        id: 'T02',
        rule: 'a write key timestamp just inside 7 days is kept',
        key: 'write',
        ts: now - WRITE_KEY_MAX_AGE_MS + 1000,
        want: now - WRITE_KEY_MAX_AGE_MS + 1000,
      },
      {
        id: 'T03',
        rule: 'a write key timestamp older than 7 days is clamped to the received time',
        key: 'write',
        ts: now - WRITE_KEY_MAX_AGE_MS - 1000,
        want: now,
      },
      {
        id: 'T04',
        rule: 'a secret key timestamp a year ago is kept (imports)',
        key: 'secret',
        ts: now - 365 * 86_400_000,
        want: now - 365 * 86_400_000,
      },
      {
        id: 'T05',
        rule: 'a write key timestamp 4 minutes ahead is kept',
        key: 'write',
        ts: now + 4 * 60_000,
        want: now + 4 * 60_000,
      },
      {
        id: 'T06',
        rule: 'a write key timestamp more than 5 minutes ahead is clamped',
        key: 'write',
        ts: now + MAX_FUTURE_SKEW_MS + 1000,
        want: now,
      },
      {
        id: 'T07',
        rule: 'a secret key timestamp more than 5 minutes ahead is clamped',
        key: 'secret',
        ts: now + 86_400_000,
        want: now,
      },
    ] as const
    it.each(cases.map((c) => [`${c.id} ${c.rule}`, c] as const))('batch: %s', async (_, { key, ts, want }) => {
      const ws = await newWorkspace(store)
      const pinned = createApp({ store, clock: () => now, log: () => {} })
      const event = track('t', { timestamp: at(ts), context: { locale: 'en' } })
      const { body } = await send(
        batchRequest({ batch: [event] }, { auth: { bearer: key === 'write' ? ws.writeKey : ws.secretKey } }),
        pinned,
      )
      expect(body.accepted).toBe(1)
      const [stored] = await store.listEvents(ws.id)
      expect(stored!.timestamp).toBe(want)
      expect(stored!.receivedAt).toBe(now)
      if (want !== ts) expect(stored!.context).toEqual({ locale: 'en', originalTimestamp: at(ts) })
      else expect(stored!.context).toEqual({ locale: 'en' })
    })

    it('batch: T08 an event without a timestamp gets the received time', async () => {
      const ws = await newWorkspace(store)
      const pinned = createApp({ store, clock: () => now, log: () => {} })
      const { timestamp: _, ...event } = track('t')
      await send(batchRequest({ batch: [event] }, { auth: { bearer: ws.writeKey } }), pinned)
      expect((await store.listEvents(ws.id))[0]!.timestamp).toBe(now)
    })

    it('batch: an unreadable timestamp is one issue, not also a date before 1970', async () => {
      const ws = await newWorkspace(store)
      const batch = [track('t', { timestamp: 'yesterday' }), track('t', { timestamp: '1969-12-31T23:59:59Z' })]
      const { body } = await send(batchRequest({ batch }, { auth: { bearer: ws.writeKey } }))
      expect(body.rejected).toEqual([
        { index: 0, issues: [{ path: 'batch.0.timestamp', message: expect.stringMatching(/^expected an ISO-8601/) }] },
        { index: 1, issues: [{ path: 'batch.1.timestamp', message: 'timestamp before 1970-01-01' }] },
      ])
    })

    it('batch: T09 a timestamp with an offset is read with it', async () => {
      const ws = await newWorkspace(store)
      const pinned = createApp({ store, clock: () => now, log: () => {} })
      await send(
        batchRequest(
          { batch: [track('t', { timestamp: '2026-11-24T13:30:00+02:00' })] },
          { auth: { bearer: ws.writeKey } },
        ),
        pinned,
      )
      expect((await store.listEvents(ws.id))[0]!.timestamp).toBe(Date.parse('2026-11-24T11:30:00Z'))
    })
  })
})

describe('batch: origins and CORS', () => {
  const OTHER = 'https://app.customer.example'

  it('batch: a write key from an allowed origin is accepted and the origin reflected', async () => {
    const ws = await newWorkspace(store, [OTHER])
    const { res, status } = await send(
      batchRequest({ batch: [track('a')] }, { auth: { bearer: ws.writeKey }, origin: OTHER }),
    )
    expect(status).toBe(200)
    expect(res.headers.get('access-control-allow-origin')).toBe(OTHER)
    expect(res.headers.get('vary')).toContain('Origin')
  })

  it("batch: a write key from the server's own origin is accepted with no list", async () => {
    const ws = await newWorkspace(store)
    const { status } = await send(
      batchRequest({ batch: [track('a')] }, { auth: { body: ws.writeKey }, origin: API, contentType: 'text/plain' }),
    )
    expect(status).toBe(200)
  })

  it('batch: a workspace listing * accepts a write key from any origin', async () => {
    const ws = await newWorkspace(store, ['*'])
    const { res, status } = await send(
      batchRequest({ batch: [track('a')] }, { auth: { bearer: ws.writeKey }, origin: 'https://anything.example' }),
    )
    expect(status).toBe(200)
    expect(res.headers.get('access-control-allow-origin')).toBe('https://anything.example')
  })

  it('batch: a write key from an origin not allowed: 403 forbidden_origin, still with ACAO, nothing stored', async () => {
    const ws = await newWorkspace(store, [OTHER])
    const { res, status, body } = await send(
      batchRequest(
        { batch: [track('a')] },
        { auth: { body: ws.writeKey }, origin: 'https://evil.example', contentType: 'text/plain' },
      ),
    )
    expect(status).toBe(403)
    expect(body.error.code).toBe('forbidden_origin')
    expect(res.headers.get('access-control-allow-origin')).toBe('https://evil.example')
    expect(await store.countEvents(ws.id)).toBe(0)
  })

  it('batch: the secret key is not bound to origins', async () => {
    const ws = await newWorkspace(store)
    const { status } = await send(
      batchRequest({ batch: [track('a')] }, { auth: { bearer: ws.secretKey }, origin: 'https://crm.example' }),
    )
    expect(status).toBe(200)
  })

  it('cors: a preflight on /v1/* allows the origin, the methods and headers, for a day', async () => {
    const res = await app.request(`${API}/v1/batch`, {
      method: 'OPTIONS',
      headers: {
        origin: OTHER,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe(OTHER)
    expect(res.headers.get('access-control-allow-methods')?.split(/,\s*/)).toEqual([
      'POST',
      'GET',
      'PUT',
      'PATCH',
      'DELETE',
      'OPTIONS',
    ])
    expect(res.headers.get('access-control-allow-headers')?.split(/,\s*/)).toEqual([
      'Authorization',
      'Content-Type',
      'X-Retry-Count',
    ])
    expect(res.headers.get('access-control-max-age')).toBe('86400')
  })
})

describe('batch: body limits and media types', () => {
  it(`batch: a body over ${MAX_BODY_BYTES} bytes is a 413 (Content-Length)`, async () => {
    const ws = await newWorkspace(store)
    const big = JSON.stringify({ batch: [track('a', { properties: { s: 'x'.repeat(MAX_BODY_BYTES) } })] })
    const req = batchRequest(big, {
      auth: { bearer: ws.writeKey },
      headers: { 'content-length': String(Buffer.byteLength(big)) },
    })
    const { status, body } = await send(req)
    expect(status).toBe(413)
    expect(body.error.code).toBe('payload_too_large')
  })

  it(`batch: a streamed body over ${MAX_BODY_BYTES} bytes without Content-Length is a 413`, async () => {
    const ws = await newWorkspace(store)
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024))
    let sent = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(ctrl) {
        if (sent++ < 10) ctrl.enqueue(chunk)
        else ctrl.close()
      },
    })
    const req = new Request(`${API}/v1/batch`, {
      method: 'POST',
      body: stream,
      duplex: 'half',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ws.writeKey}` },
    } as RequestInit)
    const { status, body } = await send(req)
    expect(status).toBe(413)
    expect(body.error.code).toBe('payload_too_large')
  })

  it('batch: createApp({ bodyLimit }) lowers the limit', async () => {
    const ws = await newWorkspace(store)
    const small = createApp({ store, bodyLimit: 200, log: () => {} })
    const { status } = await send(
      batchRequest({ batch: [track('a', { properties: { s: 'x'.repeat(300) } })] }, { auth: { bearer: ws.writeKey } }),
      small,
    )
    expect(status).toBe(413)
  })

  it.each([['application/x-www-form-urlencoded'], ['multipart/form-data'], [null]])(
    'batch: content type %s is a 415',
    async (contentType) => {
      const ws = await newWorkspace(store)
      const { status, body } = await send(
        batchRequest({ batch: [track('a')] }, { auth: { bearer: ws.writeKey }, contentType }),
      )
      expect(status).toBe(415)
      expect(body.error.code).toBe('unsupported_media_type')
    },
  )
})

describe('batch: identify and group through the API', () => {
  it('batch: traits merge in timestamp order, even when the batches arrive out of order', async () => {
    const ws = await newWorkspace(store)
    const t = (min: number) => new Date(Date.now() - 3_600_000 + min * 60_000).toISOString()
    const auth = { bearer: ws.writeKey }
    // The later identify arrives first.
    await send(
      batchRequest(
        {
          batch: [
            {
              id: eid(),
              type: 'identify',
              userId: 'ana',
              timestamp: t(10),
              traits: { role: 'owner', email: 'ana@new.example' },
            },
          ],
        },
        { auth },
      ),
    )
    await send(
      batchRequest(
        {
          batch: [
            { id: eid(), type: 'identify', userId: 'ana', timestamp: t(0), traits: { role: 'admin', name: 'Ana' } },
          ],
        },
        { auth },
      ),
    )
    expect(await store.getUser(ws.id, 'ana')).toMatchObject({
      traits: { role: 'owner', email: 'ana@new.example', name: 'Ana' },
    })

    await send(
      batchRequest(
        {
          batch: [
            {
              id: eid(),
              type: 'group',
              userId: 'ana',
              accountId: 'acme',
              timestamp: t(20),
              traits: { plan: 'pro', seats: 12 },
            },
          ],
        },
        { auth },
      ),
    )
    await send(
      batchRequest(
        {
          batch: [
            {
              id: eid(),
              type: 'group',
              userId: 'ana',
              groupId: 'acme',
              timestamp: t(5),
              traits: { plan: 'free', segment: 'smb' },
            },
          ],
        },
        { auth },
      ),
    )
    expect(await store.getAccount(ws.id, 'acme')).toMatchObject({ traits: { plan: 'pro', seats: 12, segment: 'smb' } })
    expect(await store.getUser(ws.id, 'ana')).toMatchObject({ accountId: 'acme' })

    // A track without an account belongs to the user's latest group.
    const ev = track('report_generated', { userId: 'ana', timestamp: t(30) })
    await send(batchRequest({ batch: [ev] }, { auth }))
    expect((await store.listEvents(ws.id, { name: 'report_generated' }))[0]).toMatchObject({
      id: ev.id,
      accountId: 'acme',
    })
  })
})

describe('operations', () => {
  it('healthz: 200 { ok: true } when the store answers', async () => {
    const res = await app.request(`${API}/healthz`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ok: true })
  })

  it('healthz: 503 when the store does not answer', async () => {
    const down = new Proxy(store, { get: (t, p) => (p === 'ping' ? async () => false : Reflect.get(t, p)) })
    const res = await createApp({ store: down, log: () => {} }).request(`${API}/healthz`)
    expect(res.status).toBe(503)
    expect(await res.json()).toEqual({ ok: false })
  })

  it('errors: an unknown route is a JSON 404 not_found', async () => {
    const res = await app.request(`${API}/v1/nothing`)
    expect(res.status).toBe(404)
    expect(((await res.json()) as ErrorBody).error.code).toBe('not_found')
  })

  it('errors: a store failure is a JSON 500 internal, logged without the payload', async () => {
    const ws = await newWorkspace(store)
    const failing = new Proxy(store, {
      get: (t, p) =>
        p === 'ingest'
          ? async () => {
              throw new Error('disk on fire')
            }
          : Reflect.get(t, p),
    })
    const got: LogLine[] = []
    const res = await createApp({ store: failing, log: (l) => got.push(l) }).request(
      batchRequest(
        { batch: [track('secret-name', { properties: { card: '4111' } })] },
        { auth: { bearer: ws.writeKey } },
      ),
    )
    expect(res.status).toBe(500)
    expect(await res.json()).toEqual({ error: { code: 'internal', message: 'internal error' } })
    expect(got).toHaveLength(1)
    expect(got[0]).toMatchObject({ status: 500, error: 'Error: disk on fire', workspace: ws.id })
    expect(JSON.stringify(got)).not.toContain('4111')
  })

  it('HE01 a database failure that passes when sent again is a 503 unavailable, with Retry-After', async () => {
    const ws = await newWorkspace(store)
    const failWith = (code: string) =>
      new Proxy(store, {
        get: (t, p) =>
          p === 'ingest'
            ? async () => {
                throw Object.assign(new Error('deadlock detected'), { code })
              }
            : Reflect.get(t, p),
      })
    const send = (code: string) =>
      createApp({ store: failWith(code), log: () => {} }).request(
        batchRequest({ batch: [track('x')] }, { auth: { bearer: ws.writeKey } }),
      )
    for (const code of ['40P01', '40001', '08006', '57P01', 'CONNECTION_CLOSED']) {
      const res = await send(code)
      expect(res.status, code).toBe(503)
      expect(res.headers.get('retry-after'), code).toBe('1')
      expect(((await res.json()) as ErrorBody).error.code, code).toBe('unavailable')
    }
    // A failure that would fail again (a constraint, a bug) stays a 500.
    for (const code of ['23505', 'XX000', '42P01']) expect((await send(code)).status, code).toBe(500)
  })

  it('log: one line per request with counts, and no payload or key', async () => {
    const ws = await newWorkspace(store)
    const before = lines.length
    const batch = [
      track('pay', { properties: { secretThing: 'hunter2' }, userId: 'user-with-secret' }),
      { id: eid(), type: 'track' },
    ]
    await send(batchRequest({ batch }, { auth: { bearer: ws.writeKey } }))
    const mine = lines.slice(before)
    expect(mine).toHaveLength(1)
    expect(mine[0]).toMatchObject({
      method: 'POST',
      path: '/v1/batch',
      status: 200,
      workspace: ws.id,
      accepted: 1,
      rejected: 1,
    })
    expect(typeof mine[0]!.ms).toBe('number')
    expect(Object.keys(mine[0]!).sort()).toEqual([
      'accepted',
      'duplicates',
      'method',
      'ms',
      'path',
      'rejected',
      'status',
      't',
      'workspace',
    ])
    const text = JSON.stringify(mine)
    for (const secret of ['hunter2', 'user-with-secret', ws.writeKey, 'pay']) expect(text).not.toContain(secret)
  })
})
