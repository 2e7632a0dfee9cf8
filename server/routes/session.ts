import { Hono } from 'hono'
import type { MiddlewareHandler } from 'hono'
import { z } from 'zod'
import { callerOf } from '../http/access'
import type { AppEnv } from '../http/app-env'
import { actorOf } from '../http/audit'
import { maxBody, readJson } from '../http/body'
import { ApiError } from '../http/errors'
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, hashPassword, prepareDecoy, verifyPassword } from '../http/passwords'
import { ownOrigin } from '../http/own-origin'
import { clearSessionCookie, readToken, startSession } from '../http/sessions'
import { json } from '../http/validate'
import type { ConsoleMember, Store } from '../store/types'

/** console.md, "Sign in": 5 failures for one email in 15 minutes, then 429 until the first of them is 15 minutes old. */
export const SIGN_IN_FAILURES = 5
export const SIGN_IN_WINDOW_MS = 15 * 60_000
const MAX_SESSION_BODY = 8 * 1024

const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(320)
  .pipe(z.email({ error: 'expected an email address' }))

export const SignInSchema = z.strictObject({ email, password: z.string().min(1).max(MAX_PASSWORD_LENGTH) })
export const AcceptInviteSchema = z.strictObject({
  token: z.string().min(1).max(400),
  password: z.string().min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`).max(MAX_PASSWORD_LENGTH),
})
export { email as EmailSchema }

export const memberJson = (m: ConsoleMember) => ({ id: m.id, email: m.email, role: m.role })

export interface SessionDeps {
  store: Store
  clock: () => number
  guard: MiddlewareHandler<AppEnv>
  /** The workspace whose console `POST /v1/session` signs in to (one console per server today). */
  workspaceId: string
}

/**
 * Signing in and out of the console (console.md, "Members, sessions, roles"), to be mounted under
 * `/v1`: `POST /v1/session`, `GET /v1/session`, `DELETE /v1/session`, and `POST /v1/invites/accept`
 * (an invitation's or the setup link's token, and a password: signed in).
 */
export function sessionRoute({ store, clock, guard, workspaceId }: SessionDeps): Hono<AppEnv> {
  const route = new Hono<AppEnv>()
  const limit = maxBody(MAX_SESSION_BODY)
  prepareDecoy()
  // Signing in from another site's form would sign the browser in as someone else (login CSRF): a
  // browser names the page's origin, which must be this server's; programs send none.
  const ownPage: MiddlewareHandler<AppEnv> = async (c, next) => {
    const origin = c.req.header('origin')
    if (origin !== undefined && origin !== ownOrigin(c)) {
      throw new ApiError(403, 'csrf', "signing in is for this server's own pages")
    }
    await next()
  }

  route.post('/session', limit, guard, ownPage, readJson(), json(SignInSchema, 'sign-in'), async (c) => {
    const { email: who, password } = c.req.valid('json')
    const now = clock()
    // A failure exactly 15 minutes old has left the window.
    const throttle = (failures: number[]) => {
      const seconds = Math.max(
        1,
        Math.ceil((failures[failures.length - SIGN_IN_FAILURES]! + SIGN_IN_WINDOW_MS - now) / 1000),
      )
      c.header('Retry-After', String(seconds))
      return new ApiError(429, 'rate_limited', `too many failed sign-ins for this email: retry in ${seconds} s`)
    }
    const since = now - SIGN_IN_WINDOW_MS + 1
    const earlier = await store.members.failuresSince(workspaceId, who, since)
    if (earlier.length >= SIGN_IN_FAILURES) throw throttle(earlier)
    // The attempt counts as a failure before the slow check, and is taken back if it succeeds: guesses
    // sent all at once cannot all pass the count while the first of them are still being checked.
    const attempt = await store.members.recordFailure(workspaceId, who, now)
    const counted = await store.members.failuresSince(workspaceId, who, since)
    if (counted.length > SIGN_IN_FAILURES) throw throttle(counted)
    const found = await store.members.findByEmail(workspaceId, who)
    // The same answer, after the same work, for an unknown email and a wrong password.
    const ok = await verifyPassword(password, found?.passwordHash ?? null)
    if (!found || !ok) {
      await store.audit.append(workspaceId, {
        at: now,
        actor: { kind: 'member', id: found?.member.id ?? '(unknown)', email: who },
        action: 'session.sign_in_failed',
        target: `member:${found?.member.id ?? who}`,
      })
      throw new ApiError(401, 'invalid_credentials', 'wrong email or password')
    }
    await store.members.forgetFailure(workspaceId, who, attempt)
    const csrfToken = await startSession(c, store, workspaceId, found.member.id, now)
    await store.audit.append(workspaceId, {
      at: now,
      actor: { kind: 'member', id: found.member.id, email: found.member.email },
      action: 'session.sign_in',
      target: `member:${found.member.id}`,
    })
    c.set('workspace', workspaceId)
    return c.json({ member: memberJson(found.member), csrfToken }, 200, { 'Cache-Control': 'no-store' })
  })

  route.get('/session', guard, (c) => {
    const caller = callerOf(c)
    return c.json({ member: memberJson(caller.member!), csrfToken: caller.session!.csrfToken }, 200, {
      'Cache-Control': 'no-store',
    })
  })

  route.delete('/session', guard, async (c) => {
    const caller = callerOf(c)
    await store.members.endSession(caller.workspace.id, caller.session!.tokenHash)
    clearSessionCookie(c)
    await store.audit.append(caller.workspace.id, {
      at: clock(),
      actor: actorOf(caller),
      action: 'session.sign_out',
      target: `member:${caller.member!.id}`,
    })
    return c.body(null, 204)
  })

  route.post(
    '/invites/accept',
    limit,
    guard,
    ownPage,
    readJson(),
    json(AcceptInviteSchema, 'invitation'),
    async (c) => {
      const { token, password } = c.req.valid('json')
      const now = clock()
      const found = readToken(token)
      const used = found && (await store.members.useToken(found.workspaceId, found.tokenHash, now))
      const member = used ? await store.members.get(found.workspaceId, used.memberId) : null
      // A setup link found later in a log must not reset the password the owner set with another one.
      if (!found || !used || !member || (used.kind === 'setup' && member.hasPassword)) {
        throw new ApiError(400, 'invalid_body', 'this link was used already, has expired, or is not one of ours', [
          { path: 'token', message: 'used, expired or unknown' },
        ])
      }
      const updated = (await store.members.update(found.workspaceId, member.id, {
        passwordHash: await hashPassword(password),
      }))!
      // A new password ends every earlier session of the member.
      await store.members.endSessions(found.workspaceId, member.id)
      const csrfToken = await startSession(c, store, found.workspaceId, member.id, now)
      await store.audit.append(found.workspaceId, {
        at: now,
        actor: { kind: 'member', id: member.id, email: member.email },
        action: used.kind === 'setup' ? 'member.setup' : 'member.invite_accepted',
        target: `member:${member.id}`,
      })
      c.set('workspace', found.workspaceId)
      return c.json({ member: memberJson(updated), csrfToken }, 200, { 'Cache-Control': 'no-store' })
    },
  )

  return route
}
