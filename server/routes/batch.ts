import { Hono } from 'hono'
import type { Context, MiddlewareHandler } from 'hono'
import type { ConfigSource } from '../config-source'
import { callerOf } from '../http/access'
import { parseJson } from '../http/body'
import type { AppEnv } from '../http/app-env'
import { ApiError, errorBody, errorResponse, zodIssues } from '../http/errors'
import { maxBody } from '../http/body'
import { detractorFacts, npsCandidates } from '../ingest/derived-facts'
import { BATCH_MEDIA_TYPES, MAX_BATCH_EVENTS, MAX_BODY_BYTES } from '../ingest/limits'
import {
  BatchBodySchema,
  isPlainObject,
  SEGMENT_CALLS,
  SEGMENT_METRICS_PATH,
  SEGMENT_SHORT_PATHS,
} from '../ingest/schema'
import type { SegmentCall } from '../ingest/schema'
import { forbiddenEventIssues, validateBatch } from '../ingest/validate-batch'
import { checkTokens, identitySecretFor, verifyBatch } from '../ingest/verify-identity'
import type { Store } from '../store/types'

export interface BatchDeps {
  store: Store
  clock: () => number
  /** The route's guard (server/http/access.ts). */
  guard: MiddlewareHandler<AppEnv>
  /** Defaults to MAX_BODY_BYTES. */
  bodyLimit?: number
  /** The workspace's journey config; read only for a batch with a possible detractor answer (server/ingest/derived-facts.ts). */
  configOf?: ConfigSource
}

/**
 * The body limit. With a Content-Length (and no Transfer-Encoding), the length decides before
 * anything is read, and the body is then read straight from the socket (@hono/node-server's fast
 * path; Node's parser never delivers more than Content-Length bytes). Without one, hono's
 * bodyLimit streams the body and stops at `maxBytes`. Hono's bodyLimit also handles the first
 * case, but it reads `c.req.raw.body`, which makes @hono/node-server build a full web Request
 * (headers, AbortController, ReadableStream) for every batch: about a tenth of the ingest CPU.
 */
function limitBody(maxBytes: number): MiddlewareHandler<AppEnv> {
  const streamed = maxBody(maxBytes)
  return async (c, next) => {
    const length = c.req.header('content-length')
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return streamed(c, next)
    if (Number.parseInt(length || '0', 10) > maxBytes)
      return errorResponse(c, 413, 'payload_too_large', `the body is larger than ${maxBytes} bytes`)
    await next()
  }
}

/** 415 unless the body is JSON, or text/plain (sendBeacon). */
const jsonOrText: MiddlewareHandler<AppEnv> = async (c, next) => {
  const mediaType = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  if (!(BATCH_MEDIA_TYPES as readonly string[]).includes(mediaType)) {
    return errorResponse(
      c,
      415,
      'unsupported_media_type',
      'send the batch as application/json (or text/plain for sendBeacon)',
    )
  }
  await next()
}

/**
 * Reads the body into `c.var.json`. Unlike body.ts `readJson`, the whole body is not refused for one
 * unstorable string: each event is checked on its own (validateBatch), so that one bad event does
 * not cost the others.
 */
function readBatch(maxBytes: number): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    let bytes: ArrayBuffer
    try {
      bytes = await c.req.arrayBuffer()
    } catch {
      throw new ApiError(400, 'invalid_body', 'the body could not be read')
    }
    // limitBody trusts Content-Length when there is one; the bytes read are what counts.
    if (bytes.byteLength > maxBytes)
      throw new ApiError(413, 'payload_too_large', `the body is larger than ${maxBytes} bytes`)
    c.set('json', parseJson(bytes))
    await next()
  }
}

/** The events of a `POST /v1/batch` body: its `batch`, or a 400. */
function batchOf(body: unknown): unknown[] {
  const shape = BatchBodySchema.safeParse(body)
  if (!shape.success)
    throw new ApiError(
      400,
      'invalid_body',
      `expected { batch: [1..${MAX_BATCH_EVENTS} events] }`,
      zodIssues(shape.error),
    )
  return shape.data.batch
}

/**
 * The one event of a Segment per-call body (`POST /v1/track` …): the body itself, of the path's type
 * (`type` may be left out; another type is a 400). It is then `batch.0` of the answer, and a 400
 * naming its issues when it is rejected.
 */
function singleOf(body: unknown, call: SegmentCall): unknown[] {
  if (!isPlainObject(body)) throw new ApiError(400, 'invalid_body', `expected one ${call} event (a JSON object)`)
  if (body.type != null && body.type !== call) {
    throw new ApiError(400, 'invalid_body', `POST /v1/${call} takes ${call} events`, [
      { path: 'type', message: `expected ${call} or nothing` },
    ])
  }
  return [{ ...body, type: call }]
}

/**
 * `POST /v1/batch` (api.md, "Ingest") and Segment's per-call endpoints, each also at Segment's short
 * path (`/v1/b`, `/v1/t` …, schema.ts SEGMENT_SHORT_PATHS), to be mounted under `/v1`.
 */
export function batchRoute({
  store,
  clock,
  guard,
  bodyLimit: maxBytes = MAX_BODY_BYTES,
  configOf,
}: BatchDeps): Hono<AppEnv> {
  const route = new Hono<AppEnv>()

  /** `single`: a per-call body, whose one event, when rejected, is a 400 rather than a 200 listing it. */
  const ingest = (eventsOf: (body: unknown) => unknown[], single: boolean) => async (c: Context<AppEnv>) => {
    const receivedAt = clock()
    const caller = callerOf(c)
    const batch = eventsOf(c.get('json'))

    if (caller.kind === 'write') {
      const forbidden = forbiddenEventIssues(batch)
      if (forbidden.length > 0)
        throw new ApiError(
          403,
          'forbidden_event',
          'a write key may not send account-level facts; nothing was stored',
          forbidden,
        )
    }

    // In a workspace that verifies identities, what a write key says of users and accounts must be
    // proven (server/ingest/verify-identity.ts): the events that are not are refused, the rest is
    // stored, and the answer is then a 401 or a 403 naming each refused event.
    // Write routes admit keys only (access.ts): the caller is a write or a secret key.
    const validated = validateBatch(batch, caller.kind === 'write' ? 'write' : 'secret', receivedAt)
    const secret = identitySecretFor(caller)
    const verified =
      secret === null
        ? { ...validated, unverified: [], outsideAccounts: [] }
        : verifyBatch(secret, await checkTokens(secret, batch), batch, validated)
    const { events, rejected } = verified
    // One event that was not stored: a 200 would tell the sender it was delivered (Segment's libraries
    // take any status below 400 so), where a 400 says why, field by field, and is not retried.
    // (An event refused for its proof is answered below, as in a batch.)
    if (single && validated.rejected.length > 0) {
      c.set('rejected', 1)
      throw new ApiError(400, 'invalid_body', 'the event was not stored', validated.rejected[0]!.issues)
    }
    const ws = caller.workspace.id
    // Derived facts (server/ingest/derived-facts.ts) are written beside, not counted in the answer.
    const answers = configOf ? npsCandidates(events) : []
    const derived = answers.length > 0 ? detractorFacts(answers, (await configOf!(ws)).nps.passiveMin) : []
    const [{ accepted, duplicates }] = await Promise.all([
      events.length > 0 ? store.ingest(ws, events) : { accepted: 0, duplicates: 0 },
      derived.length > 0 ? store.ingest(ws, derived) : null,
    ])
    c.set('accepted', accepted)
    c.set('duplicates', duplicates)
    c.set('rejected', rejected.length)
    const stored = `the ${accepted + duplicates} other valid event(s) were stored`
    if (verified.unverified.length > 0) {
      const issues = verified.unverified
      const code = issues.every((i) => i.path.endsWith('.userToken')) ? 'invalid_user_token' : 'invalid_user_hash'
      const message = `${issues.length} event(s) without a valid userHash or userToken were refused; ${stored}`
      return c.json(
        { ...errorBody(code, message, [...issues, ...verified.outsideAccounts]), accepted, duplicates, rejected },
        401,
      )
    }
    if (verified.outsideAccounts.length > 0) {
      const message = `${verified.outsideAccounts.length} event(s) naming an account the user's proof does not reach were refused; ${stored}`
      return c.json(
        { ...errorBody('forbidden_account', message, verified.outsideAccounts), accepted, duplicates, rejected },
        403,
      )
    }
    return c.json({ accepted, duplicates, rejected }, 200)
  }

  const before = [jsonOrText, limitBody(maxBytes), readBatch(maxBytes), guard] as const
  for (const path of ['batch', SEGMENT_SHORT_PATHS.batch]) route.post(`/${path}`, ...before, ingest(batchOf, false))
  for (const call of SEGMENT_CALLS) {
    for (const path of [call, SEGMENT_SHORT_PATHS[call]])
      route.post(
        `/${path}`,
        ...before,
        ingest((body) => singleOf(body, call), true),
      )
  }

  // analytics.js 2.0 also posts its own delivery metrics (`{ series: [...] }`) to `<apiHost>/m`, every
  // 30 seconds while it has some: nothing Jornada reads or keeps, answered so that they cost the
  // page no failed request.
  route.post(`/${SEGMENT_METRICS_PATH}`, guard, (c) => c.body(null, 204))

  return route
}
