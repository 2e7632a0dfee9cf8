import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { countByN, startHarness, trackMany, waitFor, type Harness } from './harness'

// The first whole path of the product, in real Chromium: the demo page's script tag → the SDK's
// durable queue → POST /v1/batch → the embedded store. Each test uses its own browser context
// (its own IndexedDB and localStorage) and its own event names.

let h: Harness
beforeAll(async () => {
  h = await startHarness()
})
afterAll(async () => {
  await h?.close()
})

function expectEachOnce(counts: Map<number, number>, ns: number[]) {
  for (const n of ns) expect(counts.get(n), `event n=${n}`).toBe(1)
  expect(counts.size).toBe(ns.length)
}

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i)

describe('e2e delivery', () => {
  // The route changes are the demo's own (a single-page app), the clicks its feature clicks.
  it('demo: the script tag sends $login, $page, identify, group, route changes and clicks to the store', async () => {
    const ctx = await h.newContext()
    const page = await ctx.newPage()
    await page.goto(h.url + '/')
    await page.getByRole('link', { name: 'Reports' }).click()
    await page.getByRole('button', { name: 'Generate report' }).first().click()

    await waitFor(async () => (await h.events('report_generated')).length === 1, 20_000, 'report_generated')
    const events = await h.events()
    const pages = events.filter((e) => e.name === '$page').map((e) => (e.context as any)?.page?.path)
    expect(pages).toEqual(expect.arrayContaining(['/', '/reports']))
    expect(events.filter((e) => e.name === '$login')).toHaveLength(1)
    const used = events.find((e) => e.name === 'feature_used')
    expect(used).toMatchObject({ userId: 'user-42', accountId: 'acme', properties: { feature: 'reports' } })
    expect(await h.store.getUser(h.workspaceId, 'user-42')).toMatchObject({
      accountId: 'acme',
      traits: { role: 'admin', stakeholder: true },
    })
    expect(await h.store.getAccount(h.workspaceId, 'acme')).toMatchObject({ traits: { segment: 'smb', seats: 12 } })
    expect(await page.locator('#who').textContent()).toBe('Signed in as Ana Souza (user-42) · account Acme Ltda (acme)')
    await ctx.close()
  })

  // They arrive when the network is back.
  it('offline: events tracked with the network cut survive two reloads and arrive exactly once', async () => {
    const ctx = await h.newContext()
    const page = await ctx.newPage()
    await page.goto(h.url + '/')
    await waitFor(async () => (await h.events('$page')).length >= 1, 20_000, 'first $page')

    await ctx.setOffline(true)
    await trackMany(page, 'offline_click', 0, 10)
    // Reloading needs the page itself: give the page back, keep the API unreachable (the server
    // cuts every /v1/batch connection, so the unload beacons are lost too).
    h.cut = true
    await ctx.setOffline(false)
    await page.reload()
    await trackMany(page, 'offline_click', 10, 5)
    await page.reload()
    await trackMany(page, 'offline_click', 15, 5)
    expect(await h.events('offline_click')).toHaveLength(0)

    h.cut = false
    // The SDK only learns that the server is back by retrying: its backoff (up to 60 s, grown by the
    // failed sends above, the experience requests' flushes included) bounds the wait.
    await waitFor(async () => (await h.events('offline_click')).length >= 20, 100_000, '20 offline events')
    // Let any late retry or beacon land before counting.
    await page.evaluate(() => (window as any).jornada('flush'))
    expectEachOnce(countByN(await h.events('offline_click')), range(0, 20))
    await ctx.close()
  }, 150_000)

  it('two tabs: each event is stored once and sent by one tab only', async () => {
    const ctx = await h.newContext()
    const [a, b] = [await ctx.newPage(), await ctx.newPage()]
    await Promise.all([a.goto(h.url + '/'), b.goto(h.url + '/alerts')])
    const before = h.received.length
    await Promise.all([trackMany(a, 'tab_click', 0, 25), trackMany(b, 'tab_click', 100, 25)])
    await waitFor(async () => (await h.events('tab_click')).length >= 50, 30_000, '50 tab events')
    expectEachOnce(countByN(await h.events('tab_click')), [...range(0, 25), ...range(100, 25)])
    const ids = (await h.events('tab_click')).map((e) => e.id)
    const sent = h.received.slice(before).filter((id) => ids.includes(id))
    expect(new Set(sent).size).toBe(50)
    expect(sent).toHaveLength(50)
    await ctx.close()
  }, 240_000)

  // It is not delivered before the second of the Retry-After is up.
  it('server errors: after a 500 and a 429 with Retry-After: 1, the batch is delivered once', async () => {
    const ctx = await h.newContext()
    const page = await ctx.newPage()
    await page.goto(h.url + '/settings')
    await waitFor(
      async () => (await h.events('$page')).some((e) => (e.context as any)?.page?.path === '/settings'),
      20_000,
      '$page /settings',
    )
    await page.evaluate(() => (window as any).jornada('flush'))

    const first = h.requests.length
    h.faults.push({ status: 500 }, { status: 429, headers: { 'Retry-After': '1' } })
    await trackMany(page, 'retry_click', 0, 3)
    await waitFor(async () => (await h.events('retry_click')).length >= 3, 30_000, '3 retried events')
    expectEachOnce(countByN(await h.events('retry_click')), range(0, 3))

    const seen = h.requests.slice(first)
    expect(seen.slice(0, 3).map((r) => r.status)).toEqual([500, 429, 200])
    expect(seen[2]!.at - seen[1]!.at).toBeGreaterThanOrEqual(950)
    await ctx.close()
  }, 240_000)
})
