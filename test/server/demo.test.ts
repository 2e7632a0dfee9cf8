/**
 * The demo's time machine (server/demo.ts): each stage's scripted history puts a new account where
 * the demo panel says, and the experience decision shows what the stage promises.
 */
import { readFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../server/app'
import { createTimeMachine, STAGES } from '../../server/demo'
import type { Stage } from '../../server/demo'
import { parseConfig } from '../../server/journey'
import { createServer } from '../../server/serve'
import { createPgliteStore } from '../../server/store'
import type { Store } from '../../server/store/types'
import { API, newWorkspace } from './helpers'
import type { TestWorkspace } from './helpers'

const NOW = Date.parse('2026-11-24T12:00:00.000Z')
let store: Store
let ws: TestWorkspace
let site: ReturnType<typeof createServer>
let app: ReturnType<typeof createApp>

beforeAll(async () => {
  store = await createPgliteStore({ dataDir: 'memory://' })
  ws = await newWorkspace(store)
  const parsed = parseConfig(JSON.parse(readFileSync('demo/jornada.config.json', 'utf8')))
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
  app = createApp({ store, clock: () => NOW, log: () => {}, config: parsed.config })
  site = createServer({
    app,
    sdkDir: 'dist/sdk',
    demoDir: 'demo',
    demoWriteKey: ws.writeKey,
    timeMachine: createTimeMachine({ store, workspaceId: ws.id, clock: () => NOW }),
  })
})
afterAll(async () => {
  await store?.close()
})

type Json = any

/** What @hono/node-server passes as `c.env` for a connection from `address`. */
const from = (address: string) => ({ incoming: { socket: { remoteAddress: address } } })
const LOCAL = from('127.0.0.1')

const pressTimeMachine = (body: unknown, env?: unknown, headers: Record<string, string> = {}) =>
  site.request(
    `${API}/demo/time-machine`,
    { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) },
    env,
  )

async function jump(stage: Stage) {
  const res = await pressTimeMachine({ stage }, LOCAL)
  expect(res.status).toBe(200)
  const j = (await res.json()) as Json
  const d = await app.request(`${API}/v1/experience?debug=1`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ws.writeKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ userId: j.userId, accountId: j.accountId, sessionId: 'demo-session' }),
  })
  const decision = (await d.json()) as Json
  const journey = (await (
    await app.request(`${API}/v1/accounts/${j.accountId}/journey`, {
      headers: { authorization: `Bearer ${ws.secretKey}` },
    })
  ).json()) as Json
  return { jump: j, decision, journey, kinds: decision.experiences.map((e: Json) => e.kind) }
}

describe('demo time machine', () => {
  it('DM01 day 2: onboarding, the checklist only (no modal: nothing asks yet)', async () => {
    const { kinds, journey } = await jump('day-2')
    expect(journey.phase.id).toBe('onboarding')
    expect(kinds).toEqual(['checklist'])
  })

  it('DM02 day 12: the checklist with setup overdue, red flag setup_late', async () => {
    const { decision, journey } = await jump('day-12')
    expect(journey.redFlags.map((f: Json) => f.id)).toContain('setup_late')
    const c = decision.experiences.find((e: Json) => e.kind === 'checklist')
    expect(c.items.find((i: Json) => i.id === 'setup').status).toBe('overdue')
  })

  it('DM03 day 45: the guide of the ignored core feature "alerts"', async () => {
    const { decision, journey } = await jump('day-45')
    expect(journey.phase.id).toBe('adoption')
    expect(decision.experiences.map((e: Json) => e.id)).toEqual(['guide:alerts-tour'])
  })

  it('DM08 day 60, working alone: the "invite your team" message (single_user, seats 12)', async () => {
    const { decision } = await jump('day-60-alone')
    expect(decision.experiences.map((e: Json) => e.id)).toEqual(['message:single_user'])
  })

  it('DM04 day 100: the value statement', async () => {
    const { decision, journey } = await jump('day-100')
    expect(journey.phase.id).toBe('value')
    const v = decision.experiences.find((e: Json) => e.kind === 'value')
    expect(v.statement.text).toMatch(
      /^In the last 30 days, you:\n- saved \d+(\.\d)? hours of manual work\n- increased conversion rate by 23.8%/,
    )
  })

  it('DM05 30 days before renewal: the renewal banner and the NPS survey', async () => {
    const { kinds, journey } = await jump('renewal-30')
    expect(journey.phase.id).toBe('renewal')
    expect(kinds.sort()).toEqual(['banner', 'nps'])
  })

  it('DM06 after renewal: advocacy phase, promoter account, the advocacy prompt', async () => {
    const { decision, journey } = await jump('renewed')
    expect(journey.phase.id).toBe('advocacy')
    expect(decision.experiences.map((e: Json) => [e.kind, e.level])).toEqual([['advocacy', 'promoter']])
  })

  it('DM07 every stage is a valid jump; an unknown one is a 400', async () => {
    expect(STAGES.length).toBe(7)
    const res = await pressTimeMachine({ stage: 'day-9999' }, LOCAL)
    expect(res.status).toBe(400)
  })

  // As a customer's server renders it.
  it("DM09 identity verification on: the demo page carries the demo user's userHash", async () => {
    const { userHashOf } = await import('../../server/ingest/verify-identity')
    const hash = userHashOf('s3cret', 'user-42')
    const withHash = createServer({
      app,
      sdkDir: 'dist/sdk',
      demoDir: 'demo',
      demoWriteKey: ws.writeKey,
      demoUserHash: hash,
    })
    const html = await (await withHash.request(`${API}/`)).text()
    expect(html).toContain(`<meta name="relata-user-hash" content="${hash}">`)
    const plain = await (await site.request(`${API}/`)).text()
    expect(plain).toContain('<meta name="relata-user-hash" content="">')
  })

  // The time machine writes account-level facts as the secret key would: only this machine may press it.
  it.each([
    ['no connection address (not served by @hono/node-server)', undefined, {}],
    ['a LAN address', from('192.168.1.20'), {}],
    ['a public IPv6 address', from('2001:db8::7'), {}],
    ['an IPv4-mapped remote address', from('::ffff:10.0.0.7'), {}],
    [
      'a remote address claiming 127.0.0.1 in X-Forwarded-For',
      from('203.0.113.9'),
      { 'x-forwarded-for': '127.0.0.1', forwarded: 'for=127.0.0.1' },
    ],
  ] as const)('DM10 the time machine refuses %s: 403 in the error shape, nothing imported', async (_, env, headers) => {
    const before = await store.countEvents(ws.id)
    const res = await pressTimeMachine({ stage: 'day-2' }, env, headers)
    expect(res.status).toBe(403)
    expect(await res.json()).toEqual({ error: { code: 'forbidden', message: expect.stringContaining('127.0.0.1') } })
    expect(await store.countEvents(ws.id)).toBe(before)
  })

  it.each(['127.0.0.1', '::1', '::ffff:127.0.0.1', '127.0.0.2'])(
    'DM11 the time machine answers a connection from the loopback address %s',
    async (address) => {
      const res = await pressTimeMachine({ stage: 'day-2' }, from(address))
      expect(res.status).toBe(200)
      expect(await res.json()).toMatchObject({ stage: 'day-2', day: 2 })
    },
  )

  // The connection's address as @hono/node-server gives it.
  it("DM12 over a real socket, the address is the connection's: a request to 127.0.0.1 is answered", async () => {
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: site.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
    })
    try {
      const port = (server.address() as AddressInfo).port
      const res = await fetch(`http://127.0.0.1:${port}/demo/time-machine`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ stage: 'day-2' }),
      })
      expect(res.status).toBe(200)
      expect(await res.json()).toMatchObject({ stage: 'day-2', userId: 'user-42' })
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })
})
