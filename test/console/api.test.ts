import { describe, expect, it, vi } from 'vitest'
import { ApiError, createApi, fieldMessages, otherMessages, queryString } from '../../console/api'
import { createSession } from '../../console/session'
import { apiError, fakeFetch, json, session } from './fixtures'

describe('the console API client (console.md, "CSRF"; api.md, "Errors")', () => {
  it('CA01 every call carries the cookie (same-origin) and asks for JSON', async () => {
    const f = fakeFetch({ 'GET /v1/overview': {} })
    await createApi({ fetch: f.fetch }).get('/v1/overview')
    expect(f.calls[0]).toMatchObject({ method: 'GET', credentials: 'same-origin' })
    expect(f.calls[0]!.headers.accept).toBe('application/json')
  })

  it('CA02 x-csrf-token goes with every call that changes something, never with a GET', async () => {
    const f = fakeFetch({
      'GET /v1/accounts': { items: [] },
      'PUT /v1/accounts/acme/override': {},
      'POST /v1/members': {},
      'PATCH /v1/members/m_1': {},
      'DELETE /v1/members/m_1': () => undefined,
    })
    const api = createApi({ fetch: f.fetch })
    api.setCsrfToken('tok')
    await api.get('/v1/accounts')
    await api.put('/v1/accounts/acme/override', { phase: 'value' })
    await api.post('/v1/members', { email: 'a@b.c', role: 'viewer' })
    await api.patch('/v1/members/m_1', { role: 'csm' })
    await api.del('/v1/members/m_1')
    expect(f.calls.map((c) => [c.method, c.headers['x-csrf-token']])).toEqual([
      ['GET', undefined],
      ['PUT', 'tok'],
      ['POST', 'tok'],
      ['PATCH', 'tok'],
      ['DELETE', 'tok'],
    ])
    expect(f.calls[1]!.headers['content-type']).toBe('application/json')
    expect(f.calls[1]!.body).toEqual({ phase: 'value' })
  })

  it('CA03 the error shape becomes an ApiError with one message per field path', async () => {
    const f = fakeFetch({
      'PUT /v1/accounts/acme/override': () =>
        apiError(400, 'invalid_body', 'invalid body', [
          { path: 'reason', message: 'a reason is required' },
          { path: 'reason', message: 'second issue, same field' },
          { path: 'expiresAt', message: 'expected a date' },
          { path: '', message: 'the body as a whole' },
        ]),
    })
    const err = await createApi({ fetch: f.fetch })
      .put('/v1/accounts/acme/override', {})
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    const e = err as ApiError
    expect([e.status, e.code, e.message]).toEqual([400, 'invalid_body', 'invalid body'])
    expect(e.fields).toEqual({ reason: 'a reason is required', expiresAt: 'expected a date' })
    expect(otherMessages(e.issues, ['reason', 'expiresAt'])).toEqual(['the body as a whole'])
  })

  it('CA04 a 401 outside signing in ends the session; a wrong password is an answer to show', async () => {
    const onUnauthorized = vi.fn()
    const f = fakeFetch({
      'GET /v1/overview': () => apiError(401, 'unauthorized', 'no session'),
      'POST /v1/session': () => apiError(401, 'invalid_credentials', 'wrong email or password'),
    })
    const api = createApi({ fetch: f.fetch, onUnauthorized })
    await expect(api.post('/v1/session', { email: 'a', password: 'b' })).rejects.toMatchObject({
      code: 'invalid_credentials',
    })
    expect(onUnauthorized).not.toHaveBeenCalled()
    await expect(api.get('/v1/overview')).rejects.toMatchObject({ status: 401 })
    expect(onUnauthorized).toHaveBeenCalledTimes(1)
  })

  it('CA05 a 429 keeps Retry-After; a network failure is code network; a 204 resolves empty', async () => {
    const f = fakeFetch({
      'POST /v1/session': () =>
        json({ error: { code: 'rate_limited', message: 'slow down' } }, 429, { 'retry-after': '600' }),
      'DELETE /v1/session': () => undefined,
    })
    const api = createApi({ fetch: f.fetch })
    await expect(api.post('/v1/session', {})).rejects.toMatchObject({ status: 429, retryAfter: 600 })
    await expect(api.del('/v1/session')).resolves.toBeUndefined()
    const down = createApi({ fetch: () => Promise.reject(new TypeError('Failed to fetch')) })
    await expect(down.get('/v1/overview')).rejects.toMatchObject({ status: 0, code: 'network' })
  })

  it('CA06 a query leaves out empty values; api.url builds same-origin links (CSV, printable pages)', () => {
    expect(queryString({ a: 1, b: '', c: undefined, d: null, e: 'x y' })).toBe('?a=1&e=x+y')
    expect(queryString({})).toBe('')
    expect(createApi().url('/v1/accounts', { band: 'red', format: 'csv' })).toBe('/v1/accounts?band=red&format=csv')
    expect(fieldMessages([{ path: 'email', message: 'm' }])).toEqual({ email: 'm' })
  })
})

describe('the session model (console.md, "Sign in")', () => {
  it('CA07 signing in keeps the member and sends its CSRF token from then on; sign-out forgets it', async () => {
    const f = fakeFetch({
      'POST /v1/session': () => session('csm'),
      'PUT /v1/accounts/acme/override': {},
      'DELETE /v1/session': () => undefined,
    })
    const api = createApi({ fetch: f.fetch })
    const s = createSession(api)
    await s.signIn('ana@example.com', 'a long passphrase')
    expect(s.status.value).toBe('signed-in')
    expect(s.member.value?.role).toBe('csm')
    await api.put('/v1/accounts/acme/override', {})
    expect(f.calls[1]!.headers['x-csrf-token']).toBe('csrf-1')
    await s.signOut()
    expect(f.calls[2]!.method).toBe('DELETE')
    expect(s.status.value).toBe('signed-out')
    expect(s.member.value).toBeNull()
  })

  it('CA08 can(role): each role includes the ones before it (viewer < csm < editor < admin < owner)', async () => {
    for (const [role, yes, no] of [
      ['viewer', ['viewer'], ['csm', 'admin']],
      ['csm', ['viewer', 'csm'], ['editor', 'admin']],
      ['admin', ['csm', 'editor', 'admin'], ['owner']],
      ['owner', ['viewer', 'admin', 'owner'], []],
    ] as const) {
      const s = createSession(createApi({ fetch: fakeFetch({ 'GET /v1/session': () => session(role) }).fetch }))
      await s.restore()
      for (const r of yes) expect(s.can(r), `${role} can ${r}`).toBe(true)
      for (const r of no) expect(s.can(r), `${role} cannot ${r}`).toBe(false)
    }
  })

  it("CA09 restore without a session is signed-out, and GET /v1/session's 401 is not a lost session", async () => {
    const onUnauthorized = vi.fn()
    const api = createApi({
      fetch: fakeFetch({ 'GET /v1/session': () => apiError(401, 'unauthorized', 'no session') }).fetch,
      onUnauthorized,
    })
    const s = createSession(api)
    expect(s.status.value).toBe('loading')
    await s.restore()
    expect(s.status.value).toBe('signed-out')
    expect(onUnauthorized).not.toHaveBeenCalled()
  })
})
