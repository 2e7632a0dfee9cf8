/**
 * What the console's overview reads: the snapshots counted by phase and by band, the renewals of a
 * date range, the changes putSnapshots recorded (account_changes) and the fact events of one name
 * (the NPS answers), each one statement over one workspace.
 */
import { snapshotFilter } from './engagement-results'
import { toMs } from './sql-values'
import type { AccountChange, Db, Store } from './types'

const DEFAULT_LIMIT = 1000

export function createAccountOverview(
  db: Db,
): Pick<
  Store,
  'snapshotOverview' | 'listAccountChanges' | 'pruneAccountChanges' | 'analyzeSnapshots' | 'listFactsNamed'
> {
  // Whether the database runs Citus (migration 020 then distributed the snapshots), asked once.
  let onCitus: Promise<boolean> | null = null
  return {
    async snapshotOverview(workspaceId, { renewalsFrom, renewalsTo, limit = DEFAULT_LIMIT }) {
      const [counts, renewals] = await Promise.all([
        db.query<{ kind: string; value: string; n: number }>(
          `SELECT 'phase' AS kind, phase AS value, count(*)::int AS n FROM account_snapshots
           WHERE workspace_id = $1 GROUP BY phase
           UNION ALL
           SELECT 'band', band, count(*)::int FROM account_snapshots
           WHERE workspace_id = $1 AND band IS NOT NULL GROUP BY band`,
          [workspaceId],
        ),
        db.query<{ account_id: string; name: string | null; renewal_at: unknown; band: string | null }>(
          `SELECT account_id, name, renewal_at, band FROM account_snapshots
           WHERE workspace_id = $1 AND renewal_at IS NOT NULL
             AND renewal_at >= to_timestamp($2::float8 / 1000) AND renewal_at < to_timestamp($3::float8 / 1000)
           ORDER BY renewal_at, account_id LIMIT $4`,
          [workspaceId, renewalsFrom, renewalsTo, limit],
        ),
      ])
      const phases: Record<string, number> = {}
      const bands: Record<string, number> = {}
      for (const r of counts) (r.kind === 'phase' ? phases : bands)[r.value] = Number(r.n)
      return {
        phases,
        bands,
        renewals: renewals.map((r) => ({
          accountId: r.account_id,
          name: r.name,
          renewalAt: toMs(r.renewal_at),
          band: r.band,
        })),
      }
    },

    async listAccountChanges(workspaceId, since, limit = DEFAULT_LIMIT) {
      // Newest first per kind, at most `limit` of each: one burst of flags does not hide the phases.
      const rows = await db.query<{
        account_id: string
        name: string | null
        kind: AccountChange['kind']
        from_value: string | null
        to_value: string
        at: unknown
      }>(
        `SELECT c.account_id, s.name, c.kind, c.from_value, c.to_value, c.at
         FROM (
           SELECT *, row_number() OVER (PARTITION BY kind ORDER BY at DESC, account_id, to_value) AS rank
           FROM account_changes WHERE workspace_id = $1 AND at >= to_timestamp($2::float8 / 1000)
         ) AS c
         LEFT JOIN account_snapshots s ON s.workspace_id = $1 AND s.account_id = c.account_id
         WHERE c.rank <= $3
         ORDER BY c.at DESC, c.account_id, c.kind, c.to_value`,
        [workspaceId, since, limit],
      )
      return rows.map((r) => ({
        accountId: r.account_id,
        name: r.name ?? null,
        kind: r.kind,
        from: r.from_value,
        to: r.to_value,
        at: toMs(r.at),
      }))
    },

    async pruneAccountChanges(workspaceId, before) {
      await db.query('DELETE FROM account_changes WHERE workspace_id = $1 AND at < to_timestamp($2::float8 / 1000)', [
        workspaceId,
        before,
      ])
    },

    async analyzeSnapshots() {
      // On Citus, ANALYZE of the distributed table runs on every shard, for each workspace swept:
      // the workers' autovacuum keeps each shard's statistics, and a workspace's listing is planned
      // on its shard's worker, so there is nothing to refresh from here.
      onCitus ??= db
        .query("SELECT 1 FROM pg_extension WHERE extname = 'citus'")
        .then((rows) => rows.length > 0)
        .catch(() => false)
      if (await onCitus) return
      await db.query('ANALYZE account_snapshots')
    },

    async listFactsNamed(workspaceId, name, from, to, filter = {}) {
      const params: unknown[] = [workspaceId, name, from, to]
      const rows = await db.query<{ account_id: string; doc: string }>(
        `SELECT account_id, doc FROM account_facts
         WHERE workspace_id = $1 AND name = $2
           AND ts >= to_timestamp($3::float8 / 1000) AND ts < to_timestamp($4::float8 / 1000)${snapshotFilter(params, 'account_id', filter)}
         ORDER BY ts, event_id`,
        params,
      )
      return rows.map((r) => {
        const f = JSON.parse(r.doc) as { at: number; userId: string | null; properties?: Record<string, unknown> }
        return { accountId: r.account_id, userId: f.userId ?? null, at: f.at, properties: f.properties ?? {} }
      })
    },
  }
}
