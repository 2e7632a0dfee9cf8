import { Hono } from 'hono'
import type { MiddlewareHandler } from 'hono'
import { cors } from 'hono/cors'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { configSource } from './config-source'
import { createGuard, ROUTE_ACCESS, routeKey } from './http/access'
import type { AppEnv } from './http/app-env'
import { ApiError, errorResponse, isTransientDatabaseError } from './http/errors'
import type { ErrorCode } from './http/errors'
import { createRateLimit } from './http/rate-limit'
import type { RateLimitOptions } from './http/rate-limit'
import { errorsToConsole } from './http/request-log'
import type { Log } from './http/request-log'
import type { JourneyConfig } from './journey'
import { openApiDocument } from './openapi'
import { accountPageRoute } from './routes/account-page'
import { accountsRoute } from './routes/accounts'
import { batchRoute } from './routes/batch'
import { builderRoute } from './routes/builder'
import { configRoute } from './routes/config'
import { docsRoute } from './routes/docs'
import { experienceRoute } from './routes/experience'
import { healthRoute } from './routes/health'
import { keysRoute } from './routes/keys'
import { auditRoute } from './routes/audit'
import { membersRoute } from './routes/members'
import { overviewRoute } from './routes/overview'
import { resultsRoute } from './routes/results'
import { reportsRoute } from './routes/reports'
import { sessionRoute } from './routes/session'
import { webhooksRoute } from './routes/webhooks'
import type { Store } from './store/types'
import type { WebhookUrlPolicy } from './webhooks/ssrf'

export interface AppOptions {
  store: Store
  /** Epoch ms; injectable so that tests can pin "now" (timestamp clamping). */
  clock?: () => number
  /** One structured line per request; defaults to printing 500s only. */
  log?: Log
  /** Largest body of POST /v1/batch, bytes (default MAX_BODY_BYTES). */
  bodyLimit?: number
  /** The journey config of a workspace that has none stored (node.ts: JORNADA_CONFIG); default: the defaults. */
  config?: JourneyConfig
  /** Called after `PUT /v1/config` or a publish changed a workspace's config (node.ts: re-sweep its snapshots). */
  onConfigChange?: (workspaceId: string) => void
  /** The dry run of a draft config: its time budget, ms (default 10 s), and its monotonic timer (tests). */
  dryRun?: { budgetMs?: number; timer?: () => number }
  /** Write-key rate limits (server/http/rate-limit.ts; node.ts: JORNADA_RATE_LIMIT); none when absent. */
  rateLimit?: RateLimitOptions
  /**
   * The server's origin as browsers reach it (node.ts: JORNADA_PUBLIC_URL), e.g. behind a proxy that
   * ends TLS; default: each request's own (http/own-origin.ts).
   */
  publicUrl?: string
  /** The workspace whose console members sign in here (`POST /v1/session`); default `default`, node.ts's. */
  consoleWorkspace?: string
  /** Which URLs webhook endpoints may have (webhooks/ssrf.ts; node.ts: JORNADA_WEBHOOK_ALLOW_PRIVATE); default: no private addresses. */
  webhookUrls?: WebhookUrlPolicy
}

/** CORS preflight answers may be cached this long (seconds). */
export const CORS_MAX_AGE_S = 86_400
const CORS_METHODS = ['POST', 'GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']
/**
 * X-Retry-Count: Segment's browser library (analytics.js 2.0) adds it when it sends a call again
 * after a 429 or a 5xx; a preflight that did not allow it would fail every retry.
 */
const CORS_HEADERS = ['Authorization', 'Content-Type', 'X-Retry-Count']

const CODE_OF_STATUS: Partial<Record<number, ErrorCode>> = {
  400: 'invalid_body',
  401: 'unauthorized',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
}

/** The whole HTTP API (api.md). No I/O happens until a request arrives. */
export function createApp({
  store,
  clock = () => Date.now(),
  log = errorsToConsole,
  bodyLimit,
  config,
  onConfigChange,
  dryRun,
  rateLimit: limits,
  webhookUrls,
  consoleWorkspace = 'default',
  publicUrl,
}: AppOptions): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const rateLimit = limits && createRateLimit(limits)
  const configOf = configSource(store, config)

  const origin = publicUrl === undefined ? undefined : new URL(publicUrl).origin
  app.use('*', async (c, next) => {
    c.set('origin', origin ?? new URL(c.req.url).origin)
    await next()
  })

  // One log line per request, written after the answer is known. Never payloads or keys.
  app.use('*', async (c, next) => {
    const t = new Date(clock()).toISOString()
    const start = performance.now()
    let error: string | undefined
    try {
      await next()
    } finally {
      if (c.error && !(c.error instanceof ApiError) && !(c.error instanceof HTTPException)) {
        error = `${c.error.name}: ${c.error.message}`.slice(0, 500)
      }
      log({
        t,
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round((performance.now() - start) * 10) / 10,
        ...(c.get('workspace') !== undefined && { workspace: c.get('workspace') }),
        ...(c.get('accepted') !== undefined && { accepted: c.get('accepted') }),
        ...(c.get('duplicates') !== undefined && { duplicates: c.get('duplicates') }),
        ...(c.get('rejected') !== undefined && { rejected: c.get('rejected') }),
        ...(error !== undefined && { error }),
      })
    }
  })

  // CORS on /v1/*. CORS is not the security boundary here: the one ambient credential, the console's
  // session cookie, is SameSite=Strict, never allowed cross-origin (no Allow-Credentials, and
  // x-csrf-token is not an allowed header), and a change with it needs the CSRF token and the
  // server's own Origin (http/sessions.ts); keys are presented, and the Origin check of write keys
  // (http/auth.ts, checkOrigin) is what keeps other sites away. So the requesting Origin is reflected on every
  // answer, the 403 forbidden_origin included: the SDK must be able to read that 403 and stop
  // retrying, where a missing Access-Control-Allow-Origin would look like a network error to it.
  // A page on another origin reads a 429's Retry-After only when it is exposed.
  // Hono's cors answers the preflights. On the other requests it would touch the answer before and
  // after the handler, which makes @hono/node-server build a full web Response for every batch
  // (about a tenth of ingest's CPU, measured): the same headers are set here before the handler
  // instead, as headers the handler's answer (or the error handler's) is made with.
  const preflight = cors({
    origin: (origin) => origin,
    allowMethods: CORS_METHODS,
    allowHeaders: CORS_HEADERS,
    maxAge: CORS_MAX_AGE_S,
    exposeHeaders: ['Retry-After'],
  })
  app.use('/v1/*', async (c, next) => {
    if (c.req.method === 'OPTIONS') return preflight(c, next)
    const origin = c.req.header('origin')
    if (origin !== undefined) {
      c.header('Access-Control-Allow-Origin', origin)
      c.header('Access-Control-Expose-Headers', 'Retry-After')
    }
    c.header('Vary', 'Origin', { append: true })
    await next()
  })

  const guard = createGuard({ store, rateLimit, clock })
  app.route('/', healthRoute({ store }))
  app.route('/v1', batchRoute({ store, clock, guard, bodyLimit, configOf }))
  app.route('/v1', configRoute({ store, clock, configOf, guard, onConfigChange, dryRun }))
  app.route('/v1', accountsRoute({ store, clock, configOf, guard }))
  app.route('/v1', overviewRoute({ store, clock, configOf, guard }))
  app.route('/v1', accountPageRoute({ store, clock, configOf, guard }))
  app.route('/v1', resultsRoute({ store, clock, configOf, guard }))
  app.route('/v1', experienceRoute({ store, clock, configOf, guard }))
  app.route('/v1', keysRoute({ store, clock, guard }))
  // Public and free of secrets: any origin may read it (editor.swagger.io imports it by URL).
  app.get('/openapi.json', (c) =>
    c.json(openApiDocument(new URL(c.req.url).origin), 200, { 'Access-Control-Allow-Origin': '*' }),
  )
  app.route('/', docsRoute())
  app.route('/v1', webhooksRoute({ store, clock, urlPolicy: webhookUrls, guard }))
  app.route('/v1', reportsRoute({ store, clock, configOf, guard }))
  app.route('/v1', sessionRoute({ store, clock, guard, workspaceId: consoleWorkspace }))
  app.route('/v1', membersRoute({ store, clock, guard }))
  app.route('/v1', auditRoute({ store, guard }))
  app.route('/v1', builderRoute({ store, clock, configOf, guard }))
  checkAccess(app, guard)

  app.notFound((c) => errorResponse(c, 404, 'not_found', `no route for ${c.req.method} ${c.req.path}`))

  app.onError((err, c) => {
    if (err instanceof ApiError) return errorResponse(c, err.status, err.code, err.message, err.issues)
    if (err instanceof HTTPException && err.status < 500) {
      const status = err.status as ContentfulStatusCode
      return errorResponse(c, status, CODE_OF_STATUS[status] ?? 'invalid_body', err.message || 'bad request')
    }
    // Logged by the request-log middleware above (c.error), with the error's message only.
    if (isTransientDatabaseError(err)) {
      c.header('Retry-After', '1')
      return errorResponse(c, 503, 'unavailable', 'the database is busy: send the request again')
    }
    return errorResponse(c, 500, 'internal', 'internal error')
  })

  return app
}

/**
 * Every route of `/v1` has an entry in ROUTE_ACCESS and the guard in its chain, or the app does not
 * start: a route nobody decided the access of is a programming error, caught by every test.
 */
export function checkAccess(app: Hono<AppEnv>, guard: MiddlewareHandler<AppEnv>): void {
  const guarded = new Map<string, boolean>()
  for (const r of app.routes) {
    if (!r.path.startsWith('/v1/') || r.method === 'ALL') continue
    const key = routeKey(r.method, r.path)
    guarded.set(key, (guarded.get(key) ?? false) || r.handler === guard)
  }
  for (const [key, hasGuard] of guarded) {
    if (!(key in ROUTE_ACCESS)) throw new Error(`${key} has no entry in ROUTE_ACCESS (server/http/access.ts)`)
    if (!hasGuard) throw new Error(`${key} has no guard in its chain`)
  }
}
