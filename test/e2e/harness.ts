import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { readFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { createApp } from '../../server/app'
import { mintUserToken, userHashOf } from '../../server/ingest/verify-identity'
import { createTimeMachine, DEMO_ACCOUNT, DEMO_TOKEN_TTL_S, DEMO_USER } from '../../server/demo'
import { parseConfig } from '../../server/journey'
import { createServer } from '../../server/serve'
import { createPgliteStore } from '../../server/store'
import type { Store, StoredEvent } from '../../server/store/types'
import type { BatchRequest } from '../../sdk/wire'
import { launchChromium } from '../support/chromium'

/** A fault the server injects into the next `/v1/batch` request, before the real handler runs. */
export interface Fault {
  status: number
  headers?: Record<string, string>
}

export interface Harness {
  url: string
  store: Store
  workspaceId: string
  writeKey: string
  secretKey: string
  /** Faults answered, in order, to the next `/v1/batch` requests. */
  faults: Fault[]
  /** While true, every `/v1/batch` connection is cut before an answer (fetch and sendBeacon alike fail). */
  cut: boolean
  /** Every event id the server received in a `/v1/batch` body that reached the real handler, in order. */
  received: string[]
  /** When each `/v1/batch` request arrived (ms) and what it was answered. */
  requests: { at: number; status: number }[]
  /** Every request for an SDK file that reached the server: its file, status, Content-Encoding and Cache-Control. */
  sdkFiles: { file: string; status: number; encoding: string | null; cacheControl: string | null }[]
  newContext(): Promise<BrowserContext>
  events(name?: string): Promise<StoredEvent[]>
  close(): Promise<void>
}

/**
 * The whole product on a random port (PGlite in memory, the built SDK, the demo) and a headless
 * Chromium. `identitySecret`: the workspace verifies identities, and the demo page gets its user's
 * hash and token (naming the demo's account), as `npm start` does with JORNADA_IDENTITY_SECRET.
 */
export async function startHarness(opts: { identitySecret?: string } = {}): Promise<Harness> {
  const store = await createPgliteStore({ dataDir: 'memory://' })
  const workspaceId = 'e2e'
  const writeKey = 'pk_e2e_' + Math.random().toString(36).slice(2)
  const secretKey = 'sk_e2e_' + Math.random().toString(36).slice(2)
  await store.createWorkspace({
    id: workspaceId,
    name: 'E2E',
    writeKey,
    secretKey,
    identitySecret: opts.identitySecret ?? null,
  })

  // As `npm start` runs it: the demo's journey config and its time machine.
  const demo = parseConfig(JSON.parse(readFileSync('demo/jornada.config.json', 'utf8')))
  if (!demo.ok) throw new Error('demo/jornada.config.json is invalid: ' + JSON.stringify(demo.issues))
  const api = createApp({ store, config: demo.config })
  const site = createServer({
    app: api,
    sdkDir: 'dist/sdk',
    demoDir: 'demo',
    demoWriteKey: writeKey,
    ...(opts.identitySecret && {
      demoUserHash: userHashOf(opts.identitySecret, DEMO_USER),
      demoUserToken: () => mintUserToken(opts.identitySecret!, DEMO_USER, [DEMO_ACCOUNT], Date.now(), DEMO_TOKEN_TTL_S),
    }),
    timeMachine: createTimeMachine({ store, workspaceId, identitySecret: opts.identitySecret ?? null }),
  })
  const faults: Fault[] = []
  const received: string[] = []
  const requests: { at: number; status: number }[] = []
  const sdkFiles: Harness['sdkFiles'] = []
  const outer = new Hono()
  outer.use('/sdk/*', async (c, next) => {
    await next()
    const file = c.req.path.split('/').pop()!
    sdkFiles.push({
      file,
      status: c.res.status,
      encoding: c.res.headers.get('content-encoding'),
      cacheControl: c.res.headers.get('cache-control'),
    })
  })
  const state = { cut: false }
  outer.use('/v1/batch', async (c, next) => {
    if (c.req.method !== 'POST') return next()
    if (state.cut) {
      const { outgoing } = c.env as { outgoing: { destroy(): void } }
      outgoing.destroy()
      requests.push({ at: Date.now(), status: 0 })
      return new Response(null, { status: 599 })
    }
    const fault = faults.shift()
    if (fault) {
      requests.push({ at: Date.now(), status: fault.status })
      return c.json(
        { error: { code: 'injected', message: 'fault injected by the test' } },
        fault.status as 500,
        fault.headers,
      )
    }
    try {
      const body = JSON.parse(await c.req.raw.clone().text()) as BatchRequest
      for (const e of body.batch ?? []) received.push(e.id)
    } catch {
      /* the real handler answers malformed bodies */
    }
    await next()
    requests.push({ at: Date.now(), status: c.res.status })
  })
  outer.route('/', site)

  const server = await listen(outer.fetch)
  const url = server.url

  const browser: Browser = await launchChromium()
  const contexts: BrowserContext[] = []

  return {
    url,
    store,
    workspaceId,
    writeKey,
    secretKey,
    faults,
    received,
    requests,
    sdkFiles,
    get cut() {
      return state.cut
    },
    set cut(v: boolean) {
      state.cut = v
    },
    async newContext() {
      const context = await browser.newContext()
      contexts.push(context)
      return context
    },
    async events(name) {
      const all = await store.listEvents(workspaceId, { limit: 100_000 })
      return name === undefined ? all : all.filter((e) => e.name === name)
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {})
      await browser.close()
      await server.close()
      await store.close()
    },
  }
}

/** Serves `fetch` on a random port of 127.0.0.1: its URL, and closing it. */
export async function listen(
  fetch: (r: Request) => Response | Promise<Response>,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
  })
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** Polls `check` until it returns true or `timeoutMs` passes; generous, so a slow machine only makes it slower. */
export async function waitFor(
  check: () => Promise<boolean> | boolean,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<void> {
  const end = Date.now() + timeoutMs
  for (;;) {
    if (await check()) return
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** Tracks `count` events named `name` with a property `n` from the page, through the public API. */
export async function trackMany(page: Page, name: string, from: number, count: number): Promise<void> {
  await page.evaluate(
    ([name, from, count]) => {
      for (let n = from; n < from + count; n++) (window as any).jornada('track', name, { n })
    },
    [name, from, count] as const,
  )
}

/** Asserts-friendly view: how many stored events carry each `n`. */
export function countByN(events: StoredEvent[]): Map<number, number> {
  const counts = new Map<number, number>()
  for (const e of events) {
    const n = e.properties.n as number
    counts.set(n, (counts.get(n) ?? 0) + 1)
  }
  return counts
}
