import { randomBytes } from 'node:crypto'
import { Hono } from 'hono'
import type { MiddlewareHandler } from 'hono'
import { z } from 'zod'
import { atLeast, callerOf, roleOf } from '../http/access'
import type { AppEnv } from '../http/app-env'
import { recordChange } from '../http/audit'
import { maxBody, readJson } from '../http/body'
import { ApiError } from '../http/errors'
import { ownOrigin } from '../http/own-origin'
import { newToken } from '../http/sessions'
import { json, param } from '../http/validate'
import type { ConsoleMember, Role, Store } from '../store/types'
import { ROLES } from '../store/types'
import { EmailSchema } from './session'

/** How long an invitation can be used (console.md, "Members"). */
export const INVITE_TTL_MS = 7 * 86_400_000
const MAX_MEMBERS_BODY = 8 * 1024

export const InviteSchema = z.strictObject({ email: EmailSchema, role: z.enum(ROLES) })
export const RoleChangeSchema = z.strictObject({ role: z.enum(ROLES) })
const MemberPathSchema = z.strictObject({ id: z.string() })

const memberItem = (m: ConsoleMember) => ({
  id: m.id,
  email: m.email,
  role: m.role,
  createdAt: new Date(m.createdAt).toISOString(),
  pending: !m.hasPassword,
})

export interface MembersDeps {
  store: Store
  clock: () => number
  guard: MiddlewareHandler<AppEnv>
}

/**
 * The console's members (console.md, "Members"), to be mounted under `/v1`; admins manage them,
 * except owners, whom only an owner may invite, change or remove. The last owner stays one.
 */
export function membersRoute({ store, clock, guard }: MembersDeps): Hono<AppEnv> {
  const route = new Hono<AppEnv>()
  const limit = maxBody(MAX_MEMBERS_BODY)
  const notFound = (id: string) => new ApiError(404, 'not_found', `no member ${JSON.stringify(id)}`)

  /** Owners are an owner's to invite, change or remove (console.md, "Roles"). */
  function requireOwnerFor(role: Role, callerRole: Role | null): void {
    if (role === 'owner' && !atLeast(callerRole, 'owner')) {
      throw new ApiError(403, 'forbidden_role', 'only an owner may invite, change or remove an owner')
    }
  }

  async function keepAnOwner(ws: string, leaving: ConsoleMember): Promise<void> {
    if (leaving.role !== 'owner') return
    const owners = (await store.members.list(ws)).filter((m) => m.role === 'owner')
    if (owners.length <= 1)
      throw new ApiError(409, 'conflict', 'the workspace must keep an owner: make another member owner first')
  }

  route.get('/members', guard, async (c) => {
    const items = await store.members.list(callerOf(c).workspace.id)
    return c.json({ items: items.map(memberItem) }, 200)
  })

  route.post('/members', limit, guard, readJson(), json(InviteSchema, 'invitation'), async (c) => {
    const caller = callerOf(c)
    const ws = caller.workspace.id
    const { email, role } = c.req.valid('json')
    requireOwnerFor(role, roleOf(caller))
    const now = clock()
    const member = await store.members.create(ws, {
      id: `m_${randomBytes(9).toString('base64url')}`,
      email,
      role,
      passwordHash: null,
      at: now,
    })
    if (!member) {
      throw new ApiError(409, 'conflict', `${email} is a member already`, [
        { path: 'email', message: 'already a member' },
      ])
    }
    const { token, tokenHash } = newToken(ws)
    await store.members.createToken(ws, {
      tokenHash,
      kind: 'invite',
      memberId: member.id,
      expiresAt: now + INVITE_TTL_MS,
    })
    await recordChange(c, store, now, {
      action: 'member.invite',
      target: `member:${member.id}`,
      after: { email, role },
    })
    const inviteUrl = `${ownOrigin(c)}/console/invite?token=${encodeURIComponent(token)}`
    return c.json({ member: memberItem(member), inviteUrl }, 201, { 'Cache-Control': 'no-store' })
  })

  route.patch(
    '/members/:id',
    limit,
    guard,
    param(MemberPathSchema),
    readJson(),
    json(RoleChangeSchema, 'member'),
    async (c) => {
      const caller = callerOf(c)
      const ws = caller.workspace.id
      const { id } = c.req.valid('param')
      const { role } = c.req.valid('json')
      const member = await store.members.get(ws, id)
      if (!member) throw notFound(id)
      requireOwnerFor(member.role, roleOf(caller))
      requireOwnerFor(role, roleOf(caller))
      if (role !== 'owner') await keepAnOwner(ws, member)
      const updated = (await store.members.update(ws, id, { role }))!
      await recordChange(c, store, clock(), {
        action: 'member.role',
        target: `member:${id}`,
        before: { role: member.role },
        after: { role },
      })
      return c.json({ member: memberItem(updated) }, 200)
    },
  )

  route.delete('/members/:id', guard, param(MemberPathSchema), async (c) => {
    const caller = callerOf(c)
    const ws = caller.workspace.id
    const { id } = c.req.valid('param')
    const member = await store.members.get(ws, id)
    if (!member) throw notFound(id)
    requireOwnerFor(member.role, roleOf(caller))
    await keepAnOwner(ws, member)
    // Its sessions end with it (the store removes them in the same transaction).
    await store.members.remove(ws, id)
    await recordChange(c, store, clock(), {
      action: 'member.remove',
      target: `member:${id}`,
      before: { email: member.email, role: member.role },
    })
    return c.body(null, 204)
  })

  return route
}
