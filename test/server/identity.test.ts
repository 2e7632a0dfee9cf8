/**
 * Identity verification: with a workspace identity secret, a write key's `POST /v1/experience` and
 * the events of a user need `userHash` = hex HMAC-SHA256 of the user id (or a `userToken`:
 * identity-accounts.test.ts). The hash is computed here the way docs/security.md tells customers
 * to (node:crypto), independently of server/ingest/verify-identity.ts.
 */
import { createHmac, randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../server/app'
import { userHashOf, verifyUserHash } from '../../server/ingest/verify-identity'
import { createPgliteStore } from '../../server/store'
import type { Store } from '../../server/store/types'
import { API, batchRequest, eid, newWorkspace } from './helpers'
import type { TestWorkspace } from './helpers'

const SECRET = randomBytes(32).toString('hex')
/** docs/security.md's snippet, verbatim. */
const hmac = (userId: string, secret = SECRET) => createHmac('sha256', secret).update(userId).digest('hex')

let store: Store
let app: ReturnType<typeof createApp>
let verified: TestWorkspace
let open: TestWorkspace
type Json = any

beforeAll(async () => {
  store = await createPgliteStore({ dataDir: 'memory://' })
  app = createApp({ store, log: () => {} })
  verified = await newWorkspace(store)
  await store.setIdentitySecret(verified.id, SECRET)
  open = await newWorkspace(store)
  // The account must exist for a decision; events from the secret key, which is trusted.
  for (const ws of [verified, open]) {
    const res = await app.request(
      batchRequest(
        { batch: [{ id: eid(), type: 'group', userId: 'user-42', accountId: 'acme', traits: { segment: 'smb' } }] },
        { auth: { bearer: ws.secretKey } },
      ),
    )
    expect(res.status).toBe(200)
  }
})
afterAll(async () => {
  await store?.close()
})

function ask(ws: TestWorkspace, body: Record<string, unknown>, key = ws.writeKey) {
  return app.request(`${API}/v1/experience`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  })
}

describe('identity: userHash', () => {
  it('ID01 userHashOf is the documented HMAC-SHA256; verify is exact, case-insensitive hex', () => {
    expect(userHashOf(SECRET, 'user-42')).toBe(hmac('user-42'))
    expect(userHashOf(SECRET, 'usér-☃')).toBe(hmac('usér-☃'))
    expect(verifyUserHash(SECRET, 'user-42', hmac('user-42'))).toBe(true)
    expect(verifyUserHash(SECRET, 'user-42', hmac('user-42').toUpperCase())).toBe(true)
    expect(verifyUserHash(SECRET, 'user-42', hmac('user-43'))).toBe(false)
    expect(verifyUserHash(SECRET, 'user-42', hmac('user-42', 'other'))).toBe(false)
    expect(verifyUserHash(SECRET, 'user-42', hmac('user-42').slice(1))).toBe(false)
    expect(verifyUserHash(SECRET, 'user-42', undefined)).toBe(false)
    expect(verifyUserHash(SECRET, 'user-42', '')).toBe(false)
  })
})

describe('identity: POST /v1/experience', () => {
  it('ID02 verified workspace: a missing userHash is a 401 invalid_user_hash in the error shape', async () => {
    const res = await ask(verified, { userId: 'user-42', accountId: 'acme' })
    expect(res.status).toBe(401)
    const body = (await res.json()) as Json
    expect(body.error).toMatchObject({ code: 'invalid_user_hash', issues: [{ path: 'userHash', message: 'required' }] })
    expect(typeof body.error.message).toBe('string')
  })

  it("ID03 verified workspace: a wrong userHash (another user's, or another secret's) is a 401", async () => {
    for (const userHash of [hmac('user-43'), hmac('user-42', 'guess'), 'x'.repeat(64), 'abc']) {
      const res = await ask(verified, { userId: 'user-42', accountId: 'acme', userHash })
      expect(res.status, userHash).toBe(401)
      expect(((await res.json()) as Json).error.code).toBe('invalid_user_hash')
    }
  })

  it('ID04 verified workspace: the right userHash answers 200 with the experiences', async () => {
    const res = await ask(verified, { userId: 'user-42', accountId: 'acme', userHash: hmac('user-42') })
    expect(res.status).toBe(200)
    expect(((await res.json()) as Json).experiences).toBeInstanceOf(Array)
  })

  it('ID05 the secret key is trusted: no userHash needed; an unverified workspace needs none either', async () => {
    expect((await ask(verified, { userId: 'user-42', accountId: 'acme' }, verified.secretKey)).status).toBe(200)
    expect((await ask(open, { userId: 'user-42', accountId: 'acme' })).status).toBe(200)
  })

  it('ID06 the setting is stored: clearing the secret turns verification off (findKey cache included)', async () => {
    const ws = await newWorkspace(store)
    await store.setIdentitySecret(ws.id, SECRET)
    expect((await store.getWorkspace(ws.id))?.identitySecret).toBe(SECRET)
    expect((await ask(ws, { userId: 'u', accountId: 'a' })).status).toBe(401)
    await store.setIdentitySecret(ws.id, null)
    expect((await ask(ws, { userId: 'u', accountId: 'a' })).status).toBe(200)
  })
})

describe('identity: events of a user in POST /v1/batch', () => {
  // Any event of a user: identify, track, page, group. The verified rest is stored.
  it("ID07 a write key's event of a user without or with a wrong userHash is a 401 naming batch.N.userHash", async () => {
    const ids = [
      eid('t-none'),
      eid('i-none'),
      eid('i-good'),
      eid('i-bad'),
      eid('p-good'),
      eid('t-good'),
      eid('anon'),
      eid('g-bad'),
      eid('n-none'),
    ]
    const batch = [
      { id: ids[0], type: 'track', event: 'report_generated', userId: 'user-42' },
      { id: ids[1], type: 'identify', userId: 'user-42', traits: { role: 'intruder' } },
      { id: ids[2], type: 'identify', userId: 'user-42', traits: { role: 'admin' }, userHash: hmac('user-42') },
      { id: ids[3], type: 'identify', userId: 'user-42', traits: { role: 'intruder' }, userHash: hmac('user-43') },
      { id: ids[4], type: 'page', userId: 'user-42', userHash: hmac('user-42') },
      { id: ids[5], type: 'track', event: 'report_generated', userId: 'user-42', userHash: hmac('user-42') },
      { id: ids[6], type: 'track', event: 'report_generated', anonymousId: 'anon-1' },
      { id: ids[7], type: 'group', userId: 'user-42', accountId: 'acme', userHash: hmac('user-7') },
      // The attack this closes: a detractor answer in another user's name.
      { id: ids[8], type: 'track', event: 'nps_response', userId: 'user-43', properties: { score: 0 } },
    ]
    const res = await app.request(
      batchRequest({ batch }, { auth: { body: verified.writeKey }, contentType: 'text/plain' }),
    )
    expect(res.status).toBe(401)
    const body = (await res.json()) as Json
    expect(body.error).toMatchObject({
      code: 'invalid_user_hash',
      issues: ['batch.0.userHash', 'batch.1.userHash', 'batch.3.userHash', 'batch.7.userHash', 'batch.8.userHash'].map(
        (path) => ({ path, message: expect.any(String) }),
      ),
    })
    expect(body.accepted).toBe(4)
    expect(body.rejected).toEqual([
      { index: 0, issues: [{ path: 'batch.0.userHash', message: expect.stringContaining('required') }] },
      { index: 1, issues: [{ path: 'batch.1.userHash', message: expect.stringContaining('required') }] },
      { index: 3, issues: [{ path: 'batch.3.userHash', message: 'does not match userId' }] },
      { index: 7, issues: [{ path: 'batch.7.userHash', message: 'does not match userId' }] },
      { index: 8, issues: [{ path: 'batch.8.userHash', message: expect.stringContaining('required') }] },
    ])
    const stored = new Set((await store.listEvents(verified.id, {})).map((e) => e.id))
    expect([ids[2], ids[4], ids[5], ids[6]].every((id) => stored.has(id))).toBe(true)
    expect([ids[0], ids[1], ids[3], ids[7], ids[8]].some((id) => stored.has(id))).toBe(false)
    expect((await store.getUser(verified.id, 'user-42'))?.traits.role).toBe('admin')
  })

  it('ID08 an event invalid for another reason keeps its own issues; indexes stay right after it', async () => {
    const good = eid('good')
    const batch = [
      { type: 'identify', userId: 'user-42' },
      { id: good, type: 'identify', userId: 'user-42', userHash: hmac('user-42') },
      { id: eid(), type: 'identify', userId: 'user-7' },
    ]
    const body = (await (
      await app.request(batchRequest({ batch }, { auth: { bearer: verified.writeKey } }))
    ).json()) as Json
    expect(body.accepted).toBe(1)
    expect(body.rejected.map((r: Json) => [r.index, r.issues[0].path])).toEqual([
      [0, 'batch.0.id'],
      [2, 'batch.2.userHash'],
    ])
  })

  it("ID09 the secret key's identify needs no userHash; an unverified workspace's write key neither", async () => {
    for (const [, key] of [
      [verified, verified.secretKey],
      [open, open.writeKey],
    ] as const) {
      const res = await app.request(
        batchRequest(
          { batch: [{ id: eid(), type: 'identify', userId: 'user-9', traits: { a: 1 } }] },
          { auth: { bearer: key } },
        ),
      )
      expect((await res.json()) as Json).toMatchObject({ accepted: 1, rejected: [] })
    }
  })
})
