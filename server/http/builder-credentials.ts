/**
 * Builder mode's credentials (docs/console.md, "Builder mode"). An editor's console makes a token
 * (`POST /v1/builder/tokens`, single use, valid 10 minutes) and opens the customer's app with it in
 * the URL's fragment; the builder chunk on that page exchanges it once (`POST /v1/builder/session`)
 * for a credential valid 1 hour, which the guard admits on the `builder` routes only: reading the
 * guides, saving a step's target into a draft. Nothing else of the API knows it: on any other
 * route it is an unknown key. Both are `workspace.random` (sessions.ts newToken); the store keeps
 * their hashes.
 */
import type { Context } from 'hono'
import { ROLES } from '../store/types'
import type { Store } from '../store/types'
import type { Caller } from './auth'
import { originAllowed } from './auth'
import { ApiError } from './errors'
import { ownOrigin } from './own-origin'
import { readToken } from './sessions'

export const BUILDER_TOKEN_MS = 10 * 60_000
export const BUILDER_CREDENTIAL_MS = 60 * 60_000

/** 403 forbidden_origin unless the page's origin may use the workspace's write key (auth.ts originAllowed). */
export function checkBuilderOrigin(c: Context, allowedOrigins: readonly string[]): void {
  const origin = c.req.header('origin')
  if (origin !== undefined && !originAllowed(origin, ownOrigin(c), allowedOrigins))
    throw new ApiError(
      403,
      'forbidden_origin',
      `origin ${JSON.stringify(origin.slice(0, 200))} is not among the workspace's allowed origins`,
    )
}

const expired = () =>
  new ApiError(
    401,
    'unauthorized',
    'the builder credential is unknown or expired: open builder mode again from the console',
  )

/**
 * The caller of a `builder` route: `Authorization: Bearer <credential>`, still valid, from an
 * allowed origin, made by a member who still may edit (a removed or demoted member's credential
 * stops working at once).
 */
export async function callerOfBuilder(c: Context, store: Store, now: number): Promise<Caller> {
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')
  const found = readToken(match?.[1])
  if (found === null) throw expired()
  const grant = await store.builder.findCredential(found.workspaceId, found.tokenHash, now)
  if (grant === null) throw expired()
  const workspace = await store.getWorkspace(grant.workspaceId)
  if (workspace === null) throw expired()
  checkBuilderOrigin(c, workspace.allowedOrigins)
  if (grant.actor.kind === 'member') {
    const member = await store.members.get(workspace.id, grant.actor.id)
    if (member === null || ROLES.indexOf(member.role) < ROLES.indexOf('editor')) throw expired()
  }
  return {
    workspace,
    kind: 'builder',
    label: grant.actor.id,
    builder: { grant, credentialHash: found.tokenHash },
  }
}
