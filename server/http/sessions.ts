/**
 * Members' sessions (console.md, "Sign in"): a cookie, `jornada_session`, holding the workspace and
 * a random token; the server keeps the token's hash (console_sessions), so that signing out, a
 * removal or a new password ends a session for good, not only in the browser. A session ends after
 * 12 hours without use and after 7 days in any case.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { Store } from '../store/types'
import type { Caller } from './auth'
import { ApiError } from './errors'
import { ownOrigin } from './own-origin'

export const SESSION_COOKIE = 'jornada_session'
export const SESSION_IDLE_MS = 12 * 3_600_000
export const SESSION_MAX_MS = 7 * 86_400_000

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')
const random = () => randomBytes(32).toString('base64url')

/** A workspace-scoped single-use token (`ws.random`) and the hash the store keeps of it. */
export function newToken(workspaceId: string): { token: string; tokenHash: string } {
  const secret = random()
  return { token: `${workspaceId}.${secret}`, tokenHash: sha256(secret) }
}

/** The workspace and hashed secret of a token made by newToken, or null when it is not one. */
export function readToken(token: string | undefined): { workspaceId: string; tokenHash: string } | null {
  if (token === undefined || token.length > 400) return null
  const dot = token.lastIndexOf('.')
  const workspaceId = token.slice(0, dot)
  const secret = token.slice(dot + 1)
  if (dot <= 0 || !/^[A-Za-z0-9_-]{43}$/.test(secret) || !/^[\x21-\x7e]+$/.test(workspaceId)) return null
  return { workspaceId, tokenHash: sha256(secret) }
}

/** Starts a session for a member and sets its cookie; returns the session's CSRF token. */
export async function startSession(
  c: Context,
  store: Store,
  workspaceId: string,
  memberId: string,
  at: number,
): Promise<string> {
  const { token, tokenHash } = newToken(workspaceId)
  const csrfToken = random()
  await store.members.startSession(workspaceId, { tokenHash, memberId, csrfToken, at })
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/',
    secure: ownOrigin(c).startsWith('https:'),
    maxAge: SESSION_MAX_MS / 1000,
  })
  return csrfToken
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/' })
}

/** The member whose session cookie this request carries, as a caller; null when none is valid. */
export async function callerOfSession(c: Context, store: Store, now: number): Promise<Caller | null> {
  const found = readToken(getCookie(c, SESSION_COOKIE))
  if (found === null) return null
  const session = await store.members.findSession(found.workspaceId, found.tokenHash, now, {
    idleMs: SESSION_IDLE_MS,
    maxMs: SESSION_MAX_MS,
  })
  if (session === null) return null
  const workspace = await store.getWorkspace(session.workspaceId)
  if (workspace === null) return null
  return {
    workspace,
    kind: 'member',
    label: session.member.id,
    member: session.member,
    session: { tokenHash: found.tokenHash, csrfToken: session.csrfToken },
  }
}

const equal = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))

/**
 * console.md, "CSRF": a request that changes anything and is authenticated by the cookie carries
 * the session's token in `x-csrf-token` and comes from the server's own origin; otherwise `403 csrf`.
 */
export function checkCsrf(c: Context, caller: Caller): void {
  const token = c.req.header('x-csrf-token')
  const origin = c.req.header('origin')
  if (token === undefined || !caller.session || !equal(token, caller.session.csrfToken)) {
    throw new ApiError(403, 'csrf', "send the session's csrfToken in x-csrf-token")
  }
  if (origin === undefined || origin !== ownOrigin(c)) {
    throw new ApiError(403, 'csrf', "a change made with the session cookie must come from this server's own pages")
  }
}
