import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { z } from 'zod'
import type { ErrorBody, Issue } from '../../sdk/wire'

/** The error codes of the API (api.md, "The HTTP API"): one per way a request can fail. */
export type ErrorCode =
  | 'invalid_json'
  | 'invalid_body'
  | 'unsupported_media_type'
  | 'unauthorized'
  | 'forbidden_origin'
  | 'forbidden_event'
  | 'forbidden_key'
  | 'payload_too_large'
  | 'not_found'
  | 'internal'
  | 'unavailable'
  | 'invalid_config'
  | 'invalid_query'
  | 'invalid_path'
  | 'invalid_user_hash'
  | 'invalid_user_token'
  | 'forbidden_account'
  | 'rate_limited'
  | 'invalid_credentials'
  | 'csrf'
  | 'forbidden_role'
  | 'conflict'

/** An expected failure: thrown anywhere in a handler, answered by app.onError in the one error shape. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly issues?: Issue[],
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

export function errorBody(code: ErrorCode, message: string, issues?: Issue[]): ErrorBody {
  return { error: issues && issues.length > 0 ? { code, message, issues } : { code, message } }
}

export function errorResponse(
  c: Context,
  status: ContentfulStatusCode,
  code: ErrorCode,
  message: string,
  issues?: Issue[],
): Response {
  return c.json(errorBody(code, message, issues), status)
}

/** A dotted path (`batch.3.timestamp`) from zod's path segments, under an optional prefix. */
export function dottedPath(prefix: (string | number)[], path: readonly PropertyKey[]): string {
  return [...prefix, ...path].map((p) => String(p)).join('.')
}

/** Every zod issue, each with its dotted path. */
export function zodIssues(error: z.ZodError, prefix: (string | number)[] = []): Issue[] {
  // An unknown key is named by its own path, so that the caller sees which field to remove.
  return error.issues.flatMap((i) =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((k) => ({ path: dottedPath(prefix, [...i.path, k]), message: 'unknown field' }))
      : [{ path: dottedPath(prefix, i.path), message: i.message }],
  )
}

/**
 * SQLSTATEs of a database failure that says nothing about the request and passes if it is sent
 * again: a deadlock or serialization victim, a lock or connection not to be had now, a server
 * restarting (a PostgreSQL failover, a Citus node switching a shard's placement). Class 08 is every
 * connection exception; the postgres driver's own codes are its connection lost or not made. Answered `503 unavailable` with `Retry-After`, which the SDK and Segment's
 * libraries retry; ingest is idempotent by event id, so a batch sent again is stored once.
 */
const TRANSIENT_SQLSTATES = new Set(['40001', '40P01', '55P03', '53300', '57P01', '57P02', '57P03'])
const TRANSIENT_DRIVER_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
])

export function isTransientDatabaseError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code
  if (typeof code !== 'string') return false
  return TRANSIENT_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code) || TRANSIENT_DRIVER_CODES.has(code)
}
