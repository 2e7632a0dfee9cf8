/**
 * `GET /openapi.json`: a valid OpenAPI 3.1 document (checked by an independent
 * validator, @seriousme/openapi-schema-validator) that lists every route the app registers, and no
 * route it does not: a new route without an entry in server/openapi-operations/ fails here. Every
 * operation is then called on a real store, and each answer (success and error) must parse with the
 * zod schema the document was built from for that status (strict: a field renamed, dropped or
 * added fails). `GET /docs` renders the same document as one self-contained HTML page.
 */
import { Validator } from '@seriousme/openapi-schema-validator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createApp } from '../../server/app'
import { userHashOf } from '../../server/ingest/verify-identity'
import { documentedResponse, openApiDocument, openApiPath } from '../../server/openapi'
import { OPERATIONS } from '../../server/openapi-operations'
import { MAX_PAGE } from '../../server/routes/accounts'
import { MAX_BATCH_EVENTS } from '../../server/ingest/limits'
import { SEGMENT_CALLS, SEGMENT_SHORT_PATHS, WireEventSchema } from '../../server/ingest/schema'
import type { SegmentCall } from '../../server/ingest/schema'
import { MAX_CONFIG_BYTES } from '../../server/routes/config'
import { renderDocsHtml } from '../../server/routes/docs'
import { createPgliteStore } from '../../server/store'
import type { Store } from '../../server/store/types'
import { accountHistory, DAY_MS, inBatches } from '../bench/journey-data'
import { ONBOARDING_PLAN } from '../support/onboarding-plan'
import { API, eid, newWorkspace } from './helpers'

type Json = any
// Building the app touches no store; the document's route needs none.
const app = createApp({ store: {} as Store, log: () => {} })

/** `METHOD /path/{param}` of every route the app answers, middleware (`*`, ALL) and OPTIONS left out. */
function appRoutes(): string[] {
  const out = new Set<string>()
  for (const r of app.routes) {
    if (r.method === 'ALL' || r.method === 'OPTIONS' || r.path.includes('*')) continue
    out.add(`${r.method} ${openApiPath(r.path)}`)
  }
  return [...out].sort()
}

function documentRoutes(doc: Json): string[] {
  const methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options']
  return Object.entries(doc.paths as Record<string, Json>)
    .flatMap(([path, item]) =>
      Object.keys(item)
        .filter((m) => methods.includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    )
    .sort()
}

describe('openapi', () => {
  it('OA01 GET /openapi.json is a valid OpenAPI 3.1 document, readable from any origin', async () => {
    const res = await app.request('http://127.0.0.1:8787/openapi.json')
    expect(res.status).toBe(200)
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    const doc = (await res.json()) as Json
    expect(doc.openapi).toBe('3.1.0')
    expect(doc.servers).toEqual([{ url: 'http://127.0.0.1:8787' }])
    const validator = new Validator()
    const result = await validator.validate(doc)
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    expect(validator.version).toBe('3.1')
  })

  it('OA02 every route of the app is in the document, and every operation of the document is a route', () => {
    const routes = appRoutes()
    const documented = documentRoutes(openApiDocument())
    expect(routes.length).toBeGreaterThan(10)
    expect(
      routes.filter((r) => !documented.includes(r)),
      'routes without an entry in server/openapi.ts',
    ).toEqual([])
    expect(
      documented.filter((r) => !routes.includes(r)),
      'documented operations the app does not have',
    ).toEqual([])
  })

  it("OA03 request schemas come from the routes' zod schemas (limits included), errors share one shape", () => {
    const doc = openApiDocument() as Json
    const batch = doc.paths['/v1/batch'].post
    const body = batch.requestBody.content['application/json'].schema
    expect(body.properties.batch.maxItems).toBe(MAX_BATCH_EVENTS)
    expect(body.properties.batch.items.properties.type.enum).toEqual(WireEventSchema.shape.type.options)
    expect(body.properties.batch.items.properties.type.enum).toEqual(
      expect.arrayContaining(['track', 'identify', 'group', 'page']),
    )
    expect(batch.responses['429'].headers['Retry-After']).toBeDefined()
    expect(batch.security).toEqual([{ writeKey: [] }, { secretKey: [] }])
    const limit = doc.paths['/v1/accounts'].get.parameters.find((p: Json) => p.name === 'limit')
    expect(limit).toMatchObject({ in: 'query', required: false, schema: { type: 'integer', maximum: MAX_PAGE } })
    const experience = doc.paths['/v1/experience'].post.requestBody.content['application/json'].schema
    expect(experience.required).toEqual(['userId', 'accountId'])
    expect(experience.properties.userHash).toBeDefined()
    const journey = doc.paths['/v1/accounts/{id}/journey'].get
    expect(journey.parameters[0]).toMatchObject({ name: 'id', in: 'path', required: true })
    expect(journey.responses['401'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' })
    expect(doc.components.schemas.Error.properties.error.required).toEqual(['code', 'message'])
  })
})

// ---------------------------------------------------------------- answers as documented

/** "Now" of the live app; the account's contract started 120 days before, its renewal is 30 days ahead. */
const NOW = Date.parse('2026-11-24T18:00:00.000Z')
const START = Math.floor(NOW / DAY_MS) * DAY_MS - 120 * DAY_MS
const iso = (t: number) => new Date(t).toISOString()
const ymd = (t: number) => iso(t).slice(0, 10)

/** `METHOD /path/:param`, Hono's form, as OPERATIONS lists them. */
const routeOf = (op: { method: string; path: string }) => `${op.method.toUpperCase()} ${op.path}`

/** One account with most of what the journey state, the reports and the experiences show. */
function history() {
  return accountHistory({
    accountId: 'acme',
    start: START,
    days: 121,
    users: 3,
    seats: 5,
    seed: 5,
    until: NOW - 60_000,
    traits: { segment: 'mid_market', plan: 'pro', renewalDate: ymd(START + 150 * DAY_MS) },
    planned: [
      ...ONBOARDING_PLAN,
      {
        day: 30,
        event: 'nps_response',
        hour: 13,
        userId: 'acme-u0',
        properties: { score: 9, comment: 'The reports save us a day a week' },
      },
      { day: 40, event: 'ticket_opened', hour: 12, properties: { ticketId: 'T-1' } },
      { day: 60, event: 'value_metric', hour: 12, properties: { metric: 'report_time', value: 30 } },
      {
        day: 100,
        event: 'nps_response',
        hour: 13,
        userId: 'acme-u1',
        properties: { score: 4, comment: 'Exports <are> slow' },
      },
      { day: 110, event: 'value_metric', hour: 12, properties: { metric: 'report_time', value: 20 } },
    ],
  })
}

/** A config document naming what the value statement counts, and the QBR's goals. */
const CONFIG = {
  value: {
    minutesSaved: { feature_used: 10 },
    metrics: [{ id: 'report_time', label: 'time to a report', better: 'lower' }],
    hourlyRate: 60,
    pricePerMonth: 500,
  },
  qbr: { goals: ['Cut the monthly reporting time in half'] },
}

/** One event for each of Segment's per-call endpoints (`type` left out: the path says it). */
const SINGLE: Record<SegmentCall, Record<string, unknown>> = {
  identify: { userId: 'acme-u2', traits: { title: 'Analyst' } },
  track: { userId: 'acme-u1', accountId: 'acme', event: 'report_generated', properties: { rows: 3 } },
  page: { userId: 'acme-u1', accountId: 'acme', name: 'Reports' },
  screen: { userId: 'acme-u1', accountId: 'acme', name: 'Dashboard' },
  group: { userId: 'acme-u0', groupId: 'acme', traits: { plan: 'pro' } },
  alias: { userId: 'acme-u2', previousId: 'anon-acme-2' },
}

type App = ReturnType<typeof createApp>
interface Answer {
  status: number
  type: string
  body: Json
  headers: Headers
}
interface CallOptions {
  key?: string | null
  body?: unknown
  raw?: string
  contentType?: string
  /** More request headers (a session's cookie, `x-csrf-token`, `origin`). */
  headers?: Record<string, string>
}

/**
 * Calls `route` at `url` and checks the answer against the document: the operation lists its status,
 * its content type is one documented for that status, and a JSON body parses with the zod schema
 * the document was built from; the schemas are strict, so the body with any top-level field renamed
 * must not parse (the OpenAPI document excepted: its shape is the specification's, OA01).
 */
async function answer(target: App, route: string, url: string, opts: CallOptions = {}): Promise<Answer> {
  const [method, path] = route.split(' ') as [string, string]
  const headers: Record<string, string> = { ...opts.headers }
  if (opts.key) headers.authorization = `Bearer ${opts.key}`
  const payload = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body))
  if (payload !== undefined) headers['content-type'] = opts.contentType ?? 'application/json'
  const res = await target.request(API + url, { method, headers, ...(payload !== undefined && { body: payload }) })
  const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim()
  const text = await res.text()
  const doc = openApiDocument() as Json
  expect(
    doc.paths[openApiPath(path)]?.[method.toLowerCase()]?.responses?.[String(res.status)],
    `${route} answered ${res.status}: ${text.slice(0, 300)}`,
  ).toBeDefined()
  const documented = documentedResponse(method, path, res.status)!
  if (text === '') {
    expect(documented.media, `${route} ${res.status} has no body`).toEqual([])
    return { status: res.status, type, body: null, headers: res.headers }
  }
  expect(documented.media, `${route} ${res.status} answered ${type}`).toContain(type)
  if (type !== 'application/json') return { status: res.status, type, body: text, headers: res.headers }
  const body = JSON.parse(text) as Json
  const schema = documented.schema!
  const parsed = schema.safeParse(body)
  expect(
    parsed.success,
    `${route} ${res.status} differs from its documented schema:\n${parsed.error ? z.prettifyError(parsed.error) : ''}`,
  ).toBe(true)
  if (path !== '/openapi.json') {
    for (const key of Object.keys(body)) {
      const { [key]: value, ...rest } = body
      expect(
        schema.safeParse({ ...rest, [`${key}Renamed`]: value }).success,
        `${route} ${res.status}: the answer with ${key} renamed still parses`,
      ).toBe(false)
    }
  }
  return { status: res.status, type, body, headers: res.headers }
}

describe('openapi: every answer is the documented one', () => {
  let store: Store
  let live: App
  // A public address for the webhook URL's DNS lookup (the SSRF guard resolves it).
  const webhookUrls = { resolve: async () => [{ address: '93.184.215.14', family: 4 }] }

  beforeAll(async () => {
    store = await createPgliteStore({ dataDir: 'memory://' })
    live = createApp({ store, clock: () => NOW, log: () => {}, webhookUrls })
  })
  afterAll(async () => {
    await store?.close()
  })

  it('OA04 every operation answers its success status with the body its documented schema describes', async () => {
    const ws = await newWorkspace(store)
    const covered = new Set<string>()
    const ok = async (route: string, url: string, opts: CallOptions = {}) => {
      const op = OPERATIONS.find((o) => routeOf(o) === route)!
      expect(op, route).toBeDefined()
      const res = await answer(live, route, url, opts)
      expect(res.status, `${route}: ${JSON.stringify(res.body)?.slice(0, 300)}`).toBe(op.ok.status)
      covered.add(route)
      return res
    }
    const key = ws.secretKey

    const beta = accountHistory({
      accountId: 'beta',
      start: Math.floor(NOW / DAY_MS) * DAY_MS - 5 * DAY_MS,
      days: 6,
      users: 2,
      seed: 6,
      until: NOW - 60_000,
      traits: { segment: 'smb' },
    })
    for (const batch of inBatches([...history(), ...beta], 500)) {
      const { body } = await ok('POST /v1/batch', '/v1/batch', { key, body: { batch } })
      expect(body.rejected).toEqual([])
    }
    for (const call of SEGMENT_CALLS) {
      for (const path of [call, SEGMENT_SHORT_PATHS[call]]) {
        const { body } = await ok(`POST /v1/${path}`, `/v1/${path}`, {
          key,
          body: { messageId: `single-${path}`, timestamp: iso(NOW - 60_000), ...SINGLE[call] },
        })
        expect(body).toEqual({ accepted: 1, duplicates: 0, rejected: [] })
      }
    }
    const short = await ok('POST /v1/b', '/v1/b', {
      key,
      body: { batch: [{ messageId: 'short-batch', type: 'identify', userId: 'acme-u3', traits: {} }] },
    })
    expect(short.body).toEqual({ accepted: 1, duplicates: 0, rejected: [] })
    const metrics = await ok('POST /v1/m', '/v1/m', { raw: '{"series":[]}', contentType: 'text/plain' })
    expect(metrics.body).toBeNull()

    await ok('GET /v1/config', '/v1/config', { key })
    expect((await ok('PUT /v1/config', '/v1/config', { key, body: CONFIG })).body.qbr.goals).toEqual(CONFIG.qbr.goals)
    const draft = (
      await ok('POST /v1/config/drafts', '/v1/config/drafts', {
        key,
        body: { config: { ...CONFIG, renewalWindowDays: 45 }, message: 'renewals' },
      })
    ).body
    expect(draft.status).toBe('draft')
    expect((await ok('GET /v1/config/revisions', '/v1/config/revisions', { key })).body).toHaveLength(2)
    expect((await ok('GET /v1/config/revisions/:id', `/v1/config/revisions/${draft.id}`, { key })).body.id).toBe(
      draft.id,
    )
    const revisionDiff = await ok('GET /v1/config/revisions/:id/diff', `/v1/config/revisions/${draft.id}/diff`, { key })
    expect(revisionDiff.body.changes).toEqual([{ path: 'renewalWindowDays', before: 30, after: 45 }])
    const dryRun = await ok('POST /v1/config/drafts/:id/dry-run', `/v1/config/drafts/${draft.id}/dry-run`, { key })
    expect([dryRun.body.complete, dryRun.body.examined]).toEqual([true, dryRun.body.total])
    const preview = await ok('POST /v1/config/preview', '/v1/config/preview', {
      key,
      body: { config: CONFIG, locale: 'pt-BR', segment: 'smb' },
    })
    expect(preview.body.locale).toBe('pt-BR')
    // Back to the config in force, so that what follows is unchanged by the publish below.
    const patched = await ok('PATCH /v1/config/drafts/:id', `/v1/config/drafts/${draft.id}`, {
      key,
      body: { config: CONFIG, message: 'the same again' },
    })
    expect(patched.body.config).toEqual(CONFIG)
    const gone = (await ok('POST /v1/config/drafts', '/v1/config/drafts', { key, body: { config: {} } })).body
    await ok('DELETE /v1/config/drafts/:id', `/v1/config/drafts/${gone.id}`, { key })
    await ok('POST /v1/config/revisions/:id/publish', `/v1/config/revisions/${draft.id}/publish`, { key })

    // Builder mode: a token, exchanged once for a credential that reads guides and saves a target.
    const guided = (
      await ok('POST /v1/config/drafts', '/v1/config/drafts', {
        key,
        body: { config: { ...CONFIG, guides: [{ id: 'tour', steps: [{ title: 'Export', body: 'Here.' }] }] } },
      })
    ).body
    const made = (await ok('POST /v1/builder/tokens', '/v1/builder/tokens', { key, body: { draftId: guided.id } })).body
    const builder = (await ok('POST /v1/builder/session', '/v1/builder/session', { body: { token: made.token } })).body
    expect(
      (await ok('GET /v1/builder/guides', '/v1/builder/guides', { key: builder.credential })).body.guides[0].id,
    ).toBe('tour')
    const saved = await ok(
      'PUT /v1/builder/guides/:guideId/steps/:step/target',
      '/v1/builder/guides/tour/steps/0/target',
      {
        key: builder.credential,
        body: { selector: ['#export', '[data-action="export"]'], text: 'Export' },
      },
    )
    expect(saved.body.draftId).toBe(guided.id)

    const debug = await ok('POST /v1/experience', '/v1/experience?debug=1', {
      key: ws.writeKey,
      body: { userId: 'acme-u1', accountId: 'acme', locale: 'en' },
    })
    expect(debug.body.notes).toEqual(expect.any(Array))
    expect(debug.body.experiences.map((e: Json) => e.kind)).toContain('value')
    // A new account (onboarding): its checklist.
    const onboarding = await ok('POST /v1/experience', '/v1/experience', {
      key: ws.writeKey,
      body: { userId: 'beta-u0', accountId: 'beta' },
    })
    expect(onboarding.body.notes).toBeUndefined()
    expect(onboarding.body.experiences.map((e: Json) => e.kind)).toContain('checklist')

    const state = (await ok('GET /v1/accounts/:id/journey', '/v1/accounts/acme/journey', { key })).body
    // The nested lists are not empty: their items were checked too.
    for (const list of [
      state.milestones,
      state.health.components,
      state.renewal.tasks,
      state.touchpoints,
      state.moments,
    ])
      expect(list.length).toBeGreaterThan(0)
    const diff = (
      await ok('GET /v1/accounts/:id/journey/diff', `/v1/accounts/acme/journey/diff?from=${ymd(START + 5 * DAY_MS)}`, {
        key,
      })
    ).body
    expect(diff.changed).toBe(true)
    const health = (
      await ok('GET /v1/accounts/:id/health-history', '/v1/accounts/acme/health-history?days=30', { key })
    ).body
    expect(health.points).toHaveLength(30)
    const activity = (await ok('GET /v1/accounts/:id/activity', '/v1/accounts/acme/activity', { key })).body
    expect(activity.users.length).toBeGreaterThan(0)
    expect(activity.events.length).toBeGreaterThan(0)
    const set = (
      await ok('PUT /v1/accounts/:id/override', '/v1/accounts/acme/override', {
        key,
        body: { phase: 'value', reason: 'renewal moved', expiresAt: iso(NOW + 7 * DAY_MS) },
      })
    ).body
    expect(set.phase.override).not.toBeNull()
    const override = (await ok('GET /v1/accounts/:id/override', '/v1/accounts/acme/override', { key })).body
    expect(override.current).not.toBeNull()
    expect(override.changes).toHaveLength(1)
    // The override refreshed the account's snapshot: the listing has it.
    expect((await ok('GET /v1/accounts', '/v1/accounts', { key })).body.items.map((i: Json) => i.accountId)).toEqual([
      'acme',
    ])
    expect(
      (
        await ok('DELETE /v1/accounts/:id/override', '/v1/accounts/acme/override', {
          key,
          body: { reason: 'back to the rules' },
        })
      ).body.phase.override,
    ).toBeNull()

    const value = (await ok('GET /v1/accounts/:id/value', '/v1/accounts/acme/value?period=90d', { key })).body
    expect(value.statement.hoursSaved).toBeGreaterThan(0)
    const qbr = (await ok('GET /v1/accounts/:id/qbr', '/v1/accounts/acme/qbr', { key })).body
    expect(qbr.currentSituation.feedback.comments.length).toBeGreaterThan(0)
    expect((await ok('GET /v1/accounts/:id/qbr', '/v1/accounts/acme/qbr?format=html', { key })).type).toBe('text/html')
    const listed = (await ok('GET /v1/accounts', '/v1/accounts?sort=name&order=desc&limit=1', { key })).body
    expect([listed.total, listed.items.length, listed.items[0].accountId]).toEqual([1, 1, 'acme'])
    expect((await ok('GET /v1/accounts', '/v1/accounts?format=csv', { key })).type).toBe('text/csv')
    const overview = (await ok('GET /v1/overview', '/v1/overview', { key })).body
    expect(overview.nps).toHaveLength(26)
    const engaged = (name: string, properties: Json, i: number) => ({
      id: `oa04-engaged-${i}`,
      type: 'track',
      event: name,
      userId: 'acme-u1',
      accountId: 'acme',
      timestamp: iso(NOW - 3_600_000 + i * 1000),
      properties,
    })
    const guide = { experienceId: 'guide:tour', kind: 'guide', guideId: 'tour' }
    await ok('POST /v1/batch', '/v1/batch', {
      key,
      body: {
        batch: [
          engaged('experience_shown', { experienceId: 'checklist', kind: 'checklist' }, 0),
          engaged('guide_step_viewed', { ...guide, step: 0 }, 1),
          engaged('guide_target_missing', { ...guide, step: 1, selector: '#x' }, 2),
          engaged('experience_dismissed', { ...guide, reason: 'close' }, 3),
        ],
      },
    })
    const results = (await ok('GET /v1/results/experiences', '/v1/results/experiences', { key })).body
    expect(results.experiences.map((x: Json) => [x.id, x.steps?.length, x.items?.length])).toEqual([
      ['checklist', undefined, 6],
      ['guide:tour', 2, undefined],
    ])
    const csv = await ok('GET /v1/results/experiences', '/v1/results/experiences?format=csv', { key })
    expect(csv.type).toBe('text/csv')
    const nps = (await ok('GET /v1/results/nps', '/v1/results/nps?interval=month&from=2026-01-01', { key })).body
    expect(nps.answers.length).toBeGreaterThan(0)
    expect((await ok('GET /v1/results/nps', '/v1/results/nps?format=csv', { key })).type).toBe('text/csv')
    const map = (await ok('GET /v1/journey-map', '/v1/journey-map', { key })).body
    expect(map.accounts).toBe(2)
    expect(map.rows.some((r: Json) => r.touchpoints.items.length > 0)).toBe(true)
    expect((await ok('GET /v1/journey-map', '/v1/journey-map?format=csv', { key })).type).toBe('text/csv')
    expect((await ok('GET /v1/journey-map', '/v1/journey-map?format=html', { key })).type).toBe('text/html')

    const created = (
      await ok('POST /v1/webhooks', '/v1/webhooks', {
        key,
        body: { url: 'https://hooks.example.com/jornada', events: ['phase.changed'], format: 'standard' },
      })
    ).body
    expect(created.secret).toMatch(/^whsec_/)
    expect((await ok('GET /v1/webhooks', '/v1/webhooks', { key })).body.items).toHaveLength(1)
    expect(
      (await ok('PATCH /v1/webhooks/:id', `/v1/webhooks/${created.id}`, { key, body: { events: null } })).body.events,
    ).toBeNull()
    await store.webhooks.enqueue(ws.id, [
      {
        type: 'phase.changed',
        accountId: 'acme',
        causeKey: 'phase.changed:acme:oa04',
        occurredAt: NOW - 60_000,
        data: { from: 'value', to: 'renewal' },
      },
    ])
    const page = (await ok('GET /v1/webhooks/:id/deliveries', `/v1/webhooks/${created.id}/deliveries`, { key })).body
    expect(page.deliveries).toHaveLength(1)
    const replay = `/v1/webhooks/${created.id}/deliveries/${page.deliveries[0].id}/replay`
    expect((await ok('POST /v1/webhooks/:id/deliveries/:deliveryId/replay', replay, { key })).body).toEqual({
      id: page.deliveries[0].id,
      status: 'pending',
    })
    await ok('DELETE /v1/webhooks/:id', `/v1/webhooks/${created.id}`, { key })

    await ok('GET /v1/keys/write/origins', '/v1/keys/write/origins', { key })
    await ok('PUT /v1/keys/write/origins', '/v1/keys/write/origins', {
      key,
      body: { origins: ['https://app.acme.com'] },
    })
    const rotated = (
      await ok('POST /v1/keys/secret/rotate', '/v1/keys/secret/rotate', { key, body: { graceHours: 1 } })
    ).body
    expect(
      (await ok('POST /v1/keys/secret/retire', '/v1/keys/secret/retire', { key: rotated.secretKey })).body,
    ).toEqual({ retired: true })

    // The console: a member invited with the key, signed in by the invitation, then by password.
    const invited = (
      await ok('POST /v1/members', '/v1/members', {
        key: rotated.secretKey,
        body: { email: 'ana@example.com', role: 'csm' },
      })
    ).body
    const token = new URL(invited.inviteUrl).searchParams.get('token')!
    const accepted = await ok('POST /v1/invites/accept', '/v1/invites/accept', {
      body: { token, password: 'a long passphrase' },
    })
    const cookie = accepted.headers.get('set-cookie')!.split(';')[0]!
    expect((await ok('GET /v1/session', '/v1/session', { headers: { cookie } })).body.member.role).toBe('csm')
    const signIn = createApp({ store, clock: () => NOW, log: () => {}, consoleWorkspace: ws.id })
    expect(
      (
        await answer(signIn, 'POST /v1/session', '/v1/session', {
          body: { email: 'ana@example.com', password: 'a long passphrase' },
        })
      ).status,
    ).toBe(200)
    covered.add('POST /v1/session')
    await ok('GET /v1/members', '/v1/members', { key: rotated.secretKey })
    await ok('PATCH /v1/members/:id', `/v1/members/${invited.member.id}`, {
      key: rotated.secretKey,
      body: { role: 'viewer' },
    })
    await ok('DELETE /v1/session', '/v1/session', {
      headers: { cookie, 'x-csrf-token': accepted.body.csrfToken, origin: new URL(API).origin },
    })
    await ok('DELETE /v1/members/:id', `/v1/members/${invited.member.id}`, { key: rotated.secretKey })
    expect((await ok('GET /v1/audit', '/v1/audit?limit=3', { key: rotated.secretKey })).body.items).toHaveLength(3)
    expect((await ok('GET /v1/keys/identity', '/v1/keys/identity', { key: rotated.secretKey })).body).toEqual({
      enabled: false,
    })

    await ok('GET /healthz', '/healthz')
    await ok('GET /openapi.json', '/openapi.json')
    expect((await ok('GET /docs', '/docs')).type).toBe('text/html')

    expect([...covered].sort(), 'operations this test does not call').toEqual(OPERATIONS.map(routeOf).sort())
  }, 120_000)

  // Both in the documented error shape.
  it('OA05 every keyed operation answers 401 without a key, and a secret-key one 403 with the write key', async () => {
    const ws = await newWorkspace(store)
    for (const op of OPERATIONS.filter((o) => o.auth !== 'none')) {
      const url = op.path.replace(/:([A-Za-z]+)/g, 'x-$1')
      const body = op.method === 'get' ? undefined : {}
      const none = await answer(live, routeOf(op), url, { key: null, body })
      expect([routeOf(op), none.status, none.body.error.code]).toEqual([routeOf(op), 401, 'unauthorized'])
      if (op.auth !== 'secret') continue
      const write = await answer(live, routeOf(op), url, { key: ws.writeKey, body })
      expect([routeOf(op), write.status, write.body.error.code]).toEqual([routeOf(op), 403, 'forbidden_key'])
    }
  })

  it('OA06 each error status the document lists is answered once here, in its documented shape', async () => {
    const ws = await newWorkspace(store)
    const seen = new Set<number>()
    const expectError = async (target: App, route: string, url: string, status: number, opts: CallOptions = {}) => {
      const res = await answer(target, route, url, opts)
      expect(res.status, `${route}: ${JSON.stringify(res.body)}`).toBe(status)
      seen.add(status)
      return res
    }
    const bad = await expectError(live, 'GET /v1/accounts', '/v1/accounts?phases=value', 400, { key: ws.secretKey })
    expect(bad.body.error.issues).toEqual([{ path: 'phases', message: 'unknown field' }])
    await expectError(live, 'GET /v1/accounts', '/v1/accounts', 401, { key: 'sk_unknown' })
    await expectError(live, 'GET /v1/config', '/v1/config', 403, { key: ws.writeKey })
    await expectError(live, 'GET /v1/accounts/:id/journey', '/v1/accounts/nobody/journey', 404, { key: ws.secretKey })
    // The last owner cannot be removed.
    const owner = await answer(live, 'POST /v1/members', '/v1/members', {
      key: ws.secretKey,
      body: { email: 'owner@example.com', role: 'owner' },
    })
    await expectError(live, 'DELETE /v1/members/:id', `/v1/members/${owner.body.member.id}`, 409, { key: ws.secretKey })
    await expectError(live, 'PUT /v1/config', '/v1/config', 413, {
      key: ws.secretKey,
      body: { qbr: { goals: ['x'.repeat(MAX_CONFIG_BYTES)] } },
    })
    await expectError(live, 'POST /v1/batch', '/v1/batch', 415, {
      key: ws.writeKey,
      raw: '<batch/>',
      contentType: 'text/xml',
    })

    // One request a second at most, a burst of one: the second batch is a 429 with Retry-After.
    const limited = createApp({
      store,
      clock: () => NOW,
      log: () => {},
      rateLimit: { key: { rate: 1, burst: 1 }, address: null, clock: () => NOW },
    })
    const event = () => ({
      batch: [{ id: eid(), type: 'track', event: 'report_generated', userId: 'user-1', timestamp: iso(NOW - 1000) }],
    })
    await answer(limited, 'POST /v1/batch', '/v1/batch', { key: ws.writeKey, body: event() })
    const slow = await expectError(limited, 'POST /v1/batch', '/v1/batch', 429, { key: ws.writeKey, body: event() })
    expect(Number(slow.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)

    // The store does not answer: /healthz's own shape, not the error one.
    const down = createApp({ store: { ping: async () => false } as unknown as Store, log: () => {} })
    expect((await expectError(down, 'GET /healthz', '/healthz', 503)).body).toEqual({ ok: false })

    // Identity verification on: an event without its userHash is refused, the valid one stored; the 401 says both.
    const verified = await newWorkspace(store)
    await store.setIdentitySecret(verified.id, 'identity-secret')
    const mixed = {
      batch: [
        { id: eid(), type: 'track', event: 'report_generated', userId: 'user-1', timestamp: iso(NOW - 1000) },
        {
          id: eid(),
          type: 'track',
          event: 'report_generated',
          userId: 'user-2',
          userHash: userHashOf('identity-secret', 'user-2'),
          timestamp: iso(NOW - 1000),
        },
      ],
    }
    const unverified = await expectError(live, 'POST /v1/batch', '/v1/batch', 401, {
      key: verified.writeKey,
      body: mixed,
    })
    expect(unverified.body).toMatchObject({
      error: { code: 'invalid_user_hash' },
      accepted: 1,
      duplicates: 0,
      rejected: [{ index: 0 }],
    })

    const doc = openApiDocument() as Json
    const documented = new Set(
      Object.values(doc.paths as Record<string, Json>).flatMap((item) =>
        Object.values(item as Record<string, Json>).flatMap((op) =>
          Object.keys(op.responses)
            .map(Number)
            .filter((s) => s >= 400),
        ),
      ),
    )
    expect([...seen].sort(), 'error statuses of the document not answered here').toEqual([...documented].sort())
  })

  it('OA07 no response in the document is a placeholder: every JSON body has its fields', () => {
    const doc = openApiDocument() as Json
    const resolve = (s: Json): Json =>
      typeof s?.$ref === 'string' ? doc.components.schemas[s.$ref.split('/').pop()] : s
    const fielded = (s: Json): boolean => {
      const r = resolve(s)
      if (Array.isArray(r.anyOf ?? r.oneOf)) return (r.anyOf ?? r.oneOf).every(fielded)
      // A bare list (GET /v1/config/revisions, as console.md writes it) says what it holds by its items.
      if (r.type === 'array') return fielded(r.items)
      return r.type === 'object' && Object.keys(r.properties ?? {}).length > 0
    }
    const placeholders: string[] = []
    // Anywhere in a response: an object with neither fields nor a schema for its keys' values says nothing.
    const walk = (s: unknown, at: string) => {
      if (Array.isArray(s)) return s.forEach((x, i) => walk(x, `${at}.${i}`))
      if (typeof s !== 'object' || s === null) return
      const o = s as Json
      if (o.type === 'object' && o.properties === undefined && o.additionalProperties === undefined)
        placeholders.push(at)
      for (const [k, v] of Object.entries(o)) walk(v, `${at}.${k}`)
    }
    for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
      for (const [method, op] of Object.entries(item as Record<string, Json>)) {
        for (const [status, response] of Object.entries(op.responses as Record<string, Json>)) {
          const schema = response.content?.['application/json']?.schema
          if (schema === undefined) continue
          expect(fielded(schema), `${method} ${path} ${status}`).toBe(true)
          walk(schema, `${method} ${path} ${status}`)
        }
      }
    }
    walk(doc.components.schemas, 'components.schemas')
    expect(placeholders).toEqual([])
    // The deliveries answer as it is: both names of the list, the former one marked deprecated.
    const deliveries = doc.paths['/v1/webhooks/{id}/deliveries'].get.responses['200'].content['application/json'].schema
    expect(deliveries.required).toEqual(['deliveries', 'nextCursor', 'items'])
    expect(deliveries.properties.items.deprecated).toBe(true)
  })
})

describe('GET /docs', () => {
  // Nothing in it runs or loads anything.
  it('OA08 a self-contained HTML page of the document: every operation and schema, nothing that runs', async () => {
    const res = await app.request('http://127.0.0.1:8787/docs')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/i)
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'")
    const html = await res.text()
    const doc = openApiDocument('http://127.0.0.1:8787') as Json
    for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
      expect(html).toContain(`<code>${path}</code>`)
      for (const [method, op] of Object.entries(item as Record<string, Json>)) {
        expect(html, `${method} ${path}`).toContain(`id="op-${op.operationId}"`)
        expect(html).toContain(`<span class="method ${method}">${method.toUpperCase()}</span> <code>${path}</code>`)
      }
    }
    for (const name of Object.keys(doc.components.schemas)) expect(html).toContain(`id="schema-${name}"`)
    // The responses are rendered field by field, e.g. the deliveries page and the journey state.
    for (const field of ['deliveries', 'nextCursor', 'milestones', 'redFlags', 'accepted'])
      expect(html).toContain(`<code class="prop">${field}</code>`)
    expect(html).toContain('<code>http://127.0.0.1:8787</code>')
    expect(html).not.toMatch(/<(script|link|iframe|img|object|embed|form)\b/i)
    expect(html).not.toMatch(/<[^>]*\son[a-z]+\s*=/i)
    expect(html).not.toMatch(/<[^>]*\ssrc\s*=/i)
    for (const [, href] of html.matchAll(/href="([^"]*)"/g)) expect(href).toMatch(/^(#[A-Za-z0-9_-]+|\/openapi\.json)$/)
  })

  it('OA09 every text of the document is escaped in the page', () => {
    const evil = '<script>alert(1)</script>'
    const html = renderDocsHtml({
      openapi: '3.1.0',
      info: { title: evil, version: '"><img src=x onerror=alert(1)>', description: `a \`${evil}\`` },
      tags: [{ name: evil }],
      paths: {
        [`/x/${evil}`]: {
          get: {
            operationId: `op"><b>`,
            summary: evil,
            tags: [evil],
            security: [{ [evil]: [] }],
            parameters: [
              { name: evil, in: 'query', required: false, schema: { type: 'string', enum: [evil], description: evil } },
            ],
            responses: {
              200: {
                description: evil,
                content: { [evil]: { schema: { type: 'object', properties: { [evil]: { const: evil } } } } },
              },
            },
          },
        },
      },
      components: { schemas: { [evil]: { $ref: `#/components/schemas/${evil}` } } },
    })
    expect(html).not.toContain('<script')
    expect(html).not.toContain('<img')
    expect(html).not.toContain('<b>')
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;')
    // `<` only ever opens the page's own tags: none of them has an event handler.
    expect(html).not.toMatch(/<[^>]*\son[a-z]+\s*=/i)
  })
})
