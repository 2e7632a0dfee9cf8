/**
 * Who is calling: what a request presents, turned into a caller. A key (a write key, public, from
 * a page; a secret key, from the customer's servers) here, a console member's session in
 * sessions.ts. Which caller may do what is access.ts's.
 */
import type { BuilderGrant, ConsoleMember, KeyKind, Store, Workspace } from '../store/types'
import { ApiError } from './errors'

/** An authenticated caller of the API: a key, a console member signed in (sessions.ts), or a builder credential (builder-credentials.ts). */
export interface Caller {
  workspace: Workspace
  kind: KeyKind | 'member' | 'builder'
  /** The key's label in its workspace (`write`, `secret`, `secret_previous` during a rotation, `demo`, …), the member's id, or the builder credential's maker. */
  label: string
  /** The signed-in member, for a session. */
  member?: ConsoleMember
  /** The session's cookie token (hashed) and CSRF token. */
  session?: { tokenHash: string; csrfToken: string }
  /** A builder credential's grant and hash (builder-credentials.ts). */
  builder?: { grant: BuilderGrant; credentialHash: string }
}

/**
 * Keys are printable ASCII without spaces. Anything else cannot be a key we issued, and is refused
 * before it reaches the database (a U+0000 in a query parameter would be a 500 there).
 */
const KEY_SHAPE = /^[\x21-\x7e]{1,256}$/

/**
 * The key a request presents, in order (api.md, "Ingest"): `Authorization: Bearer <key>`, HTTP Basic
 * with the key as the user name (Segment's libraries), then `writeKey` in the body (sendBeacon cannot
 * set headers). The first one present is the one used; a malformed header is not a key.
 */
export function presentedKey(authorization: string | undefined, body: unknown): string | null {
  if (authorization !== undefined) {
    const match = /^\s*(\S+)\s+(\S+)\s*$/.exec(authorization)
    if (!match) return null
    const scheme = match[1]!.toLowerCase()
    if (scheme === 'bearer') return match[2]!
    if (scheme === 'basic') {
      const decoded = Buffer.from(match[2]!, 'base64').toString('utf8')
      const colon = decoded.indexOf(':')
      return colon === -1 ? decoded : decoded.slice(0, colon)
    }
    return null
  }
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const writeKey = (body as { writeKey?: unknown }).writeKey
    if (typeof writeKey === 'string') return writeKey
  }
  return null
}

/** The workspace and kind of the presented key; 401 when there is none or it is unknown. */
export async function callerOfKey(store: Store, key: string | null): Promise<Caller> {
  if (key === null || key === '')
    throw new ApiError(401, 'unauthorized', 'missing API key: use Authorization: Bearer <key>')
  const found = KEY_SHAPE.test(key) ? await store.findKey(key) : null
  if (!found) throw new ApiError(401, 'unauthorized', 'unknown API key')
  return found
}

/** `https://Example.com/` → `https://example.com`; unparseable values are kept as they are. */
export function normaliseOrigin(origin: string): string {
  const trimmed = origin.trim()
  if (trimmed === '*' || trimmed === 'null') return trimmed
  try {
    return new URL(trimmed).origin
  } catch {
    return trimmed
  }
}

/**
 * May a page at `origin` use this workspace's write key? The server's own origin always may (the
 * demo, a dashboard served here); otherwise it must be listed in `allowedOrigins`, or the list holds `*`.
 */
export function originAllowed(origin: string, requestUrl: string, allowedOrigins: readonly string[]): boolean {
  const own = new URL(requestUrl).origin
  const asked = normaliseOrigin(origin)
  if (asked === own) return true
  return allowedOrigins.some((allowed) => allowed === '*' || normaliseOrigin(allowed) === asked)
}

/** 403 forbidden_origin when a write key is used from a page whose origin the workspace does not allow. */
export function checkOrigin(principal: Caller, origin: string | undefined, requestUrl: string): void {
  if (principal.kind !== 'write' || origin === undefined) return
  if (!originAllowed(origin, requestUrl, principal.workspace.allowedOrigins)) {
    throw new ApiError(
      403,
      'forbidden_origin',
      `origin ${JSON.stringify(origin.slice(0, 200))} is not allowed to use this write key`,
    )
  }
}
