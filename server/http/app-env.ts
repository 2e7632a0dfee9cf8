import type { Caller } from './auth'

/**
 * What the middleware of a request hands on through the context: the caller (access.ts), the
 * parsed body (body.ts), and what handlers tell the request log (request-log.ts).
 */
export interface AppEnv {
  Variables: {
    /** Who is calling, once the route's guard admitted them. */
    caller?: Caller
    /** The request's JSON body, once body.ts `readJson` parsed it. */
    json?: unknown
    /** The server's origin as the browser sees it (own-origin.ts), set for every request. */
    origin?: string
    workspace?: string
    accepted?: number
    duplicates?: number
    rejected?: number
  }
}
