import type { Db } from './types'

/** An arbitrary constant that names Jornada's migration lock among the database's advisory locks. */
const MIGRATION_LOCK = 4_207_311_019

/** One migration: its version (the file's name without `.sql`) and its SQL. */
export interface Migration {
  version: string
  sql: string
}

/**
 * The folder of the `.sql` migrations (one set for both adapters, and for Citus). Each file from 019
 * on is one statement or one DO block, and a table is distributed in the file that creates it
 * (migrations/README.md, docs/scaling.md "Migrations").
 */
export function migrationsDir(): URL {
  return new URL('./migrations/', import.meta.url)
}

/**
 * The `.sql` files of `dir`, in name order. node:fs is imported when called, not with this module:
 * a bundle that brings its migrations as text (server/edge) never touches a disk.
 */
export async function migrationsOnDisk(dir: URL = migrationsDir()): Promise<Migration[]> {
  const { readdir, readFile } = await import('node:fs/promises')
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort()
  return Promise.all(
    files.map(async (f) => ({ version: f.replace(/\.sql$/, ''), sql: await readFile(new URL(f, dir), 'utf8') })),
  )
}

/**
 * Applies the pending migrations (default: the `.sql` files beside this module), in version order,
 * each recorded in `schema_migrations`. Everything runs in one transaction that first takes an
 * advisory lock, so several processes starting at once against one PostgreSQL apply each migration
 * exactly once, and a failed migration leaves nothing behind. Returns the versions it applied.
 */
export async function migrate(db: Db, migrations?: Migration[]): Promise<string[]> {
  // Read at call time, not import time: importing the store must not touch the disk.
  const all = [...(migrations ?? (await migrationsOnDisk()))].sort((a, b) => (a.version < b.version ? -1 : 1))
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
    for (const m of all) {
      if (done.has(m.version)) continue
      await tx.exec(m.sql)
      await tx.query('INSERT INTO schema_migrations (version) VALUES ($1)', [m.version])
      applied.push(m.version)
    }
    return applied
  })
}
