import postgres from 'postgres'
import { createSqlStore, type SqlStoreOptions } from './sql-store'
import { parseTimestamptz } from './sql-values'
import type { Db, Store } from './types'

type Sql = postgres.Sql<Record<string, unknown>>
type Reserved = postgres.ReservedSql<Record<string, unknown>>
type Params = postgres.ParameterOrJSON<never>[]

/**
 * Every statement with parameters is prepared once per connection and then reused. Unprepared, the
 * `postgres` client sends Parse + Describe, waits for the parameter types (a round trip), and
 * only then Bind + Execute, and it pipelines nothing behind a statement while it waits: the
 * ingest path's pipelined COMMIT waited for it too. Prepared: one round trip, pipelined (ingest on
 * PostgreSQL measured +15-20% events/s). The store's statement texts are a fixed, small set (the
 * dynamic ones vary only by which optional filters they use), so the per-connection cache stays small.
 */
const PREPARE = { prepare: true } as const

/**
 * One transaction on a reserved connection, pipelined: BEGIN goes out with the first statement and
 * COMMIT right behind the statement sent through `queryLast`, so that a transaction of two
 * statements (the ingest path's usual group) costs two round trips, not four. The server runs
 * them in order; a statement that fails aborts the transaction, and a COMMIT sent behind it then
 * rolls back (PostgreSQL answers ROLLBACK), so `fn`'s rejection still means nothing was committed.
 */
async function pipelinedTransaction<T>(root: Sql, fn: (tx: Db) => Promise<T>): Promise<T> {
  const conn: Reserved = await root.reserve()
  const state: { commit: Promise<unknown> | null } = { commit: null }
  const send = (text: string, params: unknown[] = []) => {
    const q = conn.unsafe(text, params as Params, PREPARE)
    q.execute()
    return q
  }
  const tx: Db = {
    async query<T>(text: string, params?: unknown[]) {
      return (await send(text, params)) as unknown as T[]
    },
    async queryLast<T>(text: string, params?: unknown[]) {
      if (state.commit) throw new Error('queryLast: the transaction is already committing')
      const q = send(text, params)
      state.commit = send('commit')
      state.commit.catch(() => undefined) // awaited below
      return (await q) as unknown as T[]
    },
    // Inside a transaction `fn` joins it (no savepoints needed by the store).
    transaction: (f) => f(tx),
    async exec(text) {
      await conn.unsafe(text).simple()
    },
    close: () => Promise.resolve(),
  }
  try {
    const begin = send('begin')
    begin.catch(() => undefined) // awaited below
    const result = await fn(tx)
    await begin
    await (state.commit ?? send('commit'))
    return result
  } catch (err) {
    // After a failed statement a pipelined COMMIT has rolled back already; ROLLBACK is then a no-op.
    await state.commit?.catch(() => undefined)
    await send('rollback').catch(() => undefined)
    throw err
  } finally {
    conn.release()
  }
}

function wrap(sql: Sql): Db {
  return {
    async query<T>(text: string, params?: unknown[]) {
      return (await sql.unsafe(text, (params ?? []) as Params, PREPARE)) as unknown as T[]
    },
    transaction: (fn) => pipelinedTransaction(sql, fn),
    async exec(text) {
      // The simple protocol: several statements, no parameters.
      await sql.unsafe(text).simple()
    },
    close: () => sql.end({ timeout: 5 }),
  }
}

/**
 * The store on a PostgreSQL server (`DATABASE_URL`). `max` is the connection pool size (default 10).
 * Resolves once migrations are applied (safe when several processes start at once); `migrate: false`
 * skips them, for a caller that knows they are (each migration check is a transaction that takes a
 * database-wide advisory lock).
 */
export async function createPostgresStore(
  opts: { url: string; max?: number; migrate?: boolean } & SqlStoreOptions,
): Promise<Store> {
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
  const db = wrap(sql)
  const store = createSqlStore(db, 'postgres', opts)
  if (opts.migrate === false) return store
  try {
    await store.migrate()
  } catch (err) {
    await sql.end({ timeout: 1 }).catch(() => undefined)
    throw err
  }
  return store
}
