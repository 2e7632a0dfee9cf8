import { describe, expect, it, vi } from 'vitest'
import { beacon, bytes, chunk, classify, envelope, parseRetryAfter, post } from '../../sdk/core/transport'
import type { BatchRequest, WireEvent } from '../../sdk/wire'

const ev = (i: number, extra = ''): WireEvent => ({
  id: `id-${i}`,
  type: 'track',
  event: 'e' + extra,
  timestamp: '2026-11-24T10:00:00.000Z',
})

describe('transport: classify (Segment analytics-next style)', () => {
  const table: [string, number, 'ok' | 'retry' | 'drop'][] = [
    ['T01 200 is ok', 200, 'ok'],
    ['T02 201 is ok', 201, 'ok'],
    ['T03 204 is ok', 204, 'ok'],
    ['T04 network error (status 0) is retried', 0, 'retry'],
    ['T05 408 request timeout is retried', 408, 'retry'],
    ['T06 429 rate limited is retried', 429, 'retry'],
    ['T07 500 is retried', 500, 'retry'],
    ['T08 502 is retried', 502, 'retry'],
    ['T09 503 is retried', 503, 'retry'],
    ['T10 504 is retried', 504, 'retry'],
    ['T11 400 bad body is dropped', 400, 'drop'],
    ['T12 401 unknown key is dropped', 401, 'drop'],
    ['T13 403 origin or account fact is dropped', 403, 'drop'],
    ['T14 404 is dropped', 404, 'drop'],
    ['T15 413 too large is drop for one request (the queue splits a batch first: queue.test Q413)', 413, 'drop'],
    ['T16 422 is dropped', 422, 'drop'],
    ['T17 3xx is dropped (never retried forever)', 302, 'drop'],
  ]
  for (const [name, status, verdict] of table) it(name, () => expect(classify(status)).toBe(verdict))
})

describe('transport: Retry-After', () => {
  const now = Date.parse('2026-11-24T10:00:00.000Z')
  it('RA01 delay-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000)
    expect(parseRetryAfter('0', now)).toBe(0)
  })
  it('RA02 HTTP date, relative to now', () => {
    expect(parseRetryAfter('Tue, 24 Nov 2026 10:00:30 GMT', now)).toBe(30_000)
  })
  it('RA03 a date in the past means now', () => {
    expect(parseRetryAfter('Tue, 24 Nov 2026 09:00:00 GMT', now)).toBe(0)
  })
  it('RA04 absent or unreadable: undefined (backoff decides)', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined()
    expect(parseRetryAfter('', now)).toBeUndefined()
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter('-5', now)).toBeUndefined()
  })
  it('RA05 post() reads Retry-After from a 429', async () => {
    const f = vi.fn(async () => new Response('{}', { status: 429, headers: { 'Retry-After': '7' } }))
    const a = await post(f as unknown as typeof fetch, 'https://api.test/v1/batch', '{}', () => now)
    expect(a).toMatchObject({ verdict: 'retry', status: 429, retryAfter: 7000 })
  })
})

describe('transport: post', () => {
  it('TP01 POSTs text/plain (a CORS simple request) with { batch, writeKey, sentAt } in the body', async () => {
    const f = vi.fn(
      async (_u: unknown, _i?: RequestInit) =>
        new Response(JSON.stringify({ accepted: 1, duplicates: 0, rejected: [] })),
    )
    const body = envelope([ev(1)], 'pk_x', Date.parse('2026-11-24T10:00:00.000Z'))
    const a = await post(f as unknown as typeof fetch, 'https://api.test/v1/batch', body, () => 0)
    expect(a).toMatchObject({ verdict: 'ok', status: 200, rejected: [] })
    const [url, init] = f.mock.calls[0]
    expect(url).toBe('https://api.test/v1/batch')
    expect(init!.method).toBe('POST')
    expect(new Headers(init!.headers).get('content-type')).toBe('text/plain')
    expect(JSON.parse(String(init!.body))).toEqual({
      batch: [ev(1)],
      writeKey: 'pk_x',
      sentAt: '2026-11-24T10:00:00.000Z',
    })
  })
  it('P02 a network error is a retry, never a rejection', async () => {
    const f = vi.fn(async () => {
      throw new TypeError('Failed to fetch')
    })
    await expect(post(f as unknown as typeof fetch, 'u', '{}', () => 0)).resolves.toMatchObject({
      verdict: 'retry',
      status: 0,
    })
  })
  it('P03 the indexes the server rejected are returned with ok', async () => {
    const f = vi.fn(
      async () => new Response(JSON.stringify({ accepted: 1, duplicates: 0, rejected: [{ index: 1, issues: [] }] })),
    )
    expect((await post(f as unknown as typeof fetch, 'u', '{}', () => 0)).rejected).toEqual([1])
  })
})

describe('transport: limits', () => {
  it('L01 at most 100 events per chunk', () => {
    const c = chunk(
      Array.from({ length: 250 }, (_, i) => ev(i)),
      400_000,
    )
    expect(c.map((x) => x.length)).toEqual([100, 100, 50])
  })
  it('L02 about maxBytes of JSON per chunk, in order', () => {
    const big = 'x'.repeat(10_000)
    const events = Array.from({ length: 30 }, (_, i) => ev(i, big))
    const c = chunk(events, 60_000)
    for (const part of c) expect(JSON.stringify(part).length).toBeLessThanOrEqual(60_000)
    expect(c.flat().map((e) => e.id)).toEqual(events.map((e) => e.id))
  })
  it('L03 an event larger than the limit travels alone (the server answers 413, it is dropped)', () => {
    const c = chunk([ev(1), ev(2, 'x'.repeat(500_000)), ev(3)], 400_000)
    expect(c.map((x) => x.map((e) => e.id))).toEqual([['id-1'], ['id-2'], ['id-3']])
  })
  it('L04 sizes are UTF-8 bytes, not characters (a 413 limit is in bytes)', () => {
    expect(bytes('ã')).toBe(4) // the quotes and two bytes
    const events = Array.from({ length: 10 }, (_, i) => ev(i, 'ã'.repeat(500)))
    // 500 characters but over 1,000 bytes each: a 4,000-byte limit (3,000 after the envelope) fits two.
    expect(chunk(events, 4_000).map((x) => x.length)).toEqual([2, 2, 2, 2, 2])
  })
})

describe('transport: beacon', () => {
  const big = 'y'.repeat(20_000)
  const events = Array.from({ length: 8 }, (_, i) => ev(i, big))

  it('TB01 several text/plain beacons of at most 60 KB carry every event once', async () => {
    const sent: Blob[] = []
    const spy = vi.spyOn(navigator, 'sendBeacon').mockImplementation((_u, b) => (sent.push(b as Blob), true))
    const f = vi.fn()
    beacon(f as unknown as typeof fetch, 'https://api.test/v1/batch', events, 'pk_x', 0)
    expect(f).not.toHaveBeenCalled()
    expect(sent.length).toBeGreaterThan(1)
    const ids: string[] = []
    for (const b of sent) {
      expect(b.size).toBeLessThanOrEqual(60_000)
      expect(b.type).toBe('text/plain')
      const body = JSON.parse(await b.text()) as BatchRequest
      expect(body.writeKey).toBe('pk_x')
      ids.push(...body.batch.map((e) => e.id))
    }
    expect(ids).toEqual(events.map((e) => e.id))
    spy.mockRestore()
  })

  it('TB02 falls back to fetch keepalive when sendBeacon refuses or is missing', () => {
    const spy = vi.spyOn(navigator, 'sendBeacon').mockImplementation(() => false)
    const f = vi.fn(async (_u: unknown, _i?: RequestInit) => new Response('{}'))
    beacon(f as unknown as typeof fetch, 'u', [ev(1)], 'pk_x', 0)
    expect(f).toHaveBeenCalledTimes(1)
    expect(f.mock.calls[0][1]).toMatchObject({ keepalive: true, method: 'POST' })
    spy.mockImplementation(() => {
      throw new TypeError('not a function')
    })
    beacon(f as unknown as typeof fetch, 'u', [ev(2)], 'pk_x', 0)
    expect(f).toHaveBeenCalledTimes(2)
    spy.mockRestore()
  })
})
