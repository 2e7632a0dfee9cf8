import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { ApiError, errorResponse } from './http'
import type { AppEnv, ErrorCode } from './http'
import { errorsToConsole } from './log'
import type { Log } from './log'
import type { JourneyConfig } from './journey'
import { accountsRoute } from './routes/accounts'
import { batchRoute } from './routes/batch'
import { configRoute, configSource } from './routes/config'
import { docsRoute } from './routes/docs'
import { experienceRoute } from './routes/experience'
import { healthRoute } from './routes/health'
import { keysRoute } from './routes/keys'
import { openApiDocument } from './openapi'
import { createRateLimit } from './rate-limit'
import type { RateLimitOptions } from './rate-limit'
import { webhooksRoute } from './routes/webhooks'
import { reportsRoute } from './routes/reports'
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
  /** Called after `PUT /v1/config` changed a workspace's config (node.ts: re-sweep its snapshots). */
  onConfigChange?: (workspaceId: string) => void
  /** Write-key rate limits (server/rate-limit.ts; node.ts: JORNADA_RATE_LIMIT); none when absent. */
  rateLimit?: RateLimitOptions
  /** Which URLs webhook endpoints may have (webhooks/ssrf.ts; node.ts: JORNADA_WEBHOOK_ALLOW_PRIVATE); default: no private addresses. */
  webhookUrls?: WebhookUrlPolicy
}

/** CORS preflight answers may be cached this long (seconds). */
export const CORS_MAX_AGE_S = 86_400
const CORS_METHODS = 'POST, GET, PUT, PATCH, DELETE, OPTIONS'
const CORS_HEADERS = 'Authorization, Content-Type'

const CODE_OF_STATUS: Partial<Record<number, ErrorCode>> = {
  400: 'invalid_body', 401: 'unauthorized', 404: 'not_found', 413: 'payload_too_large', 415: 'unsupported_media_type',
}

/** The whole HTTP API (api.md). No I/O happens until a request arrives. */
export function createApp({ store, clock = () => Date.now(), log = errorsToConsole, bodyLimit, config, onConfigChange, rateLimit: limits, webhookUrls }: AppOptions): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const rateLimit = limits && createRateLimit(limits)
  const configOf = configSource(store, config)

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
        t, method: c.req.method, path: c.req.path, status: c.res.status,
        ms: Math.round((performance.now() - start) * 10) / 10,
        ...(c.get('workspace') !== undefined && { workspace: c.get('workspace') }),
        ...(c.get('accepted') !== undefined && { accepted: c.get('accepted') }),
        ...(c.get('duplicates') !== undefined && { duplicates: c.get('duplicates') }),
        ...(c.get('rejected') !== undefined && { rejected: c.get('rejected') }),
        ...(error !== undefined && { error }),
      })
    }
  })

  // CORS on /v1/*. CORS is not the security boundary here: no cookie or other ambient credential is
  // ever accepted, every call presents a key, and the Origin check of write keys (auth.ts,
  // checkOrigin) is what keeps other sites away. So the requesting Origin is reflected on every
  // answer, the 403 forbidden_origin included: the SDK must be able to read that 403 and stop
  // retrying, where a missing Access-Control-Allow-Origin would look like a network error to it.
  app.use('/v1/*', async (c, next) => {
    const origin = c.req.header('origin')
    if (c.req.method === 'OPTIONS') {
      const headers: Record<string, string> = {
        'Access-Control-Allow-Methods': CORS_METHODS,
        'Access-Control-Allow-Headers': CORS_HEADERS,
        'Access-Control-Max-Age': String(CORS_MAX_AGE_S),
        Vary: 'Origin',
      }
      if (origin !== undefined) headers['Access-Control-Allow-Origin'] = origin
      return c.body(null, 204, headers)
    }
    await next()
    c.res.headers.append('Vary', 'Origin')
    if (origin !== undefined) c.res.headers.set('Access-Control-Allow-Origin', origin)
    // A page on another origin reads a 429's Retry-After only when it is exposed.
    if (origin !== undefined && c.res.headers.has('Retry-After')) c.res.headers.set('Access-Control-Expose-Headers', 'Retry-After')
  })

  app.route('/', healthRoute({ store }))
  app.route('/v1', batchRoute({ store, clock, bodyLimit, configOf, rateLimit }))
  app.route('/v1', configRoute({ store, configOf, onConfigChange }))
  app.route('/v1', accountsRoute({ store, clock, configOf }))
  app.route('/v1', experienceRoute({ store, clock, configOf, rateLimit }))
  app.route('/v1', keysRoute({ store }))
  // Public and free of secrets: any origin may read it (editor.swagger.io imports it by URL).
  app.get('/openapi.json', (c) => c.json(openApiDocument(new URL(c.req.url).origin), 200, { 'Access-Control-Allow-Origin': '*' }))
  app.route('/', docsRoute())
  app.route('/v1', webhooksRoute({ store, clock, urlPolicy: webhookUrls }))
  app.route('/v1', reportsRoute({ store, clock, configOf }))

  app.notFound((c) => errorResponse(c, 404, 'not_found', `no route for ${c.req.method} ${c.req.path}`))

  app.onError((err, c) => {
    if (err instanceof ApiError) return errorResponse(c, err.status, err.code, err.message, err.issues)
    if (err instanceof HTTPException && err.status < 500) {
      const status = err.status as ContentfulStatusCode
      return errorResponse(c, status, CODE_OF_STATUS[status] ?? 'invalid_body', err.message || 'bad request')
    }
    // Logged by the request-log middleware above (c.error), with the error's message only.
    return errorResponse(c, 500, 'internal', 'internal error')
  })

  return app
}
