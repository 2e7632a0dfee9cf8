/**
 * The workspace's journey config document, and what it changes in the store: the event names it
 * refers to become facts (fact-names.ts), for new events at ingest and, by a backfill, for the
 * events stored before it named them. The start config (JORNADA_CONFIG) does the same for
 * workspaces without a config of their own.
 */
import { createConfigRevisions } from './config-revisions'
import { configEventNames, FIXED_FACT_NAMES } from './fact-names'
import { toJson } from './sql-values'
import type { ConfigRevisionStore, Db, Store } from './types'

/** The event names of a workspace's stored config are re-read this often: another process may have changed it. */
const CONFIG_NAMES_MS = 5_000
const CONFIG_NAMES_MAX = 10_000

// The facts of names a config starts naming, from the stored events (the doc as rollup-writes.ts writes it).
const BACKFILL_FACTS = `
INSERT INTO account_facts (workspace_id, account_id, ts, event_id, name, user_id, doc)
SELECT workspace_id, account_id, ts, event_id, name, user_id,
       json_build_object('id', event_id, 'name', name, 'at', (extract(epoch FROM ts) * 1000)::float8, 'userId', user_id, 'properties', properties)::text
FROM events
WHERE workspace_id = $1 AND type = 'track' AND account_id IS NOT NULL AND name = ANY($2::text[])
ON CONFLICT DO NOTHING
RETURNING account_id`

/** BACKFILL_FACTS, and the accounts that got new facts have their account_versions bumped (loadFacts's cache). */
const BACKFILL_FACTS_AND_BUMP = `
WITH added AS (${BACKFILL_FACTS})
INSERT INTO account_versions AS r (workspace_id, account_id, version)
SELECT DISTINCT $1::text, account_id, 1 FROM added
ON CONFLICT (workspace_id, account_id) DO UPDATE SET version = r.version + 1`

export interface WorkspaceConfigs {
  methods: Pick<Store, 'getConfig' | 'setConfig' | 'setStartConfig'>
  /** The config's revisions (config-revisions.ts): a publish changes the names as setConfig does. */
  revisions: ConfigRevisionStore
  /** Reads the config names of these workspaces when not known recently (the ingest transaction's first step). */
  loadNames(q: Db, workspaceIds: Iterable<string>): Promise<void>
  /** The event names, beyond FIXED_FACT_NAMES, that the workspace's config makes facts (as last loaded). */
  configured(workspaceId: string): ReadonlySet<string> | null
}

/**
 * `settled`: resolves once the ingest groups in flight have committed (setConfig backfills after
 * them: they started with the old names). `closed`: no more backfills once the store is closed.
 */
export function createWorkspaceConfigs(db: Db, settled: () => Promise<void>, closed: () => boolean): WorkspaceConfigs {
  // Per workspace: the event names its stored config refers to, beyond FIXED_FACT_NAMES (fact-names.ts).
  // `configEpoch` counts setConfig calls: a load that raced one does not overwrite what it set.
  const configNames = new Map<string, { names: ReadonlySet<string> | null; until: number }>()
  let configEpoch = 0
  // The names the start config (JORNADA_CONFIG, setStartConfig) refers to: workspaces without a stored config use it.
  let startNames: ReadonlySet<string> | null = null
  const namesOf = (doc: unknown): ReadonlySet<string> | null => {
    const names = configEventNames(doc)
    for (const n of FIXED_FACT_NAMES) names.delete(n)
    return names.size ? names : null
  }

  const loadNames = async (q: Db, workspaces: Iterable<string>) => {
    const now = Date.now()
    const stale = [...new Set(workspaces)].filter((ws) => (configNames.get(ws)?.until ?? 0) <= now)
    if (stale.length === 0) return
    const epoch = configEpoch
    const rows = await q.query<{ workspace_id: string; doc: unknown }>(
      'SELECT workspace_id, doc FROM workspace_config WHERE workspace_id = ANY($1::text[])',
      [stale],
    )
    if (epoch !== configEpoch) return
    const docs = new Map(rows.map((r) => [r.workspace_id, toJson<unknown>(r.doc)]))
    if (configNames.size > CONFIG_NAMES_MAX) configNames.clear()
    for (const ws of stale)
      configNames.set(ws, { names: docs.has(ws) ? namesOf(docs.get(ws)) : startNames, until: now + CONFIG_NAMES_MS })
  }
  const configured = (ws: string) => configNames.get(ws)?.names ?? null

  /** After a publish committed: the names of `doc` are facts from now on, and its new names' stored events too. */
  const published = async (workspaceId: string, old: unknown | null, doc: unknown) => {
    // From now on, new groups store the facts of the names the config refers to ...
    const names = namesOf(doc)
    configEpoch++
    configNames.set(workspaceId, { names, until: Date.now() + CONFIG_NAMES_MS })
    // ... and once the groups that started without them have committed, the stored events of
    // names it did not refer to before become facts too (idempotent).
    const before = old === null ? null : namesOf(old)
    const added = [...(names ?? [])].filter((n) => !before?.has(n)).sort()
    if (added.length === 0) return
    await settled()
    await db.query(BACKFILL_FACTS_AND_BUMP, [workspaceId, added])
    // Other processes go on with the old names until they re-read the config (CONFIG_NAMES_MS):
    // the same backfill once more after that picks up what they stored meanwhile.
    setTimeout(() => {
      if (!closed()) db.query(BACKFILL_FACTS_AND_BUMP, [workspaceId, added]).catch(() => undefined)
    }, 3 * CONFIG_NAMES_MS).unref()
  }
  const revisions = createConfigRevisions(db, published)

  const methods: WorkspaceConfigs['methods'] = {
    async getConfig(workspaceId) {
      const [row] = await db.query<{ doc: unknown }>('SELECT doc FROM workspace_config WHERE workspace_id = $1', [
        workspaceId,
      ])
      return row ? toJson<unknown>(row.doc) : null
    },

    async setConfig(workspaceId, doc, meta = {}) {
      const at = meta.at ?? Date.now()
      const draft = await revisions.createDraft(workspaceId, {
        at,
        author: meta.author ?? null,
        message: meta.message ?? '',
        doc,
      })
      return (await revisions.publish(workspaceId, draft.id, at))!.revision
    },

    async setStartConfig(doc) {
      startNames = namesOf(doc)
      configEpoch++
      configNames.clear()
      const names = startNames === null ? [] : [...startNames].sort()
      // Workspaces (a small reference table) without a stored config, each backfilled on its own
      // shard, and only for names not backfilled there before (start_fact_names, migration 010).
      // Two reads, not one with NOT EXISTS: Citus refuses a subquery over a distributed table
      // correlated to a reference table; the configured workspaces are read across shards, once.
      const [all, configured] = await Promise.all([
        db.query<{ workspace_id: string }>('SELECT workspace_id FROM workspaces'),
        db.query<{ workspace_id: string }>('SELECT workspace_id FROM workspace_config'),
      ])
      const withConfig = new Set(configured.map((r) => r.workspace_id))
      for (const { workspace_id: ws } of all) {
        if (withConfig.has(ws)) continue
        await db.query('DELETE FROM start_fact_names WHERE workspace_id = $1 AND NOT (name = ANY($2::text[]))', [
          ws,
          names,
        ])
        const done = new Set(
          (await db.query<{ name: string }>('SELECT name FROM start_fact_names WHERE workspace_id = $1', [ws])).map(
            (r) => r.name,
          ),
        )
        const todo = names.filter((n) => !done.has(n))
        if (todo.length === 0) continue
        await db.transaction(async (tx) => {
          await tx.query(BACKFILL_FACTS_AND_BUMP, [ws, todo])
          await tx.query(
            'INSERT INTO start_fact_names (workspace_id, name) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING',
            [ws, todo],
          )
        })
      }
    },
  }
  return { methods, revisions, loadNames, configured }
}
