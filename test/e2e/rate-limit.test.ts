/**
 * Rate limit, end to end: the demo page in Chromium tracks a burst against a
 * server with a tiny per-address limit; the server answers 429 with Retry-After, and the SDK's
 * durable queue waits as told and delivers every event, each exactly once.
 */
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../server/app'
import { createServer } from '../../server/serve'
import { createPgliteStore } from '../../server/store'
import type { Store } from '../../server/store/types'
import { countByN, trackMany, waitFor } from './harness'
import { launchChromium } from '../support/chromium'

const WS = 'rl'
const BURST = 450

/** One `/v1/batch` request as the server saw it. */
interface Seen {
  at: number
  status: number
  retryAfter: string | null
  ids: string[]
}

let store: Store
let browser: Browser
let server: ReturnType<typeof serve>
let url: string
const seen: Seen[] = []

beforeAll(async () => {
  store = await createPgliteStore({ dataDir: 'memory://' })
  const writeKey = 'pk_rl_' + Math.random().toString(36).slice(2)
  await store.createWorkspace({
    id: WS,
    name: 'Rate limit',
    writeKey,
    secretKey: 'sk_rl_' + Math.random().toString(36).slice(2),
  })
  // 1 request a second per address, 2 at once: the page's first sends and its burst overrun it.
  const api = createApp({ store, log: () => {}, rateLimit: { key: null, address: { rate: 1, burst: 2 } } })
  const outer = new Hono()
  outer.use('/v1/batch', async (c, next) => {
    let ids: string[] = []
    try {
      ids = (JSON.parse(await c.req.raw.clone().text()).batch ?? []).map((e: { id: string }) => e.id)
    } catch {
      /* the handler answers */
    }
    await next()
    seen.push({ at: Date.now(), status: c.res.status, retryAfter: c.res.headers.get('retry-after'), ids })
  })
  outer.route('/', createServer({ app: api, sdkDir: 'dist/sdk', demoDir: 'demo', demoWriteKey: writeKey }))
  server = await new Promise((resolve) => {
    const s = serve({ fetch: outer.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
  })
  const address = server.address()
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
  await store?.close()
})

describe('e2e rate limit', () => {
  it('RL-E2E a burst from the demo page gets 429 + Retry-After; the queue then delivers each event once', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(url + '/')
    await trackMany(page, 'burst_click', 0, BURST)

    const burst = async () => await store.listEvents(WS, { name: 'burst_click', limit: 10_000 })
    await waitFor(async () => (await burst()).length === BURST, 60_000, `${BURST} burst_click events`)

    const limited = seen.filter((s) => s.status === 429)
    expect(limited.length, 'requests answered 429').toBeGreaterThan(0)
    for (const s of limited) expect(Number(s.retryAfter)).toBeGreaterThanOrEqual(1)
    // The SDK waited as told: no batch request within Retry-After of a 429.
    for (const s of limited) {
      const next = seen.find((t) => t.at > s.at)
      if (next) expect(next.at - s.at, 'gap after a 429').toBeGreaterThanOrEqual(Number(s.retryAfter) * 1000 - 100)
    }
    // Exactly once: each event is in one accepted request only, and stored once.
    const accepted = seen.filter((s) => s.status === 200).flatMap((s) => s.ids)
    expect(new Set(accepted).size).toBe(accepted.length)
    const counts = countByN(await burst())
    expect(counts.size).toBe(BURST)
    for (let n = 0; n < BURST; n++) expect(counts.get(n), `n=${n}`).toBe(1)
    await context.close()
  })
})
