/**
 * Rate limits: token buckets per write key and per client address,
 * a 429 with Retry-After in the error shape, and the same request passing once the clock has moved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../server/app'
import {
  addressBucket,
  createTokenBuckets,
  DEFAULT_RATE_LIMITS,
  parseRateLimits,
  parseTrustProxy,
} from '../../server/http/rate-limit'
import type { RateLimitOptions } from '../../server/http/rate-limit'
import { createPgliteStore } from '../../server/store'
import type { Store } from '../../server/store/types'
import { API, batchRequest, eid, newWorkspace, track } from './helpers'

let store: Store
type Json = any
beforeAll(async () => {
  store = await createPgliteStore({ dataDir: 'memory://' })
})
afterAll(async () => {
  await store?.close()
})

/** An app with its own limits and a clock the test moves. */
function limitedApp(limits: Omit<RateLimitOptions, 'clock'>) {
  const time = { now: 1_000_000 }
  const app = createApp({ store, log: () => {}, rateLimit: { ...limits, clock: () => time.now } })
  return { app, time }
}

const socket = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } })

describe('rate limit: token buckets', () => {
  it('RL01 a bucket gives `burst` at once, then one per 1/rate s; Retry-After: the time to the next token', () => {
    let now = 0
    const b = createTokenBuckets({ rate: 2, burst: 3 }, () => now)
    expect([b.take('a'), b.take('a'), b.take('a')]).toEqual([0, 0, 0])
    expect(b.take('a')).toBeCloseTo(0.5)
    expect(b.take('b')).toBe(0)
    now += 500
    expect(b.take('a')).toBe(0)
    expect(b.take('a')).toBeCloseTo(0.5)
    now += 10_000
    expect([b.take('a'), b.take('a'), b.take('a'), b.take('a') > 0]).toEqual([0, 0, 0, true])
  })

  it('RL02 memory is bounded: idle (full) buckets go first, then all', () => {
    let now = 0
    const b = createTokenBuckets({ rate: 1, burst: 1 }, () => now, 10)
    for (let i = 0; i < 10; i++) b.take(`ip${i}`)
    now += 5_000
    b.take('new')
    expect(b.size).toBe(1)
    for (let i = 0; i < 20; i++) b.take(`busy${i}`)
    expect(b.size).toBeLessThanOrEqual(10)
  })

  it('RL03 JORNADA_RATE_LIMIT and JORNADA_TRUST_PROXY parse; a bad value throws', () => {
    expect(parseRateLimits(undefined)).toEqual(DEFAULT_RATE_LIMITS)
    expect(parseRateLimits('key=100/s:200,address=20/s:60')).toEqual({
      key: { rate: 100, burst: 200 },
      address: { rate: 20, burst: 60 },
    })
    expect(parseRateLimits('ip=600/m')).toEqual({ key: DEFAULT_RATE_LIMITS.key, address: { rate: 10, burst: 1200 } })
    expect(parseRateLimits('key=off')).toEqual({ key: null, address: DEFAULT_RATE_LIMITS.address })
    expect(parseRateLimits('off')).toEqual({ key: null, address: null })
    for (const bad of ['key=100', 'write=1/s', 'key=0/s', 'key=1/d', 'key=1/s:0'])
      expect(() => parseRateLimits(bad), bad).toThrow(/JORNADA_RATE_LIMIT/)
    expect([
      parseTrustProxy(undefined),
      parseTrustProxy('0'),
      parseTrustProxy('1'),
      parseTrustProxy('true'),
      parseTrustProxy('2'),
    ]).toEqual([0, 0, 1, 1, 2])
    expect(() => parseTrustProxy('yes')).toThrow(/JORNADA_TRUST_PROXY/)
  })

  it('RL04 addresses: IPv4 as is, IPv4-mapped IPv6 as IPv4, IPv6 by /64', () => {
    expect(addressBucket('203.0.113.9')).toBe('203.0.113.9')
    expect(addressBucket('::ffff:203.0.113.9')).toBe('203.0.113.9')
    expect(addressBucket('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64')
    expect(addressBucket('2001:DB8:1:2::9')).toBe('2001:db8:1:2::/64')
    expect(addressBucket('2001:db8::1')).toBe('2001:db8:0:0::/64')
    expect(addressBucket('::1')).toBe('0:0:0:0::/64')
    expect(addressBucket('fe80::1%eth0')).toBe('fe80:0:0:0::/64')
  })
})

describe('rate limit: the API', () => {
  // Nothing of the refused requests is stored.
  it('RL05 a burst on one write key gets 429 rate_limited with Retry-After and passes after the wait', async () => {
    const ws = await newWorkspace(store)
    const { app, time } = limitedApp({ key: { rate: 1, burst: 3 }, address: null })
    const statuses: number[] = []
    for (let i = 0; i < 3; i++)
      statuses.push(
        (await app.request(batchRequest({ batch: [track('burst', { n: i })] }, { auth: { bearer: ws.writeKey } })))
          .status,
      )
    expect(statuses).toEqual([200, 200, 200])
    const refused = track('burst', { n: 3 })
    const res = await app.request(
      batchRequest({ batch: [refused] }, { auth: { body: ws.writeKey }, contentType: 'text/plain', origin: API }),
    )
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('1')
    // Cross-origin pages can read it (the SDK's fetch is CORS).
    expect(res.headers.get('access-control-expose-headers')).toBe('Retry-After')
    expect(((await res.json()) as Json).error).toMatchObject({ code: 'rate_limited', message: expect.any(String) })
    expect(await store.countEvents(ws.id)).toBe(3)

    time.now += 999
    expect((await app.request(batchRequest({ batch: [refused] }, { auth: { bearer: ws.writeKey } }))).status).toBe(429)
    time.now += 1
    const again = await app.request(batchRequest({ batch: [refused] }, { auth: { bearer: ws.writeKey } }))
    expect(again.status).toBe(200)
    expect(((await again.json()) as Json).accepted).toBe(1)
  })

  it('RL06 keys have their own buckets; the secret key is not limited', async () => {
    const a = await newWorkspace(store)
    const b = await newWorkspace(store)
    const { app } = limitedApp({ key: { rate: 1, burst: 1 }, address: null })
    expect((await app.request(batchRequest({ batch: [track('k')] }, { auth: { bearer: a.writeKey } }))).status).toBe(
      200,
    )
    expect((await app.request(batchRequest({ batch: [track('k')] }, { auth: { bearer: a.writeKey } }))).status).toBe(
      429,
    )
    expect((await app.request(batchRequest({ batch: [track('k')] }, { auth: { bearer: b.writeKey } }))).status).toBe(
      200,
    )
    for (let i = 0; i < 10; i++) {
      expect((await app.request(batchRequest({ batch: [track('k')] }, { auth: { bearer: a.secretKey } }))).status).toBe(
        200,
      )
    }
  })

  it('RL07 per address: the socket address; X-Forwarded-For only with trustProxy, read from the right', async () => {
    const ws = await newWorkspace(store)
    const send = async (app: ReturnType<typeof createApp>, env: object, xff?: string) =>
      (
        await app.request(
          batchRequest(
            { batch: [track('ip')] },
            { auth: { bearer: ws.writeKey }, ...(xff && { headers: { 'x-forwarded-for': xff } }) },
          ),
          undefined,
          env,
        )
      ).status

    const direct = limitedApp({ key: null, address: { rate: 1, burst: 2 } }).app
    expect([
      await send(direct, socket('198.51.100.1')),
      await send(direct, socket('198.51.100.1')),
      await send(direct, socket('198.51.100.1')),
    ]).toEqual([200, 200, 429])
    expect(await send(direct, socket('198.51.100.2'))).toBe(200)
    // Not trusted: a forged header does not give a new bucket.
    expect(await send(direct, socket('198.51.100.1'), '203.0.113.50')).toBe(429)

    const proxied = limitedApp({ key: null, address: { rate: 1, burst: 1 }, trustProxy: 1 }).app
    const proxy = socket('10.0.0.1')
    expect(await send(proxied, proxy, '203.0.113.7')).toBe(200)
    expect(await send(proxied, proxy, '203.0.113.7')).toBe(429)
    // What the client wrote left of the proxy's entry does not matter.
    expect(await send(proxied, proxy, '1.2.3.4, 203.0.113.7')).toBe(429)
    expect(await send(proxied, proxy, '203.0.113.8')).toBe(200)
  })

  // A flood of made-up keys gets 429, not endless 401s.
  it("RL10 per address: requests with unknown keys spend the address's tokens too", async () => {
    const ws = await newWorkspace(store)
    const { app } = limitedApp({ key: null, address: { rate: 1, burst: 2 } })
    const send = async (key: string, ip: string) =>
      (await app.request(batchRequest({ batch: [track('guess')] }, { auth: { bearer: key } }), undefined, socket(ip)))
        .status
    expect([
      await send('pk_made_up_1', '198.51.100.9'),
      await send('pk_made_up_2', '198.51.100.9'),
      await send('pk_made_up_3', '198.51.100.9'),
    ]).toEqual([401, 401, 429])
    // The address is spent for real keys too; another address is not.
    expect(await send(ws.writeKey, '198.51.100.9')).toBe(429)
    expect(await send(ws.writeKey, '198.51.100.10')).toBe(200)
  })

  it('RL08 POST /v1/experience is limited too, in the same buckets', async () => {
    const ws = await newWorkspace(store)
    const { app } = limitedApp({ key: { rate: 1, burst: 2 }, address: null })
    expect(
      (
        await app.request(
          batchRequest({ batch: [track('x', { accountId: 'acme' })] }, { auth: { bearer: ws.writeKey } }),
        )
      ).status,
    ).toBe(200)
    const ask = () =>
      app.request(`${API}/v1/experience`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ws.writeKey}` },
        body: JSON.stringify({ userId: 'user-1', accountId: 'acme' }),
      })
    expect((await ask()).status).toBe(200)
    const res = await ask()
    expect(res.status).toBe(429)
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
  })

  it("RL09 without rateLimit (createApp's default) nothing is limited", async () => {
    const ws = await newWorkspace(store)
    const app = createApp({ store, log: () => {} })
    for (let i = 0; i < 30; i++) {
      expect(
        (
          await app.request(
            batchRequest({ batch: [{ ...track('free'), id: eid() }] }, { auth: { bearer: ws.writeKey } }),
            undefined,
            socket('198.51.100.9'),
          )
        ).status,
      ).toBe(200)
    }
  })
})
