/**
 * What a write key may say of users and accounts in a workspace that verifies identities
 * (docs/security.md, "Identity verification"): anonymous events reach no account, `userHash` proves
 * the user alone, a `userToken` (a JWT signed with the identity secret) proves the user and their
 * accounts. Tokens are minted here with `jose`, as a vendor's server would, independently of the
 * server's verifier (Hono's JWT helper).
 */
import { createHmac, randomBytes } from 'node:crypto'
import { SignJWT } from 'jose'
import { beforeAll, expect, it } from 'vitest'
import { createApp } from '../../server/app'
import { describeEachStore } from '../support/each-store'
import { API, batchRequest, eid, newWorkspace } from './helpers'
import type { TestWorkspace } from './helpers'

const SECRET = randomBytes(32).toString('hex')
const hmac = (userId: string) => createHmac('sha256', SECRET).update(userId).digest('hex')
const key = new TextEncoder().encode(SECRET)

/** A token as docs/security.md mints one. */
async function token(
  sub: string,
  accounts: string[],
  { expiresIn = '1h', secret = key }: { expiresIn?: string | number; secret?: Uint8Array } = {},
) {
  return new SignJWT({ accounts })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(secret)
}
const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url')
type Json = any

describeEachStore('identity: accounts', (ctx) => {
  let app: ReturnType<typeof createApp>
  let ws: TestWorkspace
  const post = (batch: object[], bearer = ws.writeKey) => app.request(batchRequest({ batch }, { auth: { bearer } }))
  const ask = (body: object) =>
    app.request(`${API}/v1/experience?debug=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ws.writeKey}` },
      body: JSON.stringify(body),
    })
  const storedAccount = async (id: string) =>
    (await ctx.store.listEvents(ws.id, {})).find((e) => e.id === id)?.accountId

  beforeAll(async () => {
    app = createApp({ store: ctx.store, log: () => {} })
    ws = await newWorkspace(ctx.store)
    await ctx.store.setIdentitySecret(ws.id, SECRET)
    // The vendor's server puts user-42 in acme (the secret key is trusted).
    const res = await post(
      [
        {
          id: eid(),
          type: 'group',
          userId: 'user-42',
          accountId: 'acme',
          traits: { segment: 'smb', renewalDate: '2031-01-01' },
          timestamp: '2026-01-01T00:00:00Z',
        },
      ],
      ws.secretKey,
    )
    expect(res.status).toBe(200)
  })

  it('IDA01 anonymous: stored, but no account milestone, trait or membership; a group call is a 403', async () => {
    const done = eid('anon-setup')
    const res = await post([
      { id: done, type: 'track', event: 'setup_completed', anonymousId: 'anon-1', accountId: 'acme' },
    ])
    expect(res.status).toBe(200)
    expect(await storedAccount(done)).toBeNull()
    const joined = await post([
      {
        id: eid(),
        type: 'group',
        anonymousId: 'anon-1',
        accountId: 'acme',
        traits: { renewalDate: '2020-01-01', segment: 'enterprise' },
      },
    ])
    expect(joined.status).toBe(403)
    expect(await joined.json()).toMatchObject({
      error: { code: 'forbidden_account', issues: [{ path: 'batch.0.accountId' }] },
      accepted: 0,
    })
    const facts = await ctx.store.loadFacts(ws.id, 'acme', Date.now())
    expect(facts?.traits).toMatchObject({ segment: 'smb', renewalDate: '2031-01-01' })
    expect(facts?.facts.some((f) => f.name === 'setup_completed')).toBe(false)
  })

  // An event naming an account goes to the user's account.
  it('IDA02 userHash alone proves the user: a group call is a 403', async () => {
    const joined = await post([
      { id: eid(), type: 'group', userId: 'user-42', accountId: 'globex', userHash: hmac('user-42') },
    ])
    expect(joined.status).toBe(403)
    expect(await joined.json()).toMatchObject({
      error: {
        code: 'forbidden_account',
        issues: [{ path: 'batch.0.accountId', message: expect.stringContaining('userToken') }],
      },
    })
    const used = eid('hash-track')
    expect(
      (
        await post([
          {
            id: used,
            type: 'track',
            event: 'report_generated',
            userId: 'user-42',
            accountId: 'globex',
            userHash: hmac('user-42'),
          },
        ])
      ).status,
    ).toBe(200)
    expect(await storedAccount(used)).toBe('acme')
    expect(await ctx.store.getAccount(ws.id, 'globex')).toBeNull()
  })

  it('IDA03 a token reaches the accounts it names, and no other', async () => {
    const t = await token('user-42', ['acme', 'initech'])
    const ok = [eid('tok-group'), eid('tok-track')]
    const res = await post([
      { id: ok[0], type: 'group', userId: 'user-42', accountId: 'initech', traits: { segment: 'mid' }, userToken: t },
      { id: ok[1], type: 'track', event: 'report_generated', userId: 'user-42', accountId: 'acme', userToken: t },
      { id: eid(), type: 'track', event: 'report_generated', userId: 'user-42', accountId: 'globex', userToken: t },
    ])
    expect(res.status).toBe(403)
    const body = (await res.json()) as Json
    expect(body).toMatchObject({
      error: { code: 'forbidden_account' },
      accepted: 2,
      rejected: [{ index: 2, issues: [{ path: 'batch.2.accountId' }] }],
    })
    expect(await storedAccount(ok[0])).toBe('initech')
    expect(await storedAccount(ok[1])).toBe('acme')
    expect((await ctx.store.getAccount(ws.id, 'initech'))?.traits.segment).toBe('mid')
  })

  it('IDA04 a token expired, forged, unsigned, without exp or of another user is a 401 naming userToken', async () => {
    const [good, expired, forged, noExp] = await Promise.all([
      token('user-42', ['acme']),
      token('user-42', ['acme'], { expiresIn: Math.floor(Date.now() / 1000) - 60 }),
      token('user-42', ['acme'], { secret: new TextEncoder().encode('not the secret') }),
      new SignJWT({ accounts: ['acme'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('user-42').sign(key),
    ])
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'user-42', accounts: ['acme'], exp: 9_999_999_999 })}.`
    const bad = [expired, forged, unsigned, noExp, await token('user-43', ['acme']), 'not.a.jwt']
    const ids = bad.map(() => eid('bad-token'))
    const res = await post([
      ...bad.map((userToken, i) => ({
        id: ids[i],
        type: 'track',
        event: 'report_generated',
        userId: 'user-42',
        accountId: 'acme',
        userToken,
      })),
      { id: eid(), type: 'track', event: 'report_generated', userId: 'user-42', accountId: 'acme', userToken: good },
    ])
    expect(res.status).toBe(401)
    const body = (await res.json()) as Json
    expect(body.error.code).toBe('invalid_user_token')
    expect(body.accepted).toBe(1)
    expect(body.rejected.map((r: Json) => r.issues[0].path)).toEqual(bad.map((_, i) => `batch.${i}.userToken`))
    expect(body.rejected[0].issues[0].message).toBe('expired')
    for (const id of ids) expect(await storedAccount(id)).toBeUndefined()
  })

  // With userHash alone, only an account the user is in.
  it('IDA05 /v1/experience: a token reads the accounts it names', async () => {
    const t = await token('user-42', ['acme'])
    expect((await ask({ userId: 'user-42', accountId: 'acme', userToken: t })).status).toBe(200)
    const other = await ask({ userId: 'user-42', accountId: 'initech', userToken: t })
    expect(other.status).toBe(403)
    expect(await other.json()).toMatchObject({ error: { code: 'forbidden_account', issues: [{ path: 'accountId' }] } })
    const wrongUser = await ask({ userId: 'user-43', accountId: 'acme', userToken: t })
    expect(wrongUser.status).toBe(401)
    expect(await wrongUser.json()).toMatchObject({
      error: { code: 'invalid_user_token', issues: [{ path: 'userToken' }] },
    })
    // user-7 is proven by its hash but belongs to no account: acme's checklist is not theirs to read.
    const outsider = await ask({ userId: 'user-7', accountId: 'acme', userHash: hmac('user-7') })
    expect(outsider.status).toBe(200)
    expect(await outsider.json()).toMatchObject({
      experiences: [],
      notes: ['no event of user user-7 in account acme yet'],
    })
    // An account that does not exist answers the same: nobody learns which ids exist.
    const unknown = await ask({ userId: 'user-7', accountId: 'no-such', userHash: hmac('user-7') })
    expect(await unknown.json()).toEqual({
      experiences: [],
      launcher: [],
      locale: 'en',
      notes: ['no event of user user-7 in account no-such yet'],
    })
  })

  it('IDA06 a 64-character userHash of other letters is a 401 for its event, not a 500; the rest is stored', async () => {
    const odd = 'é'.repeat(64)
    const kept = eid('kept')
    const res = await post([
      { id: eid(), type: 'identify', userId: 'user-42', userHash: odd },
      { id: kept, type: 'identify', userId: 'user-42', userHash: hmac('user-42') },
    ])
    expect(res.status).toBe(401)
    expect(await res.json()).toMatchObject({
      error: { code: 'invalid_user_hash' },
      accepted: 1,
      rejected: [{ index: 0, issues: [{ path: 'batch.0.userHash' }] }],
    })
    expect(await storedAccount(kept)).not.toBeUndefined()
    const asked = await ask({ userId: 'user-42', accountId: 'acme', userHash: odd })
    expect(asked.status).toBe(401)
  })

  it("IDA08 anonymous features, or a stranger's, widen no account's adoption denominator", async () => {
    const before = await ctx.store.loadFacts(ws.id, 'acme', Date.now())
    const noise = Array.from({ length: 30 }, (_, i) => ({
      id: eid('noise'),
      type: 'track',
      event: 'feature_used',
      properties: { feature: `made-up-${i}` },
      ...(i % 2 ? { anonymousId: 'anon-9', accountId: 'acme' } : { userId: 'user-7', userHash: hmac('user-7') }),
    }))
    expect(await (await post(noise)).json()).toMatchObject({ accepted: 30, rejected: [] })
    const after = await ctx.store.loadFacts(ws.id, 'acme', Date.now())
    expect(after?.workspaceFeatures).toEqual(before?.workspaceFeatures)
  })

  it("IDA09 a minute of leeway for the vendor's clock: iat, nbf and exp", async () => {
    const now = Math.floor(Date.now() / 1000)
    const mint = (claims: Record<string, number>) =>
      new SignJWT({ accounts: ['acme'], ...claims })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('user-42')
        .sign(key)
    const tried = async (claims: Record<string, number>) => {
      const res = await post([
        {
          id: eid(),
          type: 'track',
          event: 'report_generated',
          userId: 'user-42',
          accountId: 'acme',
          userToken: await mint(claims),
        },
      ])
      return res.status === 200 ? 'ok' : ((await res.json()) as Json).rejected[0].issues[0].message
    }
    expect(await tried({ iat: now + 30, exp: now + 3600 })).toBe('ok')
    expect(await tried({ nbf: now + 30, exp: now + 3600 })).toBe('ok')
    expect(await tried({ exp: now - 30 })).toBe('ok')
    expect(await tried({ nbf: now + 120, exp: now + 3600 })).toBe('nbf is in the future')
    expect(await tried({ iat: now + 120, exp: now + 3600 })).toBe('iat is in the future')
    expect(await tried({ exp: now - 120 })).toBe('expired')
  })

  it("IDA10 a token naming one account: an event naming none is that account's", async () => {
    const only = eid('one-account')
    const res = await post([
      {
        id: only,
        type: 'track',
        event: 'report_generated',
        userId: 'user-42',
        userToken: await token('user-42', ['acme']),
      },
    ])
    expect(res.status).toBe(200)
    // user-42's latest group call put them in initech (IDA03): the token, naming acme only, wins.
    expect(await storedAccount(only)).toBe('acme')
  })

  it('IDA07 the secret key is trusted as it is: account facts without a user, groups of any account', async () => {
    const res = await post(
      [
        { id: eid(), type: 'track', event: 'kickoff_held', accountId: 'acme' },
        { id: eid(), type: 'group', userId: 'user-42', accountId: 'globex' },
      ],
      ws.secretKey,
    )
    expect(await res.json()).toMatchObject({ accepted: 2, rejected: [] })
  })
})
