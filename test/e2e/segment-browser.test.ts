/**
 * Segment's own browser library, analytics.js 2.0 (`@segment/analytics-next`, its standalone build
 * from the npm package), unchanged, on a host page of its own, sending to a running Jornada: in its
 * two delivery modes, one call at a time (`/v1/i`, `/v1/g`, `/v1/p`, `/v1/t` …) and batching
 * (`/v1/b`). Every request it makes is recorded, on the server (preflights included) and in the
 * browser; each must be answered 2xx, and the account's journey must then count the user's page
 * view, `$login` and feature use (api.md, "Ingest"; ingest.md, "Segment compatibility").
 *
 * With JORNADA_CAPTURE_SEGMENT=1 the bodies the library sent are written to
 * test/fixtures/segment-browser/, which test/server/segment-browser.test.ts replays through
 * app.request (see the folder's README.md); otherwise the bodies sent now must have the fixtures' shape.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { Hono } from 'hono'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../server/app'
import { generateKey } from '../../server/key-generator'
import { createPgliteStore } from '../../server/store'
import type { Store } from '../../server/store/types'
import { launchChromium, pageWithErrors } from '../support/chromium'
import { readSegmentFixture, SEGMENT_FIXTURES, type SegmentFixture } from '../support/segment-fixtures'
import { listen, waitFor } from './harness'

const LIBRARY = '@segment/analytics-next'
const require = createRequire(import.meta.url)
const LIBRARY_VERSION = (require(`${LIBRARY}/package.json`) as { version: string }).version
/** The standalone (UMD) build: `window.AnalyticsNext.AnalyticsBrowser`. */
const LIBRARY_FILE = require.resolve(`${LIBRARY}/dist/umd/index.js`)
const CAPTURE = process.env.JORNADA_CAPTURE_SEGMENT === '1'

/** A request to the API as the server saw it. */
interface Seen {
  method: string
  path: string
  status: number
  /** The answer's Retry-After. */
  retryAfter: string | null
  /** The headers the library sets (and the preflight's request headers). */
  headers: Record<string, string>
  body: string
}

const HEADERS = ['content-type', 'authorization', 'x-retry-count', 'origin', 'access-control-request-headers']

let store: Store
let browser: Browser
type Server = { url: string; close(): Promise<void> }
let api: Server
/** The same store behind a second server whose rate limit a page's few calls overrun. */
let limited: Server
let host: Server
const seen: Seen[] = []

/** Jornada on a random port, every request it answers recorded in `seen`. */
function startApi(app: ReturnType<typeof createApp>): Promise<Server> {
  const outer = new Hono()
  outer.use('*', async (c, next) => {
    const body = c.req.method === 'POST' ? await c.req.raw.clone().text() : ''
    const headers: Record<string, string> = {}
    for (const name of HEADERS) {
      const value = c.req.header(name)
      if (value !== undefined) headers[name] = value
    }
    await next()
    const retryAfter = c.res.headers.get('retry-after')
    seen.push({ method: c.req.method, path: c.req.path, status: c.res.status, retryAfter, headers, body })
  })
  outer.route('/', app)
  return listen(outer.fetch)
}

beforeAll(async () => {
  store = await createPgliteStore({ dataDir: 'memory://' })
  api = await startApi(createApp({ store, log: () => {} }))
  limited = await startApi(
    createApp({ store, log: () => {}, rateLimit: { key: null, address: { rate: 2, burst: 2 } } }),
  )

  // The host page: a product's page with the library's script tag, on an origin of its own.
  const library = readFileSync(LIBRARY_FILE, 'utf8')
  host = await listen((req) => {
    const path = new URL(req.url).pathname
    if (path === '/analytics.js') return new Response(library, { headers: { 'content-type': 'text/javascript' } })
    if (path === '/app/reports')
      return new Response(
        '<!doctype html><html lang="en"><head><title>Reports</title><link rel="icon" href="data:,"><script src="/analytics.js"></script></head><body><h1>Reports</h1></body></html>',
        { headers: { 'content-type': 'text/html; charset=utf-8' } },
      )
    return new Response('not found', { status: 404 })
  })
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await host?.close()
  await limited?.close()
  await api?.close()
  await store?.close()
})

/** A workspace whose write key the host page's origin may use. */
async function newWorkspace(name: string) {
  const ws = { id: `seg-${name}`, writeKey: generateKey('write'), secretKey: generateKey('secret') }
  await store.createWorkspace({ ...ws, name, allowedOrigins: [host.url] })
  return ws
}

/** Every request the page makes, and how each ended. */
function recordRequests(page: Page) {
  const requests: { url: string; status: number | null; failure: string | null }[] = []
  let pending = 0
  page.on('request', () => void pending++)
  page.on('requestfinished', (r) => {
    void r
      .response()
      .catch(() => null)
      .then((res) => {
        requests.push({ url: r.url(), status: res?.status() ?? null, failure: null })
        pending--
      })
  })
  page.on('requestfailed', (r) => {
    requests.push({ url: r.url(), status: null, failure: r.failure()?.errorText ?? 'failed' })
    pending--
  })
  return { requests, pending: () => pending }
}

/**
 * Loads the library on the host page with nothing but its own settings pointing at Jornada: the
 * settings it would fetch from Segment's CDN given (`cdnSettings`), and `apiHost` in its load options
 * too, as Segment documents for a proxy (its own metrics follow that one, to `<apiHost>/m`). Then:
 * identify, group, a page view, `$login`, a feature used, a screen and an alias, each awaited.
 */
async function runLibrary(
  page: Page,
  writeKey: string,
  delivery: 'one-at-a-time' | 'batching',
  to: Server = api,
): Promise<void> {
  await page.goto(host.url + '/app/reports')
  await page.evaluate(
    async ([writeKey, apiHost, batching]) => {
      const segmentio: Record<string, unknown> = { apiKey: writeKey, apiHost, protocol: 'http' }
      // Small batches and a short wait: every batch leaves while the test watches.
      if (batching) segmentio.deliveryStrategy = { strategy: 'batching', config: { size: 3, timeout: 200 } }
      const [analytics] = await (window as any).AnalyticsNext.AnalyticsBrowser.load(
        {
          writeKey,
          // Its metrics leave every half second rather than every 30, while the test watches.
          cdnSettings: { integrations: { 'Segment.io': segmentio }, metrics: { flushTimer: 500 } },
        },
        { integrations: { 'Segment.io': { apiHost, protocol: 'http' } } },
      )
      await analytics.identify('ana', { email: 'ana@acme.example', name: 'Ana' })
      await analytics.group('acme', { name: 'Acme', plan: 'pro' })
      await analytics.page()
      await analytics.track('$login')
      await analytics.track('feature_used', { feature: 'reports' })
      await analytics.screen('Settings')
      await analytics.alias('ana', analytics.user().anonymousId())
    },
    [writeKey, new URL(to.url).host + '/v1', delivery === 'batching'] as const,
  )
}

/** The shape of a JSON value: objects as their keys' shapes, arrays as their items' distinct shapes. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return [...new Set(value.map((v) => JSON.stringify(shapeOf(v))))].sort()
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, shapeOf((value as Record<string, unknown>)[k])]),
    )
  return value === null ? 'null' : typeof value
}

/** What the library sent to the ingest paths, as a fixture; written when capturing, else compared with the file's. */
function checkFixture(mode: SegmentFixture['mode'], writeKey: string, ingest: Seen[]): void {
  const fixture: SegmentFixture = {
    library: `${LIBRARY} ${LIBRARY_VERSION}`,
    mode,
    writeKey,
    origin: host.url,
    requests: ingest.map(({ path, headers: { origin: _, ...headers }, body }) => ({ path, headers, body })),
  }
  if (CAPTURE) writeFileSync(`${SEGMENT_FIXTURES}/${mode}.json`, JSON.stringify(fixture, null, 2) + '\n')
  const saved = readSegmentFixture(mode)
  expect(saved.library, 'the fixtures were captured from the pinned version').toBe(fixture.library)
  // How the batching library groups messages into requests depends on its timer, so the requests are
  // compared as their distinct envelopes, and the messages, wherever they travelled, one by one.
  const envelopes = (f: SegmentFixture) =>
    shapeOf(
      f.requests.map((r) => {
        const { batch: _, ...envelope } = JSON.parse(r.body)
        return { path: r.path, headers: Object.keys(r.headers).sort(), envelope }
      }),
    )
  const messages = (f: SegmentFixture) =>
    f.requests
      .flatMap((r) => {
        const body = JSON.parse(r.body)
        return body.batch ?? [body]
      })
      .map((m: unknown) => JSON.stringify(shapeOf(m)))
      .sort()
  expect(envelopes(fixture)).toEqual(envelopes(saved))
  expect(messages(fixture)).toEqual(messages(saved))
}

/** GET with the workspace's secret key, as a server or the console would. */
async function read(secretKey: string, path: string): Promise<any> {
  const res = await fetch(api.url + path, { headers: { authorization: `Bearer ${secretKey}` } })
  expect(res.status, path).toBe(200)
  return res.json()
}

describe('Segment compatibility: analytics.js 2.0 in Chromium, unchanged', () => {
  for (const [id, mode, paths] of [
    ['SEG06', 'one-at-a-time', ['/v1/i', '/v1/g', '/v1/p', '/v1/t', '/v1/t', '/v1/s', '/v1/a']],
    // Batches of at most 3 (its size) for the 7 calls; more when its timer leaves before one fills.
    ['SEG07', 'batching', ['/v1/b', '/v1/b', '/v1/b']],
  ] as const) {
    it(`${id} analytics.js, ${mode}: every request 2xx; the journey counts the page view, login, feature`, async () => {
      const ws = await newWorkspace(mode)
      const from = seen.length
      const { page, errors } = await pageWithErrors(browser)
      const net = recordRequests(page)
      await runLibrary(page, ws.writeKey, mode)
      await waitFor(async () => (await store.countEvents(ws.id)) === 7, 20_000, 'the 7 calls stored')
      await waitFor(() => seen.slice(from).some((s) => s.path === '/v1/m'), 20_000, "the library's metrics")
      // Both records taken at one moment when they agree: every request the page made has ended and
      // the server has answered each (the browser reports a request a little after the server sees it,
      // and the library's metrics go on).
      let mine: Seen[] = []
      let requests: typeof net.requests = []
      await waitFor(
        () => {
          mine = seen.slice(from).filter((s) => s.headers.origin === host.url)
          requests = [...net.requests]
          const posts = mine.filter((s) => s.method === 'POST').length
          return net.pending() === 0 && requests.filter((r) => r.url.startsWith(api.url)).length === posts
        },
        20_000,
        "the page's requests to end, each seen by the server",
      )
      await page.close()

      const metrics = mine.filter((s) => s.method === 'POST' && s.path === '/v1/m')
      const ingest = mine.filter((s) => s.method === 'POST' && s.path !== '/v1/m')
      if (mode === 'batching') {
        expect(new Set(ingest.map((s) => s.path))).toEqual(new Set(paths))
        expect(ingest.length).toBeGreaterThanOrEqual(paths.length)
      } else expect(ingest.map((s) => s.path)).toEqual(paths)
      expect(metrics.map((s) => s.status)).toEqual(metrics.map(() => 204))
      // Every request, preflights included, answered 2xx; the page reached nothing but its own
      // origin and Jornada (no settings or bundles from Segment's CDN), and logged no error.
      expect(mine.filter((s) => s.status < 200 || s.status > 299)).toEqual([])
      expect(requests.filter((r) => r.failure !== null || r.status! < 200 || r.status! > 299)).toEqual([])
      expect(requests.filter((r) => !r.url.startsWith(host.url) && !r.url.startsWith(api.url))).toEqual([])
      expect(requests.filter((r) => r.url.startsWith(api.url))).toHaveLength(ingest.length + metrics.length)
      expect(errors).toEqual([])
      for (const s of ingest) {
        expect(s.headers, s.path).toMatchObject({
          'content-type': 'text/plain',
          authorization: `Basic ${btoa(ws.writeKey + ':')}`,
        })
      }
      checkFixture(mode, ws.writeKey, ingest)

      // Stored once each, under the library's messageId, the page view with the page it describes.
      const sent = ingest.flatMap((s) => {
        const body = JSON.parse(s.body)
        return body.batch ?? [body]
      })
      const events = await store.listEvents(ws.id)
      expect(events.map((e) => e.id).sort()).toEqual(sent.map((e: { messageId: string }) => e.messageId).sort())
      const pageView = events.find((e) => e.name === '$page')!
      expect(pageView).toMatchObject({
        type: 'page',
        userId: 'ana',
        accountId: 'acme',
        properties: { path: '/app/reports', title: 'Reports', url: host.url + '/app/reports' },
        context: {
          page: { path: '/app/reports', title: 'Reports', url: host.url + '/app/reports' },
          library: { name: 'analytics.js', version: `next-${LIBRARY_VERSION}` },
        },
      })

      // The journey, read through the API: one login day, the feature used, the user active.
      const journey = await read(ws.secretKey, '/v1/accounts/acme/journey')
      const regular = journey.adoption.checks.find((c: { level: string }) => c.level === 'regular')
      expect(regular.criteria.find((c: { id: string }) => c.id === 'logins').reason).toMatch(/^\$login on 1 of /)
      expect(journey.adoption).toMatchObject({ featuresUsed: ['reports'], activeUsers: 1 })
      const activity = await read(ws.secretKey, '/v1/accounts/acme/activity')
      expect(activity.users).toMatchObject([{ userId: 'ana', name: 'Ana', email: 'ana@acme.example' }])
      expect(activity.users[0].lastSeenAt).not.toBeNull()
      expect(
        activity.events
          .filter((e: { userId: string }) => e.userId === 'ana')
          .map((e: { name: string }) => e.name)
          .sort(),
      ).toEqual(['$alias', '$login', '$page', '$page', 'feature_used', 'group'])
    })
  }

  it("SEG13 analytics.js waits out Jornada's 429 and Retry-After, resends with X-Retry-Count, stores once", async () => {
    const ws = await newWorkspace('retried')
    const from = seen.length
    const { page, errors } = await pageWithErrors(browser)
    const net = recordRequests(page)
    await runLibrary(page, ws.writeKey, 'one-at-a-time', limited)
    await waitFor(async () => (await store.countEvents(ws.id)) === 7, 30_000, 'the 7 calls stored')
    await waitFor(() => net.pending() === 0, 20_000, "the page's requests to end")
    const mine = seen.slice(from).filter((s) => s.headers.origin === host.url)
    const requests = [...net.requests]
    await page.close()

    const posts = mine.filter((s) => s.method === 'POST' && s.path !== '/v1/m')
    // Some calls overran the limit and were answered 429 with Retry-After; the library sent each again
    // with X-Retry-Count, a header the preflights must allow (or the browser never sends the retry).
    const limitedPosts = posts.filter((s) => s.status === 429)
    expect(limitedPosts.length).toBeGreaterThan(0)
    for (const s of limitedPosts) expect(s.retryAfter).toMatch(/^[1-9][0-9]*$/)
    const retried = posts.filter((s) => s.headers['x-retry-count'] !== undefined)
    expect(retried.length).toBeGreaterThan(0)
    expect(retried.filter((s) => s.status === 200).length).toBeGreaterThan(0)
    expect(mine.filter((s) => s.status !== 429 && (s.status < 200 || s.status > 299))).toEqual([])
    // No request failed in the browser (a refused preflight would), and it logged only the 429s.
    expect(requests.filter((r) => r.failure !== null)).toEqual([])
    expect(errors.filter((e) => !e.includes('status of 429'))).toEqual([])

    const sent = new Set(posts.filter((s) => s.status === 200).map((s) => JSON.parse(s.body).messageId))
    expect(sent.size).toBe(7)
    expect((await store.listEvents(ws.id)).map((e) => e.id).sort()).toEqual([...sent].sort())
  })
})
