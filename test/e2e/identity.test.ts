import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_ACCOUNT, DEMO_USER } from '../../server/demo'
import { startHarness, waitFor, type Harness } from './harness'

// Identity verification in real Chromium: the demo served as `npm start` serves it with
// JORNADA_IDENTITY_SECRET set (the page gets its user's hash and a token naming their account from
// the server). Everything the SDK sends is proven, so nothing is refused, while the public write key
// and the page's own token reach no other user and no other account.

let h: Harness
beforeAll(async () => {
  h = await startHarness({ identitySecret: 'id-secret-e2e' })
})
afterAll(async () => {
  await h?.close()
})

type Answer = { url: string; status: number; body: any }

describe('identity verification: the demo with a signed user token', () => {
  it("IDE01 the demo's events and experience requests are proven: none refused", async () => {
    const ctx = await h.newContext()
    const page = await ctx.newPage()
    page.setDefaultTimeout(10_000)
    const answers: Answer[] = []
    page.on('response', (res) => {
      if (!res.url().includes('/v1/')) return
      void res.json().then(
        (body) => answers.push({ url: res.url(), status: res.status(), body }),
        () => {},
      )
    })
    await page.goto(h.url + '/')
    await page.getByRole('link', { name: 'Reports' }).click()
    await page.getByRole('button', { name: 'Generate report' }).first().click()
    await waitFor(async () => (await h.events('report_generated')).length === 1, 20_000, 'report_generated')

    const stored = await h.events()
    const names = new Set(stored.map((e) => (e.type === 'track' || e.type === 'page' ? e.name : e.type)))
    for (const n of ['$login', '$page', 'identify', 'group', 'feature_used', 'report_generated'])
      expect(names.has(n), n).toBe(true)
    expect(stored.filter((e) => e.userId === DEMO_USER && e.accountId === DEMO_ACCOUNT).length).toBeGreaterThan(4)
    const batches = answers.filter((a) => a.url.endsWith('/v1/batch'))
    expect(batches.length).toBeGreaterThan(0)
    for (const b of batches) expect(b).toMatchObject({ status: 200, body: { rejected: [] } })
    await waitFor(() => answers.some((a) => a.url.includes('/v1/experience')), 20_000, '/v1/experience')
    for (const a of answers.filter((x) => x.url.includes('/v1/experience'))) expect(a.status).toBe(200)
    await ctx.close().catch(() => {})
  })

  it("IDE02 the page's token reaches no other account, and the write key no other user", async () => {
    const ctx = await h.newContext()
    const page = await ctx.newPage()
    await page.goto(h.url + '/')
    // What anyone on the page can read: the write key and the signed-in user's token.
    const tried = await page.evaluate(
      async ({ key, user }) => {
        const token = document.querySelector<HTMLMetaElement>('meta[name="relata-user-token"]')!.content
        const post = async (path: string, body: unknown) => {
          const res = await fetch(path, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` },
            body: JSON.stringify(body),
          })
          return { status: res.status, body: await res.json() }
        }
        const ev = (fields: object) => ({ id: crypto.randomUUID(), userId: user, userToken: token, ...fields })
        return {
          token,
          joinOther: await post('/v1/batch', {
            batch: [ev({ type: 'group', accountId: 'globex', traits: { renewalDate: '2020-01-01' } })],
          }),
          writeOther: await post('/v1/batch', {
            batch: [ev({ type: 'track', event: 'setup_completed', accountId: 'globex' })],
          }),
          readOther: await post('/v1/experience', { userId: user, accountId: 'globex', userToken: token }),
          readOwn: await post('/v1/experience', { userId: user, accountId: 'acme', userToken: token }),
          otherUser: await post('/v1/batch', {
            batch: [
              {
                id: crypto.randomUUID(),
                type: 'track',
                event: 'nps_response',
                userId: 'user-43',
                properties: { score: 0 },
              },
            ],
          }),
          otherUserWithToken: await post('/v1/batch', {
            batch: [ev({ type: 'track', event: 'nps_response', userId: 'user-43', properties: { score: 0 } })],
          }),
        }
      },
      { key: h.writeKey, user: DEMO_USER },
    )

    expect(tried.token.split('.')).toHaveLength(3)
    expect(tried.joinOther).toMatchObject({
      status: 403,
      body: {
        error: { code: 'forbidden_account' },
        accepted: 0,
        rejected: [{ index: 0, issues: [{ path: 'batch.0.accountId' }] }],
      },
    })
    expect(tried.writeOther).toMatchObject({ status: 403, body: { error: { code: 'forbidden_account' }, accepted: 0 } })
    expect(tried.readOther).toMatchObject({ status: 403, body: { error: { code: 'forbidden_account' } } })
    expect(tried.readOwn.status).toBe(200)
    expect(tried.otherUser).toMatchObject({
      status: 401,
      body: {
        error: { code: 'invalid_user_hash' },
        accepted: 0,
        rejected: [{ index: 0, issues: [{ path: 'batch.0.userHash' }] }],
      },
    })
    expect(tried.otherUserWithToken).toMatchObject({
      status: 401,
      body: { error: { code: 'invalid_user_token' }, accepted: 0 },
    })
    expect((await h.events()).some((e) => e.accountId === 'globex' || e.userId === 'user-43')).toBe(false)
    await ctx.close().catch(() => {})
  })

  it('IDE03 after time travel the page proves the new account with the token the server gave it', async () => {
    const ctx = await h.newContext()
    const page = await ctx.newPage()
    page.setDefaultTimeout(10_000)
    const refused: Answer[] = []
    page.on('response', (res) => {
      if (res.url().includes('/v1/') && res.status() >= 400)
        void res.json().then(
          (body) => refused.push({ url: res.url(), status: res.status(), body }),
          () => {},
        )
    })
    await page.goto(h.url + '/')
    await page.getByRole('button', { name: /Day 2\b/ }).click()
    await page.getByText(/Expect:/).waitFor()
    const accountId = await page.evaluate(() => JSON.parse(localStorage.getItem('relata:account')!).id as string)
    expect(accountId).toMatch(/^acme-day-2-/)
    await waitFor(
      async () =>
        (await h.events()).some(
          (e) => e.type === 'group' && e.accountId === accountId && e.userId === DEMO_USER && e.id.length === 36,
        ),
      20_000,
      "the page's group call",
    )
    expect(refused).toEqual([])
    await ctx.close().catch(() => {})
  })
})
