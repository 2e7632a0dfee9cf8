/**
 * The Cloudflare Workers entry (docs/deploy/cloudflare-workers.md): the same Hono app as
 * server/node.ts, on PostgreSQL (DATABASE_URL, or a Hyperdrive binding), its settings read from
 * bindings of the same names as Node's environment variables.
 *
 * A Worker may not keep I/O (a database connection) from one request to the next, and each
 * request may land in another isolate: a store per request would lose group commit, the touched
 * accounts the evaluator works from and the rate limits' buckets. So every API request goes to one
 * Durable Object, `JornadaApi`, which holds what a Node process holds: the store with its pool and
 * group commit, the app, the evaluator and the webhook dispatcher. The Worker in front is stateless.
 * What runs on timers under Node runs here on an alarm (touched accounts and due webhooks, a second
 * after a request) and on the Cron Trigger (the hourly sweep, claimed per workspace and hour, and
 * webhook retries).
 */
import { DurableObject } from 'cloudflare:workers'
import migrations from 'jornada:migrations'
import { getConnInfo } from 'hono/cloudflare-workers'
import { createApp } from '../app'
import { configSource } from '../config-source'
import { createEvaluator } from '../evaluator'
import type { Evaluator } from '../evaluator'
import { errorBody } from '../http/errors'
import { CONSOLE_HEADERS } from '../http/static-headers'
import { jsonLines } from '../http/request-log'
import type { JourneyConfig } from '../journey'
import { ensureDefaultWorkspace, parseStartConfig, readSettings, StartError, startOwner } from '../settings'
import type { Vars } from '../settings'
import { createPostgresStore } from '../store/postgres'
import type { Store } from '../store/types'
import { createDispatcher } from '../webhooks/dispatcher'
import type { Dispatcher } from '../webhooks/dispatcher'
import { edgeWebhookPost } from './webhook-post'

/** The bindings: the settings by name (docs/configuration.md), the Durable Object, and optionally Hyperdrive. */
export interface Env extends Vars {
  JORNADA_API: DurableObjectNamespace<JornadaApi>
  /** A Hyperdrive configuration in front of PostgreSQL: used instead of DATABASE_URL when bound. */
  HYPERDRIVE?: { connectionString: string }
  /** Workers Static Assets (wrangler.toml's `[assets]`): the SDK and the console. */
  ASSETS?: { fetch(request: Request): Promise<Response> }
}

/** The one Durable Object every API request goes to. */
const API_OBJECT = 'api'
/** Paths the API answers (the rest is static assets, or 404). */
const API_PATHS = /^\/(v1(\/|$)|healthz$|openapi\.json$|docs$)/
/** Touched accounts are evaluated, and due webhooks sent, this long after a request. */
const ALARM_DELAY_MS = 1000
/** Connections the Durable Object's pool opens to PostgreSQL at most. */
const POOL_SIZE = 5

interface Running {
  app: { fetch: (request: Request) => Response | Promise<Response> }
  store: Store
  evaluator: Evaluator
  dispatcher: Dispatcher
}

const print = (text: string) => {
  for (const line of text.split('\n')) if (line.trim() !== '') console.log(line)
}

/** What Node's start does (server/node.ts), from the bindings. */
async function start(env: Env): Promise<Running> {
  const settings = readSettings(env, false)
  const databaseUrl = env.HYPERDRIVE?.connectionString ?? settings.databaseUrl
  if (!databaseUrl)
    throw new StartError('DATABASE_URL (or a HYPERDRIVE binding) is not set: a Worker has no embedded store')
  const raw = env.JORNADA_CONFIG
  const config: JourneyConfig | undefined =
    raw === undefined || raw === ''
      ? undefined
      : parseStartConfig(typeof raw === 'string' ? raw : JSON.stringify(raw), 'the JORNADA_CONFIG binding')
  const store = await createPostgresStore({ url: databaseUrl, max: POOL_SIZE, migrations })
  await ensureDefaultWorkspace(store, settings, print)
  if (settings.adminEmail) {
    const setup = await startOwner(store, settings.adminEmail, settings.adminPassword, () => Date.now())
    if (setup) print(`Jornada: set the console owner's password (once, within 24 hours): ${setup}`)
  }
  if (config) await store.setStartConfig(config)
  const clock = () => Date.now()
  const log = (line: Record<string, unknown>) => console.log(JSON.stringify(line))
  const evaluator = createEvaluator({ store, clock, configFor: configSource(store, config), log })
  const app = createApp({
    store,
    clock,
    config,
    log: jsonLines(print),
    rateLimit: { ...settings.rateLimit, connInfo: getConnInfo },
    publicUrl: settings.publicUrl,
    webhookUrls: { allowPrivate: settings.webhookAllowPrivate },
    onConfigChange: (ws) =>
      void evaluator.sweep(ws).catch((err: unknown) => log({ evaluator: 'sweep', error: String(err) })),
  })
  const dispatcher = createDispatcher({
    store,
    clock,
    fetch: edgeWebhookPost({ allowPrivate: settings.webhookAllowPrivate }),
    log,
  })
  return { app, store, evaluator, dispatcher }
}

/** `503 internal` in the API's error shape: the deployment's settings are wrong (the message says how). */
function unavailable(err: unknown): Response {
  const message = err instanceof StartError ? err.message : 'the API could not start; see the Worker logs'
  if (!(err instanceof StartError)) console.error(err)
  return Response.json(errorBody('internal', message), { status: 503, headers: { 'Retry-After': '5' } })
}

/**
 * The API, held by one Durable Object: one store (one pool, one group commit) for every request,
 * an alarm a second after requests for the touched accounts and due webhooks.
 */
export class JornadaApi extends DurableObject<Env> {
  #running: Promise<Running> | undefined
  #armed = false

  #start(): Promise<Running> {
    this.#running ??= start(this.env).catch((err: unknown) => {
      this.#running = undefined // the next request tries again (settings fixed, database back)
      throw err
    })
    return this.#running
  }

  async fetch(request: Request): Promise<Response> {
    let running: Running
    try {
      running = await this.#start()
    } catch (err) {
      return unavailable(err)
    }
    const res = await running.app.fetch(request)
    await this.#arm()
    return res
  }

  /** Touched accounts and due webhooks, `ALARM_DELAY_MS` after the first request since the last alarm. */
  async #arm(): Promise<void> {
    if (this.#armed) return
    this.#armed = true
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + ALARM_DELAY_MS)
  }

  async alarm(): Promise<void> {
    this.#armed = false
    const { evaluator, dispatcher } = await this.#start()
    try {
      await evaluator.evaluateTouched()
    } catch (err) {
      // Kept by the evaluator for its next run: arm again.
      console.log(JSON.stringify({ evaluator: 'touched', error: String(err) }))
      await this.#arm()
    }
    await dispatcher.runOnce()
  }

  /**
   * The Cron Trigger's run: every workspace's sweep once per UTC hour (claimed: two runs in one hour,
   * or two deployments on one database, sweep once), and the webhook deliveries due now (retries).
   * Returns how many snapshots were stored and deliveries attempted.
   */
  async scheduled(): Promise<{ swept: number; attempted: number }> {
    const { evaluator, dispatcher } = await this.#start()
    const swept = await evaluator.sweepAll({ claim: true })
    const { attempted } = await dispatcher.runOnce()
    return { swept, attempted }
  }
}

function api(env: Env) {
  return env.JORNADA_API.get(env.JORNADA_API.idFromName(API_OBJECT))
}

/**
 * The console's page for every path under /console/ that is not one of its files (the console
 * routes in the browser), with the headers Node sets on it (server/http/static-headers.ts).
 */
async function consolePage(request: Request, assets: NonNullable<Env['ASSETS']>): Promise<Response> {
  const page = await assets.fetch(new Request(new URL('/console/index.html', request.url)))
  if (!page.ok) return page
  return new Response(page.body, { status: 200, headers: CONSOLE_HEADERS })
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url)
    if (API_PATHS.test(url.pathname)) return api(env).fetch(request)
    // Static assets are answered before the Worker runs; what reaches here is not a file.
    if (env.ASSETS && request.method === 'GET') {
      if (url.pathname === '/console') return Response.redirect(new URL('/console/', url).toString(), 301)
      if (url.pathname.startsWith('/console/')) return consolePage(request, env.ASSETS)
    }
    return Response.json(errorBody('not_found', `no route for ${url.pathname}`), { status: 404 })
  },

  async scheduled(_controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
    ctx.waitUntil(api(env).scheduled())
  },
}
