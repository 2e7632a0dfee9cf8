/**
 * One validation hook for every route: Hono's `validator` for the query and the path, and the same
 * zod step for JSON bodies (read by body.ts, whatever their media type). A failure is a `400` in the
 * error shape of api.md naming each wrong field: `invalid_query`, `invalid_path` or `invalid_body`.
 * Handlers read the result typed, with `c.req.valid('query' | 'param' | 'json')`.
 */
import type { MiddlewareHandler } from 'hono'
import { validator } from 'hono/validator'
import { z } from 'zod'
import type { Issue } from '../../sdk/wire'
import { isUnstorable } from '../storable-json'
import type { AppEnv } from './app-env'
import { ApiError, zodIssues } from './errors'
import type { ErrorCode } from './errors'

/**
 * A time (`at`, `from`, `to`, `expiresAt`): an ISO-8601 date-time with a time zone, or a date alone,
 * which means the end of that UTC day (`at=2026-03-01`: the account as it stood on 1 March, that
 * day's events included). Every route that takes a time takes it through this schema.
 */
export const timeSchema = z.union(
  [
    z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)),
    z.iso.date().transform((s) => Date.parse(`${s}T23:59:59.999Z`)),
  ],
  {
    error:
      'expected an ISO-8601 date-time with a time zone (Z or ±hh:mm), or a date (YYYY-MM-DD: the end of that UTC day)',
  },
)

const DAY_MS = 86_400_000

/**
 * A time asked for, no later than now. A date alone means the end of its day, so today's date (or
 * any time later today) is now: the state as it stands; a later day is a `400` naming `name`.
 */
export function notAfterNow(t: number, now: number, name: string): number {
  if (t <= now) return t
  if (Math.floor(t / DAY_MS) === Math.floor(now / DAY_MS)) return now
  throw new ApiError(400, 'invalid_query', `${name} is in the future`, [
    { path: name, message: 'must not be after today' },
  ])
}

/** Strings of a query or a path that the store could not hold: each one named. */
function unstorableIssues(values: Record<string, unknown>): Issue[] {
  const issues: Issue[] = []
  for (const [key, value] of Object.entries(values)) {
    const list = Array.isArray(value) ? value : [value]
    if (isUnstorable(key) || list.some((v) => typeof v === 'string' && isUnstorable(v))) {
      issues.push({ path: isUnstorable(key) ? '(name)' : key, message: 'contains U+0000 or a lone surrogate' })
    }
  }
  return issues
}

function parseWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  code: ErrorCode,
  what: string,
  strings?: Record<string, unknown>,
): z.output<S> {
  const bad = strings ? unstorableIssues(strings) : []
  if (bad.length > 0) throw new ApiError(400, code, `invalid ${what}`, bad)
  const result = schema.safeParse(value)
  if (!result.success) throw new ApiError(400, code, `invalid ${what}`, zodIssues(result.error))
  return result.data
}

/** The query, parsed by `schema` (unknown parameters are the schema's to refuse: use strictObject). */
export const query = <S extends z.ZodType>(schema: S) =>
  validator(
    'query',
    (value: Record<string, string | string[]>) =>
      parseWith(schema, value, 'invalid_query', 'query', value) as z.output<S>,
  )

/** The path's parameters, parsed by `schema`. */
export const param = <S extends z.ZodType>(schema: S) =>
  validator(
    'param',
    (value: Record<string, string>) => parseWith(schema, value, 'invalid_path', 'path', value) as z.output<S>,
  )

/**
 * The JSON body (body.ts `readJson` must come first: it refuses what cannot be stored), parsed by
 * `schema`; `what` names it in the message (`invalid override`).
 */
export function json<S extends z.ZodType>(
  schema: S,
  what = 'body',
): MiddlewareHandler<AppEnv, string, { in: { json: z.input<S> }; out: { json: z.output<S> } }> {
  return async (c, next) => {
    c.req.addValidatedData('json', parseWith(schema, c.get('json'), 'invalid_body', what) as object)
    await next()
  }
}
