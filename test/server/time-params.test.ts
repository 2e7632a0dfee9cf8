/**
 * One time schema for every route that takes a time (docs/http-api.md, "Parameters, bodies and
 * times"): an ISO-8601 date-time with a zone, or a date alone, which is the end of that UTC day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../server/app'
import { createPgliteStore } from '../../server/store'
import type { Store } from '../../server/store/types'
import { API, batchRequest, eid, newWorkspace } from './helpers'
import type { TestWorkspace } from './helpers'

const NOW = Date.parse('2026-03-10T12:00:00Z')
let store: Store
let app: ReturnType<typeof createApp>
let ws: TestWorkspace
const get = (path: string) => app.request(`${API}${path}`, { headers: { authorization: `Bearer ${ws.secretKey}` } })

beforeAll(async () => {
  store = await createPgliteStore({ dataDir: 'memory://' })
  app = createApp({ store, clock: () => NOW, log: () => {} })
  ws = await newWorkspace(store)
  const batch = [
    {
      id: eid(),
      type: 'group',
      userId: 'u1',
      accountId: 'acme',
      timestamp: '2026-02-01T09:00:00Z',
      traits: { segment: 'smb' },
    },
    // Late on 1 March: a date alone (`at=2026-03-01`) includes it, midnight of that day would not.
    { id: eid(), type: 'track', event: '$login', userId: 'u1', accountId: 'acme', timestamp: '2026-03-01T23:30:00Z' },
  ]
  expect((await app.request(batchRequest({ batch }, { auth: { bearer: ws.secretKey } }))).status).toBe(200)
})
afterAll(async () => {
  await store?.close()
})

describe('a date alone is the end of that UTC day, on every route that takes a time', () => {
  it("TQ01 journey ?at=: the day's events included", async () => {
    const res = await get('/v1/accounts/acme/journey?at=2026-03-01')
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ at: '2026-03-01T23:59:59.999Z', moments: expect.any(Array) })
  })

  it('TQ02 diff ?from=&to=, QBR ?at= and journey map ?at= take a date alone', async () => {
    for (const path of [
      '/v1/accounts/acme/journey/diff?from=2026-02-15&to=2026-03-01',
      '/v1/accounts/acme/qbr?at=2026-03-01',
      '/v1/journey-map?at=2026-03-01',
    ]) {
      const res = await get(path)
      expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200)
    }
    const diff = (await (await get('/v1/accounts/acme/journey/diff?from=2026-02-15&to=2026-03-01')).json()) as {
      to: string
    }
    expect(diff.to).toBe('2026-03-01T23:59:59.999Z')
  })

  it("TQ03 an override's expiresAt may be a date alone: the end of that day", async () => {
    const res = await app.request(`${API}/v1/accounts/acme/override`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ws.secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ phase: 'adoption', reason: 'kickoff done by phone', expiresAt: '2026-04-01' }),
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ phase: { override: { expiresAt: '2026-04-01T23:59:59.999Z' } } })
  })

  it("TQ05 today's date is now: the state as it stands; a later day is a 400", async () => {
    const res = await get('/v1/accounts/acme/journey?at=2026-03-10')
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ at: new Date(NOW).toISOString() })
    for (const path of [
      '/v1/accounts/acme/qbr?at=2026-03-10',
      '/v1/journey-map?at=2026-03-10',
      '/v1/accounts/acme/journey/diff?from=2026-03-01&to=2026-03-10',
    ]) {
      expect((await get(path)).status, path).toBe(200)
    }
    const later = await get('/v1/accounts/acme/journey?at=2026-03-11')
    expect(later.status).toBe(400)
    expect(await later.json()).toMatchObject({ error: { code: 'invalid_query', issues: [{ path: 'at' }] } })
  })

  it('TQ06 a HEAD is answered as its GET, with the same access', async () => {
    const head = await app.request(`${API}/v1/accounts/acme/journey?at=2026-03-01`, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${ws.secretKey}` },
    })
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
    const refused = await app.request(`${API}/v1/accounts/acme/journey`, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${ws.writeKey}` },
    })
    expect(refused.status).toBe(403)
  })

  it('TQ04 anything else is a 400 naming the parameter, the same on every route', async () => {
    for (const [path, name] of [
      ['/v1/accounts/acme/journey?at=2026-03', 'at'],
      ['/v1/accounts/acme/qbr?at=yesterday', 'at'],
      ['/v1/journey-map?at=2026-13-01', 'at'],
      ['/v1/accounts/acme/journey/diff?from=2026-02-30T00:00:00', 'from'],
    ] as const) {
      const res = await get(path)
      expect(res.status, path).toBe(400)
      expect(await res.json()).toMatchObject({
        error: { code: 'invalid_query', issues: [expect.objectContaining({ path: name })] },
      })
    }
  })
})
