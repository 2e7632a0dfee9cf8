/** The one error shape of every route (api.md, "The HTTP API"), and its codes. */
import { z } from 'zod'
import type { ErrorCode } from '../http/errors'
import type { Agree } from './response-parts'

/** Every code of http/errors.ts `ErrorCode` (checked at the end of this file). */
export const ERROR_CODES = [
  'invalid_json',
  'invalid_body',
  'invalid_query',
  'invalid_path',
  'invalid_config',
  'unsupported_media_type',
  'unauthorized',
  'invalid_user_hash',
  'invalid_user_token',
  'forbidden_origin',
  'forbidden_event',
  'forbidden_key',
  'forbidden_account',
  'not_found',
  'payload_too_large',
  'rate_limited',
  'invalid_credentials',
  'csrf',
  'forbidden_role',
  'conflict',
  'internal',
  'unavailable',
] as const

export const IssueSchema = z.strictObject({
  path: z.string().describe('dotted path, e.g. `batch.3.timestamp`'),
  message: z.string(),
})

/** The `error` of the error body; a batch's 401 carries it beside its counts. */
export const ErrorObjectSchema = z.strictObject({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  issues: z.array(IssueSchema).optional(),
})

/** The one error shape of api.md: `{ error: { code, message, issues? } }`. */
export const ErrorBodySchema = z.strictObject({ error: ErrorObjectSchema })

// ---------------------------------------------------------------- the TS type and the codes agree

const agree = {
  errorCodes: true satisfies Agree<(typeof ERROR_CODES)[number], ErrorCode>,
}
void agree
