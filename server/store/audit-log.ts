/**
 * The audit log (Store.audit; migration 014): every change, by a member or a key, with what it was
 * before and after. Ids begin with the time, so that their order is the log's and a page ends where
 * the next begins. What goes in is the caller's to choose; nothing secret ever does (the server's
 * audit helper, server/http/audit.ts, takes care of that).
 */
import { randomBytes } from 'node:crypto'
import { toJson, toMs } from './sql-values'
import type { AuditEntry, AuditStore, Db } from './types'

/** `0mk3h2q1s8-1a2b3c4d`: the time in base 36, fixed width (so that ids sort by time), then randomness. */
const newId = (at: number) => `${Math.max(0, at).toString(36).padStart(10, '0')}-${randomBytes(4).toString('hex')}`
const ID_SHAPE = /^[0-9a-z]{10}-[0-9a-f]{8}$/

interface Row {
  id: string
  at: number
  actor_kind: 'member' | 'key'
  actor_id: string
  actor_email: string | null
  action: string
  target: string
  before: unknown
  after: unknown
}

const entryOf = (r: Row): AuditEntry => ({
  id: r.id,
  at: toMs(r.at),
  actor: { kind: r.actor_kind, id: r.actor_id, ...(r.actor_email !== null && { email: r.actor_email }) },
  action: r.action,
  target: r.target,
  ...(r.before !== null && r.before !== undefined && { before: toJson(r.before) }),
  ...(r.after !== null && r.after !== undefined && { after: toJson(r.after) }),
})

export function createAuditLog(db: Db): AuditStore {
  return {
    async append(workspaceId, entry) {
      const id = newId(entry.at)
      await db.query(
        `INSERT INTO audit_log (workspace_id, id, at, actor_kind, actor_id, actor_email, action, target, before, after)
         VALUES ($1, $2, to_timestamp($3::float8 / 1000), $4, $5, $6, $7, $8, $9::text::jsonb, $10::text::jsonb)`,
        [
          workspaceId,
          id,
          entry.at,
          entry.actor.kind,
          entry.actor.id,
          entry.actor.email ?? null,
          entry.action,
          entry.target,
          entry.before === undefined ? null : JSON.stringify(entry.before),
          entry.after === undefined ? null : JSON.stringify(entry.after),
        ],
      )
      return { ...entry, id }
    },

    async list(workspaceId, { actor, action, from, to, limit, cursor }) {
      if (cursor !== undefined && !ID_SHAPE.test(cursor)) throw new RangeError('not a cursor of the audit log')
      const rows = await db.query<Row>(
        `SELECT id, (extract(epoch FROM at) * 1000)::float8 AS at, actor_kind, actor_id, actor_email, action, target,
                before::text AS before, after::text AS after
         FROM audit_log
         WHERE workspace_id = $1
           AND ($2::text IS NULL OR actor_id = $2 OR actor_email = lower($2))
           AND ($3::text IS NULL OR action = $3)
           AND ($4::float8 IS NULL OR at >= to_timestamp($4::float8 / 1000))
           AND ($5::float8 IS NULL OR at <= to_timestamp($5::float8 / 1000))
           AND ($6::text IS NULL OR id < $6)
         ORDER BY id DESC
         LIMIT $7`,
        [workspaceId, actor ?? null, action ?? null, from ?? null, to ?? null, cursor ?? null, limit + 1],
      )
      const items = rows.slice(0, limit).map(entryOf)
      return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null }
    },
  }
}
