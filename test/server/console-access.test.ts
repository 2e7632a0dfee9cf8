/**
 * The console's members, sessions and roles (docs/spec/console.md, "Members, sessions, roles"), on
 * PGlite and PostgreSQL: signing in and out, the cookie, throttled sign-in, CSRF, invitations used
 * once, the first owner from the env, every role against every route of the access table, and the
 * audit log's contents.
 */
import { beforeAll, expect, it } from 'vitest'
import { createApp } from '../../server/app'
import { ensureOwner, OwnerSettingError } from '../../server/console-owner'
import { ROLES, ROUTE_ACCESS, atLeast } from '../../server/http/access'
import type { Access, Role } from '../../server/http/access'
import { hashPassword } from '../../server/http/passwords'
import { SESSION_IDLE_MS, SESSION_MAX_MS } from '../../server/http/sessions'
import { INVITE_TTL_MS } from '../../server/routes/members'
import type { Store } from '../../server/store/types'
import { describeEachStore } from '../support/each-store'
import { API, newWorkspace } from './helpers'
import type { TestWorkspace } from './helpers'

const PASSWORD = 'correct horse battery'
const ORIGIN = new URL(API).origin
const MIN = 60_000

interface Call {
  body?: unknown
  cookie?: string
  csrf?: string
  origin?: string | null
  key?: string
  url?: string
}

/** One workspace with an app signing in to it, a clock the test moves, and a way to call. */
async function bed(store: Store, publicUrl?: string) {
  const ws = await newWorkspace(store)
  const clock = { now: Date.UTC(2026, 5, 1, 12) }
  const app = createApp({
    store,
    publicUrl,
    clock: () => clock.now,
    log: () => {},
    consoleWorkspace: ws.id,
    // A public address for the webhook URL's DNS lookup (the SSRF guard resolves it).
    webhookUrls: { resolve: async () => [{ address: '93.184.215.14', family: 4 as const }] },
  })
  async function call(method: string, path: string, opts: Call = {}) {
    const headers: Record<string, string> = {}
    if (opts.body !== undefined) headers['content-type'] = 'application/json'
    if (opts.cookie) headers.cookie = opts.cookie
    if (opts.csrf) headers['x-csrf-token'] = opts.csrf
    if (opts.origin !== null) headers.origin = opts.origin ?? ORIGIN
    if (opts.key) headers.authorization = `Bearer ${opts.key}`
    const res = await app.request((opts.url ?? API) + path, {
      method,
      headers,
      ...(opts.body !== undefined && { body: JSON.stringify(opts.body) }),
    })
    const text = await res.text()
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null }
  }
  return { ws, clock, app, call }
}

let passwordHash: string
beforeAll(async () => {
  passwordHash = await hashPassword(PASSWORD)
}, 240_000)

async function addMember(store: Store, ws: TestWorkspace, role: Role, email = `${role}@example.com`) {
  return (await store.members.create(ws.id, { id: `m_${role}_${email.length}`, email, role, passwordHash, at: 0 }))!
}

async function signIn(
  call: Awaited<ReturnType<typeof bed>>['call'],
  email: string,
  password = PASSWORD,
  origin = ORIGIN,
) {
  const res = await call('POST', '/v1/session', { body: { email, password }, origin })
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  return { cookie: res.headers.get('set-cookie')!.split(';')[0]!, csrf: res.body.csrfToken as string, res }
}

describeEachStore('console access', (ctx) => {
  it('CS01 sign-in answers the member and a CSRF token, with an HttpOnly Strict session cookie', async () => {
    const { ws, call } = await bed(ctx.store)
    const member = await addMember(ctx.store, ws, 'csm')
    const { res, cookie } = await signIn(call, ' CSM@Example.com ')
    expect(res.body).toEqual({
      member: { id: member.id, email: 'csm@example.com', role: 'csm' },
      csrfToken: expect.any(String),
    })
    expect(res.headers.get('cache-control')).toBe('no-store')
    const set = res.headers.get('set-cookie')!
    expect(set).toMatch(/^jornada_session=/)
    expect(set).toMatch(/HttpOnly/)
    expect(set).toMatch(/SameSite=Strict/)
    expect(set).toMatch(/Path=\//)
    expect(set).not.toMatch(/Secure/)
    const over = await call('POST', '/v1/session', {
      body: { email: 'csm@example.com', password: PASSWORD },
      url: 'https://jornada.test',
      origin: 'https://jornada.test',
    })
    expect(over.headers.get('set-cookie')).toMatch(/Secure/)
    const me = await call('GET', '/v1/session', { cookie })
    expect(me.body).toEqual(res.body)
  })

  it('CS02 a wrong password and an unknown email get the same 401 invalid_credentials', async () => {
    const { ws, call } = await bed(ctx.store)
    await addMember(ctx.store, ws, 'viewer')
    const wrong = await call('POST', '/v1/session', { body: { email: 'viewer@example.com', password: 'not the one!' } })
    const unknown = await call('POST', '/v1/session', {
      body: { email: 'nobody@example.com', password: 'not the one!' },
    })
    expect([wrong.status, unknown.status]).toEqual([401, 401])
    expect(wrong.body).toEqual(unknown.body)
    expect(wrong.body.error.code).toBe('invalid_credentials')
    expect(wrong.headers.get('set-cookie')).toBeNull()
    const bad = await call('POST', '/v1/session', { body: { email: 'not-an-email', password: '' } })
    expect(bad.status).toBe(400)
    expect(bad.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['email', 'password'])
  })

  it('CS03 five failures for one email in 15 minutes: 429 with Retry-After, even for the right password', async () => {
    const { ws, clock, call } = await bed(ctx.store)
    await addMember(ctx.store, ws, 'editor')
    for (let i = 0; i < 5; i++) {
      expect(
        (await call('POST', '/v1/session', { body: { email: 'editor@example.com', password: `wrong-${i}` } })).status,
      ).toBe(401)
      clock.now += MIN
    }
    const blocked = await call('POST', '/v1/session', { body: { email: 'editor@example.com', password: PASSWORD } })
    expect(blocked.status).toBe(429)
    // The first failure was 5 minutes ago: it leaves the window in 10 minutes.
    expect(Number(blocked.headers.get('retry-after'))).toBe(10 * 60)
    // Another email is not throttled.
    await addMember(ctx.store, ws, 'csm')
    await signIn(call, 'csm@example.com')
    clock.now += 10 * MIN
    await signIn(call, 'editor@example.com')
  })

  it('CS13 guesses sent all at once get at most 5 answers of 401; the rest, and the right password, 429', async () => {
    const { ws, call } = await bed(ctx.store)
    await addMember(ctx.store, ws, 'csm')
    const guesses = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        call('POST', '/v1/session', { body: { email: 'csm@example.com', password: `guess number ${i}` } }),
      ),
    )
    const statuses = guesses.map((g) => g.status)
    expect(
      statuses.every((s) => s === 401 || s === 429),
      String(statuses),
    ).toBe(true)
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5)
    const right = await call('POST', '/v1/session', { body: { email: 'csm@example.com', password: PASSWORD } })
    expect([right.status, right.body.error.code]).toEqual([429, 'rate_limited'])
    // A success takes its own attempt back: signing in five times in a row counts nothing.
    await addMember(ctx.store, ws, 'viewer')
    for (let i = 0; i < 6; i++) await signIn(call, 'viewer@example.com')
  })

  it('CS14 behind a proxy ending TLS, the public URL decides Secure, the CSRF origin and the links', async () => {
    const { ws, call } = await bed(ctx.store, 'https://console.example.com/ignored/path')
    await addMember(ctx.store, ws, 'owner')
    // The request reaches the server as http://jornada.test, as a proxy forwards it.
    const { res, cookie, csrf } = await signIn(call, 'owner@example.com', PASSWORD, 'https://console.example.com')
    expect(res.headers.get('set-cookie')).toMatch(/Secure/)
    const body = { email: 'new@example.com', role: 'viewer' }
    const internal = await call('POST', '/v1/members', { cookie, csrf, body, origin: ORIGIN })
    expect([internal.status, internal.body.error.code]).toEqual([403, 'csrf'])
    const invite = await call('POST', '/v1/members', { cookie, csrf, body, origin: 'https://console.example.com' })
    expect(invite.status).toBe(201)
    expect(invite.body.inviteUrl).toMatch(/^https:\/\/console\.example\.com\/console\/invite\?token=/)
  })

  it('CS15 an override set by a member names the member, whatever `by` the body says', async () => {
    const { ws, call } = await bed(ctx.store)
    await addMember(ctx.store, ws, 'csm')
    const event = { type: 'track', event: 'login', userId: 'u1', accountId: 'acme', timestamp: '2026-06-01T10:00:00Z' }
    expect(
      (await call('POST', '/v1/batch', { key: ws.secretKey, body: { batch: [{ id: 'cs15-e1', ...event }] } })).status,
    ).toBe(200)
    const { cookie, csrf } = await signIn(call, 'csm@example.com')
    const set = await call('PUT', '/v1/accounts/acme/override', {
      cookie,
      csrf,
      body: { phase: 'value', reason: 'signed early', expiresAt: '2026-07-01', by: 'someone else' },
    })
    expect(set.status, JSON.stringify(set.body)).toBe(200)
    const listed = await call('GET', '/v1/accounts/acme/override', { key: ws.secretKey })
    expect(listed.body.current.by).toBe('csm@example.com')
  })

  it('CS16 signing in or accepting an invitation from another site is 403 csrf; programs send no Origin', async () => {
    const { ws, call } = await bed(ctx.store)
    await addMember(ctx.store, ws, 'viewer')
    const body = { email: 'viewer@example.com', password: PASSWORD }
    const foreign = await call('POST', '/v1/session', { body, origin: 'https://evil.example' })
    expect([foreign.status, foreign.body.error.code, foreign.headers.get('set-cookie')]).toEqual([403, 'csrf', null])
    const accept = await call('POST', '/v1/invites/accept', {
      body: { token: 'x'.repeat(20), password: PASSWORD },
      origin: 'https://evil.example',
    })
    expect([accept.status, accept.body.error.code]).toEqual([403, 'csrf'])
    expect((await call('POST', '/v1/session', { body, origin: null })).status).toBe(200)
    expect((await call('POST', '/v1/session', { body })).status).toBe(200)
  })

  it('CS04 sign-out revokes the session on the server: the same cookie is then refused', async () => {
    const { ws, call } = await bed(ctx.store)
    await addMember(ctx.store, ws, 'viewer')
    const { cookie, csrf } = await signIn(call, 'viewer@example.com')
    expect((await call('GET', '/v1/accounts', { cookie })).status).toBe(200)
    expect((await call('DELETE', '/v1/session', { cookie, csrf })).status).toBe(204)
    const after = await call('GET', '/v1/accounts', { cookie })
    expect([after.status, after.body.error.code]).toEqual([401, 'unauthorized'])
    expect((await call('GET', '/v1/session', { cookie })).status).toBe(401)
    expect((await call('GET', '/v1/session')).status).toBe(401)
  })

  it('CS05 a session ends after 12 hours without use and after 7 days in any case', async () => {
    const { ws, clock, call } = await bed(ctx.store)
    await addMember(ctx.store, ws, 'viewer')
    const idle = await signIn(call, 'viewer@example.com')
    clock.now += SESSION_IDLE_MS - MIN
    expect((await call('GET', '/v1/session', { cookie: idle.cookie })).status).toBe(200)
    clock.now += SESSION_IDLE_MS - MIN
    expect((await call('GET', '/v1/session', { cookie: idle.cookie })).status).toBe(200)
    clock.now += SESSION_IDLE_MS + MIN
    expect((await call('GET', '/v1/session', { cookie: idle.cookie })).status).toBe(401)

    const used = await signIn(call, 'viewer@example.com')
    const started = clock.now
    while (clock.now + SESSION_IDLE_MS / 2 < started + SESSION_MAX_MS) {
      clock.now += SESSION_IDLE_MS / 2
      expect((await call('GET', '/v1/session', { cookie: used.cookie })).status).toBe(200)
    }
    clock.now = started + SESSION_MAX_MS + MIN
    expect((await call('GET', '/v1/session', { cookie: used.cookie })).status).toBe(401)
  })

  it('CS06 a change with the cookie needs the CSRF token and this origin, else 403 csrf', async () => {
    const { ws, call } = await bed(ctx.store)
    await addMember(ctx.store, ws, 'admin')
    const { cookie, csrf } = await signIn(call, 'admin@example.com')
    const body = { origins: ['https://app.example.com'] }
    const none = await call('PUT', '/v1/keys/write/origins', { cookie, body })
    const wrong = await call('PUT', '/v1/keys/write/origins', { cookie, body, csrf: `${csrf}x` })
    const foreign = await call('PUT', '/v1/keys/write/origins', { cookie, body, csrf, origin: 'https://evil.example' })
    const noOrigin = await call('PUT', '/v1/keys/write/origins', { cookie, body, csrf, origin: null })
    for (const res of [none, wrong, foreign, noOrigin]) expect([res.status, res.body.error.code]).toEqual([403, 'csrf'])
    expect((await ctx.store.getWorkspace(ws.id))!.allowedOrigins).toEqual([])
    const ok = await call('PUT', '/v1/keys/write/origins', { cookie, body, csrf })
    expect([ok.status, ok.body]).toEqual([200, { origins: ['https://app.example.com'] }])
    // A read needs no token; a key needs none either (it is not sent by a browser on its own).
    expect((await call('GET', '/v1/keys/write/origins', { cookie, origin: 'https://evil.example' })).status).toBe(200)
    expect((await call('PUT', '/v1/keys/write/origins', { key: ws.secretKey, body, origin: null })).status).toBe(200)
  })

  it('CS07 an invitation signs in once: used again or after 7 days, it is a 400 naming the token', async () => {
    const { ws, clock, call } = await bed(ctx.store)
    const invite = await call('POST', '/v1/members', {
      key: ws.secretKey,
      body: { email: 'new@example.com', role: 'csm' },
    })
    expect(invite.status).toBe(201)
    expect(invite.body.member).toMatchObject({ email: 'new@example.com', role: 'csm', pending: true })
    expect(invite.body.inviteUrl).toMatch(/^http:\/\/jornada\.test\/console\/invite\?token=/)
    const token = new URL(invite.body.inviteUrl).searchParams.get('token')!
    const short = await call('POST', '/v1/invites/accept', { body: { token, password: 'short' } })
    expect([short.status, short.body.error.issues[0].path]).toEqual([400, 'password'])
    const accepted = await call('POST', '/v1/invites/accept', { body: { token, password: PASSWORD } })
    expect(accepted.status).toBe(200)
    expect(accepted.body.member).toEqual({ id: invite.body.member.id, email: 'new@example.com', role: 'csm' })
    expect(accepted.headers.get('set-cookie')).toMatch(/^jornada_session=/)
    const again = await call('POST', '/v1/invites/accept', { body: { token, password: 'another long one' } })
    expect([again.status, again.body.error.issues]).toEqual([
      400,
      [{ path: 'token', message: 'used, expired or unknown' }],
    ])
    await signIn(call, 'new@example.com')

    const late = await call('POST', '/v1/members', {
      key: ws.secretKey,
      body: { email: 'late@example.com', role: 'viewer' },
    })
    clock.now += INVITE_TTL_MS + MIN
    const expired = await call('POST', '/v1/invites/accept', {
      body: { token: new URL(late.body.inviteUrl).searchParams.get('token'), password: PASSWORD },
    })
    expect(expired.status).toBe(400)
    const twice = await call('POST', '/v1/members', {
      key: ws.secretKey,
      body: { email: 'new@example.com', role: 'viewer' },
    })
    expect([twice.status, twice.body.error.code]).toEqual([409, 'conflict'])
  })

  it("CS08 owners are an owner's: an admin may not invite, promote or remove one; the last owner stays", async () => {
    const { ws, call } = await bed(ctx.store)
    const owner = await addMember(ctx.store, ws, 'owner')
    await addMember(ctx.store, ws, 'admin')
    const viewer = await addMember(ctx.store, ws, 'viewer')
    const admin = await signIn(call, 'admin@example.com')
    const as = (opts: Call) => ({ ...opts, cookie: admin.cookie, csrf: admin.csrf })
    for (const res of [
      await call('POST', '/v1/members', as({ body: { email: 'o2@example.com', role: 'owner' } })),
      await call('PATCH', `/v1/members/${viewer.id}`, as({ body: { role: 'owner' } })),
      await call('PATCH', `/v1/members/${owner.id}`, as({ body: { role: 'viewer' } })),
      await call('DELETE', `/v1/members/${owner.id}`, as({})),
    ]) {
      expect([res.status, res.body.error.code]).toEqual([403, 'forbidden_role'])
    }
    expect((await call('PATCH', `/v1/members/${viewer.id}`, as({ body: { role: 'csm' } }))).body.member.role).toBe(
      'csm',
    )
    const o = await signIn(call, 'owner@example.com')
    const last = await call('PATCH', `/v1/members/${owner.id}`, {
      cookie: o.cookie,
      csrf: o.csrf,
      body: { role: 'admin' },
    })
    expect([last.status, last.body.error.code]).toEqual([409, 'conflict'])
  })

  it('CS09 removing a member ends their sessions at once; a new role applies to the next request', async () => {
    const { ws, call } = await bed(ctx.store)
    const viewer = await addMember(ctx.store, ws, 'viewer')
    const { cookie, csrf } = await signIn(call, 'viewer@example.com')
    const config = { cookie, csrf, body: { renewalWindowDays: 40 } }
    expect((await call('PUT', '/v1/config', config)).body.error.code).toBe('forbidden_role')
    await call('PATCH', `/v1/members/${viewer.id}`, { key: ws.secretKey, body: { role: 'editor' } })
    expect((await call('PUT', '/v1/config', config)).status).toBe(200)
    expect((await call('DELETE', `/v1/members/${viewer.id}`, { key: ws.secretKey })).status).toBe(204)
    expect((await call('GET', '/v1/session', { cookie })).status).toBe(401)
    expect(
      (await call('POST', '/v1/session', { body: { email: 'viewer@example.com', password: PASSWORD } })).status,
    ).toBe(401)
  })

  it('CS10 every role against every route of the access table: below the least role, 403 forbidden_role', async () => {
    const { ws, call } = await bed(ctx.store)
    const sessions = new Map<Role, { cookie: string; csrf: string }>()
    for (const role of ROLES) {
      await addMember(ctx.store, ws, role)
      sessions.set(role, await signIn(call, `${role}@example.com`))
    }
    const routes = Object.entries(ROUTE_ACCESS).filter(
      (entry): entry is [string, Role] => !(['public', 'write', 'session', 'builder'] as Access[]).includes(entry[1]),
    )
    expect(routes.length).toBeGreaterThan(20)
    const seen: string[] = []
    for (const [route, least] of routes) {
      const [method, path] = route.split(' ') as [string, string]
      const url = path.replace(/:([A-Za-z]+)/g, 'nothing-$1')
      for (const role of ROLES) {
        const { cookie, csrf } = sessions.get(role)!
        const res = await call(method, url, { cookie, csrf, ...(method !== 'GET' && { body: {} }) })
        const refused = res.status === 403 && res.body?.error?.code === 'forbidden_role'
        expect([route, role, refused], JSON.stringify(res.body)).toEqual([route, role, !atLeast(role, least)])
        expect(res.status, `${route} as ${role}`).not.toBe(401)
        expect(res.status, `${route} as ${role}`).toBeLessThan(500)
        if (refused) seen.push(`${role} ${route}`)
      }
    }
    expect(seen).toContain('viewer PUT /v1/config')
    expect(seen).toContain('csm PUT /v1/config')
    expect(seen).not.toContain('csm PUT /v1/accounts/:id/override')
    expect(seen).toContain('editor POST /v1/keys/secret/rotate')
    // The new secret key acts as an owner: an admin who could rotate it could make themselves one.
    expect(seen).toContain('admin POST /v1/keys/secret/rotate')
    expect(seen).not.toContain('owner POST /v1/keys/secret/rotate')
  })

  it('CS11 the audit log has every change and sign-in with before and after, and nothing secret', async () => {
    const { ws, clock, call: send } = await bed(ctx.store)
    // A second between changes: the log lists them newest first.
    const call: typeof send = (...args) => {
      clock.now += 1000
      return send(...args)
    }
    await addMember(ctx.store, ws, 'owner')
    await call('POST', '/v1/session', { body: { email: 'owner@example.com', password: 'wrong wrong wrong' } })
    const { cookie, csrf } = await signIn(call, 'owner@example.com')
    const as = { cookie, csrf }
    await call('PUT', '/v1/config', { ...as, body: { renewalWindowDays: 40 } })
    await call('PUT', '/v1/config', { ...as, body: { renewalWindowDays: 50 } })
    const hook = await call('POST', '/v1/webhooks', {
      key: ws.secretKey,
      body: { url: 'https://hooks.example.com/in', events: ['phase.changed'] },
    })
    const rotated = await call('POST', '/v1/keys/secret/rotate', { ...as, body: {} })
    const invite = await call('POST', '/v1/members', { ...as, body: { email: 'x@example.com', role: 'viewer' } })
    await call('DELETE', '/v1/session', as)
    const log = await call('GET', '/v1/audit?limit=100', { key: rotated.body.secretKey })
    expect(log.status).toBe(200)
    expect(hook.status, JSON.stringify(hook.body)).toBe(201)
    const items = log.body.items as {
      action: string
      actor: { kind: string; id: string }
      before?: unknown
      after?: unknown
    }[]
    expect(items.map((i) => i.action).reverse()).toEqual([
      'session.sign_in_failed',
      'session.sign_in',
      'config.update',
      'config.update',
      'webhook.create',
      'key.rotate',
      'member.invite',
      'session.sign_out',
    ])
    // Newest first: the first config change listed is the second one made.
    const second = items.find((i) => i.action === 'config.update')!
    expect(second.actor).toMatchObject({ kind: 'member', email: 'owner@example.com' })
    expect(second.before).toMatchObject({ renewalWindowDays: 40 })
    expect(second.after).toMatchObject({ renewalWindowDays: 50 })
    expect(items.find((i) => i.action === 'webhook.create')!.actor).toEqual({ kind: 'key', id: 'secret' })
    const text = JSON.stringify(log.body)
    const token = new URL(invite.body.inviteUrl).searchParams.get('token')!
    for (const secret of [
      PASSWORD,
      'wrong wrong wrong',
      ws.secretKey,
      rotated.body.secretKey,
      hook.body.secret,
      csrf,
      cookie.split('=')[1],
      token,
    ]) {
      expect(text).not.toContain(secret)
    }
    const mine = await call('GET', '/v1/audit?action=config.update&actor=owner@example.com', {
      key: rotated.body.secretKey,
    })
    expect(mine.body.items).toHaveLength(2)
  })

  it('CS12 the first owner: a setup link used once, or the env password, set again when it changes', async () => {
    const { ws, call } = await bed(ctx.store)
    const clock = () => Date.UTC(2026, 5, 1, 12)
    await expect(ensureOwner(ctx.store, { workspaceId: ws.id, email: 'not an email', clock })).rejects.toThrow(
      OwnerSettingError,
    )
    await expect(
      ensureOwner(ctx.store, { workspaceId: ws.id, email: 'o@example.com', password: 'short', clock }),
    ).rejects.toThrow(/JORNADA_ADMIN_PASSWORD/)
    const first = await ensureOwner(ctx.store, { workspaceId: ws.id, email: 'Owner@Example.com', clock })
    expect(first.kind).toBe('setup')
    const again = await ensureOwner(ctx.store, { workspaceId: ws.id, email: 'owner@example.com', clock })
    if (first.kind !== 'setup' || again.kind !== 'setup') throw new Error('expected setup links')
    const token = (path: string) => new URL(path, API).searchParams.get('token')
    const set = await call('POST', '/v1/invites/accept', {
      body: { token: token(first.setupPath), password: PASSWORD },
    })
    expect([set.status, set.body.member.role]).toEqual([200, 'owner'])
    // Once a password is set, no setup link resets it.
    expect(
      (await call('POST', '/v1/invites/accept', { body: { token: token(again.setupPath), password: 'taken over!!' } }))
        .status,
    ).toBe(400)
    expect((await ensureOwner(ctx.store, { workspaceId: ws.id, email: 'owner@example.com', clock })).kind).toBe(
      'unchanged',
    )

    const { cookie } = await signIn(call, 'owner@example.com')
    const same = await ensureOwner(ctx.store, {
      workspaceId: ws.id,
      email: 'owner@example.com',
      password: PASSWORD,
      clock,
    })
    expect(same.kind).toBe('unchanged')
    expect((await call('GET', '/v1/session', { cookie })).status).toBe(200)
    const changed = await ensureOwner(ctx.store, {
      workspaceId: ws.id,
      email: 'owner@example.com',
      password: 'a new passphrase',
      clock,
    })
    expect(changed.kind).toBe('password_set')
    expect((await call('GET', '/v1/session', { cookie })).status).toBe(401)
    await signIn(call, 'owner@example.com', 'a new passphrase')

    const other = await newWorkspace(ctx.store)
    const made = await ensureOwner(ctx.store, {
      workspaceId: other.id,
      email: 'boss@example.com',
      password: PASSWORD,
      clock,
    })
    expect(made.kind).toBe('created')
    expect((await ctx.store.members.findByEmail(other.id, 'boss@example.com'))!.member).toMatchObject({
      role: 'owner',
      hasPassword: true,
    })
  })
})
