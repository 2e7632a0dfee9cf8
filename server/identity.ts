/**
 * Identity verification (api.md, "Experiences"; issue 5). A workspace with an identity secret
 * accepts a user id from a write key only with `userHash` = hex HMAC-SHA256 of the user id with that
 * secret, computed by the customer's own server:
 *
 *     crypto.createHmac('sha256', secret).update(userId).digest('hex')
 *
 * Without it, anyone holding the public write key could ask `/v1/experience` for another user's
 * experiences by guessing ids, overwrite that user's traits with an `identify`, or send events in
 * that user's name (an NPS answer of 0, a checklist item done). Secret-key
 * requests come from the customer's servers and are trusted as they are.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Issue } from '../sdk/wire'
import { ApiError } from './http'
import type { Principal } from './auth'
import type { NewEvent } from './store/types'

/** The `userHash` of `userId` under `secret`: lowercase hex HMAC-SHA256. */
export function userHashOf(secret: string, userId: string): string {
  return createHmac('sha256', secret).update(userId, 'utf8').digest('hex')
}

/** Does `hash` prove `userId` under `secret`? Compared in constant time; upper-case hex is accepted too. */
export function verifyUserHash(secret: string, userId: string, hash: string | null | undefined): boolean {
  if (typeof hash !== 'string' || hash.length !== 64) return false
  const given = Buffer.from(hash.toLowerCase(), 'utf8')
  const expected = Buffer.from(userHashOf(secret, userId), 'utf8')
  return timingSafeEqual(given, expected)
}

/** The secret to verify this request's user ids with, or null when nothing needs verifying. */
function secretFor(principal: Principal): string | null {
  return principal.kind === 'write' ? principal.workspace.identitySecret : null
}

/** `POST /v1/experience`: 401 invalid_user_hash when the workspace verifies identities and the hash is missing or wrong. */
export function checkUserHash(principal: Principal, userId: string, userHash: string | undefined): void {
  const secret = secretFor(principal)
  if (secret === null || verifyUserHash(secret, userId, userHash)) return
  throw new ApiError(401, 'invalid_user_hash', userHash === undefined
    ? 'this workspace verifies identities: send userHash, the HMAC-SHA256 of userId computed by your server'
    : 'userHash does not match userId', [{ path: 'userHash', message: userHash === undefined ? 'required' : 'does not match userId' }])
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * `POST /v1/batch`: with a write key of a workspace that verifies identities, every event with a
 * `userId` needs that user's `userHash` (the SDK attaches the hash `identify` was given to each event
 * of that user), so that the public write key cannot send events, NPS answers or traits as somebody
 * else. The ones without (or with a wrong one) are moved from `events` to `rejected` with an issue on
 * `batch.N.userHash`, and the rest of the batch is stored: one stale page must not lose the other
 * events of its queue (the route then answers 401 `invalid_user_hash`, naming them). Anonymous
 * events (no `userId`) need none.
 *
 * `events` are validateBatch's, in batch order, one for each index not in `rejected`.
 */
export function rejectUnverified<R extends { index: number; issues: Issue[] }>(
  principal: Principal, batch: unknown[], result: { events: NewEvent[]; rejected: R[] },
): { events: NewEvent[]; rejected: (R | { index: number; issues: Issue[] })[] } {
  const secret = secretFor(principal)
  if (secret === null) return result
  const invalid = new Set(result.rejected.map((r) => r.index))
  const events: NewEvent[] = []
  const rejected: (R | { index: number; issues: Issue[] })[] = [...result.rejected]
  let next = 0
  batch.forEach((raw, index) => {
    if (invalid.has(index)) return
    const event = result.events[next++]!
    if (event.userId === null) return void events.push(event)
    const hash = isObject(raw) ? raw.userHash : undefined
    if (verifyUserHash(secret, event.userId, typeof hash === 'string' ? hash : undefined)) return void events.push(event)
    rejected.push({ index, issues: [{ path: `batch.${index}.userHash`, message: hash == null ? 'required: this workspace verifies identities' : 'does not match userId' }] })
  })
  rejected.sort((a, b) => a.index - b.index)
  return { events, rejected }
}
