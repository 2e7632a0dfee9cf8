/**
 * The phase override audit list of an account: every change, kept forever, in order. loadFacts
 * derives the override in force at a time from it (rollup-writes.ts).
 */
import { checkTime, stringify, toJson } from './sql-values'
import type { Db, OverrideChange, Store } from './types'

export function createOverrideLog(db: Db): Pick<Store, 'addOverrideChange' | 'listOverrideChanges'> {
  return {
    async addOverrideChange(workspaceId, accountId, change) {
      const problem = checkTime(change.at, 'at')
      if (problem) throw new Error(problem)
      await db.query(
        'INSERT INTO override_changes (workspace_id, account_id, at, change) VALUES ($1, $2, to_timestamp($3::float8 / 1000), $4::text::jsonb)',
        [workspaceId, accountId, change.at, stringify(change, 'override change')],
      )
    },

    async listOverrideChanges(workspaceId, accountId) {
      const rows = await db.query<{ change: unknown }>(
        'SELECT change FROM override_changes WHERE workspace_id = $1 AND account_id = $2 ORDER BY at, seq',
        [workspaceId, accountId],
      )
      return rows.map((r) => toJson<OverrideChange>(r.change))
    },
  }
}
