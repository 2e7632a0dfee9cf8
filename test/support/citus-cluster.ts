import { execFile, execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import postgres from 'postgres'
import { findPostgresBin } from './pg-cluster'

const run = promisify(execFile)

/** The repository's root: CI clones it with `../shared` beside it, which holds the Citus scripts. */
const ROOT = fileURLToPath(new URL('../..', import.meta.url))
/** Starts, and stops, a coordinator with two workers on loopback (`../shared/citus/cluster.sh`, from the root). */
const CLUSTER_SH = resolve(ROOT, '../shared/citus/cluster.sh')

/** Shards per distributed table in the test databases: a few per worker, so that workspaces spread, and quick to create. */
export const TEST_SHARD_COUNT = 4

/** A throwaway Citus cluster: its coordinator's URL (the `postgres` database, Citus in it, workers added). */
export interface CitusCluster {
  url: string
  /** Stops every node and removes the folder. Safe to call twice. */
  stop(): Promise<void>
}

/** Whether Citus is installed for the machine's PostgreSQL server (`citus.so` beside its other libraries), or why not. */
export function citusMissing(): string | null {
  const bin = findPostgresBin()
  if (!bin) return 'no PostgreSQL server under /usr/lib/postgresql'
  const lib = join(dirname(bin), 'lib', 'citus.so')
  if (!existsSync(lib))
    return `Citus is not installed for ${dirname(bin)} (no ${lib}; bash ../shared/citus/build.sh installs it)`
  if (!existsSync(CLUSTER_SH)) return `no ${CLUSTER_SH} (CI clones the repository with ../shared beside it)`
  return null
}

/**
 * Starts a coordinator and two workers in a temporary folder with `../shared/citus/cluster.sh`
 * (as the `postgres` user when run as root). Stopped at process exit if the caller does not.
 */
export async function startCitusCluster(): Promise<CitusCluster> {
  const missing = citusMissing()
  if (missing) throw new Error(missing)
  // The folder itself: cluster.sh gives it to the `postgres` user when run as root (a folder under
  // a private temporary one would be out of that user's reach).
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
    const { stdout } = await run('bash', [CLUSTER_SH, 'start', dir], { cwd: ROOT })
    const url = stdout.trim().split('\n').pop() ?? ''
    if (!url.startsWith('postgres://')) throw new Error(`cluster.sh printed no URL: ${stdout}`)
    return { url, stop }
  } catch (err) {
    await stop()
    throw new Error(`could not start a Citus cluster with ${CLUSTER_SH}: ${(err as Error).message}`)
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
