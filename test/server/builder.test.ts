/**
 * Builder mode's API (docs/console.md, "Builder mode"), on PGlite and PostgreSQL: a token made by an
 * editor (never a viewer), used once, within 10 minutes, stored hashed; the credential it becomes,
 * valid 1 hour, that reads guides and saves a step's target into a draft and does nothing else;
 * CORS and the workspace's allowed origins; every save in the audit log in the maker's name.
 */
import { beforeAll, expect, it } from 'vitest'
import { createApp } from '../../server/app'
import { BUILDER_CREDENTIAL_MS, BUILDER_TOKEN_MS } from '../../server/http/builder-credentials'
import { hashPassword } from '../../server/http/passwords'
import type { Role, Store } from '../../server/store/types'
import { describeEachStore } from '../support/each-store'
import { API, newWorkspace } from './helpers'

const PASSWORD = 'correct horse battery'
const OWN = new URL(API).origin
const APP = 'https://app.acme.example'

/** A config with one guide of two steps: a modal, then a tooltip on `#old`. */
const CONFIG = {
  guides: [
    {
      id: 'reports-tour',
      steps: [
        { kind: 'modal', title: 'Welcome', body: 'A tour.' },
        { selector: '#old', title: 'Export', body: 'Export here.' },
      ],
    },
  ],
}

interface Call {
  body?: unknown
  cookie?: string
  csrf?: string
  origin?: string | null
  key?: string
  method?: string
}

let passwordHash: string
beforeAll(async () => {
  passwordHash = await hashPassword(PASSWORD)
}, 240_000)

/** A workspace (the app's origin allowed, a published config with a guide), an app on a clock the test moves. */
async function bed(store: Store) {
  const ws = await newWorkspace(store, [APP])
  const clock = { now: Date.UTC(2026, 5, 1, 12) }
  const app = createApp({ store, clock: () => clock.now, log: () => {}, consoleWorkspace: ws.id })
  async function call(method: string, path: string, opts: Call = {}) {
    const headers: Record<string, string> = {}
    if (opts.body !== undefined) headers['content-type'] = 'application/json'
    if (opts.cookie) headers.cookie = opts.cookie
    if (opts.csrf) headers['x-csrf-token'] = opts.csrf
    if (opts.origin !== null && opts.origin !== undefined) headers.origin = opts.origin
    if (opts.key) headers.authorization = `Bearer ${opts.key}`
    const res = await app.request(API + path, {
      method,
      headers,
      ...(opts.body !== undefined && { body: JSON.stringify(opts.body) }),
    })
    const text = await res.text()
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null }
  }
  expect((await call('PUT', '/v1/config', { key: ws.secretKey, body: CONFIG })).status).toBe(200)
  const member = async (role: Role) => {
    const m = (await store.members.create(ws.id, {
      id: `m_${role}`,
      email: `${role}@example.com`,
      role,
      passwordHash,
      at: 0,
    }))!
    const res = await call('POST', '/v1/session', { body: { email: m.email, password: PASSWORD }, origin: OWN })
    expect(res.status).toBe(200)
    return { member: m, cookie: res.headers.get('set-cookie')!.split(';')[0]!, csrf: res.body.csrfToken as string }
  }
  /** A token made with the secret key, exchanged from the app's page. */
  const credential = async (body: unknown = {}) => {
    const made = await call('POST', '/v1/builder/tokens', { key: ws.secretKey, body })
    expect(made.status, JSON.stringify(made.body)).toBe(201)
    const session = await call('POST', '/v1/builder/session', { body: { token: made.body.token }, origin: APP })
    expect(session.status, JSON.stringify(session.body)).toBe(200)
    return session.body.credential as string
  }
  return { ws, clock, call, member, credential }
}

const TARGET = { selector: ['#export', '[data-action="export"]'], text: 'Export' }
const TARGET_PATH = '/v1/builder/guides/reports-tour/steps/1/target'

describeEachStore('builder mode', (ctx) => {
  it('BM01 an editor or the secret key makes a 10-minute token, stored hashed; a viewer or csm cannot', async () => {
    const { ws, clock, call, member } = await bed(ctx.store)
    const editor = await member('editor')
    const made = await call('POST', '/v1/builder/tokens', {
      cookie: editor.cookie,
      csrf: editor.csrf,
      origin: OWN,
      body: { guideId: 'reports-tour', step: 1 },
    })
    expect(made.status, JSON.stringify(made.body)).toBe(201)
    expect(made.body).toEqual({
      token: expect.any(String),
      expiresAt: new Date(clock.now + BUILDER_TOKEN_MS).toISOString(),
    })
    expect(made.body.token.startsWith(`${ws.id}.`)).toBe(true)
    const secret = made.body.token.slice(ws.id.length + 1)
    const rows = await ctx.store.db.query<Record<string, unknown>>(
      'SELECT * FROM builder_grants WHERE workspace_id = $1',
      [ws.id],
    )
    expect(rows).toHaveLength(1)
    expect(JSON.stringify(rows)).not.toContain(secret)
    expect(rows[0]).toMatchObject({ kind: 'token', actor_kind: 'member', actor_id: editor.member.id, step: 1 })
    for (const role of ['viewer', 'csm'] as const) {
      const m = await member(role)
      const refused = await call('POST', '/v1/builder/tokens', {
        cookie: m.cookie,
        csrf: m.csrf,
        origin: OWN,
        body: {},
      })
      expect([role, refused.status, refused.body.error.code]).toEqual([role, 403, 'forbidden_role'])
    }
    expect((await call('POST', '/v1/builder/tokens', { key: ws.writeKey, body: {} })).status).toBe(403)
    expect((await call('POST', '/v1/builder/tokens', { key: ws.secretKey, body: { step: -1 } })).status).toBe(400)
    const unknownDraft = await call('POST', '/v1/builder/tokens', { key: ws.secretKey, body: { draftId: 'rev_nope' } })
    expect([unknownDraft.status, unknownDraft.body.error.issues[0].path]).toEqual([404, 'draftId'])
  })

  it('BM02 a token is exchanged once: the second exchange, a made-up token and a malformed one are 401', async () => {
    const { ws, call } = await bed(ctx.store)
    const made = await call('POST', '/v1/builder/tokens', {
      key: ws.secretKey,
      body: { guideId: 'reports-tour', step: 1 },
    })
    const first = await call('POST', '/v1/builder/session', { body: { token: made.body.token }, origin: APP })
    expect(first.status).toBe(200)
    expect(first.body).toEqual({
      credential: expect.any(String),
      expiresAt: expect.any(String),
      draftId: null,
      guideId: 'reports-tour',
      step: 1,
    })
    expect(first.body.credential).not.toBe(made.body.token)
    const again = await call('POST', '/v1/builder/session', { body: { token: made.body.token }, origin: APP })
    expect([again.status, again.body.error.code]).toEqual([401, 'unauthorized'])
    const forged = `${ws.id}.${'A'.repeat(43)}`
    expect((await call('POST', '/v1/builder/session', { body: { token: forged }, origin: APP })).status).toBe(401)
    expect((await call('POST', '/v1/builder/session', { body: { token: 'nope' }, origin: APP })).status).toBe(401)
    expect((await call('POST', '/v1/builder/session', { body: {}, origin: APP })).status).toBe(400)
    // Two exchanges at once: one credential.
    const twice = await call('POST', '/v1/builder/tokens', { key: ws.secretKey, body: {} })
    const both = await Promise.all(
      [0, 1].map(() => call('POST', '/v1/builder/session', { body: { token: twice.body.token }, origin: APP })),
    )
    expect(both.map((r) => r.status).sort()).toEqual([200, 401])
  })

  it('BM03 a token expires after 10 minutes, and the credential after 1 hour', async () => {
    const { ws, clock, call } = await bed(ctx.store)
    const late = await call('POST', '/v1/builder/tokens', { key: ws.secretKey, body: {} })
    clock.now += BUILDER_TOKEN_MS
    expect((await call('POST', '/v1/builder/session', { body: { token: late.body.token }, origin: APP })).status).toBe(
      401,
    )
    const inTime = await call('POST', '/v1/builder/tokens', { key: ws.secretKey, body: {} })
    clock.now += BUILDER_TOKEN_MS - 1
    const session = await call('POST', '/v1/builder/session', { body: { token: inTime.body.token }, origin: APP })
    expect(session.status).toBe(200)
    expect(session.body.expiresAt).toBe(new Date(clock.now + BUILDER_CREDENTIAL_MS).toISOString())
    const key = session.body.credential
    clock.now += BUILDER_CREDENTIAL_MS - 1
    expect((await call('GET', '/v1/builder/guides', { key, origin: APP })).status).toBe(200)
    clock.now += 1
    const gone = await call('GET', '/v1/builder/guides', { key, origin: APP })
    expect([gone.status, gone.body.error.code]).toEqual([401, 'unauthorized'])
  })

  it('BM04 the credential reads guides and saves targets only; keys and sessions are not credentials', async () => {
    const { ws, call, credential, member } = await bed(ctx.store)
    const key = await credential()
    const guides = await call('GET', '/v1/builder/guides', { key, origin: APP })
    expect(guides.status).toBe(200)
    expect(guides.body.draftId).toBeNull()
    expect(guides.body.guides.map((g: { id: string }) => g.id)).toEqual(['reports-tour'])
    for (const [method, path, body] of [
      ['PUT', '/v1/config', CONFIG],
      ['GET', '/v1/config', undefined],
      ['GET', '/v1/members', undefined],
      ['GET', '/v1/audit', undefined],
      ['POST', '/v1/config/drafts', { config: {} }],
      ['POST', '/v1/builder/tokens', {}],
    ] as const) {
      const res = await call(method, path, { key, body, origin: APP })
      expect([method, path, res.status, res.body.error.code]).toEqual([method, path, 401, 'unauthorized'])
    }
    // The secret key, a write key and an editor's session are not builder credentials.
    const editor = await member('editor')
    for (const opts of [{ key: ws.secretKey }, { key: ws.writeKey }, { cookie: editor.cookie }]) {
      const res = await call('GET', '/v1/builder/guides', opts)
      expect(res.status).toBe(401)
    }
  })

  it('BM05 CORS: an allowed app exchanges and saves; another origin is 403 and uses nothing up', async () => {
    const { ws, call } = await bed(ctx.store)
    const pre = await call('OPTIONS', '/v1/builder/session', { origin: APP })
    expect(pre.status).toBe(204)
    expect(pre.headers.get('access-control-allow-origin')).toBe(APP)
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/authorization/i)
    const made = await call('POST', '/v1/builder/tokens', { key: ws.secretKey, body: {} })
    const evil = await call('POST', '/v1/builder/session', {
      body: { token: made.body.token },
      origin: 'https://evil.example',
    })
    expect([evil.status, evil.body.error.code]).toEqual([403, 'forbidden_origin'])
    const ok = await call('POST', '/v1/builder/session', { body: { token: made.body.token }, origin: APP })
    expect(ok.status).toBe(200)
    expect(ok.headers.get('access-control-allow-origin')).toBe(APP)
    const key = ok.body.credential
    const elsewhere = await call('GET', '/v1/builder/guides', { key, origin: 'https://evil.example' })
    expect([elsewhere.status, elsewhere.body.error.code]).toEqual([403, 'forbidden_origin'])
    expect((await call('GET', '/v1/builder/guides', { key, origin: OWN })).status).toBe(200)
  })

  it('BM06 the first save drafts from the published config, the next go into it; audited as the maker', async () => {
    const { ws, clock, call, member } = await bed(ctx.store)
    const editor = await member('editor')
    const made = await call('POST', '/v1/builder/tokens', {
      cookie: editor.cookie,
      csrf: editor.csrf,
      origin: OWN,
      body: {},
    })
    const key = (await call('POST', '/v1/builder/session', { body: { token: made.body.token }, origin: APP })).body
      .credential
    // A second between changes: the log lists them newest first.
    clock.now += 1000
    const saved = await call('PUT', TARGET_PATH, { key, origin: APP, body: TARGET })
    expect(saved.status, JSON.stringify(saved.body)).toBe(200)
    expect(saved.body).toEqual({ draftId: expect.stringMatching(/^rev_/), guideId: 'reports-tour', step: 1, ...TARGET })
    const draftId = saved.body.draftId
    const draft = await call('GET', `/v1/config/revisions/${draftId}`, { key: ws.secretKey })
    expect(draft.body.status).toBe('draft')
    expect(draft.body.author).toBe('editor@example.com')
    expect(draft.body.config.guides[0].steps[1]).toEqual({ ...TARGET, title: 'Export', body: 'Export here.' })
    // The config in force is unchanged until the draft is published.
    expect((await call('GET', '/v1/config', { key: ws.secretKey })).body.guides[0].steps[1].selector).toBe('#old')
    // The modal step gets a target: it becomes a tooltip. Same draft; no text: none kept.
    clock.now += 1000
    const second = await call('PUT', '/v1/builder/guides/reports-tour/steps/0/target', {
      key,
      origin: APP,
      body: { selector: '.welcome' },
    })
    expect([second.status, second.body.draftId, second.body.text]).toEqual([200, draftId, null])
    const read = await call('GET', '/v1/builder/guides', { key, origin: APP })
    expect(read.body.draftId).toBe(draftId)
    expect(read.body.guides[0].steps[0]).toMatchObject({ kind: 'tooltip', selector: '.welcome' })
    expect(read.body.guides[0].steps[1]).toMatchObject(TARGET)
    expect((await call('GET', '/v1/config/revisions', { key: ws.secretKey })).body).toHaveLength(2)

    const log = (await call('GET', '/v1/audit?limit=20', { key: ws.secretKey })).body.items as {
      action: string
      target: string
      actor: { kind: string; id: string; email?: string }
      before?: unknown
      after?: unknown
    }[]
    const mine = log.filter((e) => e.action.startsWith('builder.') || e.action.startsWith('config.draft'))
    // The first save's two entries share its time: their order is the log's to choose.
    expect(mine.map((e) => e.action).sort()).toEqual([
      'builder.target.save',
      'builder.target.save',
      'builder.token.create',
      'config.draft.create',
    ])
    expect(mine.at(-1)!.action).toBe('builder.token.create')
    for (const e of mine) expect(e.actor).toEqual({ kind: 'member', id: editor.member.id, email: 'editor@example.com' })
    expect(
      mine.find((e) => e.action === 'builder.target.save' && (e.after as { step: number }).step === 1),
    ).toMatchObject({
      target: `config_revision:${draftId}`,
      before: { guideId: 'reports-tour', step: 1, selector: '#old', text: null },
      after: { guideId: 'reports-tour', step: 1, ...TARGET },
    })
    expect(JSON.stringify(log)).not.toContain(made.body.token.split('.').pop())
    expect(JSON.stringify(log)).not.toContain(key.split('.').pop())
  })

  it('BM07 a named draft is saved into; its publication is 409; a wrong guide, step or selector is 4xx', async () => {
    const { ws, call, credential } = await bed(ctx.store)
    const draft = (
      await call('POST', '/v1/config/drafts', { key: ws.secretKey, body: { config: CONFIG, message: 'tour' } })
    ).body
    const key = await credential({ draftId: draft.id })
    expect((await call('GET', '/v1/builder/guides', { key, origin: APP })).body.draftId).toBe(draft.id)
    const saved = await call('PUT', TARGET_PATH, { key, origin: APP, body: TARGET })
    expect([saved.status, saved.body.draftId]).toEqual([200, draft.id])
    const stored = await call('GET', `/v1/config/revisions/${draft.id}`, { key: ws.secretKey })
    expect(stored.body.config.guides[0].steps[1]).toMatchObject(TARGET)
    expect(stored.body.message).toBe('tour')
    for (const [path, body, status] of [
      ['/v1/builder/guides/nope/steps/0/target', TARGET, 404],
      ['/v1/builder/guides/reports-tour/steps/7/target', TARGET, 404],
      ['/v1/builder/guides/reports-tour/steps/x/target', TARGET, 400],
      [TARGET_PATH, { selector: '' }, 400],
      [TARGET_PATH, { selector: Array(11).fill('#a') }, 400],
      [TARGET_PATH, { selector: '#a', extra: 1 }, 400],
    ] as const) {
      const res = await call('PUT', path, { key, origin: APP, body })
      expect([path, res.status, res.body.error.code]).toEqual([path, status, expect.any(String)])
    }
    await call('POST', `/v1/config/revisions/${draft.id}/publish`, { key: ws.secretKey })
    const late = await call('PUT', TARGET_PATH, { key, origin: APP, body: TARGET })
    expect([late.status, late.body.error.code]).toEqual([409, 'conflict'])
  })

  it('BM08 a member removed or demoted after making the token: the credential stops working at once', async () => {
    const { ws, call, member } = await bed(ctx.store)
    const editor = await member('editor')
    const made = await call('POST', '/v1/builder/tokens', {
      cookie: editor.cookie,
      csrf: editor.csrf,
      origin: OWN,
      body: {},
    })
    const key = (await call('POST', '/v1/builder/session', { body: { token: made.body.token }, origin: APP })).body
      .credential
    expect((await call('GET', '/v1/builder/guides', { key, origin: APP })).status).toBe(200)
    await ctx.store.members.update(ws.id, editor.member.id, { role: 'viewer' })
    expect((await call('GET', '/v1/builder/guides', { key, origin: APP })).status).toBe(401)
  })

  it("BM09 the steps' texts are read in the page's language; a save keeps every locale's texts", async () => {
    const { ws, call, credential } = await bed(ctx.store)
    const title = { en: 'Export', 'pt-BR': 'Exportar' }
    const localized = { guides: [{ id: 'reports-tour', steps: [{ selector: '#old', title, body: { en: 'Here.' } }] }] }
    expect((await call('PUT', '/v1/config', { key: ws.secretKey, body: localized })).status).toBe(200)
    const key = await credential()
    const read = async (q: string) =>
      (await call('GET', `/v1/builder/guides${q}`, { key, origin: APP })).body.guides[0].steps[0]
    expect(await read('?locale=pt-BR')).toMatchObject({ title: 'Exportar', body: 'Here.' })
    expect(await read('?locale=en-US')).toMatchObject({ title: 'Export', body: 'Here.' })
    expect(await read('')).toMatchObject({ title: 'Export' })
    const saved = await call('PUT', '/v1/builder/guides/reports-tour/steps/0/target', {
      key,
      origin: APP,
      body: TARGET,
    })
    expect(saved.status, JSON.stringify(saved.body)).toBe(200)
    const draft = await call('GET', `/v1/config/revisions/${saved.body.draftId}`, { key: ws.secretKey })
    expect(draft.body.config.guides[0].steps[0]).toEqual({ ...TARGET, title, body: { en: 'Here.' } })
    expect(await read('?locale=pt-BR')).toMatchObject({ title: 'Exportar', selector: TARGET.selector })
  })
})
