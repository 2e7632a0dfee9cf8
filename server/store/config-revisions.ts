/**
 * The revisions of a workspace's journey config (Store.configRevisions; migration 017). A revision
 * is a draft until first published (`published_at`); the published one is the revision that
 * workspace_config points at, whose document workspace_config keeps a copy of: getConfig, and with
 * it every route, the evaluator and ingest's fact names, read that one row as before. Statuses are
 * derived, never stored: `published` (pointed at), `superseded` (published once, no longer
 * pointed at), `draft` (never published). So a publish changes two rows, whatever the history.
 */
import { randomBytes } from 'node:crypto'
import { stringify, toJson, toMs } from './sql-values'
import type { ConfigRevisionStore, ConfigRevisionWithDoc, ConfigRevision, Db } from './types'

/**
 * `rev_0mk3h2q1s81a2b3c4d`: the time in base 36, fixed width (ids sort by time), then randomness.
 * The time part grows with every id of this process, even within one millisecond: revisions made
 * one after the other list in that order.
 */
let lastIdTime = 0
function newId(at: number): string {
  lastIdTime = Math.max(Math.max(0, Math.floor(at)), lastIdTime + 1)
  return `rev_${lastIdTime.toString(36).padStart(10, '0')}${randomBytes(4).toString('hex')}`
}

interface Row {
  id: string
  created_at: unknown
  updated_at: unknown
  author: string | null
  message: string
  published_at: unknown
  current: boolean
  doc?: unknown
}

const COLUMNS = `r.revision_id AS id, r.created_at, r.updated_at, r.author, r.message, r.published_at,
  (c.revision_id IS NOT NULL AND c.revision_id = r.revision_id) AS current`
const FROM = `config_revisions r LEFT JOIN workspace_config c ON c.workspace_id = r.workspace_id`

function revisionOf(r: Row): ConfigRevision {
  const publishedAt = r.published_at === null || r.published_at === undefined ? null : toMs(r.published_at)
  return {
    id: r.id,
    createdAt: toMs(r.created_at),
    updatedAt: toMs(r.updated_at),
    author: r.author,
    message: r.message,
    status: r.current ? 'published' : publishedAt === null ? 'draft' : 'superseded',
    publishedAt,
  }
}

const withDoc = (r: Row): ConfigRevisionWithDoc => ({ ...revisionOf(r), doc: toJson<unknown>(r.doc) })

/**
 * `onPublished(workspaceId, before, after)`: called after a publish committed, with the documents
 * of the revision published before (null: none) and now (workspace-config.ts: the facts it names).
 */
export function createConfigRevisions(
  db: Db,
  onPublished: (workspaceId: string, before: unknown | null, after: unknown) => Promise<void>,
): ConfigRevisionStore {
  const get = async (q: Db, workspaceId: string, id: string): Promise<ConfigRevisionWithDoc | null> => {
    const [row] = await q.query<Row>(
      `SELECT ${COLUMNS}, r.doc::text AS doc FROM ${FROM} WHERE r.workspace_id = $1 AND r.revision_id = $2`,
      [workspaceId, id],
    )
    return row ? withDoc(row) : null
  }

  return {
    async list(workspaceId) {
      const rows = await db.query<Row>(
        `SELECT ${COLUMNS} FROM ${FROM} WHERE r.workspace_id = $1 ORDER BY r.created_at DESC, r.revision_id DESC`,
        [workspaceId],
      )
      return rows.map(revisionOf)
    },

    get: (workspaceId, id) => get(db, workspaceId, id),

    async createDraft(workspaceId, { at, author, message, doc }) {
      const id = newId(at)
      await db.query(
        `INSERT INTO config_revisions (workspace_id, revision_id, created_at, updated_at, author, message, doc)
         VALUES ($1, $2, to_timestamp($3::float8 / 1000), to_timestamp($3::float8 / 1000), $4, $5, $6::text::jsonb)`,
        [workspaceId, id, at, author, message, stringify(doc ?? null, 'config')],
      )
      return { id, createdAt: at, updatedAt: at, author, message, status: 'draft', publishedAt: null, doc }
    },

    async updateDraft(workspaceId, id, { at, doc, message }) {
      const [row] = await db.query<{ id: string }>(
        `UPDATE config_revisions
         SET doc = coalesce($3::text::jsonb, doc), message = coalesce($4, message),
             updated_at = to_timestamp($5::float8 / 1000)
         WHERE workspace_id = $1 AND revision_id = $2 AND published_at IS NULL
         RETURNING revision_id AS id`,
        [workspaceId, id, doc === undefined ? null : stringify(doc, 'config'), message ?? null, at],
      )
      if (row) return get(db, workspaceId, id)
      return (await get(db, workspaceId, id)) === null ? null : 'not_draft'
    },

    async deleteDraft(workspaceId, id) {
      const [row] = await db.query<Row>(
        `DELETE FROM config_revisions r
         WHERE r.workspace_id = $1 AND r.revision_id = $2 AND r.published_at IS NULL
         RETURNING r.revision_id AS id, r.created_at, r.updated_at, r.author, r.message, r.published_at,
                   false AS current, r.doc::text AS doc`,
        [workspaceId, id],
      )
      if (row) return withDoc(row)
      return (await get(db, workspaceId, id)) === null ? null : 'not_draft'
    },

    async publish(workspaceId, id, at) {
      const done = await db.transaction(async (tx) => {
        // Locked: a draft cannot be changed or deleted while it is being published, and two
        // publishes of one workspace take turns (the previous one is the one really replaced).
        const [target] = await tx.query<{ id: string }>(
          'SELECT revision_id AS id FROM config_revisions WHERE workspace_id = $1 AND revision_id = $2 FOR UPDATE',
          [workspaceId, id],
        )
        if (!target) return null
        const [pointer] = await tx.query<{ revision_id: string | null; doc: unknown }>(
          'SELECT revision_id, doc::text AS doc FROM workspace_config WHERE workspace_id = $1 FOR UPDATE',
          [workspaceId],
        )
        const previousId = pointer?.revision_id ?? null
        const previous = previousId === null ? null : await get(tx, workspaceId, previousId)
        if (previousId === id) return { revision: previous!, previous, changed: false }
        await tx.query(
          `UPDATE config_revisions SET published_at = coalesce(published_at, to_timestamp($3::float8 / 1000))
           WHERE workspace_id = $1 AND revision_id = $2`,
          [workspaceId, id, at],
        )
        await tx.query(
          `INSERT INTO workspace_config (workspace_id, doc, revision_id, updated_at)
           SELECT workspace_id, doc, revision_id, to_timestamp($3::float8 / 1000) FROM config_revisions WHERE workspace_id = $1 AND revision_id = $2
           ON CONFLICT (workspace_id) DO UPDATE
             SET doc = excluded.doc, revision_id = excluded.revision_id, updated_at = excluded.updated_at`,
          [workspaceId, id, at],
        )
        const revision = (await get(tx, workspaceId, id))!
        // `previous` as it is now: superseded.
        return {
          revision,
          previous: previous && { ...previous, status: 'superseded' as const },
          changed: true,
          before: pointer ? toJson<unknown>(pointer.doc) : null,
        }
      })
      if (done === null) return null
      if (done.changed) await onPublished(workspaceId, done.before ?? null, done.revision.doc)
      return { revision: done.revision, previous: done.previous }
    },
  }
}
