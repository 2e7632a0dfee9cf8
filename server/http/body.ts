/**
 * Reading bodies: one size limit and one JSON reader for every route, so that every body is refused
 * the same way (a `413`, a `400 invalid_json`, a `400 invalid_body` naming each unstorable string
 * and each level past the depth limit) before a handler, zod or the store sees it.
 */
import type { MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { storableIssues } from '../storable-json'
import type { AppEnv } from './app-env'
import { ApiError, errorResponse } from './errors'

/**
 * Deepest nesting of a JSON body (the body itself is level 1). Nothing the API takes comes close
 * (a journey config is 6 levels deep); recursive code downstream (zod, the config merge) must never
 * see a body that could overflow its stack. Events have their own, smaller, limit.
 */
export const MAX_BODY_DEPTH = 64

/** The body limit of a JSON route: a `413 payload_too_large` in the error shape beyond `maxBytes`. */
export function maxBody(maxBytes: number): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize: maxBytes,
    onError: (c) => errorResponse(c, 413, 'payload_too_large', `the body is larger than ${maxBytes} bytes`),
  })
}

const strictUtf8 = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true })

/**
 * Parses a body's bytes: `400 invalid_json` when they are not UTF-8 JSON. `empty`: what an empty
 * (or all-blank) body stands for; without it, an empty body is not JSON.
 */
export function parseJson(bytes: ArrayBuffer, empty?: unknown): unknown {
  let text: string
  try {
    text = strictUtf8.decode(bytes)
  } catch {
    throw new ApiError(400, 'invalid_json', 'the body is not valid UTF-8')
  }
  if (empty !== undefined && text.trim() === '') return empty
  try {
    return JSON.parse(text)
  } catch {
    throw new ApiError(400, 'invalid_json', 'the body is not valid JSON')
  }
}

/** `400 invalid_body` naming every string PostgreSQL cannot store and every level too deep. */
export function checkStorable(value: unknown, maxDepth = MAX_BODY_DEPTH): void {
  const issues = storableIssues(value, maxDepth)
  if (issues.length > 0) throw new ApiError(400, 'invalid_body', 'the body holds what cannot be stored', issues)
}

/**
 * Reads the JSON body into `c.var.json` (any media type: curl's default form type included), or
 * refuses it. `empty`: the value of an empty body (routes whose body is optional).
 */
export function readJson(options: { empty?: unknown } = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    let bytes: ArrayBuffer
    try {
      bytes = await c.req.arrayBuffer()
    } catch {
      throw new ApiError(400, 'invalid_body', 'the body could not be read')
    }
    const json = parseJson(bytes, options.empty)
    checkStorable(json)
    c.set('json', json)
    await next()
  }
}
