/**
 * Growing a Citus cluster while events arrive (docs/scaling.md, "Growing the cluster"): a real
 * `server/node.ts` on the coordinator of a cluster of two workers takes 20-event batches from a few
 * clients without pause, for twelve workspaces, while a third worker is added and
 * `citus_rebalance_start()` moves shard groups to it; then while one workspace is isolated on a
 * shard of its own. Every event acknowledged is there afterwards, no request fails, and the shards
 * moved. The figures are printed, not asserted: the machine's speed is not what is tested.
 * The cluster is always this file's own (started with a spare worker, unregistered until the
 * move): it changes the cluster's nodes, which a shared `CITUS_URL` must not see.
 */
import { randomUUID } from 'node:crypto'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { classify } from '../../sdk/core/transport'
import { createPostgresStore } from '../../server/store'
import type { Store } from '../../server/store/types'
import { makeBatch } from '../bench/data'
import { type CitusCluster, startCitusCluster } from '../support/citus-cluster'
import { type NodeProcess, startNode } from '../support/node-process'

const WORKSPACES = Array.from({ length: 12 }, (_, i) => ({
  id: `grow-${i}`,
  secretKey: `sk_grow_${i}_${randomUUID().slice(0, 8)}`,
}))
const CLIENTS = 4

/** One POST /v1/batch: its status (0: the connection failed) and the body answered. */
async function post(api: NodeProcess, secretKey: string, batch: ReturnType<typeof makeBatch>) {
  try {
    const res = await fetch(`${api.base}/v1/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ batch }),
    })
    return { status: res.status, answer: await res.text() }
  } catch (err) {
    return { status: 0, answer: (err as Error).message }
  }
}

/** Clients posting batches round the workspaces until `stop()`: every answer's status and acknowledged ids. */
function ingestWithoutPause(api: NodeProcess) {
  const statuses = new Map<number, number>()
  const acked = new Map<string, string[]>(WORKSPACES.map((w) => [w.id, []]))
  const ackedAt: number[] = []
  /** The batches not acknowledged, with the answer's body, to be sent again as the SDK would. */
  const unacked: {
    ws: (typeof WORKSPACES)[number]
    batch: ReturnType<typeof makeBatch>
    status: number
    answer: string
  }[] = []
  let running = true
  let sent = 0
  const client = async () => {
    while (running) {
      const ws = WORKSPACES[sent++ % WORKSPACES.length]!
      const batch = makeBatch(20, Date.now(), 50)
      const { status, answer } = await post(api, ws.secretKey, batch)
      statuses.set(status, (statuses.get(status) ?? 0) + 1)
      if (status === 200) {
        acked.get(ws.id)!.push(...batch.map((e) => e.id))
        ackedAt.push(Date.now())
      } else unacked.push({ ws, batch, status, answer })
    }
  }
  const clients = Array.from({ length: CLIENTS }, client)
  return {
    statuses,
    acked,
    unacked,
    /** Batches acknowledged between `from` and `to` (epoch ms). */
    ackedBetween: (from: number, to: number) => ackedAt.filter((t) => t >= from && t <= to).length,
    stop: async () => {
      running = false
      await Promise.all(clients)
    },
  }
}

describe('growing the Citus cluster while events arrive', () => {
  let cluster: CitusCluster
  let store: Store
  let sql: postgres.Sql
  let api: NodeProcess
  let spare: { host: string; port: number }

  beforeAll(async () => {
    cluster = await startCitusCluster({ workers: 3, shardCount: 6, own: true, logical: true })
    spare = cluster.workers[2]!
    sql = postgres(cluster.url, { max: 2, onnotice: () => {} })
    // The third worker waits outside the cluster until the test adds it. Right after the cluster
    // starts, Citus's maintenance daemon may still be writing the node catalog the removal changes
    // ("tuple concurrently deleted"): tried again, a few times.
    for (let attempt = 1; ; attempt++) {
      try {
        await sql`SELECT citus_remove_node(${spare.host}, ${spare.port})`
        break
      } catch (err) {
        if (attempt === 10 || !/concurrently (deleted|updated)/.test(String((err as Error).message))) throw err
        await new Promise((r) => setTimeout(r, 500))
      }
    }
    store = await createPostgresStore({ url: cluster.url, max: 2 })
    for (const w of WORKSPACES)
      await store.createWorkspace({
        id: w.id,
        name: w.id,
        writeKey: `pk_${w.secretKey.slice(3)}`,
        secretKey: w.secretKey,
      })
    api = await startNode({ DATABASE_URL: cluster.url, JORNADA_DEMO: '0', JORNADA_RATE_LIMIT: 'off' })
  }, 300_000)
  afterAll(async () => {
    await api?.stop()
    await store?.close()
    await sql?.end({ timeout: 5 })
    await cluster?.stop()
  }, 120_000)

  /** Every acknowledged event of `acked`, looked up per workspace: how many are stored, and how many are not. */
  const missing = async (acked: Map<string, string[]>) => {
    let stored = 0
    let absent = 0
    for (const [ws, ids] of acked) {
      const [row] = await sql<{ n: number }[]>`
        SELECT count(DISTINCT event_id)::int AS n FROM events WHERE workspace_id = ${ws} AND event_id = ANY(${ids})`
      stored += row!.n
      absent += ids.length - row!.n
    }
    return { stored, absent }
  }

  const placements = async () =>
    (
      await sql<{ shardid: string; nodeport: number }[]>`
        SELECT shardid::text, nodeport FROM citus_shards WHERE table_name = 'events'::regclass ORDER BY shardid`
    ).map((r) => `${r.shardid}@${r.nodeport}`)

  it('CN04 every distributed table has a replica identity: shards move by logical replication', async () => {
    const rows = await sql<{ t: string }[]>`
      SELECT p.logicalrelid::text AS t FROM pg_dist_partition p JOIN pg_class c ON c.oid = p.logicalrelid
      WHERE c.relreplident = 'n' OR (c.relreplident = 'd' AND NOT EXISTS (
        SELECT 1 FROM pg_index i WHERE i.indrelid = p.logicalrelid AND i.indisprimary))`
    expect(rows.map((r) => r.t)).toEqual([])
    const [wal] = await sql<{ wal_level: string }[]>`SHOW wal_level`
    expect(wal!.wal_level).toBe('logical')
  })

  it('CN05 a worker added and the shards rebalanced during ingest: nothing lost, no request failed', async () => {
    const load = ingestWithoutPause(api)
    let before: string[] = []
    let t0 = 0
    let t1 = 0
    try {
      await new Promise((r) => setTimeout(r, 2000))
      before = await placements()
      t0 = Date.now()
      await sql`SELECT citus_add_node(${spare.host}, ${spare.port})`
      await sql`SELECT citus_rebalance_start()`
      await sql`SELECT citus_rebalance_wait()`
      t1 = Date.now()
      await new Promise((r) => setTimeout(r, 1000))
    } finally {
      await load.stop()
    }
    const after = await placements()

    const moved = after.filter((p) => !before.includes(p))
    const { stored, absent } = await missing(load.acked)
    const batches = [...load.statuses.values()].reduce((s, n) => s + n, 0)
    const failed = batches - (load.statuses.get(200) ?? 0)
    console.log(
      `[CN05] rebalance onto a third worker: ${((t1 - t0) / 1000).toFixed(1)} s, ` +
        `${load.ackedBetween(t0, t1) * 20} events acknowledged during the move, ${stored} in all; ` +
        `${moved.length} of ${after.length} events shards moved; ${batches} requests, ${failed} failed ` +
        `(statuses ${JSON.stringify(Object.fromEntries(load.statuses))})`,
    )
    expect(failed).toBe(0)
    expect(absent).toBe(0)
    expect(load.ackedBetween(t0, t1)).toBeGreaterThan(0)
    expect(moved.length).toBeGreaterThan(0)
    expect(moved.every((p) => p.endsWith(`@${spare.port}`))).toBe(true)
  }, 600_000)

  it('CN06 a workspace isolated on its own shard during ingest: nothing acknowledged is lost, retries pass', async () => {
    const ws = WORKSPACES[0]!.id
    const load = ingestWithoutPause(api)
    let made: { shard: string } | undefined
    let t0 = 0
    let t1 = 0
    try {
      await new Promise((r) => setTimeout(r, 1000))
      t0 = Date.now()
      ;[made] = await sql<{ shard: string }[]>`
        SELECT isolate_tenant_to_new_shard('events', ${ws}::text, 'CASCADE', shard_transfer_mode => 'block_writes')::text AS shard`
      t1 = Date.now()
      await new Promise((r) => setTimeout(r, 1000))
    } finally {
      await load.stop()
    }

    // A request that met the split's switch failed; the SDK sends such a batch again (ingest is
    // idempotent by event id): sent again now, each is stored.
    const unacked = load.unacked.map((u) => ({ status: u.status, answer: u.answer.slice(0, 200) }))
    for (const u of load.unacked) {
      expect((await post(api, u.ws.secretKey, u.batch)).status).toBe(200)
      load.acked.get(u.ws.id)!.push(...u.batch.map((e) => e.id))
    }
    // The workspace's shard holds one hash value: its own, and no other workspace's.
    const [range] = await sql<{ shard: string; one: boolean }[]>`
      SELECT shardid::text AS shard, shardminvalue = shardmaxvalue AS one FROM pg_dist_shard
      WHERE shardid = get_shard_id_for_distribution_column('events', ${ws}::text)`
    const { stored, absent } = await missing(load.acked)
    const batches = [...load.statuses.values()].reduce((s, n) => s + n, 0)
    const failed = batches - (load.statuses.get(200) ?? 0)
    console.log(
      `[CN06] isolate_tenant_to_new_shard: ${((t1 - t0) / 1000).toFixed(1)} s, ` +
        `${load.ackedBetween(t0, t1) * 20} events acknowledged during it, ${stored} stored in all; ` +
        `${batches} requests, ${failed} failed and sent again (statuses ${JSON.stringify(Object.fromEntries(load.statuses))})` +
        (unacked.length ? `; first answer: ${unacked[0]!.answer}` : ''),
    )
    expect(range).toEqual({ shard: made!.shard, one: true })
    // Each one the SDK's transport sends again; one it drops would be lost.
    expect(unacked.filter((u) => classify(u.status) !== 'retry')).toEqual([])
    expect(absent).toBe(0)
  }, 600_000)
})
