/**
 * `DATABASE_URL=… npm run migrate`: applies the pending migrations to a PostgreSQL database and
 * exits, from any machine: before deploying a Worker (server/edge/), or ahead of a rolling start.
 * The Node server and the Worker apply them too when they start (an advisory lock makes concurrent
 * runs safe, and each version is applied once).
 */
import { createPostgresStore } from './store/postgres'

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL
  if (!url) throw new Error('DATABASE_URL is not set: which PostgreSQL database should be migrated?')
  let applied: string[] = []
  const store = await createPostgresStore({ url, max: 1, onMigrate: (versions) => (applied = versions) })
  await store.close()
  process.stdout.write(
    applied.length === 0
      ? 'Jornada: the database is up to date; no migration to apply\n'
      : `Jornada: applied ${applied.length} migration(s): ${applied.join(', ')}\n`,
  )
}

main().catch((err: unknown) => {
  process.stderr.write(`Jornada: migrating failed: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
