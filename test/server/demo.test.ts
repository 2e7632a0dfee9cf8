/**
 * The demo's time machine (server/demo.ts): each stage's scripted history puts a new account where
 * the demo panel says, and the experience decision shows what the stage promises.
 */
import { readFileSync } from 'node:fs'
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
  site = createServer({ app, sdkDir: 'dist/sdk', demoDir: 'demo', demoWriteKey: ws.writeKey, timeMachine: createTimeMachine({ store, workspaceId: ws.id, clock: () => NOW }) })
})
afterAll(async () => { await store?.close() })

type Json = any

async function jump(stage: Stage) {
  const res = await site.request(`${API}/demo/time-machine`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ stage }) })
  expect(res.status).toBe(200)
  const j = (await res.json()) as Json
  const d = await app.request(`${API}/v1/experience?debug=1`, {
    method: 'POST', headers: { authorization: `Bearer ${ws.writeKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ userId: j.userId, accountId: j.accountId, sessionId: 'demo-session' }),
  })
  const decision = (await d.json()) as Json
  const journey = (await (await app.request(`${API}/v1/accounts/${j.accountId}/journey`, { headers: { authorization: `Bearer ${ws.secretKey}` } })).json()) as Json
  return { jump: j, decision, journey, kinds: decision.experiences.map((e: Json) => e.kind) }
}

describe('demo time machine (issue 4, "Demo")', () => {
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
    expect(v.statement.text).toMatch(/^In the last 30 days, you:\n- saved \d+(\.\d)? hours of manual work\n- increased conversion rate by 23.8%/)
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
    const res = await site.request(`${API}/demo/time-machine`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ stage: 'day-9999' }) })
    expect(res.status).toBe(400)
  })

  it('DM09 identity verification on: the demo page carries the demo user\'s userHash, as a customer\'s server renders it', async () => {
    const { userHashOf } = await import('../../server/identity')
    const hash = userHashOf('s3cret', 'user-42')
    const withHash = createServer({ app, sdkDir: 'dist/sdk', demoDir: 'demo', demoWriteKey: ws.writeKey, demoUserHash: hash })
    const html = await (await withHash.request(`${API}/`)).text()
    expect(html).toContain(`<meta name="relata-user-hash" content="${hash}">`)
    const plain = await (await site.request(`${API}/`)).text()
    expect(plain).toContain('<meta name="relata-user-hash" content="">')
  })
})
