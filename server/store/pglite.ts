import { mkdirSync } from 'node:fs'
import { PGlite, types, type Transaction } from '@electric-sql/pglite'
import { createSqlStore, parseTimestamptz, type SqlStoreOptions } from './sql-store'
import type { Db, Store } from './types'

type Queryable = Pick<Transaction, 'query' | 'exec'>

function wrap(q: Queryable, pg: PGlite, inTx: boolean): Db {
  const db: Db = {
    async query<T>(sql: string, params?: unknown[]) {
      return (await q.query<T>(sql, params)).rows
    },
    // PGlite has no nested transactions: inside one, `fn` simply joins it.
    transaction: (fn) => (inTx ? fn(db) : pg.transaction((tx) => fn(wrap(tx, pg, true)))),
    async exec(sql) {
      await q.exec(sql)
    },
    close: () => (inTx ? Promise.resolve() : pg.close()),
  }
  return db
}

/**
 * The embedded store: PGlite (PostgreSQL compiled to WASM) in this process. `dataDir` is a folder
 * (created if missing) or `'memory://'`, which keeps nothing. Resolves once migrations are applied.
 */
export async function createPgliteStore(opts: { dataDir: string } & SqlStoreOptions): Promise<Store> {
  if (!opts.dataDir.includes('://')) mkdirSync(opts.dataDir, { recursive: true })
  // Same JS shapes as the PostgreSQL adapter: timestamptz as epoch ms, int8 as number.
  const pg = await PGlite.create(opts.dataDir, {
    parsers: { [types.TIMESTAMPTZ]: parseTimestamptz, [types.INT8]: Number },
  })
  const db = wrap(pg, pg, false)
  const store = createSqlStore(db, 'pglite', opts)
  try {
    await store.migrate()
  } catch (err) {
    await pg.close().catch(() => undefined)
    throw err
  }
  return store
}
