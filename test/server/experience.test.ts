/**
 * `POST /v1/experience` (api.md, "Experiences") through app.request on one PGlite store: the
 * write key asks for one user; the answer follows the journey as events arrive; bad bodies are a
 * 400 naming each field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../server/app'
import { createPgliteStore } from '../../server/store'
import type { Store } from '../../server/store/types'
import { API, batchRequest, eid, newWorkspace } from './helpers'
import type { TestWorkspace } from './helpers'

const NOW = Date.parse('2026-11-24T12:00:00.000Z')
const DAY = 86_400_000
let store: Store
let app: ReturnType<typeof createApp>
let ws: TestWorkspace

beforeAll(async () => {
  store = await createPgliteStore({ dataDir: 'memory://' })
  app = createApp({ store, clock: () => NOW, log: () => {} })
  ws = await newWorkspace(store, ['https://app.vendor.example'])
})
afterAll(async () => {
  await store?.close()
})

type Json = any

function ask(body: unknown, opts: { key?: string | null; origin?: string; query?: string } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (opts.key !== null) headers.authorization = `Bearer ${opts.key ?? ws.writeKey}`
  if (opts.origin) headers.origin = opts.origin
  return app.request(`${API}/v1/experience${opts.query ?? ''}`, { method: 'POST', headers, body: JSON.stringify(body) })
}

/** Imports events with the secret key (timestamps in the past). */
async function importEvents(events: Record<string, unknown>[]) {
  const res = await app.request(
    batchRequest(
      { batch: events.map((e) => ({ id: eid(), type: 'track', ...e })) },
      { auth: { bearer: ws.secretKey } },
    ),
  )
  expect(res.status).toBe(200)
  expect(((await res.json()) as Json).rejected).toEqual([])
}

const daysAgo = (n: number, hour = 10) => new Date(NOW - n * DAY - (12 - hour) * 3_600_000).toISOString()

describe('POST /v1/experience', () => {
  it("XP01 an account in onboarding: the checklist for its user, with the teammate's milestones done", async () => {
    const start = new Date(NOW - 5 * DAY).toISOString().slice(0, 10)
    await importEvents([
      {
        type: 'group',
        userId: 'ana',
        accountId: 'acme',
        traits: { contractStart: start, segment: 'smb' },
        timestamp: daysAgo(5),
      },
      { event: '$login', userId: 'ana', accountId: 'acme', timestamp: daysAgo(5) },
      { event: 'welcome_email_sent', accountId: 'acme', timestamp: daysAgo(5) },
      { event: 'setup_completed', userId: 'bia', accountId: 'acme', timestamp: daysAgo(1) },
    ])
    const res = await ask({ userId: 'ana', accountId: 'acme', locale: 'pt-BR', sessionId: 's1' })
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const body = (await res.json()) as Json
    expect(body.locale).toBe('pt-BR')
    expect(body.notes).toBeUndefined()
    const checklist = body.experiences.find((e: Json) => e.kind === 'checklist')
    expect(checklist.items.map((i: Json) => [i.id, i.status])).toEqual([
      ['welcome', 'done'],
      ['kickoff', 'overdue'],
      ['setup', 'done'],
      ['first_value', 'upcoming'],
      ['training', 'upcoming'],
      ['health_check', 'upcoming'],
    ])
  })

  it('XP02 the answer follows new events: a dismissal via /v1/batch moves the checklist to the launcher', async () => {
    const res = await app.request(
      batchRequest(
        {
          batch: [
            {
              id: eid(),
              type: 'track',
              event: 'experience_dismissed',
              userId: 'ana',
              accountId: 'acme',
              timestamp: new Date(NOW).toISOString(),
              properties: { experienceId: 'checklist', kind: 'checklist', reason: 'close' },
            },
          ],
        },
        { auth: { bearer: ws.writeKey } },
      ),
    )
    expect(res.status).toBe(200)
    const body = (await (await ask({ userId: 'ana', accountId: 'acme' }, { query: '?debug=1' })).json()) as Json
    expect(body.experiences.map((e: Json) => e.kind)).not.toContain('checklist')
    expect(body.launcher.map((e: Json) => e.id)).toContain('checklist')
    expect(body.notes).toContain('checklist: dismissed by this user (in the launcher)')
  })

  it('XP03 an account the server has not seen yet, or a user not in it: nothing, not an error', async () => {
    const none = (await (await ask({ userId: 'ana', accountId: 'unknown-co' })).json()) as Json
    expect(none).toEqual({ experiences: [], launcher: [], locale: 'en' })
    const stranger = (await (await ask({ userId: 'mallory', accountId: 'acme' })).json()) as Json
    expect(stranger.experiences).toEqual([])
  })

  it('XP04 bad bodies: 400 with the error shape, each wrong field named', async () => {
    const res = await ask({ userId: '', accountId: 42, locale: 'x'.repeat(100), extra: true })
    expect(res.status).toBe(400)
    const body = (await res.json()) as Json
    expect(body.error.code).toBe('invalid_body')
    expect(body.error.issues.map((i: Json) => i.path).sort()).toEqual(['accountId', 'extra', 'locale', 'userId'])
    const notJson = await app.request(`${API}/v1/experience`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ws.writeKey}` },
      body: '{',
    })
    expect(notJson.status).toBe(400)
    expect(((await notJson.json()) as Json).error.code).toBe('invalid_json')
  })

  it('XP04b bad query: only debug=1 is known; anything else is a 400 invalid_query naming it', async () => {
    for (const [query, path] of [
      ['?debug=yes', 'debug'],
      ['?verbose=1', 'verbose'],
    ]) {
      const res = await ask({ userId: 'ana', accountId: 'acme' }, { query })
      expect(res.status).toBe(400)
      const body = (await res.json()) as Json
      expect(body.error.code).toBe('invalid_query')
      expect(body.error.issues.map((i: Json) => i.path)).toEqual([path])
    }
  })

  it('XP05 keys and origins: no key or an unknown one 401, another origin 403, an allowed one gets CORS', async () => {
    expect((await ask({ userId: 'ana', accountId: 'acme' }, { key: null })).status).toBe(401)
    expect((await ask({ userId: 'ana', accountId: 'acme' }, { key: 'pk_nope' })).status).toBe(401)
    const evil = await ask({ userId: 'ana', accountId: 'acme' }, { origin: 'https://evil.example' })
    expect(evil.status).toBe(403)
    expect(((await evil.json()) as Json).error.code).toBe('forbidden_origin')
    const ok = await ask({ userId: 'ana', accountId: 'acme' }, { origin: 'https://app.vendor.example' })
    expect(ok.status).toBe(200)
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.vendor.example')
  })

  it('XP06 a body over 16 KB is a 413', async () => {
    const res = await ask({ userId: 'ana', accountId: 'acme', url: 'x'.repeat(20_000) })
    expect(res.status).toBe(413)
  })
})

describe('detractor fact ("a detractor gets a recovery message instead, and a detractor fact is recorded for the CSM")', () => {
  const answer = (id: string, score: unknown, comment?: string) =>
    app.request(
      batchRequest(
        {
          batch: [
            {
              id,
              type: 'track',
              event: 'nps_response',
              userId: 'ana',
              accountId: 'acme',
              timestamp: new Date(NOW).toISOString(),
              properties: { score, experienceId: 'nps:2026-11-24', kind: 'nps', ...(comment && { comment }) },
            },
          ],
        },
        { auth: { bearer: ws.writeKey } },
      ),
    )

  it('XP07 an answer 0-6 records a detractor fact with the score and the comment; it is counted once', async () => {
    const res = await answer('nps-answer-1', 3, 'too slow')
    expect(await res.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] })
    const facts = await store.listEvents(ws.id, { name: 'detractor' })
    expect(facts.map((f) => [f.id, f.userId, f.accountId, f.properties])).toEqual([
      [
        'nps-answer-1:detractor',
        'ana',
        'acme',
        { score: 3, comment: 'too slow', responseId: 'nps-answer-1', experienceId: 'nps:2026-11-24' },
      ],
    ])
    // The same answer again (a retry): a duplicate, and still one detractor fact.
    expect(await (await answer('nps-answer-1', 3, 'too slow')).json()).toEqual({
      accepted: 0,
      duplicates: 1,
      rejected: [],
    })
    expect((await store.listEvents(ws.id, { name: 'detractor' })).length).toBe(1)
    // The journey reads it as a fact of the account.
    const facts2 = await store.loadFacts(ws.id, 'acme', NOW)
    expect(facts2!.facts.filter((f) => f.name === 'detractor').length).toBe(1)
  })

  it("XP08 7-10 is no detractor; the threshold is the config's nps.passiveMin", async () => {
    await answer('nps-answer-2', 7)
    await answer('nps-answer-3', 10)
    expect((await store.listEvents(ws.id, { name: 'detractor' })).map((f) => f.id)).toEqual(['nps-answer-1:detractor'])
    const put = await app.request(`${API}/v1/config`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ws.secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ nps: { passiveMin: 8 } }),
    })
    expect(put.status).toBe(200)
    await answer('nps-answer-4', 7)
    expect((await store.listEvents(ws.id, { name: 'detractor' })).map((f) => f.id)).toEqual([
      'nps-answer-1:detractor',
      'nps-answer-4:detractor',
    ])
  })
})
