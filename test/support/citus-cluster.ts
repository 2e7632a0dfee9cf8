/**
 * A Citus cluster for the tests and benchmarks that need one: `CITUS_URL` (a coordinator's database
 * with Citus and its workers registered) when set, else a throwaway cluster on loopback started with
 * `../shared/citus/cluster.sh` from the repository's root (as the `postgres` user when run as root),
 * stopped by `stop()` or at process exit. Without Citus installed, `startCitusCluster` throws the
 * reason: the caller's tests fail with it, never skip.
 */
import { execFile, execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import postgres from 'postgres'
import { findPostgresBin } from './pg-cluster'

const run = promisify(execFile)

/** The repository's root: CI clones it with `../shared` beside it, which holds the Citus scripts. */
const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const CLUSTER_SH = resolve(ROOT, '../shared/citus/cluster.sh')

/** Shards per distributed table in the test databases: a few per worker, so that workspaces spread, and quick to create. */
export const TEST_SHARD_COUNT = 4

export interface CitusCluster {
  /** The coordinator's database, Citus in it and every started worker registered. */
  url: string
  /** The cluster's folder (cluster.sh's DIR), '' for `CITUS_URL`. */
  dir: string
  /** The workers cluster.sh started, in order, whether registered or not: `{ host, port }`. */
  workers: { host: string; port: number }[]
  /** Whether the cluster came from `CITUS_URL` (shared: never change its nodes). */
  shared: boolean
  /** Stops every node and removes the folder (nothing for `CITUS_URL`). Safe to call twice. */
  stop(): Promise<void>
}

/** Why a throwaway cluster cannot be started here, or null. */
export function citusMissing(): string | null {
  const bin = findPostgresBin()
  if (!bin) return 'no PostgreSQL server under /usr/lib/postgresql'
  const lib = join(dirname(bin), 'lib', 'citus.so')
  if (!existsSync(lib))
    return `Citus is not installed for ${dirname(bin)} (no ${lib}; run bash ../shared/citus/build.sh)`
  if (!existsSync(CLUSTER_SH)) return `no ${CLUSTER_SH} (the repository is cloned with ../shared beside it)`
  return null
}

/**
 * `CITUS_URL` when set (unless `own`), else a coordinator and `workers` workers (default 2) in a
 * temporary folder. `shardCount`: the shards per distributed table of the database (set before the
 * migrations distribute it; Citus's default is 32), on a throwaway cluster only. `logical`: every
 * node restarted with `wal_level = logical`, which shard moves by logical replication need (Citus's
 * default transfer mode; cluster.sh leaves PostgreSQL's default, `replica`).
 */
export async function startCitusCluster(
  opts: { workers?: number; shardCount?: number; own?: boolean; logical?: boolean } = {},
): Promise<CitusCluster> {
  const fromEnv = process.env.CITUS_URL
  if (fromEnv && !opts.own) return { url: fromEnv, dir: '', workers: [], shared: true, stop: async () => {} }
  const missing = citusMissing()
  if (missing) throw new Error(`no Citus: CITUS_URL is unset and ${missing}`)
  const dir = mkdtempSync(join(tmpdir(), 'jornada-citus-'))
  let running = true
  const stopSync = () => {
    if (!running) return
    running = false
    try {
      execFileSync('bash', [CLUSTER_SH, 'stop', dir], { cwd: ROOT, stdio: 'ignore' })
    } catch {
      // best effort at process exit
    }
    rmSync(dir, { recursive: true, force: true })
  }
  process.once('exit', stopSync)
  const stop = async () => {
    process.off('exit', stopSync)
    if (!running) return
    running = false
    await run('bash', [CLUSTER_SH, 'stop', dir], { cwd: ROOT }).catch(() => undefined)
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    const n = opts.workers ?? 2
    const { stdout } = await run('bash', [CLUSTER_SH, 'start', dir, String(n)], { cwd: ROOT })
    const url = stdout.trim().split('\n').pop() ?? ''
    if (!url.startsWith('postgres://')) throw new Error(`cluster.sh printed no URL: ${stdout}`)
    // cluster.sh's layout: node-0 is the coordinator, node-1… the workers, each with a `port` file.
    const workers = Array.from({ length: n }, (_, i) => ({
      host: '127.0.0.1',
      port: Number(readFileSync(join(dir, `node-${i + 1}`, 'port'), 'utf8').trim()),
    }))
    if (opts.logical) await restartLogical(dir, n)
    if (opts.shardCount) {
      const sql = postgres(url, { max: 1, onnotice: () => {} })
      await sql.unsafe(`ALTER DATABASE postgres SET citus.shard_count = ${Number(opts.shardCount)}`)
      await sql.end({ timeout: 5 })
    }
    return { url, dir, workers, shared: false, stop }
  } catch (err) {
    await stop()
    throw new Error(`could not start a Citus cluster with ${CLUSTER_SH}: ${(err as Error).message}`)
  }
}

/** Sets `wal_level = logical` on cluster.sh's nodes (node-0 … node-<workers>) and restarts each. */
async function restartLogical(dir: string, workers: number): Promise<void> {
  const bin = findPostgresBin()!
  const asRoot = process.getuid?.() === 0
  for (let i = 0; i <= workers; i++) {
    const node = join(dir, `node-${i}`)
    const port = readFileSync(join(node, 'port'), 'utf8').trim()
    const sql = postgres(`postgres://postgres@127.0.0.1:${port}/postgres`, { max: 1, onnotice: () => {} })
    await sql.unsafe('ALTER SYSTEM SET wal_level = logical').finally(() => sql.end({ timeout: 5 }))
    const args = ['restart', '-D', join(node, 'data'), '-m', 'fast', '-w', '-t', '60', '-l', join(node, 'server.log')]
    await (asRoot
      ? run('runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), ...args], { cwd: node })
      : run(join(bin, 'pg_ctl'), args, { cwd: node }))
  }
}

/** `url` with another database. */
function withDatabase(url: string, name: string): string {
  const u = new URL(url)
  u.pathname = `/${name}`
  return u.toString()
}

/**
 * Creates the database `name` on every node of the cluster whose coordinator `adminUrl` reaches
 * (a database with Citus and its workers added): Citus in it on each node, the coordinator and
 * the workers registered, TEST_SHARD_COUNT shards per table. Returns its URL on the coordinator.
 */
export async function createCitusDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  try {
    const nodes = await admin<{ nodename: string; nodeport: number; groupid: number }[]>`
      SELECT nodename, nodeport, groupid FROM pg_dist_node WHERE noderole = 'primary' AND isactive ORDER BY groupid`
    const u = new URL(adminUrl)
    const coordinator = nodes.find((n) => n.groupid === 0) ?? {
      nodename: u.hostname,
      nodeport: Number(u.port || 5432),
      groupid: 0,
    }
    const workers = nodes.filter((n) => n.groupid !== 0)
    if (workers.length === 0) throw new Error(`the cluster of ${adminUrl} has no workers`)
    await admin.unsafe('SET citus.enable_create_database_propagation = on')
    await admin.unsafe(`CREATE DATABASE "${name}"`)
    for (const n of [coordinator, ...workers]) {
      const node = new URL(withDatabase(adminUrl, name))
      node.hostname = n.nodename
      node.port = String(n.nodeport)
      const sql = postgres(node.toString(), { max: 1, onnotice: () => {} })
      await sql.unsafe('CREATE EXTENSION IF NOT EXISTS citus').finally(() => sql.end({ timeout: 5 }))
    }
    const db = postgres(withDatabase(adminUrl, name), { max: 1, onnotice: () => {} })
    try {
      await db`SELECT citus_set_coordinator_host(${coordinator.nodename}, ${coordinator.nodeport})`
      for (const w of workers) await db`SELECT citus_add_node(${w.nodename}, ${w.nodeport})`
      await db.unsafe(`ALTER DATABASE "${name}" SET citus.shard_count = ${TEST_SHARD_COUNT}`)
    } finally {
      await db.end({ timeout: 5 })
    }
    return withDatabase(adminUrl, name)
  } finally {
    await admin.end({ timeout: 5 })
  }
}

/** Drops a database createCitusDatabase made, on every node. */
export async function dropCitusDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  try {
    await admin.unsafe('SET citus.enable_create_database_propagation = on')
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
  } finally {
    await admin.end({ timeout: 5 })
  }
}
