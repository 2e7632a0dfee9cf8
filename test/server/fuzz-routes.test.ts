/**
 * Bad input on every route, as a property: whatever a caller sends to whatever route (paths, query
 * parameters and bodies from a seeded generator: U+0000, lone surrogates, huge and deep values,
 * wrong types, user hashes and tokens of every shape), with the write key, the secret key or
 * neither, the answer is never a 5xx, and every 4xx is in the error shape of api.md. The routes and
 * their parameters are read from the OpenAPI document, so a new route is fuzzed from its first day.
 * The findings this holds shut are tested one by one too (NUL01-NUL06). Runs on PGlite and on
 * PostgreSQL. FUZZ_SEED=<n> replays a run; FUZZ_ROUTE_CASES runs more.
 */
import { beforeAll, expect, it } from 'vitest'
import { createApp } from '../../server/app'
import { ROUTE_ACCESS } from '../../server/http/access'
import { MAX_BODY_DEPTH } from '../../server/http/body'
import { openApiDocument } from '../../server/openapi'
import { z } from 'zod'
import { SignJWT } from 'jose'
import { ErrorObjectSchema } from '../../server/schemas/responses'
import { describeEachStore } from '../support/each-store'
import { prng } from '../support/prng'
import { API, batchRequest, eid, newWorkspace } from './helpers'
import type { TestWorkspace } from './helpers'

const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31))
/** Requests per route and store. */
const PER_ROUTE = Math.max(40, Number(process.env.FUZZ_ROUTE_CASES ?? 40))

interface Operation {
  method: string
  /** `/v1/accounts/{id}/journey` */
  path: string
  pathParams: string[]
  queryParams: string[]
  bodyFields: string[] | null
}

/** Every operation of the OpenAPI document under /v1, with its parameters and top-level body fields. */
function operations(): Operation[] {
  const doc = openApiDocument() as { paths: Record<string, Record<string, any>> }
  const ops: Operation[] = []
  for (const [path, byMethod] of Object.entries(doc.paths)) {
    if (!path.startsWith('/v1/')) continue
    for (const [method, op] of Object.entries(byMethod)) {
      const params = (op.parameters ?? []) as { in: string; name: string }[]
      const schema = op.requestBody?.content?.['application/json']?.schema
      ops.push({
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: params.filter((p) => p.in === 'query').map((p) => p.name),
        bodyFields: op.requestBody ? Object.keys(schema?.properties ?? {}) : null,
      })
    }
  }
  return ops
}

const NASTY = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udc00',
  '\ud83d\ude00',
  '\uffff',
  '\ufeff',
  '%00',
  '../..',
  '<script>',
  '__proto__',
  'x'.repeat(300),
  'x'.repeat(5000),
  '2026-03-01',
  '2026-03-01T10:00:00Z',
  '2026-13-45',
  '1970-01-01T00:00:00Z',
  '9999-12-31',
  '0',
  '-1',
  '1e400',
  'NaN',
  'true',
  'acme',
  'user-42',
  'json',
  'csv',
  'html',
  'onboarding',
  'green',
  'setup_late',
  'smb',
  '30d',
  '1',
  'é'.repeat(64),
  'a'.repeat(64),
  'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1c2VyLTQyIn0.',
  'not.a.jwt',
  'https://example.com/hook',
  '*',
]

function rng(seed: number) {
  const next = prng(seed)
  const int = (n: number) => Math.floor(next() * n)
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!
  const chance = (p: number) => next() < p
  return { int, pick, chance }
}
type Rng = ReturnType<typeof rng>

function value(r: Rng, depth = 0): unknown {
  switch (r.int(depth > 3 ? 5 : 8)) {
    case 0:
      return null
    case 1:
      return r.chance(0.5)
    case 2:
      return r.pick([0, -1, 1.5, 1e308, 2 ** 53 + 1, 42, 24])
    case 3:
    case 4:
      return r.pick(NASTY)
    case 5:
      return Array.from({ length: r.int(4) }, () => value(r, depth + 1))
    default: {
      const o: Record<string, unknown> = {}
      for (let i = r.int(4); i > 0; i--) o[r.pick(NASTY)] = value(r, depth + 1)
      return o
    }
  }
}

/** JSON text `levels` deep, arrays and objects in turn (built as text: JSON.stringify would overflow the stack). */
function nestedJson(levels: number): string {
  let open = ''
  let close = ''
  for (let i = 0; i < levels; i++) {
    open += i % 2 ? '{"a":' : '['
    close = (i % 2 ? '}' : ']') + close
  }
  return open + '1' + close
}

/** A path segment as a client could send it: percent-encoded, lone surrogates as their raw UTF-8 bytes. */
function segment(s: string): string {
  return [...s]
    .map((ch) => {
      const u = ch.charCodeAt(0)
      if (ch.length === 1 && u >= 0xd800 && u <= 0xdfff)
        return (
          '%' +
          [0xe0 | (u >> 12), 0x80 | ((u >> 6) & 63), 0x80 | (u & 63)].map((b) => b.toString(16).toUpperCase()).join('%')
        )
      return encodeURIComponent(ch)
    })
    .join('')
}

/** api.md's error shape, strict in its `error`. */
const ERROR_ANSWER = z.looseObject({ error: ErrorObjectSchema })

/** The fuzzed workspace's identity secret, and tokens signed with it whose claims are odd (filled before the run). */
const IDENTITY_SECRET = 'fuzz-identity-secret'
const TOKENS: string[] = []
async function oddTokens(): Promise<string[]> {
  const key = new TextEncoder().encode(IDENTITY_SECRET)
  const now = Math.floor(Date.now() / 1000)
  const claims: Record<string, unknown>[] = [
    { sub: 'user-42', accounts: ['acme'], exp: now + 3600 },
    { sub: 42, accounts: ['acme'], exp: now + 3600 },
    { sub: 'user-42', accounts: 'acme', exp: now + 3600 },
    { sub: 'user-42', accounts: [{ id: 'acme' }, null], exp: now + 3600 },
    { sub: 'user-42', accounts: Array.from({ length: 500 }, (_, i) => `a${i}`), exp: now + 3600 },
    { sub: 'a\u0000b', accounts: ['a\u0000b'], exp: now + 3600 },
    { sub: 'user-42', accounts: ['acme'], exp: '2099-01-01' },
    { sub: 'user-42', accounts: ['acme'], exp: now + 3600, nbf: 'soon', iat: -1 },
    { sub: '', exp: now + 3600 },
  ]
  return Promise.all(claims.map((c) => new SignJWT(c).setProtectedHeader({ alg: 'HS256' }).sign(key)))
}

/** A body for `op`: mostly an object of its own fields with random values; sometimes anything at all. */
function body(r: Rng, op: Operation): string {
  const roll = r.int(10)
  if (roll === 0) return nestedJson(r.pick([65, 1000, 100_000]))
  if (roll === 1) return r.pick(['', '{', 'null', '[]', '"x"', '{"a":1}x', '\u0000'])
  if (roll === 2) return JSON.stringify(value(r))
  const o: Record<string, unknown> = {}
  for (const f of op.bodyFields ?? []) {
    if (r.chance(0.6))
      o[f] = f === 'userToken' && r.chance(0.5) ? r.pick(TOKENS) : r.chance(0.3) ? value(r) : r.pick(NASTY)
  }
  if (op.path === '/v1/batch')
    o.batch = Array.from({ length: 1 + r.int(3) }, () => ({
      id: eid(),
      type: r.pick(['track', 'group', 'identify', 'page']),
      event: 'report_generated',
      userId: r.pick(NASTY),
      accountId: r.pick(NASTY),
      userHash: r.pick(NASTY),
      userToken: r.chance(0.5) ? r.pick(TOKENS) : r.pick(NASTY),
      traits: value(r),
      properties: value(r),
    }))
  return JSON.stringify(o)
}

describeEachStore('fuzz: every route', (ctx) => {
  let app: ReturnType<typeof createApp>
  let ws: TestWorkspace
  let webhookId = ''

  beforeAll(async () => {
    // No DNS here: webhook URLs are checked for their form only.
    app = createApp({ store: ctx.store, log: () => {}, webhookUrls: { allowPrivate: true } })
    ws = await newWorkspace(ctx.store)
    await ctx.store.setIdentitySecret(ws.id, IDENTITY_SECRET)
    if (TOKENS.length === 0) TOKENS.push(...(await oddTokens()))
    const res = await app.request(
      batchRequest(
        { batch: [{ id: eid(), type: 'group', userId: 'user-42', accountId: 'acme', traits: { segment: 'smb' } }] },
        { auth: { bearer: ws.secretKey } },
      ),
    )
    expect(res.status).toBe(200)
    const hook = await app.request(`${API}/v1/webhooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ws.secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'https://example.com/hook' }),
    })
    webhookId = ((await hook.json()) as { id: string }).id
  })

  it(`FZ03 every route: ${PER_ROUTE} random requests each, never a 5xx, every 4xx in the error shape`, async () => {
    const r = rng(SEED)
    const ops = operations()
    // The OpenAPI document and the access table name the same routes.
    const documented = ops.map((o) => `${o.method} ${o.path.replace(/\{(\w+)\}/g, ':$1')}`).sort()
    expect(documented).toEqual(Object.keys(ROUTE_ACCESS).sort())
    let requests = 0
    for (const op of ops) {
      for (let i = 0; i < PER_ROUTE; i++) {
        const where = `FUZZ_SEED=${SEED} ${op.method} ${op.path} case ${i}`
        let path = op.path
        for (const p of op.pathParams) {
          const known = p === 'id' ? (op.path.startsWith('/v1/webhooks') ? webhookId : 'acme') : 'nothing'
          path = path.replace(`{${p}}`, segment(r.chance(0.3) ? known : r.pick(NASTY)))
        }
        const query = op.queryParams
          .concat(r.chance(0.2) ? [r.pick(NASTY)] : [])
          .filter(() => r.chance(0.5))
          .map((q) => `${segment(q)}=${segment(r.pick(NASTY))}`)
          .join('&')
        const key = r.pick([ws.secretKey, ws.secretKey, ws.writeKey, '', 'sk_unknown', 'a\u0000'])
        const headers: Record<string, string> = {
          'content-type': r.pick([
            'application/json',
            'application/json',
            'text/plain',
            'application/x-www-form-urlencoded',
          ]),
        }
        if (key !== '' && !key.includes('\u0000')) headers.authorization = `Bearer ${key}`
        const res = await app.request(`${API}${path}${query ? '?' + query : ''}`, {
          method: op.method,
          headers,
          ...(op.bodyFields !== null && { body: body(r, op) }),
        })
        requests++
        expect(res.status, where).toBeLessThan(500)
        if (res.status >= 400) {
          const text = await res.text()
          // The error shape; a batch's 401 and 403 carry its counts beside it.
          expect(ERROR_ANSWER.safeParse(JSON.parse(text)).success, `${where}: ${text.slice(0, 300)}`).toBe(true)
        }
        // A rotation with graceHours 0 retires the key the run holds: go on with the new one.
        if (op.path === '/v1/keys/secret/rotate' && res.status === 200)
          ws = { ...ws, secretKey: ((await res.json()) as { secretKey: string }).secretKey }
      }
    }
    expect(requests).toBe(ops.length * PER_ROUTE)
    expect((await app.request(`${API}/healthz`)).status).toBe(200)
  })

  const send = (method: string, path: string, bodyText?: string, key = ws.secretKey) =>
    app.request(`${API}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(bodyText !== undefined && { body: bodyText }),
    })
  const expectBad = async (res: Response, code: string, path?: string) => {
    const text = await res.text()
    expect(res.status, text).toBe(400)
    expect(JSON.parse(text)).toMatchObject({
      error: { code, ...(path !== undefined && { issues: [expect.objectContaining({ path })] }) },
    })
  }

  it('NUL01 U+0000 in /v1/experience ids (write key) is a 400 naming the field', async () => {
    for (const field of ['userId', 'accountId']) {
      const res = await send(
        'POST',
        '/v1/experience',
        JSON.stringify({ userId: 'user-42', accountId: 'acme', [field]: 'a\u0000b' }),
        ws.writeKey,
      )
      await expectBad(res, 'invalid_body', field)
    }
  })

  it('NUL02 U+0000 in a path id of the journey, value, QBR, override and webhook routes is a 400', async () => {
    const paths: [string, string][] = [
      ['GET', '/v1/accounts/a%00b/journey'],
      ['GET', '/v1/accounts/a%00b/journey/diff?from=2026-01-01'],
      ['GET', '/v1/accounts/a%00b/value'],
      ['GET', '/v1/accounts/a%00b/qbr'],
      ['GET', '/v1/accounts/a%00b/override'],
      ['DELETE', '/v1/accounts/a%00b/override'],
      ['PATCH', '/v1/webhooks/a%00b'],
      ['DELETE', '/v1/webhooks/a%00b'],
      ['GET', '/v1/webhooks/a%00b/deliveries'],
      ['POST', `/v1/webhooks/${webhookId}/deliveries/a%00b/replay`],
    ]
    for (const [method, path] of paths)
      await expectBad(await send(method, path, method === 'PATCH' ? '{"enabled":true}' : undefined), 'invalid_path')
  })

  it("NUL03 U+0000 in an override's reason is a 400 naming reason", async () => {
    const res = await send(
      'PUT',
      '/v1/accounts/acme/override',
      JSON.stringify({ phase: 'adoption', reason: 'a\u0000b', expiresAt: '2099-01-01T00:00:00Z' }),
    )
    await expectBad(res, 'invalid_body', 'reason')
  })

  it('NUL04 U+0000 and lone surrogates in config text are a 400 naming where', async () => {
    await expectBad(
      await send('PUT', '/v1/config', JSON.stringify({ features: ['reports\u0000'] })),
      'invalid_body',
      'features.0',
    )
    await expectBad(await send('PUT', '/v1/config', '{"features":["\\ud800"]}'), 'invalid_body', 'features.0')
    await expectBad(
      await send('PUT', '/v1/config', JSON.stringify({ features: ['reports'], ['x\u0000']: 1 })),
      'invalid_body',
    )
  })

  it('NUL05 a PUT /v1/config nested 100,000 levels deep is a 400, and the config in force stays', async () => {
    const before = await (await send('GET', '/v1/config')).json()
    await expectBad(
      await send('PUT', '/v1/config', `{"features":${'['.repeat(100_000)}${']'.repeat(100_000)}}`),
      'invalid_body',
      ['features', ...Array<number>(MAX_BODY_DEPTH - 1).fill(0)].join('.'),
    )
    expect(await (await send('GET', '/v1/config')).json()).toEqual(before)
  })

  it('NUL06 U+0000 in a query value or name is a 400 naming the parameter', async () => {
    await expectBad(await send('GET', '/v1/accounts?cursor=a%00b'), 'invalid_query', 'cursor')
    await expectBad(await send('GET', `/v1/webhooks/${webhookId}/deliveries?cursor=%00`), 'invalid_query', 'cursor')
  })
})
