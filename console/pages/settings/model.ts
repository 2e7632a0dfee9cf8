/**
 * Settings' model (admins: console.md, "Roles"): the secret key's rotation (the new key shown once,
 * never stored here), the write key's allowed origins, whether identity verification is on, and the
 * members with their roles: invite (the one-time link shown once), change a role, remove.
 */
import { signal } from '@preact/signals'
import type { Api } from '../../api'
import { ApiError } from '../../api'
import { createAction, createResource } from '../../resource'
import type { IdentityStatus, MemberInvited, MemberList, OriginsResponse, Role, RotateResponse } from '../../types'

export function createSettingsModel(api: Api) {
  const members = createResource(() => api.get<MemberList>('/v1/members'))
  const origins = createResource(() => api.get<OriginsResponse>('/v1/keys/write/origins'))
  /** null: the server does not say (an older server without the route). */
  const identity = createResource(async (): Promise<IdentityStatus | null> => {
    try {
      return await api.get<IdentityStatus>('/v1/keys/identity')
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return null
      throw err
    }
  })
  /** The key a rotation just returned: on screen until the page is left, never kept anywhere. */
  const rotated = signal<RotateResponse | null>(null)
  const retired = signal<boolean | null>(null)
  const invited = signal<MemberInvited | null>(null)

  return {
    members,
    origins,
    identity,
    rotated,
    retired,
    invited,
    load: () => Promise.all([members.load(), origins.load(), identity.load()]).then(() => undefined),
    rotate: createAction(async () => {
      retired.value = null
      rotated.value = await api.post<RotateResponse>('/v1/keys/secret/rotate', {})
    }),
    retire: createAction(async () => {
      retired.value = (await api.post<{ retired: boolean }>('/v1/keys/secret/retire')).retired
    }),
    saveOrigins: createAction(async (list: string[]) => {
      origins.data.value = await api.put<OriginsResponse>('/v1/keys/write/origins', { origins: list })
    }),
    invite: createAction(async (email: string, role: Role) => {
      invited.value = await api.post<MemberInvited>('/v1/members', { email, role })
      await members.load()
    }),
    changeRole: createAction(async (id: string, role: Role) => {
      await api.patch(`/v1/members/${encodeURIComponent(id)}`, { role })
      await members.load()
    }),
    remove: createAction(async (id: string) => {
      await api.del(`/v1/members/${encodeURIComponent(id)}`)
      await members.load()
    }),
  }
}
export type SettingsModel = ReturnType<typeof createSettingsModel>

/** `https://a.example\n\nhttps://b.example ` → the non-empty lines, trimmed. */
export function parseOrigins(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
}

/** The roles `actor` may give or take (console.md: admins manage members other than owners; owners, owners too). */
export function assignableRoles(actor: Role): Role[] {
  const all: Role[] = ['viewer', 'csm', 'editor', 'admin', 'owner']
  return actor === 'owner' ? all : actor === 'admin' ? all.slice(0, 4) : []
}
