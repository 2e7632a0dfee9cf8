/**
 * Who may call what: one table of route → least access, and one guard that enforces it on every
 * route of the API. A route missing from the table cannot be mounted (createApp checks every route
 * at start), so a new route is refused to everyone until someone decides who may call it.
 *
 * Access levels, each including the ones before it: `write` (a write key: public, in the page),
 * then the console's roles (console.md, "Roles"): `viewer`, `csm`, `editor`, `admin`, `owner`. The
 * secret key acts as an owner; a member signed in to the console (sessions.ts) has its role. A write
 * key has no role: on a route that needs one it is a `403 forbidden_key`; a member whose role is
 * below the route's is a `403 forbidden_role`. Three more levels: `public` (signing in: nobody yet),
 * `session` (a member's own session: keys are refused) and `builder` (a builder credential only,
 * builder-credentials.ts: what the builder chunk may do on the customer's page, nothing more).
 */
import type { Context, MiddlewareHandler } from 'hono'
import { ROLES } from '../store/types'
import type { Role, Store } from '../store/types'
import { callerOfKey, checkOrigin, presentedKey } from './auth'
import { callerOfBuilder } from './builder-credentials'
import { callerOfSession, checkCsrf } from './sessions'
import type { Caller } from './auth'
import type { AppEnv } from './app-env'
import { ApiError } from './errors'
import { ownOrigin } from './own-origin'
import type { RateLimit } from './rate-limit'

export { ROLES } from '../store/types'
export type { Role } from '../store/types'
export type Access = 'public' | 'session' | 'write' | 'builder' | Role

/**
 * Segment's per-call endpoints beside `/v1/batch` (server/ingest/schema.ts SEGMENT_CALLS), and the
 * short paths of the seven (schema.ts SEGMENT_SHORT_PATHS: `/v1/b`, `/v1/i`, `/v1/t`, `/v1/p`,
 * `/v1/s`, `/v1/g`, `/v1/a`).
 */
const SEGMENT_ROUTES = [
  'identify',
  'track',
  'page',
  'screen',
  'group',
  'alias',
  'b',
  'i',
  't',
  'p',
  's',
  'g',
  'a',
] as const

/**
 * Every route of `/v1` and the least access it needs (`METHOD /v1/path` as the route is written).
 * Reading is `viewer`; overrides are `csm`; the journey config is `editor`; webhooks' changes and
 * keys are `admin` (console.md, "Roles").
 */
export const ROUTE_ACCESS: Readonly<Record<string, Access>> = {
  'POST /v1/batch': 'write',
  ...Object.fromEntries(SEGMENT_ROUTES.map((call) => [`POST /v1/${call}`, 'write'])),
  'POST /v1/experience': 'write',
  // analytics.js's own delivery metrics: answered 204 without reading anything, so nobody needs a key.
  'POST /v1/m': 'public',

  'GET /v1/config': 'viewer',
  'PUT /v1/config': 'editor',
  'GET /v1/config/revisions': 'viewer',
  'GET /v1/config/revisions/:id': 'viewer',
  'GET /v1/config/revisions/:id/diff': 'viewer',
  'POST /v1/config/drafts': 'editor',
  'PATCH /v1/config/drafts/:id': 'editor',
  'DELETE /v1/config/drafts/:id': 'editor',
  'POST /v1/config/drafts/:id/dry-run': 'editor',
  'POST /v1/config/preview': 'viewer',
  'POST /v1/config/revisions/:id/publish': 'editor',

  'GET /v1/accounts': 'viewer',
  'GET /v1/accounts/:id/journey': 'viewer',
  'GET /v1/accounts/:id/journey/diff': 'viewer',
  'GET /v1/accounts/:id/override': 'viewer',
  'PUT /v1/accounts/:id/override': 'csm',
  'DELETE /v1/accounts/:id/override': 'csm',
  'GET /v1/accounts/:id/health-history': 'viewer',
  'GET /v1/accounts/:id/activity': 'viewer',
  'GET /v1/accounts/:id/value': 'viewer',
  'GET /v1/accounts/:id/qbr': 'viewer',
  'GET /v1/journey-map': 'viewer',
  'GET /v1/overview': 'viewer',
  'GET /v1/results/experiences': 'viewer',
  'GET /v1/results/nps': 'viewer',

  'GET /v1/webhooks': 'viewer',
  'POST /v1/webhooks': 'admin',
  'PATCH /v1/webhooks/:id': 'admin',
  'DELETE /v1/webhooks/:id': 'admin',
  'GET /v1/webhooks/:id/deliveries': 'viewer',
  'POST /v1/webhooks/:id/deliveries/:deliveryId/replay': 'admin',

  'POST /v1/session': 'public',
  'GET /v1/session': 'session',
  'DELETE /v1/session': 'session',
  'POST /v1/invites/accept': 'public',
  'GET /v1/members': 'admin',
  'POST /v1/members': 'admin',
  'PATCH /v1/members/:id': 'admin',
  'DELETE /v1/members/:id': 'admin',
  'GET /v1/audit': 'viewer',

  // The new key is shown to whoever rotates it, and acts as an owner: revealing one is an owner's power.
  'POST /v1/keys/secret/rotate': 'owner',
  'POST /v1/keys/secret/retire': 'admin',
  'GET /v1/keys/identity': 'admin',
  'GET /v1/keys/write/origins': 'admin',
  'PUT /v1/keys/write/origins': 'admin',

  'POST /v1/builder/tokens': 'editor',
  'POST /v1/builder/session': 'public',
  'GET /v1/builder/guides': 'builder',
  'PUT /v1/builder/guides/:guideId/steps/:step/target': 'builder',
}

/** The role a caller acts with: the secret key is an owner, a member has its own, a write key none. */
export function roleOf(caller: Caller): Role | null {
  if (caller.kind === 'secret') return 'owner'
  return caller.member?.role ?? null
}

/** Is `role` at least `least`? */
export const atLeast = (role: Role | null, least: Role): boolean =>
  role !== null && ROLES.indexOf(role) >= ROLES.indexOf(least)

/** Does `caller` reach `access`? */
export function allows(caller: Caller, access: Access): boolean {
  if (access === 'public' || access === 'write') return true
  if (access === 'session') return caller.kind === 'member'
  if (access === 'builder') return caller.kind === 'builder'
  return atLeast(roleOf(caller), access)
}

/** Methods that change nothing: no CSRF token needed with the cookie. */
const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS'])

/** The table's key of the route a handler runs for. */
export const routeKey = (method: string, path: string): string => `${method} ${path}`

export interface GuardDeps {
  store: Store
  /** Write-key rate limits (rate-limit.ts); none when absent. */
  rateLimit?: RateLimit
  /** Epoch ms, for sessions' expiry. */
  clock: () => number
}

/**
 * The guard: put in the chain of every `/v1` route (after the body is read, for routes a write key
 * may call: the key may be in the body, for sendBeacon). It finds the route's access in ROUTE_ACCESS,
 * resolves the caller (auth.ts, sessions.ts), names the workspace for the request log, then:
 * - `public` routes: nothing more (the route signs its caller in);
 * - `write` routes: checks the page's origin for a write key, then the rate limit;
 * - `builder` routes: a builder credential from the Authorization header, from an allowed origin;
 * - other routes: a key from the Authorization header (a secret key never travels in a body), else
 *   the session cookie, whose changes need the CSRF token and the server's own origin; a caller
 *   without the access is a `403` (`forbidden_role` for a member, `forbidden_key` for a key).
 */
export function createGuard({ store, rateLimit, clock }: GuardDeps): MiddlewareHandler<AppEnv> {
  return async function guard(c, next) {
    // A HEAD is answered by its GET route (Hono's routing), and needs what the GET needs.
    const access = ROUTE_ACCESS[routeKey(c.req.method === 'HEAD' ? 'GET' : c.req.method, c.req.routePath)]
    // createApp refuses to mount a route without an entry: this is only reached by a route added
    // to a running app, and it is then closed to everyone.
    if (access === undefined) throw new ApiError(403, 'forbidden_key', 'this route has no access rule')
    if (access === 'public') return next()
    let caller: Caller | Response
    if (access === 'write') caller = await admitWriter(c, store, rateLimit)
    else if (access === 'builder') caller = await callerOfBuilder(c, store, clock())
    else if (c.req.header('authorization') !== undefined) {
      caller = await callerOfKey(store, presentedKey(c.req.header('authorization'), undefined))
    } else {
      const member = await callerOfSession(c, store, clock())
      if (member === null)
        throw new ApiError(
          401,
          'unauthorized',
          'sign in (POST /v1/session), or send a key: Authorization: Bearer <key>',
        )
      if (!SAFE_METHODS.has(c.req.method)) checkCsrf(c, member)
      caller = member
    }
    if (caller instanceof Response) return caller
    c.set('workspace', caller.workspace.id)
    c.set('caller', caller)
    if (!allows(caller, access)) {
      if (caller.kind === 'member')
        throw new ApiError(
          403,
          'forbidden_role',
          `this needs the ${access} role or above; yours is ${caller.member!.role}`,
        )
      if (access === 'session')
        throw new ApiError(403, 'forbidden_key', "this route is the console's: sign in (POST /v1/session)")
      throw new ApiError(403, 'forbidden_key', 'this endpoint needs the secret key; write keys are public')
    }
    await next()
  }
}

/**
 * The caller of a route that a write key may use (`/v1/batch`, `/v1/experience`): the key from the
 * header, else `writeKey` in the body; the page's origin; then the rate limit (a `429` Response).
 */
async function admitWriter(
  c: Context<AppEnv>,
  store: Store,
  rateLimit: RateLimit | undefined,
): Promise<Caller | Response> {
  let caller: Caller
  try {
    caller = await callerOfKey(store, presentedKey(c.req.header('authorization'), c.get('json')))
  } catch (err) {
    // An unknown key still costs its address a token: guessing keys is rate limited too.
    const limited = err instanceof ApiError && err.status === 401 ? rateLimit?.(c, null) : null
    if (limited) return limited
    throw err
  }
  c.set('workspace', caller.workspace.id)
  checkOrigin(caller, c.req.header('origin'), ownOrigin(c))
  return rateLimit?.(c, caller) ?? caller
}

/** The caller the route's guard admitted (handlers run after it). */
export function callerOf(c: Context<AppEnv>): Caller {
  const caller = c.get('caller')
  if (!caller) throw new Error('callerOf: the route has no guard')
  return caller
}
