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
