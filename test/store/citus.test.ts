import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createEvaluator } from '../../server/evaluator'
import { defaultConfig } from '../../server/journey'
import { migrationsOnDisk } from '../../server/store/migrate'
import { createPostgresStore } from '../../server/store/postgres'
import type { Store } from '../../server/store/types'
import { createCitusDatabase, dropCitusDatabase } from '../support/citus-cluster'
import { runConsoleStoreContract } from './console-contract'
import { ev, newWorkspaceId, runStoreContract } from './contract'

/**
 * The store on Citus (the `citus` project: test/support/citus-setup.ts): the contract suite on a
 * database whose tables migration 020 distributed, and what distribution itself promises
 * (docs/scaling.md): every table distributed by workspace or a reference table, each statement of a
 * workspace's ingest, reads and sweep on one shard, and a database that ran undistributed keeps its rows.
 */
const url = inject('databaseUrl')
const adminUrl = inject('citusAdminUrl')

const REFERENCE_TABLES = ['api_keys', 'schema_migrations', 'workspaces']
const T0 = Date.UTC(2026, 10, 2, 12)
const HOUR = 3_600_000

/** A database of its own on the cluster, made before a test and dropped after it. */
function freshDatabase(prefix: string): { url: () => string } {
  const name = `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 16)}`
  let made = ''
  beforeAll(async () => {
    made = await createCitusDatabase(adminUrl, name)
  }, 240_000)
  afterAll(async () => {
    if (made) await dropCitusDatabase(adminUrl, name)
  })
  return { url: () => made }
}

if (!url) {
  // Never skip: CI installs Citus, and a run without it is a failed run, with the reason.
  it('CZ00 citus: a Citus cluster is available for the store contract', () => {
    throw new Error(inject('databaseError') || 'no databaseUrl provided by test/support/citus-setup.ts')
  })
} else {
  runStoreContract('citus', () => createPostgresStore({ url }))
  runConsoleStoreContract('citus', () => createPostgresStore({ url }))

  describe('citus: the schema distributed by workspace (docs/scaling.md, "What is distributed how")', () => {
    it('CZ01 every table is a reference table or distributed by workspace_id, colocated with events', async () => {
      const store = await createPostgresStore({ url, max: 1 })
      try {
        const rows = await store.db.query<{ t: string; method: string; col: string | null; colocation: number }>(
          `SELECT t.tablename AS t, p.partmethod AS method, column_to_column_name(p.logicalrelid, p.partkey) AS col,
                  p.colocationid AS colocation
           FROM pg_tables t LEFT JOIN pg_dist_partition p ON p.logicalrelid = format('%I', t.tablename)::regclass
           WHERE t.schemaname = 'public' ORDER BY t.tablename`,
        )
        expect(rows.length).toBeGreaterThan(25)
        expect(rows.filter((r) => r.method === 'n').map((r) => r.t)).toEqual(REFERENCE_TABLES)
        const events = rows.find((r) => r.t === 'events')!
        const others = rows.filter((r) => !REFERENCE_TABLES.includes(r.t))
        expect(others.filter((r) => r.method !== 'h' || r.col !== 'workspace_id').map((r) => r.t)).toEqual([])
        expect(others.filter((r) => r.colocation !== events.colocation).map((r) => r.t)).toEqual([])
      } finally {
        await store.close()
      }
    })
  })

  describe('citus: a workspace runs on its shard (docs/scaling.md, "What runs where")', () => {
    const fresh = freshDatabase('jornada_cz_shards')
    let store: Store

    beforeAll(async () => {
      store = await createPostgresStore({ url: fresh.url(), clock: () => T0 })
      // Citus counts the statements it ran on one shard and on several, per database.
      await store.db.exec(
        `ALTER DATABASE ${new URL(fresh.url()).pathname.slice(1)} SET citus.enable_stat_counters = on`,
      )
      await store.close()
      store = await createPostgresStore({ url: fresh.url(), clock: () => T0 })
    }, 240_000)
    afterAll(async () => {
      await store?.close()
    })

    const counters = async () => {
      const [row] = await store.db.query<{ single: number; multi: number }>(
        `SELECT query_execution_single_shard::int AS single, query_execution_multi_shard::int AS multi
         FROM citus_stat_counters WHERE name = current_database()`,
      )
      return row!
    }

    it('CZ02 ingest, reads, config, sweep and webhook writes of a workspace: no statement spans shards', async () => {
      const ws = newWorkspaceId()
      await store.createWorkspace({ id: ws, name: 'Acme', writeKey: `pk_${ws}`, secretKey: `sk_${ws}` })
      await store.webhooks.createEndpoint(ws, {
        url: 'https://hooks.example/in',
        events: null,
        format: 'standard',
        at: T0,
      })
      const before = await counters()
      const t = T0 - 2 * HOUR
      // Given accounts, a group call with traits, events resolved from it, and a group call that
      // arrives after the events it dates before (they move to its account).
      await store.ingest(ws, [
        ev({ type: 'identify', name: null, userId: 'u1', accountId: null, traits: { role: 'admin' }, timestamp: t }),
        ev({ type: 'group', name: null, userId: 'u1', accountId: 'acme', traits: { plan: 'pro' }, timestamp: t }),
      ])
      await store.ingest(ws, [
        ev({ name: '$login', userId: 'u1', accountId: null, timestamp: t + 60_000 }),
        ev({
          name: 'feature_used',
          userId: 'u1',
          accountId: 'acme',
          properties: { feature: 'alerts' },
          timestamp: t + 1,
        }),
        ev({ name: 'kickoff_held', userId: 'u1', accountId: 'acme', timestamp: t + 2 }),
        ev({ name: '$login', userId: 'u2', accountId: null, timestamp: t + 120_000 }),
      ])
      await store.ingest(ws, [ev({ type: 'group', name: null, userId: 'u2', accountId: 'globex', timestamp: t })])
      expect((await store.listEvents(ws, { userId: 'u2' })).map((e) => e.accountId)).toEqual(['globex', 'globex'])
      expect(await store.getUser(ws, 'u1')).not.toBeNull()
      expect((await store.loadFacts(ws, 'acme', T0))?.facts.map((f) => f.name)).toEqual(['kickoff_held'])
      await store.setConfig(ws, { renewalWindowDays: 45 })
      await store.webhooks.enqueue(ws, [
        { type: 'nps.detractor', accountId: 'acme', causeKey: `nps.detractor:acme:${ws}`, occurredAt: t, data: {} },
      ])
      const evaluator = createEvaluator({ store, clock: () => T0, configFor: async () => defaultConfig, log: () => {} })
      expect(await evaluator.sweep(ws)).toBe(2)
      expect((await store.listSnapshots(ws, {})).items.map((s) => s.accountId)).toEqual(['acme', 'globex'])
      const after = await counters()
      expect(after.single - before.single).toBeGreaterThan(20)
      expect(after.multi - before.multi).toBe(0)

      // The dispatcher's question "which workspaces have deliveries due?" is the one read across
      // shards; the claim that follows stays on the workspace's.
      const claimed = await store.webhooks.claimDue({ now: T0, limit: 10, leaseUntil: T0 + HOUR, token: 'cz02' })
      expect([...new Set(claimed.map((c) => c.workspaceId))]).toEqual([ws])
      expect((await counters()).multi - after.multi).toBe(1)
    }, 120_000)
  })

  describe('citus: a database that ran on Citus before the schema was distributed', () => {
    const fresh = freshDatabase('jornada_cz_upgrade')

    it('CZ03 migration 020 moves its rows to the shards: read back, and none left on the coordinator', async () => {
      const before = (await migrationsOnDisk()).filter((m) => m.version < '020')
      const old = await createPostgresStore({ url: fresh.url(), migrations: before })
      const ws = newWorkspaceId()
      await old.createWorkspace({ id: ws, name: 'Acme', writeKey: `pk_${ws}`, secretKey: `sk_${ws}` })
      await old.ingest(ws, [
        ev({ id: 'g', type: 'group', name: null, userId: 'u1', accountId: 'acme', timestamp: T0 - HOUR }),
        ev({ id: 'l', name: '$login', userId: 'u1', accountId: null, timestamp: T0 }),
      ])
      expect(await old.db.query("SELECT 1 FROM pg_dist_partition WHERE logicalrelid = 'events'::regclass")).toEqual([])
      await old.close()

      let applied: string[] = []
      const store = await createPostgresStore({ url: fresh.url(), onMigrate: (v) => (applied = v) })
      try {
        expect(applied).toEqual(['020_distribute_by_workspace'])
        expect((await store.listEvents(ws)).map((e) => [e.id, e.accountId])).toEqual([
          ['g', 'acme'],
          ['l', 'acme'],
        ])
        expect((await store.findKey(`pk_${ws}`))?.workspace.id).toBe(ws)
        const local = await store.db.query<{ t: string }>(
          `SELECT relname AS t FROM pg_class WHERE relname IN ('events', 'users', 'workspaces', 'api_keys', 'memberships')
             AND pg_relation_size(oid) > 0`,
        )
        expect(local).toEqual([])
      } finally {
        await store.close()
      }
    }, 240_000)
  })

  describe('citus: several processes starting at once', () => {
    const fresh = freshDatabase('jornada_cz_start')

    it('CZ04 three stores starting at once on an empty Citus database distribute it once', async () => {
      const stores = await Promise.all([1, 2, 3].map(() => createPostgresStore({ url: fresh.url(), max: 2 })))
      try {
        const versions = await stores[0]!.db.query<{ version: string }>('SELECT version FROM schema_migrations')
        expect(versions.map((v) => v.version).sort()).toEqual((await migrationsOnDisk()).map((m) => m.version))
        const [row] = await stores[1]!.db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_dist_partition WHERE logicalrelid = 'events'::regclass",
        )
        expect(row!.n).toBe(1)
      } finally {
        await Promise.all(stores.map((s) => s.close()))
      }
    }, 240_000)
  })
}
