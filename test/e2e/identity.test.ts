import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_USER } from '../../server/demo'
import { startHarness, waitFor, type Harness } from './harness'

// Identity verification in real Chromium: the demo served as `npm start` serves it with
// JORNADA_IDENTITY_SECRET set (the page gets its user's hash from the server). Every event of the
// identified user carries the hash, so nothing the SDK sends is rejected, while the public write key
// alone cannot send an event in another user's name.

let h: Harness
beforeAll(async () => { h = await startHarness({ identitySecret: 'id-secret-e2e' }) })
afterAll(async () => { await h?.close() })

describe('e2e identity verification', () => {
  it('ID-E2E the demo\'s events all carry the hash and are stored, none rejected; /v1/experience answers; a forged event for another user is a 401', async () => {
    const ctx = await h.newContext()
    const page = await ctx.newPage()
    page.setDefaultTimeout(10_000)
    const answers: { url: string; status: number; body: any }[] = []
    page.on('response', (res) => {
      if (!res.url().includes('/v1/')) return
      void res.json().then((body) => answers.push({ url: res.url(), status: res.status(), body }), () => {})
    })
    await page.goto(h.url + '/')
    await page.getByRole('link', { name: 'Reports' }).click()
    await page.getByRole('button', { name: 'Generate report' }).first().click()
    await waitFor(async () => (await h.events('report_generated')).length === 1, 20_000, 'report_generated')

    const stored = await h.events()
    const names = new Set(stored.map((e) => (e.type === 'track' || e.type === 'page' ? e.name : e.type)))
    for (const n of ['$login', '$page', 'identify', 'group', 'feature_used', 'report_generated']) expect(names.has(n), n).toBe(true)
    expect(stored.filter((e) => e.userId === DEMO_USER).length).toBeGreaterThan(4)
    const batches = answers.filter((a) => a.url.endsWith('/v1/batch'))
    expect(batches.length).toBeGreaterThan(0)
    for (const b of batches) expect(b).toMatchObject({ status: 200, body: { rejected: [] } })
    await waitFor(() => answers.some((a) => a.url.includes('/v1/experience')), 20_000, '/v1/experience')
    for (const a of answers.filter((x) => x.url.includes('/v1/experience'))) expect(a.status).toBe(200)

    // Anyone can read the write key from the page; without the other user's hash it sends nothing in their name.
    const forged = await page.evaluate(async ({ key }) => {
      const id = crypto.randomUUID()
      const res = await fetch('/v1/batch', {
        method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` },
        body: JSON.stringify({ batch: [{ id, type: 'track', event: 'nps_response', userId: 'user-43', accountId: 'acme', properties: { score: 0 } }] }),
      })
      return { id, status: res.status, body: await res.json() }
    }, { key: h.writeKey })
    expect(forged.status).toBe(401)
    expect(forged.body).toMatchObject({ error: { code: 'invalid_user_hash' }, accepted: 0, rejected: [{ index: 0, issues: [{ path: 'batch.0.userHash' }] }] })
    expect((await h.events()).some((e) => e.id === forged.id)).toBe(false)
    await ctx.close().catch(() => {})
  })
})
