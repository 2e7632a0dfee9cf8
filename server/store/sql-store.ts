/**
 * The whole Store over a `Db`, shared by both adapters (pglite.ts, postgres.ts): one part per job,
 * each over the same connection.
 * - workspace-keys.ts: workspaces and API keys;
 * - group-commit.ts + event-writes.ts: ingest (group commit, events, users, accounts, rollups);
 * - event-reads.ts: events, users and accounts read back;
 * - rollup-writes.ts, rollup-packs.ts, history-load.ts, history-cache.ts: the journey engine's
 *   input (loadFacts), from rollups written at ingest and packed by the sweep; history-days.ts:
 *   the same at the end of each of many days (loadFactsDaily);
 * - workspace-config.ts, config-revisions.ts: the journey config, its revisions and the facts it names;
 * - override-log.ts: phase overrides;
 * - sweep-claims.ts: the evaluator's sweeps;
 * - account-snapshots.ts: the accounts listing and the journey-map summaries;
 * - account-overview.ts: the console's overview (counts, renewals, recorded changes, NPS answers);
 * - engagement-results.ts: the experiences' results (engagement events counted);
 * - webhook-deliveries.ts: webhook endpoints, outbox and deliveries;
 * - console-members.ts, audit-log.ts: the console's members and sessions, and the audit log;
 * - builder-grants.ts: builder mode's tokens and credentials.
 */
import { createAccountOverview } from './account-overview'
import { createAccountSnapshots } from './account-snapshots'
import { createAuditLog } from './audit-log'
import { createBuilderStore } from './builder-grants'
import { createMemberStore } from './console-members'
import { createEngagementResults } from './engagement-results'
import { createEventReads } from './event-reads'
import { createFactsCache } from './history-cache'
import { loadFactsDaily } from './history-days'
import { loadFacts } from './history-load'
import { compactRollups } from './rollup-packs'
import { createGroupCommit } from './group-commit'
import { migrate } from './migrate'
import type { Migration } from './migrate'
import { createOverrideLog } from './override-log'
import { createSweepClaims } from './sweep-claims'
import type { Db, Store } from './types'
import { createWebhookStore } from './webhook-deliveries'
import { createWorkspaceConfigs } from './workspace-config'
import { createWorkspaceKeys } from './workspace-keys'

export interface SqlStoreOptions {
  /** The process clock (default Date.now): it only tells late events (and which `at`s loadFacts may cache) from live ones. */
  clock?: () => number
  /** User-days and facts loadFacts keeps decoded in memory (default 500,000, ~50 MB; 0: no cache). */
  factsCacheSize?: number
  /** The migrations `migrate()` applies (default: the `.sql` files on disk; server/edge bundles them as text). */
  migrations?: Migration[]
  /** Told the versions each `migrate()` applied (`npm run migrate` prints them). */
  onMigrate?: (applied: string[]) => void
}

export function createSqlStore(db: Db, kind: 'pglite' | 'postgres', opts: SqlStoreOptions = {}): Store {
  const clock = opts.clock ?? Date.now
  const factsCache = opts.factsCacheSize === 0 ? null : createFactsCache(opts.factsCacheSize)
  let closed = false
  const keys = createWorkspaceKeys(db)
  // The config's names are read in each ingest transaction, and setConfig waits for the groups in flight.
  const configs = createWorkspaceConfigs(
    db,
    () => ingest.settled(),
    () => closed,
  )
  const ingest = createGroupCommit(db, kind, { clock, prepare: configs.loadNames, configured: configs.configured })

  return {
    kind,
    db,
    webhooks: createWebhookStore(db),
    members: createMemberStore(db),
    audit: createAuditLog(db),
    configRevisions: configs.revisions,
    builder: createBuilderStore(db),
    async migrate() {
      // Not `onMigrate?.(await migrate(…))`: an absent callback would skip the migrations too.
      const applied = await migrate(db, opts.migrations)
      opts.onMigrate?.(applied)
    },
    ...keys.methods,
    ingest: ingest.ingest,
    stats: ingest.stats,
    takeTouchedAccounts: ingest.takeTouchedAccounts,
    ...createEventReads(db),
    loadFacts(workspaceId, accountId, at) {
      return loadFacts(db, factsCache, workspaceId, accountId, at, clock())
    },
    loadFactsDaily(workspaceId, accountId, at, days) {
      const load = (t: number) => loadFacts(db, factsCache, workspaceId, accountId, t, clock())
      return loadFactsDaily(db, load, workspaceId, accountId, at, days)
    },
    compactRollups(workspaceId, beforeDay) {
      return compactRollups(db, workspaceId, beforeDay)
    },
    ...configs.methods,
    ...createOverrideLog(db),
    ...createSweepClaims(db),
    ...createAccountSnapshots(db),
    ...createAccountOverview(db),
    ...createEngagementResults(db),

    async ping() {
      try {
        await db.query('SELECT 1')
        return true
      } catch {
        return false
      }
    },

    async close() {
      if (closed) return
      closed = true
      await ingest.close()
      keys.forget()
      await db.close()
    },
  }
}
