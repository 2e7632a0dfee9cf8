/**
 * The store contract's parts for the console: members and sessions, the audit log, builder-mode
 * grants and the config's revisions (re-exported by types.ts, the whole contract).
 */

/** The console's roles, each including the ones before it (docs/spec/console.md, "Roles"). */
export const ROLES = ['viewer', 'csm', 'editor', 'admin', 'owner'] as const
export type Role = (typeof ROLES)[number]

/** A person who signs in to the console of one workspace. */
export interface ConsoleMember {
  workspaceId: string
  id: string
  /** Lowercased. */
  email: string
  role: Role
  /** False until the member set a password (an invitation or the setup link not used yet). */
  hasPassword: boolean
  createdAt: number
}

/** A signed-in member's session, as its cookie finds it. */
export interface ConsoleSession {
  workspaceId: string
  member: ConsoleMember
  csrfToken: string
  createdAt: number
  lastUsedAt: number
}

/**
 * Console members, sessions, invitations and throttled sign-ins (migration 014;
 * server/store/console-members.ts). Tokens and passwords arrive hashed: the store never sees a
 * secret in clear.
 */
export interface MemberStore {
  /** A new member (no password yet unless `passwordHash`); null when the email is taken in the workspace. */
  create(
    workspaceId: string,
    input: { id: string; email: string; role: Role; passwordHash: string | null; at: number },
  ): Promise<ConsoleMember | null>
  get(workspaceId: string, memberId: string): Promise<ConsoleMember | null>
  /** The member and its password hash, by email (lowercased by the caller). */
  findByEmail(
    workspaceId: string,
    email: string,
  ): Promise<{ member: ConsoleMember; passwordHash: string | null } | null>
  /** Every member, by email. */
  list(workspaceId: string): Promise<ConsoleMember[]>
  /** Changes a member's role or password; the member as changed, or null: no such member. */
  update(
    workspaceId: string,
    memberId: string,
    change: { role?: Role; passwordHash?: string },
  ): Promise<ConsoleMember | null>
  /** Removes a member, its sessions and its pending tokens. false: no such member. */
  remove(workspaceId: string, memberId: string): Promise<boolean>
  /** Starts a session under `tokenHash` (the cookie's token, hashed). */
  startSession(
    workspaceId: string,
    input: { tokenHash: string; memberId: string; csrfToken: string; at: number },
  ): Promise<void>
  /**
   * The session of `tokenHash` if it is still valid at `now`: used within `idleMs` and started
   * within `maxMs`. Its last use is moved to `now` (at most once a minute: a write per request is
   * not needed to keep a 12-hour idle limit).
   */
  findSession(
    workspaceId: string,
    tokenHash: string,
    now: number,
    limits: { idleMs: number; maxMs: number },
  ): Promise<ConsoleSession | null>
  /** Ends one session; false: there was none. */
  endSession(workspaceId: string, tokenHash: string): Promise<boolean>
  /** Ends every session of a member (its role changed, it was removed, its password was set). */
  endSessions(workspaceId: string, memberId: string): Promise<number>
  /** Stores a single-use token (an invitation, the setup link) for a member. */
  createToken(
    workspaceId: string,
    input: { tokenHash: string; kind: 'invite' | 'setup'; memberId: string; expiresAt: number },
  ): Promise<void>
  /**
   * Uses a token once: the member it was for when it exists, is unused and not expired at `now`
   * (it is then used), else null. Two concurrent uses: one gets the member.
   */
  useToken(
    workspaceId: string,
    tokenHash: string,
    now: number,
  ): Promise<{ kind: 'invite' | 'setup'; memberId: string } | null>
  /** Records a failed sign-in for an email (lowercased); returns its id. */
  recordFailure(workspaceId: string, email: string, at: number): Promise<string>
  /** Takes back one recorded failure (by the id recordFailure returned): the attempt it stood for succeeded. */
  forgetFailure(workspaceId: string, email: string, id: string): Promise<void>
  /** The times of the failed sign-ins of an email since `since`, oldest first. */
  failuresSince(workspaceId: string, email: string, since: number): Promise<number[]>
}

/** One change of the audit log (docs/spec/console.md, "Audit log"). */
export interface AuditEntry {
  id: string
  at: number
  actor: { kind: 'member' | 'key'; id: string; email?: string }
  action: string
  target: string
  before?: unknown
  after?: unknown
}

/** The audit log (migration 014; server/store/audit-log.ts). */
export interface AuditStore {
  append(workspaceId: string, entry: Omit<AuditEntry, 'id'>): Promise<AuditEntry>
  /**
   * Entries newest first, filtered by actor (member id, email or key label), action, and time
   * (`from`, `to` inclusive), `limit` at a time. A cursor that is not a previous `nextCursor`: RangeError.
   */
  list(
    workspaceId: string,
    query: { actor?: string; action?: string; from?: number; to?: number; limit: number; cursor?: string },
  ): Promise<{ items: AuditEntry[]; nextCursor: string | null }>
}

/**
 * What a builder token or credential grants (docs/console.md, "Builder mode"): who made it (the
 * audit log names them for every save), the draft it saves into (null: none yet) and where the
 * editor starts (a guide, a step).
 */
export interface BuilderGrant {
  workspaceId: string
  actor: AuditEntry['actor']
  draftId: string | null
  guideId: string | null
  step: number | null
  expiresAt: number
}

/**
 * Builder mode's tokens and credentials (migration 018; server/store/builder-grants.ts). Both
 * arrive hashed: the store never sees one in clear.
 */
export interface BuilderStore {
  /** Stores a single-use token, valid until `grant.expiresAt`. */
  createToken(
    workspaceId: string,
    tokenHash: string,
    grant: Omit<BuilderGrant, 'workspaceId'> & { at: number },
  ): Promise<void>
  /**
   * Uses the token once, at `now`, and stores in its place a credential (`credentialHash`) valid
   * until `expiresAt` with the same grant. null: no such token, used, or expired. Of two concurrent
   * exchanges, one gets the grant.
   */
  exchange(
    workspaceId: string,
    tokenHash: string,
    now: number,
    credential: { credentialHash: string; expiresAt: number },
  ): Promise<BuilderGrant | null>
  /** The grant of a credential still valid at `now`; null otherwise. */
  findCredential(workspaceId: string, credentialHash: string, now: number): Promise<BuilderGrant | null>
  /** The draft a credential saves into from now on (its first save made it). */
  setDraft(workspaceId: string, credentialHash: string, draftId: string): Promise<void>
}

/** A revision's state: a draft; the one in force; one that was in force before it. */
export const CONFIG_REVISION_STATUSES = ['draft', 'published', 'superseded'] as const
export type ConfigRevisionStatus = (typeof CONFIG_REVISION_STATUSES)[number]

/** One revision of a workspace's journey config (migration 017; server/store/config-revisions.ts). */
export interface ConfigRevision {
  id: string
  createdAt: number
  /** The last change of its document or message (a draft's PATCH). */
  updatedAt: number
  /** The member's email or the key's label that made it; null when unknown (a config stored before revisions). */
  author: string | null
  message: string
  status: ConfigRevisionStatus
  /** When it was first published; null for a draft. */
  publishedAt: number | null
}

/** A revision and its document, as sent (validated by the caller). */
export interface ConfigRevisionWithDoc extends ConfigRevision {
  doc: unknown
}

/**
 * The revisions of a workspace's journey config. Publishing one makes its document the one
 * getConfig answers, in one transaction; the revision published before becomes `superseded`.
 * Publishing a superseded revision again is a rollback. Only drafts change or go away.
 */
export interface ConfigRevisionStore {
  /** Every revision, newest first, without documents. */
  list(workspaceId: string): Promise<ConfigRevision[]>
  get(workspaceId: string, id: string): Promise<ConfigRevisionWithDoc | null>
  createDraft(
    workspaceId: string,
    draft: { at: number; author: string | null; message: string; doc: unknown },
  ): Promise<ConfigRevisionWithDoc>
  /** null: no such revision; 'not_draft': it was published (it never changes again). */
  updateDraft(
    workspaceId: string,
    id: string,
    change: { at: number; doc?: unknown; message?: string },
  ): Promise<ConfigRevisionWithDoc | 'not_draft' | null>
  /** The draft as it was before it went; null: no such revision; 'not_draft': it was published. */
  deleteDraft(workspaceId: string, id: string): Promise<ConfigRevisionWithDoc | 'not_draft' | null>
  /**
   * Makes the revision the published one (its facts' names and backfill as setConfig's), and
   * answers it with the one published before (null: none). Publishing the published one changes
   * nothing (`previous` is then itself). null: no such revision.
   */
  publish(
    workspaceId: string,
    id: string,
    at: number,
  ): Promise<{ revision: ConfigRevisionWithDoc; previous: ConfigRevisionWithDoc | null } | null>
}
