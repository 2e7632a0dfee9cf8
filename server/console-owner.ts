/**
 * The first owner of the console (console.md, "The first owner"), made at start from the env:
 * `JORNADA_ADMIN_EMAIL` names them; with `JORNADA_ADMIN_PASSWORD` they exist with that password
 * (set again when it changed: the env decides), and without it a one-time link,
 * `/console/setup?token=…`, valid 24 hours, lets them set one. Each start that finds the owner still
 * without a password prints a new link; once a password is set, every setup link is dead
 * (routes/session.ts refuses a setup token for a member who has one).
 */
import { randomBytes } from 'node:crypto'
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, verifyPassword } from './http/passwords'
import { newToken } from './http/sessions'
import { EmailSchema } from './routes/session'
import type { Store } from './store/types'

export const SETUP_TTL_MS = 24 * 3_600_000

export interface OwnerSettings {
  workspaceId: string
  /** JORNADA_ADMIN_EMAIL. */
  email: string
  /** JORNADA_ADMIN_PASSWORD; undefined: the setup link. */
  password?: string
  clock: () => number
}

/** What the start did: the owner as it was, a password set, or a setup link to print (a path). */
export type OwnerOutcome =
  | { kind: 'unchanged' | 'created' | 'password_set'; memberId: string }
  | { kind: 'setup'; memberId: string; setupPath: string }

/** A setting the start cannot use; the message says which and why. */
export class OwnerSettingError extends Error {}

/** Makes sure the env's owner exists (and has the env's password, when one is given). */
export async function ensureOwner(store: Store, settings: OwnerSettings): Promise<OwnerOutcome> {
  const email = EmailSchema.safeParse(settings.email)
  if (!email.success)
    throw new OwnerSettingError(`JORNADA_ADMIN_EMAIL: ${JSON.stringify(settings.email)} is not an email address`)
  const { password, workspaceId, clock } = settings
  if (password !== undefined && (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH)) {
    throw new OwnerSettingError(
      `JORNADA_ADMIN_PASSWORD: between ${MIN_PASSWORD_LENGTH} and ${MAX_PASSWORD_LENGTH} characters`,
    )
  }
  const actor = { kind: 'key' as const, id: 'start' }
  const now = clock()
  const found = await store.members.findByEmail(workspaceId, email.data)
  let member = found?.member
  let created = false
  if (!member) {
    const passwordHash = password === undefined ? null : await hashPassword(password)
    member = (await store.members.create(workspaceId, {
      id: `m_${randomBytes(9).toString('base64url')}`,
      email: email.data,
      role: 'owner',
      passwordHash,
      at: now,
    }))!
    created = true
    await store.audit.append(workspaceId, {
      at: now,
      actor,
      action: 'member.create',
      target: `member:${member.id}`,
      after: { email: member.email, role: 'owner' },
    })
  } else if (member.role !== 'owner') {
    await store.members.update(workspaceId, member.id, { role: 'owner' })
    await store.audit.append(workspaceId, {
      at: now,
      actor,
      action: 'member.role',
      target: `member:${member.id}`,
      before: { role: member.role },
      after: { role: 'owner' },
    })
  }

  if (password !== undefined) {
    if (created) return { kind: 'created', memberId: member.id }
    if (found?.passwordHash && (await verifyPassword(password, found.passwordHash))) {
      return { kind: 'unchanged', memberId: member.id }
    }
    await store.members.update(workspaceId, member.id, { passwordHash: await hashPassword(password) })
    // A new password ends every earlier session of the member, as setting it in the console does.
    await store.members.endSessions(workspaceId, member.id)
    await store.audit.append(workspaceId, {
      at: now,
      actor,
      action: 'member.password_set',
      target: `member:${member.id}`,
    })
    return { kind: 'password_set', memberId: member.id }
  }

  if (member.hasPassword) return { kind: 'unchanged', memberId: member.id }
  const { token, tokenHash } = newToken(workspaceId)
  await store.members.createToken(workspaceId, {
    tokenHash,
    kind: 'setup',
    memberId: member.id,
    expiresAt: now + SETUP_TTL_MS,
  })
  return { kind: 'setup', memberId: member.id, setupPath: `/console/setup?token=${encodeURIComponent(token)}` }
}
