/**
 * Builder mode's tokens and credentials (Store.builder; migration 018). A token is used once: one
 * statement marks it used and answers its grant, so of two concurrent exchanges only one succeeds;
 * the credential it becomes is stored in the same transaction. Hashes only, never a token in clear.
 */
import { toMs } from './sql-values'
import type { BuilderGrant, BuilderStore, Db } from './types'

interface Row {
  actor_kind: 'member' | 'key'
  actor_id: string
  actor_email: string | null
  draft_id: string | null
  guide_id: string | null
  step: number | null
  expires_at: unknown
}

const COLUMNS = 'actor_kind, actor_id, actor_email, draft_id, guide_id, step, expires_at'

const grantOf = (workspaceId: string, r: Row): BuilderGrant => ({
  workspaceId,
  actor: { kind: r.actor_kind, id: r.actor_id, ...(r.actor_email !== null && { email: r.actor_email }) },
  draftId: r.draft_id,
  guideId: r.guide_id,
  step: r.step === null ? null : Number(r.step),
  expiresAt: toMs(r.expires_at),
})

const INSERT = `INSERT INTO builder_grants
  (workspace_id, token_hash, kind, actor_kind, actor_id, actor_email, draft_id, guide_id, step, created_at, expires_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, to_timestamp($10::float8 / 1000), to_timestamp($11::float8 / 1000))`

export function createBuilderStore(db: Db): BuilderStore {
  return {
    async createToken(workspaceId, tokenHash, g) {
      await db.query(INSERT, [
        workspaceId,
        tokenHash,
        'token',
        g.actor.kind,
        g.actor.id,
        g.actor.email ?? null,
        g.draftId,
        g.guideId,
        g.step,
        g.at,
        g.expiresAt,
      ])
    },

    exchange(workspaceId, tokenHash, now, { credentialHash, expiresAt }) {
      return db.transaction(async (tx) => {
        const [row] = await tx.query<Row>(
          `UPDATE builder_grants SET used_at = to_timestamp($3::float8 / 1000)
           WHERE workspace_id = $1 AND token_hash = $2 AND kind = 'token' AND used_at IS NULL
             AND expires_at > to_timestamp($3::float8 / 1000)
           RETURNING ${COLUMNS}`,
          [workspaceId, tokenHash, now],
        )
        if (!row) return null
        const grant = { ...grantOf(workspaceId, row), expiresAt }
        await tx.query(INSERT, [
          workspaceId,
          credentialHash,
          'session',
          row.actor_kind,
          row.actor_id,
          row.actor_email,
          row.draft_id,
          row.guide_id,
          row.step,
          now,
          expiresAt,
        ])
        return grant
      })
    },

    async findCredential(workspaceId, credentialHash, now) {
      const [row] = await db.query<Row>(
        `SELECT ${COLUMNS} FROM builder_grants
         WHERE workspace_id = $1 AND token_hash = $2 AND kind = 'session' AND expires_at > to_timestamp($3::float8 / 1000)`,
        [workspaceId, credentialHash, now],
      )
      return row ? grantOf(workspaceId, row) : null
    },

    async setDraft(workspaceId, credentialHash, draftId) {
      await db.query(
        `UPDATE builder_grants SET draft_id = $3 WHERE workspace_id = $1 AND token_hash = $2 AND kind = 'session'`,
        [workspaceId, credentialHash, draftId],
      )
    },
  }
}
