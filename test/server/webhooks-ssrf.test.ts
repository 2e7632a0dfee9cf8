/**
 * The SSRF guard of webhooks (server/webhooks/ssrf.ts): a URL on a private or reserved address, or
 * a host name resolving to one, is refused when an endpoint is created or changed (400 naming
 * `url`), and every delivery checks the address it actually connects to (DNS rebinding), failing
 * the attempt with a clear lastError and dead-lettering on the normal schedule. The opt-out
 * (JORNADA_WEBHOOK_ALLOW_PRIVATE=1, the option `allowPrivate`) is what the other webhook tests set.
 */
import type { LookupAddress } from 'node:dns'
import { beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../server/app'
import type { Store } from '../../server/store/types'
import { createDispatcher, MAX_ATTEMPTS } from '../../server/webhooks/dispatcher'
import type { Dispatcher } from '../../server/webhooks/dispatcher'
import { checkWebhookUrl, guardedLookup, isPrivateAddress } from '../../server/webhooks/ssrf'
import type { Resolve } from '../../server/webhooks/ssrf'
import type { WebhookEvent } from '../../server/webhooks/types'
import { webhookBed } from '../support/webhook-bed'
import { startWebhookReceiver } from '../support/webhook-receiver'
import type { WebhookReceiver } from '../support/webhook-receiver'
import { API, newWorkspace } from './helpers'
import type { TestWorkspace } from './helpers'

const T0 = Date.parse('2026-11-24T10:00:00.000Z')
let now = T0
const clock = () => now

/** A DNS of our own: names ending in `.test` never reach the real resolver. */
const ZONE: Record<string, string[]> = {
  'hooks.example.test': ['93.184.215.14'],
  'internal.test': ['10.1.2.3'],
  'metadata.test': ['169.254.169.254'],
  'mixed.test': ['93.184.215.14', '192.168.0.7'],
  'v6.test': ['fd00::5'],
  // Public when the endpoint is created, loopback when the delivery connects: DNS rebinding.
  'rebind.test': ['93.184.215.14'],
}
const lookupIn =
  (zone: Record<string, string[]>): Resolve =>
  async (host) => {
    const addresses = zone[host]
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' })
    return addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 }))
  }
const resolve = lookupIn(ZONE)

let store: Store
/** The guard on, as in production (no option given), with the test DNS. */
let app: ReturnType<typeof createApp>
/** The guard off: how the tests of the other files create 127.0.0.1 endpoints. */
let devApp: ReturnType<typeof createApp>
const bed = webhookBed(() => {
  now = T0
})
const { receivers, dispatchers } = bed

beforeAll(() => {
  store = bed.store
  app = createApp({ store, clock, webhookUrls: { resolve } })
  devApp = createApp({ store, clock, webhookUrls: { allowPrivate: true } })
})

async function call(a: ReturnType<typeof createApp>, method: string, path: string, key: string, body?: unknown) {
  const res = await a.request(`${API}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: res.status, json: (await res.json()) as any }
}
const create = (ws: TestWorkspace, url: string, a = app) => call(a, 'POST', '/v1/webhooks', ws.secretKey, { url })

const event: WebhookEvent = {
  type: 'phase.changed',
  accountId: 'acme',
  causeKey: 'phase.changed:acme:1',
  occurredAt: T0 - 60_000,
  data: { accountName: 'Acme', from: 'value', to: 'renewal' },
}

describe('webhooks: SSRF, the addresses', () => {
  const PRIVATE = [
    '127.0.0.1',
    '127.255.255.254',
    '10.0.0.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '0.0.0.0',
    '100.64.0.1',
    '192.0.2.1',
    '198.18.0.1',
    '224.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'fe80::1%eth0',
    'ff02::1',
    '2001:db8::1',
    '::ffff:127.0.0.1',
    '::ffff:0:7f00:1',
    '::ffff:0:a00:1',
    '::ffff:169.254.169.254',
    '::ffff:a00:1',
    '64:ff9b::a00:1',
    '2002:7f00:1::1',
    '2002:c0a8:101::',
    'not-an-address',
  ]
  const PUBLIC = [
    '8.8.8.8',
    '93.184.215.14',
    '172.32.0.1',
    '11.0.0.1',
    '100.128.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ]

  it.each(PRIVATE)('SF01 %s is a private or reserved address', (ip) => {
    expect(isPrivateAddress(ip)).toBe(true)
  })
  it.each(PUBLIC)('SF02 %s is public', (ip) => {
    expect(isPrivateAddress(ip)).toBe(false)
  })
})

describe('webhooks: SSRF, when an endpoint is created or changed', () => {
  const REFUSED = [
    'http://127.0.0.1:8080/hook',
    'http://169.254.169.254/latest/meta-data/',
    'http://10.0.0.5/',
    'http://172.16.0.1/',
    'http://192.168.1.1/',
    'http://0.0.0.0:80/',
    'http://[::1]:8080/',
    'http://[fc00::1]/',
    'http://[fe80::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://2130706433/',
    'http://0x7f.1/',
    'https://127.1/',
  ]
  it.each(REFUSED)('SF03 a webhook URL on a private address is refused with 400 naming url: %s', async (url) => {
    const ws = await newWorkspace(store)
    const res = await create(ws, url)
    expect(res.status).toBe(400)
    expect(res.json.error.code).toBe('invalid_body')
    expect(res.json.error.issues).toHaveLength(1)
    expect(res.json.error.issues[0].path).toBe('url')
    expect(res.json.error.issues[0].message).toMatch(
      /^refused: .* is a private or reserved address \(JORNADA_WEBHOOK_ALLOW_PRIVATE=1 allows it in development\)$/,
    )
    expect((await call(app, 'GET', '/v1/webhooks', ws.secretKey)).json.items).toEqual([])
  })

  it.each([
    ['internal.test', '10.1.2.3'],
    ['metadata.test', '169.254.169.254'],
    ['mixed.test', '192.168.0.7'],
    ['v6.test', 'fd00::5'],
  ])(
    'SF04 a host name that resolves to a private address is refused with 400 naming url: %s',
    async (host, address) => {
      const ws = await newWorkspace(store)
      const res = await create(ws, `https://${host}/hook`)
      expect(res.status).toBe(400)
      expect(res.json.error.issues).toEqual([
        {
          path: 'url',
          message: `refused: ${host} resolves to ${address}, a private or reserved address (JORNADA_WEBHOOK_ALLOW_PRIVATE=1 allows it in development)`,
        },
      ])
    },
  )

  it.each(['http://localhost:8787/hook', 'http://LOCALHOST./', 'http://app.localhost:3000/x'])(
    'SF05 localhost and its subdomains are refused (RFC 6761 loopback): %s',
    async (url) => {
      expect(await checkWebhookUrl(url)).toMatch(
        /^refused: [a-z.]*localhost\.? resolves to 127\.0\.0\.1, a private or reserved address/,
      )
      const ws = await newWorkspace(store)
      expect((await create(ws, url)).json.error.issues[0].path).toBe('url')
    },
  )

  it.each(['ftp://example.com/x', 'file:///etc/passwd', 'gopher://127.0.0.1:70/', 'javascript:alert(1)', 'not a url'])(
    'SF06 a non-http(s) URL is refused with 400 naming url: %s',
    async (url) => {
      const ws = await newWorkspace(store)
      const res = await create(ws, url)
      expect(res.status).toBe(400)
      expect(res.json.error.issues.map((i: { path: string }) => i.path)).toEqual(['url'])
      expect(await checkWebhookUrl(url, { allowPrivate: true })).toBe('expected an http or https URL')
    },
  )

  it('SF07 a public address or name is accepted; so is a name that does not resolve yet', async () => {
    const ws = await newWorkspace(store)
    for (const url of [
      'https://hooks.example.test/x',
      'http://93.184.215.14:8080/x',
      'https://[2606:4700:4700::1111]/x',
      'https://nowhere.test/x',
    ]) {
      expect((await create(ws, url)).status, url).toBe(201)
    }
  })

  it('SF08 PATCH to a private URL is refused with 400 naming url; the endpoint keeps its URL', async () => {
    const ws = await newWorkspace(store)
    const { json } = await create(ws, 'https://hooks.example.test/x')
    for (const url of ['http://169.254.169.254/', 'https://internal.test/x']) {
      const res = await call(app, 'PATCH', `/v1/webhooks/${json.id}`, ws.secretKey, { url })
      expect(res.status).toBe(400)
      expect(res.json.error.issues.map((i: { path: string }) => i.path)).toEqual(['url'])
    }
    expect((await call(app, 'GET', '/v1/webhooks', ws.secretKey)).json.items[0].url).toBe(
      'https://hooks.example.test/x',
    )
    expect(
      (await call(app, 'PATCH', `/v1/webhooks/${json.id}`, ws.secretKey, { url: 'https://mixed.test/y' })).status,
    ).toBe(400)
  })

  it('SF09 the opt-out (allowPrivate, JORNADA_WEBHOOK_ALLOW_PRIVATE=1) accepts private addresses', async () => {
    const ws = await newWorkspace(store)
    expect((await create(ws, 'http://127.0.0.1:9/x', devApp)).status).toBe(201)
    expect((await create(ws, 'http://169.254.169.254/x', devApp)).status).toBe(201)
    expect(await checkWebhookUrl('http://10.0.0.1/', { allowPrivate: true })).toBeNull()
  })
})

describe('webhooks: SSRF, at delivery', () => {
  async function receiver(): Promise<WebhookReceiver> {
    const r = await startWebhookReceiver({ clock })
    receivers.push(r)
    return r
  }
  function dispatcher(opts: { allowPrivate?: boolean; resolve?: Resolve } = {}): Dispatcher {
    const d = createDispatcher({ store, clock, log: () => {}, random: () => 0.5, ...opts })
    dispatchers.push(d)
    return d
  }
  const deliveriesOf = async (ws: TestWorkspace, id: string) =>
    (await call(app, 'GET', `/v1/webhooks/${id}/deliveries`, ws.secretKey)).json.deliveries

  it('SF10 DNS rebinding: public at creation, 127.0.0.1 at delivery: the attempt fails', async () => {
    const ws = await newWorkspace(store)
    const r = await receiver()
    const port = new URL(r.url).port
    const created = await create(ws, `http://rebind.test:${port}/hooks`)
    expect(created.status).toBe(201)
    r.secret = created.json.secret
    await store.webhooks.enqueue(ws.id, [event])
    // The delivery's own lookup now answers 127.0.0.1: where the receiver listens.
    const d = dispatcher({ resolve: lookupIn({ 'rebind.test': ['127.0.0.1'] }) })
    expect(await d.runOnce()).toMatchObject({ attempted: 1, retrying: 1 })
    const [first] = await deliveriesOf(ws, created.json.id)
    expect(first).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastStatus: null,
      lastError:
        'refused: rebind.test resolves to 127.0.0.1, a private or reserved address (JORNADA_WEBHOOK_ALLOW_PRIVATE=1 allows it in development)',
      nextAttemptAt: new Date(T0 + 10_000).toISOString(),
    })
    // Not retried forever: the normal schedule, then dead.
    for (let i = 1; i < MAX_ATTEMPTS; i++) {
      now = Date.parse((await deliveriesOf(ws, created.json.id))[0].nextAttemptAt)
      await d.runOnce()
    }
    const [dead] = await deliveriesOf(ws, created.json.id)
    expect(dead).toMatchObject({ status: 'dead', attempts: MAX_ATTEMPTS, nextAttemptAt: null })
    expect(dead.lastError).toMatch(/^refused: rebind\.test resolves to 127\.0\.0\.1/)
    expect(r.attempts).toEqual([])
    expect(r.rejected).toEqual([])
  })

  it('SF11 a private address stored earlier is refused at delivery, unless allowPrivate', async () => {
    const ws = await newWorkspace(store)
    const r = await receiver()
    const created = await create(ws, r.url, devApp)
    r.secret = created.json.secret
    await store.webhooks.enqueue(ws.id, [event])
    expect(await dispatcher().runOnce()).toMatchObject({ attempted: 1, retrying: 1 })
    expect((await deliveriesOf(ws, created.json.id))[0].lastError).toBe(
      'refused: 127.0.0.1 is a private or reserved address (JORNADA_WEBHOOK_ALLOW_PRIVATE=1 allows it in development)',
    )
    expect(r.attempts).toEqual([])
    now += 10_000
    expect(await dispatcher({ allowPrivate: true }).runOnce()).toMatchObject({ attempted: 1, delivered: 1 })
    expect(r.received).toHaveLength(1)
    expect(r.rejected).toEqual([])
  })

  it('SF12 the socket lookup passes public addresses, refuses a name with a private one', async () => {
    const lookup = guardedLookup(
      lookupIn({ 'pub.test': ['93.184.215.14', '2606:4700::1'], 'mixed.test': ['93.184.215.14', '10.0.0.1'] }),
    )
    const call = (host: string, options: object) =>
      new Promise<{ err: Error | null; address: unknown; family?: number }>((done) => {
        lookup(host, options, (err, address, family) => done({ err, address, family }))
      })
    expect(await call('pub.test', { all: true })).toMatchObject({
      err: null,
      address: [
        { address: '93.184.215.14', family: 4 },
        { address: '2606:4700::1', family: 6 },
      ],
    })
    expect(await call('pub.test', { family: 6 })).toMatchObject({ err: null, address: '2606:4700::1', family: 6 })
    expect(await call('pub.test', {})).toMatchObject({ err: null, address: '93.184.215.14', family: 4 })
    expect((await call('mixed.test', { all: true })).err?.message).toMatch(
      /^refused: mixed\.test resolves to 10\.0\.0\.1/,
    )
    expect((await call('gone.test', {})).err).toMatchObject({ code: 'ENOTFOUND' })
  })
})
