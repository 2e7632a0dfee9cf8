/**
 * The Worker (server/edge/worker.ts) bundled as `npm run build:edge` bundles it and run in workerd
 * through Miniflare's API, against a PostgreSQL database of its own: the migrations from the bundle,
 * ingest, the journey at several dates against the same app under Node, the listing filled by the
 * Cron Trigger's run, two runs sweeping once, a signed webhook to a real receiver, and the write
 * key's origin check.
 */
import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Readable } from 'node:stream'
import { promisify } from 'node:util'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../server/app'
import { stageHistory } from '../../server/demo'
import { ASSETS_DIR, buildAssets, buildWorker, WORKER_FILE } from '../../server/edge/build'
import { createEvaluator } from '../../server/evaluator'
import {
  hashedFiles,
  IMMUTABLE,
  NO_CACHE,
  SDK_MANIFEST,
  sdkCacheControl,
  STATIC_CACHE_CONTROL,
} from '../../server/http/static-headers'
import { readManifest } from '../../sdk/build'
import { configSource } from '../../server/config-source'
import { createPgliteStore, createPostgresStore } from '../../server/store'
import type { Store } from '../../server/store/types'
import { onFreshDatabase } from '../support/fresh-database'
import { startWebhookReceiver } from '../support/webhook-receiver'
import type { WebhookReceiver } from '../support/webhook-receiver'

const WRITE_KEY = `pk_edge_${randomUUID().slice(0, 8)}`
const SECRET_KEY = `sk_edge_${randomUUID().slice(0, 8)}`
const ALLOWED = 'https://app.example.com'
const DAY = 86_400_000
type Json = Record<string, any>

async function waitFor(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** Something that answers Requests: the Worker in workerd, or an app under Node. */
type Fetcher = (request: Request) => Promise<Response>

const call = async (fetcher: Fetcher, method: string, path: string, body?: unknown, headers: Json = {}) => {
  const res = await fetcher(
    new Request(`http://jornada.test${path}`, {
      method,
      headers: { authorization: `Bearer ${SECRET_KEY}`, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  )
  const text = await res.text()
  return { status: res.status, body: text ? (JSON.parse(text) as any) : null }
}

/** Imports `events` with the secret key; every event must be accepted. */
async function ingest(fetcher: Fetcher, events: Json[]): Promise<void> {
  for (let i = 0; i < events.length; i += 200) {
    const res = await call(fetcher, 'POST', '/v1/batch', { batch: events.slice(i, i + 200) })
    expect(res.status).toBe(200)
    expect(res.body.rejected).toEqual([])
  }
}

/** The listing as `account → phase, health, band, flags`, for comparing two deployments. */
async function listing(fetcher: Fetcher): Promise<Json> {
  const res = await call(fetcher, 'GET', '/v1/accounts?limit=500')
  expect(res.status).toBe(200)
  return Object.fromEntries(
    (res.body.items as Json[]).map((a) => [
      a.accountId,
      { phase: a.phase, health: a.health, band: a.band, flags: a.flags },
    ]),
  )
}

onFreshDatabase('jornada_edge', (db) => {
  const dir = mkdtempSync(join(tmpdir(), 'jornada-edge-'))
  let mf: Miniflare
  let worker: Fetcher
  /** What workerd printed (the Worker's console.log lines: request and evaluator logs). */
  let printed = ''
  /** The same app under Node, on an embedded store of its own, given the same history. */
  let node: { fetch: Fetcher; store: Store; evaluator: ReturnType<typeof createEvaluator> }
  /** A Node store over the Worker's database: another deployment writing to it. */
  let beside: { fetch: Fetcher; store: Store }
  let receiver: WebhookReceiver
  const now = Date.now()
  const stages = ['day-2', 'day-12', 'day-45', 'day-100', 'renewal-30'] as const
  const throughWorker = stages.map((s) => stageHistory(s, `w-${s}`, now) as Json[])
  const throughNode = stages.map((s) => stageHistory(s, `n-${s}`, now) as Json[])

  /** The Worker as wrangler.toml deploys it: the Durable Object, the static assets, the settings as bindings. */
  const workerOptions = () => ({
    modules: true,
    scriptPath: WORKER_FILE,
    modulesRoot: dirname(WORKER_FILE),
    compatibilityDate: '2025-09-01',
    compatibilityFlags: ['nodejs_compat'],
    durableObjects: { JORNADA_API: 'JornadaApi' },
    assets: {
      directory: ASSETS_DIR,
      binding: 'ASSETS',
      routerConfig: {
        has_user_worker: true,
        static_routing: { user_worker: ['/v1/*', '/healthz', '/openapi.json', '/docs'] },
      },
    },
    bindings: {
      DATABASE_URL: db.url,
      JORNADA_WRITE_KEY: WRITE_KEY,
      JORNADA_SECRET_KEY: SECRET_KEY,
      JORNADA_ALLOWED_ORIGINS: ALLOWED,
      JORNADA_WEBHOOK_ALLOW_PRIVATE: '1',
    } as Record<string, string>,
    handleRuntimeStdio(stdout: Readable, stderr: Readable) {
      stdout.on('data', (c: Buffer) => (printed += c.toString()))
      stderr.on('data', (c: Buffer) => {
        printed += c.toString()
        process.stderr.write(c)
      })
    },
  })

  beforeAll(async () => {
    // `npm run build:edge` (the SDK and console builds it copies are npm test's first steps).
    await buildWorker()
    await buildAssets()
    mf = new Miniflare(workerOptions())
    worker = (request) => mf.dispatchFetch(request.url, request as never) as unknown as Promise<Response>
    receiver = await startWebhookReceiver()

    const store = await createPgliteStore({ dataDir: 'memory://' })
    await store.createWorkspace({ id: 'default', name: 'Default', writeKey: WRITE_KEY, secretKey: SECRET_KEY })
    const evaluator = createEvaluator({ store, clock: Date.now, configFor: configSource(store) })
    const app = createApp({ store })
    node = { fetch: async (r) => app.request(r), store, evaluator }
  }, 120_000)

  afterAll(async () => {
    await mf?.dispose()
    await node?.store.close()
    await beside?.store.close()
    await receiver?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  describe('the API on Cloudflare Workers (workerd, through Miniflare)', () => {
    it('ED01 the bundled migrations run at the first request; ingest through the Worker stores every event', async () => {
      expect((await call(worker, 'GET', '/healthz')).status).toBe(200)
      const check = await createPostgresStore({ url: db.url, max: 1 })
      try {
        const versions = await check.db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY 1')
        expect(versions.length).toBeGreaterThanOrEqual(18)
        expect(versions[0]!.version).toBe('001_init')
        await ingest(worker, throughWorker.flat())
        await ingest(node.fetch, throughWorker.flat())
        const [{ n }] = await check.db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM events WHERE workspace_id = 'default'",
        )
        expect(n).toBe(throughWorker.flat().length)
      } finally {
        await check.close()
      }
    }, 60_000)

    it('ED02 the journey at several dates is the one Node computes for the same history', async () => {
      const dates = [now - 90 * DAY, now - 30 * DAY, now - 5 * DAY, now].map((t) => new Date(t).toISOString())
      for (const s of stages) {
        for (const at of dates) {
          const path = `/v1/accounts/w-${s}/journey?at=${encodeURIComponent(at)}`
          const [onEdge, onNode] = [await call(worker, 'GET', path), await call(node.fetch, 'GET', path)]
          expect({ s, at, status: onEdge.status }).toEqual({ s, at, status: onNode.status })
          expect(onEdge.body).toEqual(onNode.body)
        }
      }
    }, 60_000)

    it('ED03 the Cron Trigger lists accounts another deployment stored; a second run sweeps nothing', async () => {
      // Another deployment (Node, no evaluator) writes to the same database: the Worker never
      // touched these accounts, so only its sweep lists them.
      const store = await createPostgresStore({ url: db.url, max: 2 })
      const app = createApp({ store })
      beside = { fetch: async (r) => app.request(r), store }
      await ingest(beside.fetch, throughNode.flat())
      await ingest(node.fetch, throughNode.flat())
      const before = await listing(worker)
      expect(Object.keys(before).filter((id) => id.startsWith('n-'))).toEqual([])

      const sweeps = () => printed.split('\n').filter((l) => l.includes('"evaluator":"sweep"')).length
      // Miniflare's Fetcher type leaves scheduled() out; workerd's has it.
      const cron = (await mf.getWorker()) as unknown as { scheduled(o: { cron: string }): Promise<unknown> }
      await cron.scheduled({ cron: '* * * * *' })
      await waitFor(() => sweeps() === 1, 20_000, 'the sweep')
      await node.evaluator.sweepAll()
      const after = await listing(worker)
      expect(after).toEqual(await listing(node.fetch))
      expect(Object.keys(after).sort()).toEqual([...stages.map((s) => `n-${s}`), ...stages.map((s) => `w-${s}`)].sort())

      // The same hour again: the claim is taken, so nothing is swept twice.
      await cron.scheduled({ cron: '* * * * *' })
      await new Promise((r) => setTimeout(r, 1000))
      expect(sweeps()).toBe(1)
    }, 60_000)

    it('ED04 a promoter answer through the Worker reaches a local receiver as a signed webhook', async () => {
      const made = await call(worker, 'POST', '/v1/webhooks', { url: receiver.url, events: ['nps.promoter'] })
      expect(made.status).toBe(201)
      receiver.secret = made.body.secret
      await ingest(worker, [
        {
          id: randomUUID(),
          type: 'track',
          event: 'nps_response',
          userId: 'w-day-45-u1',
          accountId: 'w-day-45',
          timestamp: new Date(now - 60_000).toISOString(),
          properties: { score: 10 },
        },
      ])
      await waitFor(() => receiver.received.length > 0, 20_000, 'the webhook')
      expect(receiver.rejected).toEqual([])
      const delivered = receiver.received[0]!.json as Json
      expect(delivered).toMatchObject({ type: 'nps.promoter', accountId: 'w-day-45' })
    }, 60_000)

    it('ED05 the write key from an origin the workspace does not allow is refused, from an allowed one not', async () => {
      const event = {
        id: randomUUID(),
        type: 'track',
        event: 'opened',
        userId: 'u-o',
        timestamp: new Date().toISOString(),
      }
      const send = (origin: string) =>
        call(worker, 'POST', '/v1/batch', { batch: [event] }, { authorization: `Bearer ${WRITE_KEY}`, origin })
      const refused = await send('https://evil.example.net')
      expect(refused.status).toBe(403)
      expect(refused.body.error.code).toBe('forbidden_origin')
      const allowed = await send(ALLOWED)
      expect(allowed.status).toBe(200)
      expect(allowed.body.accepted).toBe(1)
    }, 30_000)

    it('ED06 the client address is CF-Connecting-IP, and its rate limit holds across requests in one object', async () => {
      // Another deployment of the same Worker on the same database, with a tight per-address limit.
      const limited = new Miniflare({
        ...workerOptions(),
        bindings: { ...workerOptions().bindings, JORNADA_RATE_LIMIT: 'key=off,address=1/h:3' },
      })
      try {
        const send = (ip: string) =>
          limited.dispatchFetch('http://jornada.test/v1/batch', {
            method: 'POST',
            headers: {
              authorization: `Bearer ${WRITE_KEY}`,
              origin: ALLOWED,
              'content-type': 'application/json',
              'cf-connecting-ip': ip,
            },
            body: JSON.stringify({
              batch: [
                {
                  id: randomUUID(),
                  type: 'track',
                  event: 'opened',
                  userId: 'u-rl',
                  timestamp: new Date().toISOString(),
                },
              ],
            }),
          })
        const first = []
        for (let i = 0; i < 4; i++) first.push((await send('203.0.113.7')).status)
        expect(first).toEqual([200, 200, 200, 429])
        expect((await send('198.51.100.9')).status).toBe(200)
      } finally {
        await limited.dispose()
      }
    }, 60_000)

    it('ED07 the SDK and the console are static assets; a console route gets its page with its headers', async () => {
      const sdk = await mf.dispatchFetch('http://jornada.test/sdk/jornada.js')
      expect(sdk.status).toBe(200)
      expect(sdk.headers.get('cache-control')).toBe('no-cache')
      expect(await sdk.text()).toContain('jornada')
      const page = await mf.dispatchFetch('http://jornada.test/console/accounts/w-day-45')
      expect(page.status).toBe(200)
      expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
      expect(await page.text()).toContain('<div id="app"')
      const api = await mf.dispatchFetch('http://jornada.test/v1/nothing-here')
      expect(api.status).toBe(404)
      expect(((await api.json()) as Json).error.code).toBe('not_found')
    }, 30_000)

    it('ED10 SDK files: hashed ones immutable, the loader revalidated, the stubs short-cached, as under Node', async () => {
      const manifest = readManifest(join(ASSETS_DIR, 'sdk'))!
      const expected: [string, string][] = [
        ['jornada.js', NO_CACHE],
        [manifest['jornada.core.mjs']!, IMMUTABLE],
        [manifest['jornada.ui.mjs']!, IMMUTABLE],
        [manifest['jornada.ui.checklist.mjs']!, IMMUTABLE],
        ['jornada.core.mjs', STATIC_CACHE_CONTROL],
        ['jornada.ui.mjs', STATIC_CACHE_CONTROL],
        ['jornada.builder.mjs', STATIC_CACHE_CONTROL],
        [SDK_MANIFEST, STATIC_CACHE_CONTROL],
      ]
      for (const [file, policy] of expected) {
        const res = await mf.dispatchFetch(`http://jornada.test/sdk/${file}`)
        expect(res.status, file).toBe(200)
        expect(res.headers.get('cache-control'), file).toBe(policy)
        expect(res.headers.get('cache-control'), file).toBe(sdkCacheControl(file, hashedFiles(manifest)))
        expect(res.headers.get('access-control-allow-origin'), file).toBe('*')
        await res.arrayBuffer()
      }
      const asset = readdirSync(join(ASSETS_DIR, 'console/assets')).find((f) => f.endsWith('.js'))!
      const res = await mf.dispatchFetch(`http://jornada.test/console/assets/${asset}`)
      expect([res.status, res.headers.get('cache-control')]).toEqual([200, IMMUTABLE])
      await res.arrayBuffer()
    }, 30_000)

    it('ED08 wrangler accepts server/edge/wrangler.toml and the built Worker (a dry-run deploy)', async () => {
      const { stdout } = await promisify(execFile)(
        'npx',
        ['wrangler', 'deploy', '-c', 'server/edge/wrangler.toml', '--dry-run', '--outdir', join(dir, 'deploy')],
        { env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: '1' }, timeout: 120_000 },
      )
      expect(stdout).toMatch(/env\.JORNADA_API \(JornadaApi\)\s+Durable Object/)
      expect(stdout).toMatch(/env\.ASSETS\s+Assets/)
      expect(stdout).toContain('--dry-run: exiting now.')
    }, 150_000)
  })
})

onFreshDatabase('jornada_migrate', (db) => {
  describe('npm run migrate', () => {
    it('ED09 DATABASE_URL=… npm run migrate applies every migration to an empty database, then none', async () => {
      const run = () =>
        promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/migrate.ts'], {
          env: { ...process.env, DATABASE_URL: db.url },
          timeout: 60_000,
        })
      const first = await run()
      expect(first.stdout).toMatch(/applied \d+ migration\(s\): 001_init, 002_journey/)
      const check = await createPostgresStore({ url: db.url, max: 1 })
      try {
        const versions = await check.db.query<{ version: string }>('SELECT version FROM schema_migrations')
        expect(first.stdout).toContain(`applied ${versions.length} migration(s)`)
      } finally {
        await check.close()
      }
      expect((await run()).stdout).toContain('the database is up to date; no migration to apply')
    }, 120_000)
  })
})
