import { createPgliteStore } from './pglite'
import { createPostgresStore } from './postgres'
import type { Store } from './types'

export { createPgliteStore } from './pglite'
export { createPostgresStore } from './postgres'
export { createSqlStore } from './sql-store'
export { checkEvent, hashKey } from './sql-values'
export { eventsDocument, INSERT_EVENTS } from './event-inserts'
export { migrate } from './migrate'
export { mergeTraits, plainTraits } from './traits'
export type * from './types'

/**
 * The store the server runs on: PostgreSQL when `databaseUrl` is set (DATABASE_URL), else the
 * embedded PGlite store in `dataDir` (`'memory://'` keeps nothing). Migrations are applied.
 */
export function createStore(opts: { databaseUrl?: string; dataDir: string }): Promise<Store> {
  return opts.databaseUrl
    ? createPostgresStore({ url: opts.databaseUrl })
    : createPgliteStore({ dataDir: opts.dataDir })
}
