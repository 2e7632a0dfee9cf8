import { readdir, readFile } from 'node:fs/promises'
import type { Db } from './types'

/** An arbitrary constant that names Jornada's migration lock among the database's advisory locks. */
const MIGRATION_LOCK = 4_207_311_019

/** The folder of the `.sql` migrations (one set for both adapters). */
export function migrationsDir(): URL {
  return new URL('./migrations/', import.meta.url)
}

/**
 * Applies the pending `.sql` files of `dir`, in name order, each recorded in `schema_migrations`.
 * Everything runs in one transaction that first takes an advisory lock, so several processes
 * starting at once against one PostgreSQL apply each migration exactly once, and a failed
 * migration leaves nothing behind. Returns the versions it applied.
 */
export async function migrate(db: Db, dir: URL = migrationsDir()): Promise<string[]> {
  // Read at call time, not import time: importing the store must not touch the disk.
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort()
  const sources = await Promise.all(files.map((f) => readFile(new URL(f, dir), 'utf8')))
  return db.transaction(async (tx) => {
    // Before CREATE TABLE IF NOT EXISTS: two sessions creating the same table at once can fail
    // on the catalog's unique index even with IF NOT EXISTS.
    await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [MIGRATION_LOCK])
    await tx.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    )
    const done = new Set(
      (await tx.query<{ version: string }>('SELECT version FROM schema_migrations')).map((r) => r.version),
    )
    const applied: string[] = []
    for (let i = 0; i < files.length; i++) {
      const version = files[i]!.replace(/\.sql$/, '')
      if (done.has(version)) continue
      await tx.exec(sources[i]!)
      await tx.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version])
      applied.push(version)
    }
    return applied
  })
}
