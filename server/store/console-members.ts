/**
 * The console's members (Store.members; migration 014): who may sign in to a workspace's console,
 * with which role; their server-side sessions (revocable: signing out, a removal or a new password
 * ends them); single-use tokens for invitations and the first owner's setup link; and failed
 * sign-ins, which throttle an email. Tokens and passwords arrive hashed.
 */
import { randomBytes } from 'node:crypto'
import { toMs } from './sql-values'
import type { ConsoleMember, ConsoleSession, Db, MemberStore, Role } from './types'

const MEMBER_COLUMNS = 'member_id, email, role, password_hash, created_at'

interface MemberRow {
  member_id: string
  email: string
  role: Role
  password_hash: string | null
  created_at: unknown
}

const memberOf = (workspaceId: string, r: MemberRow): ConsoleMember => ({
  workspaceId,
  id: r.member_id,
  email: r.email,
  role: r.role,
  hasPassword: r.password_hash !== null,
  createdAt: toMs(r.created_at),
})

/** A session's last use is written at most this often. */
const TOUCH_EVERY_MS = 60_000

export function createMemberStore(db: Db): MemberStore {
  return {
    async create(workspaceId, { id, email, role, passwordHash, at }) {
      const rows = await db.query<MemberRow>(
        `INSERT INTO console_members (workspace_id, member_id, email, role, password_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, to_timestamp($6::float8 / 1000))
         ON CONFLICT (workspace_id, email) DO NOTHING
         RETURNING ${MEMBER_COLUMNS}`,
        [workspaceId, id, email, role, passwordHash, at],
      )
      return rows[0] ? memberOf(workspaceId, rows[0]) : null
    },

    async get(workspaceId, memberId) {
      const rows = await db.query<MemberRow>(
        `SELECT ${MEMBER_COLUMNS} FROM console_members WHERE workspace_id = $1 AND member_id = $2`,
        [workspaceId, memberId],
      )
      return rows[0] ? memberOf(workspaceId, rows[0]) : null
    },

    async findByEmail(workspaceId, email) {
      const rows = await db.query<MemberRow>(
        `SELECT ${MEMBER_COLUMNS} FROM console_members WHERE workspace_id = $1 AND email = $2`,
        [workspaceId, email],
      )
      return rows[0] ? { member: memberOf(workspaceId, rows[0]), passwordHash: rows[0].password_hash } : null
    },

    async list(workspaceId) {
      const rows = await db.query<MemberRow>(
        `SELECT ${MEMBER_COLUMNS} FROM console_members WHERE workspace_id = $1 ORDER BY email`,
        [workspaceId],
      )
      return rows.map((r) => memberOf(workspaceId, r))
    },

    async update(workspaceId, memberId, { role, passwordHash }) {
      const rows = await db.query<MemberRow>(
        `UPDATE console_members SET role = coalesce($3, role), password_hash = coalesce($4, password_hash)
         WHERE workspace_id = $1 AND member_id = $2
         RETURNING ${MEMBER_COLUMNS}`,
        [workspaceId, memberId, role ?? null, passwordHash ?? null],
      )
      return rows[0] ? memberOf(workspaceId, rows[0]) : null
    },

    async remove(workspaceId, memberId) {
      return db.transaction(async (tx) => {
        await tx.query('DELETE FROM console_sessions WHERE workspace_id = $1 AND member_id = $2', [
          workspaceId,
          memberId,
        ])
        await tx.query('DELETE FROM console_tokens WHERE workspace_id = $1 AND member_id = $2', [workspaceId, memberId])
        const gone = await tx.query(
          'DELETE FROM console_members WHERE workspace_id = $1 AND member_id = $2 RETURNING member_id',
          [workspaceId, memberId],
        )
        return gone.length > 0
      })
    },

    async startSession(workspaceId, { tokenHash, memberId, csrfToken, at }) {
      await db.query(
        `INSERT INTO console_sessions (workspace_id, token_hash, member_id, csrf_token, created_at, last_used_at)
         VALUES ($1, $2, $3, $4, to_timestamp($5::float8 / 1000), to_timestamp($5::float8 / 1000))`,
        [workspaceId, tokenHash, memberId, csrfToken, at],
      )
    },

    async findSession(workspaceId, tokenHash, now, { idleMs, maxMs }) {
      const rows = await db.query<MemberRow & { csrf_token: string; session_created_at: number; last_used_at: number }>(
        `SELECT m.member_id, m.email, m.role, m.password_hash, (extract(epoch FROM m.created_at) * 1000)::float8 AS created_at,
                s.csrf_token, (extract(epoch FROM s.created_at) * 1000)::float8 AS session_created_at,
                (extract(epoch FROM s.last_used_at) * 1000)::float8 AS last_used_at
         FROM console_sessions s JOIN console_members m ON m.workspace_id = s.workspace_id AND m.member_id = s.member_id
         WHERE s.workspace_id = $1 AND s.token_hash = $2`,
        [workspaceId, tokenHash],
      )
      const r = rows[0]
      if (!r) return null
      const createdAt = toMs(r.session_created_at)
      const lastUsedAt = toMs(r.last_used_at)
      if (now - lastUsedAt > idleMs || now - createdAt > maxMs) {
        await db.query('DELETE FROM console_sessions WHERE workspace_id = $1 AND token_hash = $2', [
          workspaceId,
          tokenHash,
        ])
        return null
      }
      if (now - lastUsedAt >= TOUCH_EVERY_MS) {
        await db.query(
          'UPDATE console_sessions SET last_used_at = to_timestamp($3::float8 / 1000) WHERE workspace_id = $1 AND token_hash = $2',
          [workspaceId, tokenHash, now],
        )
      }
      const session: ConsoleSession = {
        workspaceId,
        member: memberOf(workspaceId, r),
        csrfToken: r.csrf_token,
        createdAt,
        lastUsedAt: Math.max(lastUsedAt, now),
      }
      return session
    },

    async endSession(workspaceId, tokenHash) {
      const gone = await db.query(
        'DELETE FROM console_sessions WHERE workspace_id = $1 AND token_hash = $2 RETURNING token_hash',
        [workspaceId, tokenHash],
      )
      return gone.length > 0
    },

    async endSessions(workspaceId, memberId) {
      const gone = await db.query(
        'DELETE FROM console_sessions WHERE workspace_id = $1 AND member_id = $2 RETURNING token_hash',
        [workspaceId, memberId],
      )
      return gone.length
    },

    async createToken(workspaceId, { tokenHash, kind, memberId, expiresAt }) {
      await db.query(
        `INSERT INTO console_tokens (workspace_id, token_hash, kind, member_id, expires_at)
         VALUES ($1, $2, $3, $4, to_timestamp($5::float8 / 1000))`,
        [workspaceId, tokenHash, kind, memberId, expiresAt],
      )
    },

    async useToken(workspaceId, tokenHash, now) {
      // One statement: of two concurrent uses, the second finds it used.
      const rows = await db.query<{ kind: 'invite' | 'setup'; member_id: string }>(
        `UPDATE console_tokens SET used_at = to_timestamp($3::float8 / 1000)
         WHERE workspace_id = $1 AND token_hash = $2 AND used_at IS NULL AND expires_at > to_timestamp($3::float8 / 1000)
         RETURNING kind, member_id`,
        [workspaceId, tokenHash, now],
      )
      return rows[0] ? { kind: rows[0].kind, memberId: rows[0].member_id } : null
    },

    async recordFailure(workspaceId, email, at) {
      const id = randomBytes(8).toString('hex')
      await db.query(
        'INSERT INTO sign_in_failures (workspace_id, email, at, id) VALUES ($1, $2, to_timestamp($3::float8 / 1000), $4)',
        [workspaceId, email, at, id],
      )
      return id
    },

    async forgetFailure(workspaceId, email, id) {
      await db.query('DELETE FROM sign_in_failures WHERE workspace_id = $1 AND email = $2 AND id = $3', [
        workspaceId,
        email,
        id,
      ])
    },

    async failuresSince(workspaceId, email, since) {
      const rows = await db.query<{ at: number }>(
        `SELECT (extract(epoch FROM at) * 1000)::float8 AS at FROM sign_in_failures
         WHERE workspace_id = $1 AND email = $2 AND at >= to_timestamp($3::float8 / 1000) ORDER BY at`,
        [workspaceId, email, since],
      )
      return rows.map((r) => toMs(r.at))
    },
  }
}
