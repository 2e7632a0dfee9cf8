/** The `Console` tag: signing in, invitations, members, the audit log. */
import { AuditQuerySchema } from '../routes/audit'
import { InviteSchema, RoleChangeSchema } from '../routes/members'
import { AcceptInviteSchema, SignInSchema } from '../routes/session'
import {
  AuditPageSchema,
  MemberInvitedSchema,
  MemberListSchema,
  MemberUpdatedSchema,
  SessionResponseSchema,
} from '../schemas/console-responses'
import type { Operation } from './types'

export const CONSOLE_OPERATIONS: Operation[] = [
  {
    method: 'post',
    path: '/v1/session',
    summary: 'Sign in to the console: sets the `jornada_session` cookie',
    tag: 'Console',
    auth: 'none',
    body: SignInSchema,
    ok: { status: 200, description: '`{ member, csrfToken }`', schema: SessionResponseSchema },
    errors: [400, 401, 403, 413, 429],
  },
  {
    method: 'get',
    path: '/v1/session',
    summary: "The signed-in member and the session's CSRF token",
    tag: 'Console',
    auth: 'session',
    ok: { status: 200, description: '`{ member, csrfToken }`', schema: SessionResponseSchema },
  },
  {
    method: 'delete',
    path: '/v1/session',
    summary: 'Sign out: the session is revoked on the server',
    tag: 'Console',
    auth: 'session',
    ok: { status: 204, description: 'Signed out' },
  },
  {
    method: 'post',
    path: '/v1/invites/accept',
    summary: "Set a password with an invitation's or the setup link's token (once): signed in",
    tag: 'Console',
    auth: 'none',
    body: AcceptInviteSchema,
    ok: { status: 200, description: '`{ member, csrfToken }` and the session cookie', schema: SessionResponseSchema },
    errors: [400, 403, 413],
  },
  {
    method: 'get',
    path: '/v1/members',
    summary: "The console's members",
    tag: 'Console',
    auth: 'secret',
    ok: { status: 200, description: '`{ items }`', schema: MemberListSchema },
  },
  {
    method: 'post',
    path: '/v1/members',
    summary: 'Invite a member (an owner only by an owner): a one-time link, valid 7 days',
    tag: 'Console',
    auth: 'secret',
    body: InviteSchema,
    ok: { status: 201, description: '`{ member, inviteUrl }`', schema: MemberInvitedSchema },
    errors: [400, 409, 413],
  },
  {
    method: 'patch',
    path: '/v1/members/:id',
    summary: "Change a member's role (an owner's only by an owner; the last owner stays one)",
    tag: 'Console',
    auth: 'secret',
    body: RoleChangeSchema,
    ok: { status: 200, description: '`{ member }`', schema: MemberUpdatedSchema },
    errors: [400, 404, 409, 413],
  },
  {
    method: 'delete',
    path: '/v1/members/:id',
    summary: 'Remove a member: their sessions end at once',
    tag: 'Console',
    auth: 'secret',
    ok: { status: 204, description: 'Removed' },
    errors: [404, 409],
  },
  {
    method: 'get',
    path: '/v1/audit',
    summary: 'The audit log, newest first: every change, sign-ins and failed sign-ins',
    tag: 'Console',
    auth: 'secret',
    query: AuditQuerySchema,
    ok: { status: 200, description: '`{ items, nextCursor }`', schema: AuditPageSchema },
    errors: [400],
  },
]
