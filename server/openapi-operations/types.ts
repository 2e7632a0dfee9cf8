/** The shape of one operation of the OpenAPI document (server/openapi.ts builds its object from it). */
import type { z } from 'zod'
import type { JsonSchema } from '../openapi-json-schema'

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete'
/**
 * Who may call: no key; a write key (or the secret key); the secret key or a console member's
 * session, the member's least role being the route's in server/http/access.ts; a session only; a
 * builder credential only (server/http/builder-credentials.ts).
 */
type Auth = 'none' | 'write' | 'secret' | 'session' | 'builder'

export interface Operation {
  method: Method
  /** Hono's form (`/v1/accounts/:id/journey`); written `{id}` in the document. */
  path: string
  summary: string
  tag: string
  auth: Auth
  query?: z.ZodObject
  body?: z.ZodType | JsonSchema
  /** The body may be left out (DELETE override, rotate). */
  bodyOptional?: boolean
  /**
   * The success answer. `schema`: its JSON body (none: no body, 204); `media`: its content types
   * (default JSON only; the others are documents, strings).
   */
  ok: { status: number; description: string; schema?: z.ZodType; media?: string[] }
  /** Error statuses besides the ones every keyed route has (401; 403 for the secret key's). */
  errors?: number[]
  /** Error answers of another shape than `{ error }` (a batch's 401, /healthz's 503). */
  errorSchemas?: Partial<Record<number, { description: string; schema: z.ZodType }>>
}
