import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../server/app'
import { SEGMENT_SHORT_PATHS } from '../../server/ingest/schema'
import { createPgliteStore } from '../../server/store'
import type { StoredEvent, Store } from '../../server/store/types'
import { readSegmentFixture, type SegmentFixture } from '../support/segment-fixtures'
import { API, newWorkspace, type TestWorkspace } from './helpers'

// What Segment's browser library (analytics.js 2.0) sends, replayed through app.request: the
// requests test/e2e/segment-browser.test.ts captured in Chromium (test/fixtures/segment-browser/),
// at Segment's short paths and at the long ones (api.md, "Ingest"; ingest.md, "Segment compatibility").

const ONE_AT_A_TIME = readSegmentFixture('one-at-a-time')
const BATCHING = readSegmentFixture('batching')

/** The long path of a short one (`/v1/t` → `/v1/track`). */
const LONG: Record<string, string> = Object.fromEntries(
  Object.entries(SEGMENT_SHORT_PATHS).map(([long, short]) => [`/v1/${short}`, `/v1/${long}`]),
)

/** The events of a captured body (a batch's, or the one event of a call). */
const eventsOf = (body: string): { messageId: string; sentAt?: string; timestamp: string }[] => {
  const json = JSON.parse(body)
  return json.batch ?? [json]
}

// The server's clock a minute after the capture: the library's timestamps are taken as they are.
const CAPTURED_AT = Math.max(
  ...[ONE_AT_A_TIME, BATCHING]
    .flatMap((f) => f.requests.flatMap((r) => eventsOf(r.body)))
    .map((e) => Date.parse(e.timestamp)),
)
const NOW = CAPTURED_AT + 60_000

let store: Store
let app: ReturnType<typeof createApp>

beforeAll(async () => {
  store = await createPgliteStore({ dataDir: 'memory://' })
  app = createApp({ store, clock: () => NOW, log: () => {} })
})
afterAll(async () => {
  await store?.close()
})

/** A workspace whose write key the captured page's origin may use. */
const workspaceFor = (f: SegmentFixture) => newWorkspace(store, [f.origin])

/**
 * A captured request as the library sent it, to `path` (default its own), with the workspace's write
 * key where the capture's was: in the body and in the Basic auth.
 */
async function replay(
  f: SegmentFixture,
  ws: TestWorkspace,
  r: SegmentFixture['requests'][number],
  path = r.path,
): Promise<{ status: number; body: any }> {
  const key = (s: string) => s.replaceAll(f.writeKey, ws.writeKey)
  const res = await app.request(API + path, {
    method: 'POST',
    headers: { ...r.headers, authorization: `Basic ${btoa(ws.writeKey + ':')}`, origin: f.origin },
    body: key(r.body),
  })
  return { status: res.status, body: await res.json() }
}

/** Stored events without the time they were received, by id. */
const storedOf = async (ws: TestWorkspace): Promise<Map<string, Omit<StoredEvent, 'receivedAt'>>> =>
  new Map((await store.listEvents(ws.id)).map(({ receivedAt: _, ...e }) => [e.id, e]))

describe("Segment compatibility: analytics.js 2.0's requests at the short and the long paths", () => {
  it('SEG08 each call at /v1/i, /v1/g, /v1/p, /v1/t, /v1/s, /v1/a is stored as at its long path', async () => {
    expect(ONE_AT_A_TIME.requests.map((r) => r.path)).toEqual([
      '/v1/i',
      '/v1/g',
      '/v1/p',
      '/v1/t',
      '/v1/t',
      '/v1/s',
      '/v1/a',
    ])
    const short = await workspaceFor(ONE_AT_A_TIME)
    const long = await workspaceFor(ONE_AT_A_TIME)
    for (const r of ONE_AT_A_TIME.requests) {
      const ok = { status: 200, body: { accepted: 1, duplicates: 0, rejected: [] } }
      expect(await replay(ONE_AT_A_TIME, short, r), r.path).toEqual(ok)
      expect(await replay(ONE_AT_A_TIME, long, r, LONG[r.path]), LONG[r.path]).toEqual(ok)
    }
    const stored = await storedOf(short)
    expect(stored).toEqual(await storedOf(long))
    // Under the library's messageId, with what it sent: the page, its context, the account of the group call.
    const sent = ONE_AT_A_TIME.requests.map((r) => JSON.parse(r.body))
    expect([...stored.keys()].sort()).toEqual(sent.map((e) => e.messageId).sort())
    const [identify, group, page, login, feature, screen, alias] = sent.map((e) => stored.get(e.messageId)!)
    expect(identify).toMatchObject({ type: 'identify', userId: 'ana', traits: sent[0].traits })
    expect(group).toMatchObject({ type: 'group', userId: 'ana', accountId: 'acme', traits: sent[1].traits })
    expect(page).toMatchObject({
      type: 'page',
      name: '$page',
      userId: 'ana',
      anonymousId: sent[2].anonymousId,
      accountId: 'acme',
      timestamp: Date.parse(sent[2].timestamp),
      properties: sent[2].properties,
      context: sent[2].context,
    })
    expect(login).toMatchObject({ type: 'track', name: '$login', accountId: 'acme' })
    expect(feature).toMatchObject({ type: 'track', name: 'feature_used', properties: { feature: 'reports' } })
    expect(screen).toMatchObject({ type: 'page', name: '$page', properties: { name: 'Settings' } })
    expect(alias).toMatchObject({ type: 'track', name: '$alias', properties: { previousId: sent[6].previousId } })
    // The envelope's fields are read for the key and then left: nothing of them is kept.
    for (const e of stored.values()) {
      expect(JSON.stringify(e)).not.toContain(short.writeKey)
      expect(e.context).not.toHaveProperty('_metadata')
    }
  })

  it("SEG09 the library's batches at /v1/b: stored as at /v1/batch, each event under its messageId", async () => {
    expect(BATCHING.requests.map((r) => r.path)).toEqual(['/v1/b', '/v1/b', '/v1/b'])
    const short = await workspaceFor(BATCHING)
    const long = await workspaceFor(BATCHING)
    for (const r of BATCHING.requests) {
      const n = eventsOf(r.body).length
      const ok = { status: 200, body: { accepted: n, duplicates: 0, rejected: [] } }
      expect(await replay(BATCHING, short, r)).toEqual(ok)
      expect(await replay(BATCHING, long, r, '/v1/batch')).toEqual(ok)
    }
    const stored = await storedOf(short)
    expect(stored).toEqual(await storedOf(long))
    const sent = BATCHING.requests.flatMap((r) => eventsOf(r.body))
    expect([...stored.keys()].sort()).toEqual(sent.map((e) => e.messageId).sort())
    expect([...stored.values()].map((e) => e.name ?? e.type).sort()).toEqual(
      ['$alias', '$login', '$page', '$page', 'feature_used', 'group', 'identify'].sort(),
    )
  })

  it('SEG10 the same messageId again, at the short or the long path: a duplicate, stored once', async () => {
    const ws = await workspaceFor(ONE_AT_A_TIME)
    const track = ONE_AT_A_TIME.requests.find((r) => r.path === '/v1/t')!
    expect((await replay(ONE_AT_A_TIME, ws, track)).body).toMatchObject({ accepted: 1, duplicates: 0 })
    for (const path of ['/v1/t', '/v1/track']) {
      expect(await replay(ONE_AT_A_TIME, ws, track, path)).toEqual({
        status: 200,
        body: { accepted: 0, duplicates: 1, rejected: [] },
      })
    }
    const batch = BATCHING.requests[0]!
    const n = eventsOf(batch.body).length
    expect((await replay(BATCHING, ws, batch, '/v1/b')).body).toMatchObject({ accepted: n, duplicates: 0 })
    expect((await replay(BATCHING, ws, batch, '/v1/batch')).body).toMatchObject({ accepted: 0, duplicates: n })
    expect(await store.countEvents(ws.id)).toBe(1 + n)
  })

  it('SEG11 the key from Basic auth or the body; an unknown key is a 401, another origin a 403', async () => {
    const ws = await workspaceFor(BATCHING)
    const [first, second] = BATCHING.requests as [
      SegmentFixture['requests'][number],
      SegmentFixture['requests'][number],
    ]
    const send = (body: string, headers: Record<string, string>) =>
      app.request(API + '/v1/b', { method: 'POST', headers: { 'content-type': 'text/plain', ...headers }, body })
    const withKey = (r: typeof first, key: string) => r.body.replaceAll(BATCHING.writeKey, key)
    // The body's writeKey alone (no Authorization header) is enough, as on the long paths.
    expect((await send(withKey(first, ws.writeKey), { origin: BATCHING.origin })).status).toBe(200)
    for (const [what, body, headers, status, code] of [
      [
        'unknown key in Basic',
        withKey(second, ws.writeKey),
        { authorization: `Basic ${btoa('pk_unknown0000000000:')}` },
        401,
        'unauthorized',
      ],
      ['unknown key in the body', withKey(second, 'pk_unknown0000000000'), {}, 401, 'unauthorized'],
      [
        'another origin',
        withKey(second, ws.writeKey),
        { origin: 'https://elsewhere.example' },
        403,
        'forbidden_origin',
      ],
    ] as const) {
      const res = await send(body, { origin: BATCHING.origin, ...headers })
      expect(res.status, what).toBe(status)
      expect(await res.json(), what).toEqual({ error: { code, message: expect.any(String) } })
    }
    expect(await store.countEvents(ws.id)).toBe(eventsOf(first.body).length)
  })

  it('SEG12 a call with wrong fields is a 400 naming each; a batch lists its bad events; bad bodies 4xx', async () => {
    const ws = await workspaceFor(ONE_AT_A_TIME)
    const captured = (path: string) => ONE_AT_A_TIME.requests.find((r) => r.path === path)!
    const broken = (path: string, change: (e: Record<string, unknown>) => void) => {
      const r = captured(path)
      const event = JSON.parse(r.body)
      change(event)
      return { ...r, body: JSON.stringify(event) }
    }
    /** A 400 in the error shape whose issues name exactly `fields`, each with a message. */
    const expectInvalid = (res: { status: number; body: any }, fields: string[], what: string) => {
      expect(res.status, what).toBe(400)
      expect(res.body.error, what).toMatchObject({ code: 'invalid_body', message: expect.any(String) })
      for (const issue of res.body.error.issues)
        expect(issue, what).toEqual({ path: expect.any(String), message: expect.any(String) })
      expect(new Set(res.body.error.issues.map((i: { path: string }) => i.path)), what).toEqual(new Set(fields))
    }
    const track = broken('/v1/t', (e) => {
      e.timestamp = 'yesterday'
      e.properties = 'reports'
    })
    const page = broken('/v1/p', (e) => delete e.messageId)
    for (const [r, fields] of [
      [track, ['batch.0.timestamp', 'batch.0.properties']],
      [page, ['batch.0.id']],
    ] as const) {
      expectInvalid(await replay(ONE_AT_A_TIME, ws, r), [...fields], r.path)
      expectInvalid(await replay(ONE_AT_A_TIME, ws, r, LONG[r.path]), [...fields], LONG[r.path]!)
    }

    // A batch keeps its contract: the valid events stored, each invalid one listed with its issues.
    const batch = BATCHING.requests[0]!
    const events = JSON.parse(batch.body)
    events.batch[1].timestamp = 'yesterday'
    const mixed = await replay(BATCHING, ws, { ...batch, body: JSON.stringify(events) })
    expect(mixed).toEqual({
      status: 200,
      body: {
        accepted: events.batch.length - 1,
        duplicates: 0,
        rejected: [{ index: 1, issues: [{ path: 'batch.1.timestamp', message: expect.any(String) }] }],
      },
    })
    const notABatch = await replay(BATCHING, ws, { ...batch, body: JSON.stringify({ ...events, batch: 'none' }) })
    expect(notABatch.status).toBe(400)
    expect(notABatch.body.error).toMatchObject({ code: 'invalid_body', issues: [{ path: 'batch' }] })
    const notJson = await replay(BATCHING, ws, { ...batch, body: batch.body.slice(0, 40) })
    expect(notJson).toEqual({ status: 400, body: { error: { code: 'invalid_json', message: expect.any(String) } } })
    expect(await store.countEvents(ws.id)).toBe(events.batch.length - 1)
  })

  it("SEG14 a preflight from the library's page allows what its retries send: X-Retry-Count", async () => {
    for (const path of ['/v1/t', '/v1/b']) {
      const res = await app.request(API + path, {
        method: 'OPTIONS',
        headers: {
          origin: ONE_AT_A_TIME.origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type,x-retry-count',
        },
      })
      expect(res.status, path).toBe(204)
      expect(res.headers.get('access-control-allow-origin'), path).toBe(ONE_AT_A_TIME.origin)
      const allowed = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(/\s*,\s*/)
      expect(allowed, path).toEqual(expect.arrayContaining(['authorization', 'content-type', 'x-retry-count']))
      expect(res.headers.get('access-control-expose-headers'), path).toMatch(/retry-after/i)
    }
  })
})
