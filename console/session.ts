/**
 * The member's session, as a signals model: who is signed in, with which role, and the CSRF token
 * the API client sends with every change. The cookie itself is HttpOnly: the console never sees it,
 * nor any key. `can(role)` is what pages ask before offering an action (the API refuses it anyway).
 */
import { computed, signal } from '@preact/signals'
import type { Api } from './api'
import type { Role, SessionMember, SessionResponse } from './types'
import { roleReaches } from './vocabulary'

export type SessionStatus = 'loading' | 'signed-in' | 'signed-out'

export interface Session {
  readonly member: { readonly value: SessionMember | null }
  readonly status: { readonly value: SessionStatus }
  /** True when the member's role includes `least`. */
  can(least: Role): boolean
  /** Asks the server whether the cookie still holds a session. */
  restore(): Promise<void>
  signIn(email: string, password: string): Promise<void>
  /** Sets the password of an invitation (or the setup link) and signs in. */
  accept(token: string, password: string): Promise<void>
  signOut(): Promise<void>
  /** The server said 401: the session is gone. */
  ended(): void
}

export function createSession(api: Api): Session {
  const member = signal<SessionMember | null>(null)
  const status = signal<SessionStatus>('loading')
  const role = computed(() => member.value?.role ?? null)

  const started = (r: SessionResponse) => {
    api.setCsrfToken(r.csrfToken)
    member.value = r.member
    status.value = 'signed-in'
  }
  const ended = () => {
    api.setCsrfToken(null)
    member.value = null
    status.value = 'signed-out'
  }

  return {
    member,
    status,
    can: (least) => role.value !== null && roleReaches(role.value, least),
    async restore() {
      try {
        started(await api.get<SessionResponse>('/v1/session'))
      } catch {
        ended()
      }
    },
    async signIn(email, password) {
      started(await api.post<SessionResponse>('/v1/session', { email, password }))
    },
    async accept(token, password) {
      started(await api.post<SessionResponse>('/v1/invites/accept', { token, password }))
    },
    async signOut() {
      try {
        await api.del('/v1/session')
      } finally {
        ended()
      }
    },
    ended,
  }
}
