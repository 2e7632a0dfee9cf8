/**
 * Secret-key rotation and write-key origins: during a rotation two
 * secret keys work; the previous one ends when retired or when its grace period is over; only the
 * current one may rotate or retire.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../server/app'
import { createPgliteStore } from '../../server/store'
import type { Store } from '../../server/store/types'
import { API, batchRequest, newWorkspace, track } from './helpers'

let store: Store
let app: ReturnType<typeof createApp>
type Json = any
beforeAll(async () => {
  store = await createPgliteStore({ dataDir: 'memory://' })
  app = createApp({ store, log: () => {} })
})
afterAll(async () => {
  await store?.close()
})

const call = (method: string, path: string, key: string, body?: unknown, origin?: string) =>
  app.request(`${API}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...(origin && { origin }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  })
const config = async (key: string) => (await call('GET', '/v1/config', key)).status

describe('keys: secret rotation', () => {
  it('KR01 rotate: the new key and the previous one both work; retire ends the previous one', async () => {
    const ws = await newWorkspace(store)
    const res = await call('POST', '/v1/keys/secret/rotate', ws.secretKey)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const { secretKey, previousExpiresAt } = (await res.json()) as Json
    expect(secretKey).toMatch(/^sk_[0-9A-Za-z]{32}$/)
    const hours = (Date.parse(previousExpiresAt) - Date.now()) / 3_600_000
    expect(hours).toBeGreaterThan(23.9)
    expect(hours).toBeLessThanOrEqual(24)
    expect([await config(secretKey), await config(ws.secretKey)]).toEqual([200, 200])

    // Only the current key may retire or rotate: a leaked previous key cannot lock its owner out.
    expect((await call('POST', '/v1/keys/secret/retire', ws.secretKey)).status).toBe(403)
    expect((await call('POST', '/v1/keys/secret/rotate', ws.secretKey)).status).toBe(403)

    const retired = await call('POST', '/v1/keys/secret/retire', secretKey)
    expect(await retired.json()).toEqual({ retired: true })
    expect([await config(secretKey), await config(ws.secretKey)]).toEqual([200, 401])
    expect(await (await call('POST', '/v1/keys/secret/retire', secretKey)).json()).toEqual({ retired: false })
  })

  it('KR02 graceHours: 0 ends the previous key at once; a second rotation drops the oldest key', async () => {
    const ws = await newWorkspace(store)
    const first = (
      (await (await call('POST', '/v1/keys/secret/rotate', ws.secretKey, { graceHours: 0 })).json()) as Json
    ).secretKey
    expect([await config(first), await config(ws.secretKey)]).toEqual([200, 401])
    const second = ((await (await call('POST', '/v1/keys/secret/rotate', first, {})).json()) as Json).secretKey
    const third = ((await (await call('POST', '/v1/keys/secret/rotate', second)).json()) as Json).secretKey
    expect([await config(third), await config(second), await config(first)]).toEqual([200, 200, 401])
  })

  it('KR03 the write key cannot rotate; a bad body is a 400 naming the field', async () => {
    const ws = await newWorkspace(store)
    expect((await call('POST', '/v1/keys/secret/rotate', ws.writeKey)).status).toBe(403)
    const bad = await call('POST', '/v1/keys/secret/rotate', ws.secretKey, { graceHours: -1 })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as Json).error.issues[0].path).toBe('graceHours')
    expect(await config(ws.secretKey)).toBe(200)
  })
})

describe('keys: write-key origins', () => {
  it('KR04 PUT /v1/keys/write/origins replaces the list; the write key then works from those origins only', async () => {
    const ws = await newWorkspace(store)
    const from = async (origin: string) =>
      (await app.request(batchRequest({ batch: [track('o')] }, { auth: { bearer: ws.writeKey }, origin }))).status
    expect(await from('https://app.acme.example')).toBe(403)
    const res = await call('PUT', '/v1/keys/write/origins', ws.secretKey, {
      origins: ['https://App.Acme.example', 'https://app.acme.example/', 'http://localhost:3000'],
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ origins: ['https://app.acme.example', 'http://localhost:3000'] })
    expect(await (await call('GET', '/v1/keys/write/origins', ws.secretKey)).json()).toEqual({
      origins: ['https://app.acme.example', 'http://localhost:3000'],
    })
    expect([await from('https://app.acme.example'), await from('https://evil.example')]).toEqual([200, 403])
  })

  it('KR05 origins must be origins (or *); the write key may not change them', async () => {
    const ws = await newWorkspace(store)
    const bad = await call('PUT', '/v1/keys/write/origins', ws.secretKey, {
      origins: ['*', 'https://a.example/path', 'ftp://b.example', 'nope'],
    })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as Json).error.issues.map((i: Json) => i.path)).toEqual([
      'origins.1',
      'origins.2',
      'origins.3',
    ])
    expect((await call('PUT', '/v1/keys/write/origins', ws.writeKey, { origins: ['*'] })).status).toBe(403)
  })
})
