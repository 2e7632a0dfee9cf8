/**
 * What the evaluator's sweeps need: every workspace and account to look at, and a claim per
 * workspace and hour so that one process sweeps a workspace in that hour (migration 007).
 */
import { compareStrings } from './sql-values'
import type { Db, Store } from './types'

export function createSweepClaims(
  db: Db,
): Pick<Store, 'listAccountIds' | 'listWorkspaceIds' | 'claimSweep' | 'releaseSweep'> {
  return {
    async listAccountIds(workspaceId) {
      // Every event with an account (a group call included) upserts `accounts` at ingest.
      const rows = await db.query<{ account_id: string }>('SELECT account_id FROM accounts WHERE workspace_id = $1', [
        workspaceId,
      ])
      return rows.map((r) => r.account_id).sort(compareStrings)
    },

    async claimSweep(workspaceId, slot) {
      const rows = await db.transaction(async (tx) => {
        await tx.query('DELETE FROM sweep_claims WHERE workspace_id = $1 AND slot < $2::bigint', [
          workspaceId,
          slot - 48,
        ])
        return tx.query(
          'INSERT INTO sweep_claims (workspace_id, slot) VALUES ($1, $2::bigint) ON CONFLICT DO NOTHING RETURNING slot',
          [workspaceId, slot],
        )
      })
      return rows.length > 0
    },

    async releaseSweep(workspaceId, slot) {
      await db.query('DELETE FROM sweep_claims WHERE workspace_id = $1 AND slot = $2::bigint', [workspaceId, slot])
    },

    async listWorkspaceIds() {
      // Names no workspace: it lists them (`workspaces` is small, a reference table once sharded: 001_init.sql).
      const rows = await db.query<{ workspace_id: string }>('SELECT workspace_id FROM workspaces')
      return rows.map((r) => r.workspace_id).sort(compareStrings)
    },
  }
}
