import { mkdirSync } from 'node:fs'
import { PGlite, types, type Transaction } from '@electric-sql/pglite'
import { createSqlStore, type SqlStoreOptions } from './sql-store'
import { parseTimestamptz } from './sql-values'
import type { Db, Store } from './types'

type Queryable = Pick<Transaction, 'query' | 'exec'>

/**
 * A parameter as an SQL literal, for EXECUTE (which takes no bound parameters in PGlite). Only
 * finite numbers, null and strings reach here (ids the store has validated: no NUL); with
 * standard_conforming_strings (on by default) doubling the quotes is the whole of the escaping.
 */
function literal(v: unknown): string {
  if (v === null || v === undefined) return 'NULL'
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error('prepared: not a finite number')
    return String(v)
  }
  if (typeof v === 'string') return `'${v.replaceAll("'", "''")}'`
  throw new Error(`prepared: unsupported parameter ${typeof v}`)
}

/** Text parameters at least this long may go as bytes (see `bytesForText`). */
const BYTES_MIN_LENGTH = 4096

/**
 * Long string parameters that the statement casts to `text` (`$n::text`, not `$n::text[]`), as
 * UTF-8 bytes: PGlite sends bytes in binary format, and text's binary form IS its UTF-8 bytes, so
 * the server reads the same value. A string it would measure in a JS loop, twice, before encoding
 * it (the ingest path's JSON documents: a few hundred KB per statement); Buffer.from is native.
 */
function bytesForText(sql: string, params: unknown[] | undefined): unknown[] | undefined {
  if (!params) return params
  let out = params
  for (let i = 0; i < params.length; i++) {
    const p = params[i]
    if (
      typeof p === 'string' &&
      p.length >= BYTES_MIN_LENGTH &&
      new RegExp(`\\$${i + 1}::text(?![\\w\\[])`).test(sql)
    ) {
      if (out === params) out = [...params]
      out[i] = Buffer.from(p, 'utf8')
    }
  }
  return out
}

function wrap(q: Queryable, pg: PGlite, inTx: boolean, preparedNames: Map<string, Promise<void>>): Db {
  const db: Db = {
    async query<T>(sql: string, params?: unknown[]) {
      return (await q.query<T>(sql, bytesForText(sql, params))).rows
    },
    // PREPARE once per PGlite instance (its one session), then EXECUTE: the plan is reused. Calls
    // that arrive while the PREPARE runs (a sweep's first loads, in parallel) wait for that one.
    async prepared<T>(name: string, sql: string, types: string[], params: unknown[]) {
      let ready = preparedNames.get(name)
      if (!ready) {
        ready = q.exec(`PREPARE ${name} (${types.join(', ')}) AS ${sql}`).then(() => undefined)
        preparedNames.set(name, ready)
        ready.catch(() => preparedNames.delete(name))
      }
      await ready
      return (await q.query<T>(`EXECUTE ${name} (${params.map(literal).join(', ')})`)).rows
    },
    // PGlite has no nested transactions: inside one, `fn` simply joins it.
    transaction: (fn) => (inTx ? fn(db) : pg.transaction((tx) => fn(wrap(tx, pg, true, preparedNames)))),
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
  const db = wrap(pg, pg, false, new Map())
  const store = createSqlStore(db, 'pglite', opts)
  try {
    await store.migrate()
  } catch (err) {
    await pg.close().catch(() => undefined)
    throw err
  }
  return store
}
