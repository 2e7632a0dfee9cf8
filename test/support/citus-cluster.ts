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
