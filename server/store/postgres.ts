import postgres from 'postgres'
import { createSqlStore, parseTimestamptz, type SqlStoreOptions } from './sql-store'
import type { Db, Store } from './types'

type Sql = postgres.Sql<Record<string, unknown>>
type TxSql = postgres.TransactionSql<Record<string, unknown>>

function wrap(sql: Sql | TxSql, root: Sql, inTx: boolean): Db {
  const db: Db = {
    async query<T>(text: string, params?: unknown[]) {
      return (await sql.unsafe(text, (params ?? []) as postgres.ParameterOrJSON<never>[])) as unknown as T[]
    },
    // Inside a transaction `fn` joins it (no savepoints needed by the store).
    transaction: <T>(fn: (tx: Db) => Promise<T>) =>
      inTx ? fn(db) : (root.begin((tx) => fn(wrap(tx, root, true))) as Promise<T>),
    async exec(text) {
      // The simple protocol: several statements, no parameters.
      await sql.unsafe(text).simple()
    },
    close: () => (inTx ? Promise.resolve() : root.end({ timeout: 5 })),
  }
  return db
}

/**
 * The store on a PostgreSQL server (`DATABASE_URL`). `max` is the connection pool size (default 10).
 * Resolves once migrations are applied (safe when several processes start at once).
 */
export async function createPostgresStore(opts: { url: string; max?: number } & SqlStoreOptions): Promise<Store> {
  const sql = postgres(opts.url, {
    max: opts.max ?? 10,
    onnotice: () => {},
    // Same JS shapes as the PGlite adapter: timestamptz as epoch ms, int8 as number.
    types: {
      epochMs: {
        to: 1184,
        from: [1184],
        serialize: (x: unknown) => (x instanceof Date ? x : new Date(x as number)).toISOString(),
        parse: parseTimestamptz,
      },
      int8: { to: 20, from: [20], serialize: (x: unknown) => String(x), parse: Number },
    },
  }) as unknown as Sql
  const db = wrap(sql, sql, false)
  const store = createSqlStore(db, 'postgres', opts)
  try {
    await store.migrate()
  } catch (err) {
    await sql.end({ timeout: 1 }).catch(() => undefined)
    throw err
  }
  return store
}
