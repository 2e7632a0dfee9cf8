/**
 * Recording changes in the audit log (console.md, "Audit log"): who (the member signed in, or the
 * key), what, on what, before and after. Callers pass what a person needs to see what changed, and
 * never a secret: no password, key, token or webhook secret ever reaches here.
 */
import type { Context } from 'hono'
import type { AuditEntry, Store } from '../store/types'
import type { Caller } from './auth'
import type { AppEnv } from './app-env'

/** Who made a change, as the log shows it. */
export function actorOf(caller: Caller): AuditEntry['actor'] {
  // A builder credential acts for whoever made its token.
  if (caller.builder) return caller.builder.grant.actor
  return caller.kind === 'member' && caller.member
    ? { kind: 'member', id: caller.member.id, email: caller.member.email }
    : { kind: 'key', id: caller.label }
}

export interface Change {
  /** `config.update`, `override.set`, `member.invite`, `session.sign_in`, … */
  action: string
  /** What changed: `config`, `account:acme`, `webhook:whe_…`, `member:m_…`. */
  target: string
  before?: unknown
  after?: unknown
}

/** Appends `change` by the request's caller (its guard admitted it) to the workspace's log. */
export async function recordChange(c: Context<AppEnv>, store: Store, at: number, change: Change): Promise<void> {
  const caller = c.get('caller')
  if (!caller) throw new Error('recordChange: the route has no caller')
  await store.audit.append(caller.workspace.id, { at, actor: actorOf(caller), ...change })
}
