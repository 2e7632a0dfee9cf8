/**
 * Packing closed days of rollups (Store.compactRollups, run by the evaluator's sweep): loadFacts
 * reads a year of an account's history as a dozen packs instead of thousands of rows.
 */
import type { Db } from './types'

/**
 * Packs a workspace's rollup rows of the days before `beforeDay` into rollup_packs (migration 008),
 * one row per account, UTC month and kind, in one statement: the rows are deleted and their packs
 * inserted in one snapshot, so a reader sees either. What they add up to does not change, so no
 * account version is bumped (FactsCache keeps holding). Returns the packs written.
 */
const COMPACT_ROLLUPS = `
WITH u AS (
  DELETE FROM rollup_user_days WHERE workspace_id = $1 AND day < DATE '1970-01-01' + $2::int
  RETURNING account_id, day, user_id, logins, events
), k AS (
  DELETE FROM rollup_days WHERE workspace_id = $1 AND day < DATE '1970-01-01' + $2::int
  RETURNING account_id, day, key, count
), pu AS (
  INSERT INTO rollup_packs (workspace_id, account_id, month, kind, part, doc)
  SELECT $1, account_id, date_trunc('month', day)::date, 'u', txid_current(),
         json_build_array(json_agg(day - DATE '1970-01-01'), json_agg(user_id), json_agg(logins), json_agg(events))::text
  FROM u GROUP BY account_id, date_trunc('month', day)
  RETURNING 1
), pk AS (
  INSERT INTO rollup_packs (workspace_id, account_id, month, kind, part, doc)
  SELECT $1, account_id, date_trunc('month', day)::date, 'k', txid_current(),
         json_build_array(json_agg(day - DATE '1970-01-01'), json_agg(key), json_agg(count))::text
  FROM k GROUP BY account_id, date_trunc('month', day)
  RETURNING 1
)
SELECT ((SELECT count(*) FROM pu) + (SELECT count(*) FROM pk))::int AS packs`

export async function compactRollups(db: Db, workspaceId: string, beforeDay: number): Promise<number> {
  const [row] = await db.query<{ packs: number }>(COMPACT_ROLLUPS, [workspaceId, beforeDay])
  return Number(row?.packs ?? 0)
}
