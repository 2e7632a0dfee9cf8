/**
 * Identity verification (docs/security.md, "Identity verification"). A workspace with an identity
 * secret (JORNADA_IDENTITY_SECRET) trusts what a write key (public: it sits in the page) says about
 * who is calling only with proof computed by the vendor's own server:
 *
 * - `userHash`: hex HMAC-SHA256 of the user id with the secret. It proves the user, and only the user.
 * - `userToken`: a JWT signed with the secret (HS256) naming the user (`sub`), the accounts they
 *   belong to (`accounts`) and an expiry (`exp`). It proves the user and their accounts.
 *
 * What each may do there, from a write key:
 * - an event with a `userId` needs a proof of that user (else it is refused: 401 invalid_user_hash);
 * - an account is reached only through a token that names it: an event naming another account, or a
 *   `group` call without a token, is refused (403 forbidden_account). An event that names an account
 *   without a token (the SDK adds the account of its last `group` call to every event) is stored as
 *   if it named none: it belongs to the account its user was put in by a token or by the vendor's
 *   server (secret key), never to one the page chose;
 * - an anonymous event (no `userId`) is stored, but it belongs to no account: it completes no
 *   milestone, sets no account trait and is no fact of any account.
 * Secret-key requests come from the vendor's servers and are trusted as they are.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { sign, verify } from 'hono/jwt'
import type { Issue } from '../../sdk/wire'
import type { Caller } from '../http/auth'
import { ApiError } from '../http/errors'
import type { NewEvent } from '../store/types'
import { isPlainObject } from './schema'

/** The `userHash` of `userId` under `secret`: lowercase hex HMAC-SHA256. */
export function userHashOf(secret: string, userId: string): string {
  return createHmac('sha256', secret).update(userId, 'utf8').digest('hex')
}

const HEX_64 = /^[0-9a-fA-F]{64}$/

/** Does `hash` prove `userId` under `secret`? Compared in constant time; upper-case hex is accepted too. */
export function verifyUserHash(secret: string, userId: string, hash: string | null | undefined): boolean {
  // 64 hex digits or nothing: anything else (a 64-character string of other letters) has no equal
  // byte length to compare in constant time, and cannot be a hash anyway.
  if (typeof hash !== 'string' || !HEX_64.test(hash)) return false
  return timingSafeEqual(Buffer.from(hash.toLowerCase(), 'latin1'), Buffer.from(userHashOf(secret, userId), 'latin1'))
}

/** What a verified `userToken` proves. */
export interface UserToken {
  userId: string
  accounts: ReadonlySet<string>
}

/**
 * How far apart the vendor's server's clock and this one may be: a token is taken from `LEEWAY_S`
 * before its `nbf` (or `iat`) until `LEEWAY_S` after its `exp`. Without it, a token minted by a
 * server whose clock runs a second ahead is refused, and the page's events with it.
 */
export const LEEWAY_S = 60

/**
 * The user and accounts a `userToken` proves under `secret` at `now` (epoch ms), or why it proves
 * nothing. HS256 only (the algorithm is pinned: a token cannot choose another), signature checked
 * by Hono's JWT helper; `exp` is required; `exp`, `nbf` and `iat` are checked here, with LEEWAY_S.
 */
export async function verifyUserToken(secret: string, token: string, now = Date.now()): Promise<UserToken | string> {
  let payload: Record<string, unknown>
  try {
    payload = await verify(token, secret, { alg: 'HS256', exp: false, nbf: false, iat: false })
  } catch (err) {
    const name = err instanceof Error ? err.name : ''
    if (name === 'JwtTokenSignatureMismatched') return 'signature does not match: sign it with the identity secret'
    return 'not a valid HS256 JWT'
  }
  const seconds = now / 1000
  if (typeof payload.exp !== 'number') return 'exp (an expiry, seconds since the epoch) is required'
  if (payload.exp + LEEWAY_S <= seconds) return 'expired'
  for (const claim of ['nbf', 'iat'] as const) {
    const t = payload[claim]
    if (t !== undefined && (typeof t !== 'number' || t - LEEWAY_S > seconds)) return `${claim} is in the future`
  }
  if (typeof payload.sub !== 'string' || payload.sub === '') return 'sub (the user id) is required'
  const accounts = payload.accounts ?? []
  if (!Array.isArray(accounts) || !accounts.every((a) => typeof a === 'string' || typeof a === 'number')) {
    return 'accounts must be a list of account ids'
  }
  return { userId: payload.sub, accounts: new Set(accounts.map(String)) }
}

/**
 * A `userToken` for `userId` and `accounts`, valid `ttlSeconds` from `now` (epoch ms): what a
 * vendor's server mints (docs/security.md shows it with `jose`); the demo mints its user's here.
 */
export function mintUserToken(
  secret: string,
  userId: string,
  accounts: readonly string[],
  now: number,
  ttlSeconds = 3600,
): Promise<string> {
  const iat = Math.floor(now / 1000)
  return sign({ sub: userId, accounts: [...accounts], iat, exp: iat + ttlSeconds }, secret, 'HS256')
}

/** The identity secret to check this caller's claims with, or null when nothing needs checking. */
export function identitySecretFor(caller: Caller): string | null {
  return caller.kind === 'write' ? caller.workspace.identitySecret : null
}

/** A verified token's claims, or why it failed, by token text: each token of a request is verified once. */
export type TokenChecks = ReadonlyMap<string, UserToken | string>

/** Verifies every distinct `userToken` of `raws` (events or a request body). */
export async function checkTokens(secret: string, raws: readonly unknown[]): Promise<TokenChecks> {
  const tokens = new Set<string>()
  for (const raw of raws) if (isPlainObject(raw) && typeof raw.userToken === 'string') tokens.add(raw.userToken)
  const checks = new Map<string, UserToken | string>()
  await Promise.all([...tokens].map(async (t) => checks.set(t, await verifyUserToken(secret, t))))
  return checks
}

/** How one event fares under identity verification. */
type Verdict = { ok: true; event: NewEvent } | { ok: false; status: 401 | 403; issue: Issue }

/** One valid event, from a write key of a workspace that verifies identities (see the header). */
function verifyEvent(secret: string, tokens: TokenChecks, raw: unknown, event: NewEvent, index: number): Verdict {
  const at = (field: string) => `batch.${index}.${field}`
  const proof = isPlainObject(raw) ? raw : {}
  const token = typeof proof.userToken === 'string' ? tokens.get(proof.userToken) : undefined
  if (typeof token === 'string') return { ok: false, status: 401, issue: { path: at('userToken'), message: token } }
  if (event.userId !== null) {
    if (token !== undefined) {
      if (token.userId !== event.userId)
        return { ok: false, status: 401, issue: { path: at('userToken'), message: 'names another user than userId' } }
    } else {
      const hash = proof.userHash
      if (!verifyUserHash(secret, event.userId, typeof hash === 'string' ? hash : undefined)) {
        return {
          ok: false,
          status: 401,
          issue: {
            path: at('userHash'),
            message: hash == null ? 'required: this workspace verifies identities' : 'does not match userId',
          },
        }
      }
    }
  }
  if (event.accountId === null) {
    // A token naming one account: an event that names none is that account's, never another's.
    // (Naming several, the store gives it the account of the user's latest group call, which a
    // token or the vendor's server made.)
    if (token !== undefined && event.userId !== null && token.accounts.size === 1) {
      return { ok: true, event: { ...event, accountId: [...token.accounts][0]! } }
    }
    return { ok: true, event }
  }
  if (token !== undefined && event.userId !== null) {
    if (token.accounts.has(event.accountId)) return { ok: true, event }
    return {
      ok: false,
      status: 403,
      issue: { path: at('accountId'), message: "not among the accounts of the user's token" },
    }
  }
  if (event.type === 'group') {
    const message =
      event.userId === null
        ? 'an anonymous group call cannot join an account: this workspace verifies identities'
        : 'a group call needs a userToken naming the account (or the secret key)'
    return { ok: false, status: 403, issue: { path: at('accountId'), message } }
  }
  // Not proven: the event belongs where its user was put by a token or the vendor's server.
  return { ok: true, event: { ...event, accountId: null } }
}

/** The outcome of identity verification over a validated batch. */
export interface VerifiedBatch<R> {
  events: NewEvent[]
  rejected: (R | { index: number; issues: Issue[] })[]
  /** Events refused for want of a proof of their user (401). */
  unverified: Issue[]
  /** Events refused for naming an account their proof does not reach (403). */
  outsideAccounts: Issue[]
}

/**
 * `POST /v1/batch` with a write key of a workspace that verifies identities: each valid event
 * judged as the header says. `events` are validateBatch's, in batch order, one for each index not
 * in `rejected`. Refused events join `rejected`, the rest is stored: one stale page must not lose
 * the other events of its queue.
 */
export function verifyBatch<R extends { index: number; issues: Issue[] }>(
  secret: string,
  tokens: TokenChecks,
  batch: readonly unknown[],
  result: { events: NewEvent[]; rejected: R[] },
): VerifiedBatch<R> {
  const invalid = new Set(result.rejected.map((r) => r.index))
  const out: VerifiedBatch<R> = { events: [], rejected: [...result.rejected], unverified: [], outsideAccounts: [] }
  let next = 0
  batch.forEach((raw, index) => {
    if (invalid.has(index)) return
    const verdict = verifyEvent(secret, tokens, raw, result.events[next++]!, index)
    if (verdict.ok) return void out.events.push(verdict.event)
    out.rejected.push({ index, issues: [verdict.issue] })
    ;(verdict.status === 401 ? out.unverified : out.outsideAccounts).push(verdict.issue)
  })
  out.rejected.sort((a, b) => a.index - b.index)
  return out
}

/**
 * `POST /v1/experience`: the user of the request proven (401 `invalid_user_token` or
 * `invalid_user_hash`) and, with a token, the account among its accounts (403 `forbidden_account`).
 * Returns whether the account is proven (a token names it); without a token the route shows only an
 * account the user already belongs to.
 */
export async function checkExperienceIdentity(
  caller: Caller,
  body: { userId: string; accountId: string; userHash?: string | undefined; userToken?: string | undefined },
): Promise<{ accountProven: boolean }> {
  const secret = identitySecretFor(caller)
  if (secret === null) return { accountProven: true }
  if (body.userToken !== undefined) {
    const token = await verifyUserToken(secret, body.userToken)
    const wrong =
      typeof token === 'string' ? token : token.userId !== body.userId ? 'names another user than userId' : null
    if (wrong !== null)
      throw new ApiError(401, 'invalid_user_token', `userToken: ${wrong}`, [{ path: 'userToken', message: wrong }])
    if (!(token as UserToken).accounts.has(body.accountId)) {
      throw new ApiError(403, 'forbidden_account', "the user's token does not name this account", [
        { path: 'accountId', message: "not among the accounts of the user's token" },
      ])
    }
    return { accountProven: true }
  }
  if (!verifyUserHash(secret, body.userId, body.userHash)) {
    throw new ApiError(
      401,
      'invalid_user_hash',
      body.userHash === undefined
        ? 'this workspace verifies identities: send userHash (the HMAC-SHA256 of userId) or userToken, computed by your server'
        : 'userHash does not match userId',
      [{ path: 'userHash', message: body.userHash === undefined ? 'required' : 'does not match userId' }],
    )
  }
  return { accountProven: false }
}
