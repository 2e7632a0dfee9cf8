import type { AddressInfo } from 'node:net'
import { serve, type ServerType } from '@hono/node-server'
import { Analytics } from '@segment/analytics-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../server/app'
import { createPgliteStore } from '../../server/store'
import type { Store } from '../../server/store/types'
import { newWorkspace } from './helpers'

// Segment's own Node library, unchanged, against the real server on a random port: the body is a
// superset of Segment's HTTP tracking API (messageId, groupId, context.groupId, Basic auth).

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
    analytics.track({ userId, event: 'report_generated', properties: { rows: 3 }, context: { groupId: 'seg-globex' }, timestamp: at(2) })
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
    expect(stored(1)).toMatchObject({ type: 'group', userId, accountId: 'seg-acme', traits: { name: 'Acme', plan: 'free' } })
    expect(stored(2)).toMatchObject({ type: 'track', name: 'report_generated', accountId: 'seg-globex', properties: { rows: 3 }, timestamp: at(2).getTime() })
    expect(stored(3)).toMatchObject({ type: 'track', name: 'feature_used', accountId: 'seg-acme' })
    expect(stored(4)).toMatchObject({ type: 'page', name: '$page', accountId: 'seg-acme', properties: { path: '/reports', name: 'Reports', category: 'App' } })

    expect(await store.getUser(ws.id, userId)).toMatchObject({ accountId: 'seg-acme', traits: { email: 'ana@acme.example', role: 'owner' } })
    expect(await store.getAccount(ws.id, 'seg-acme')).toMatchObject({ traits: { name: 'Acme', plan: 'pro', seats: 12 } })
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
})
