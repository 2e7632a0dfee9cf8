/**
 * `tsx test/bench/as-run-ceiling.ts <dataDir> [rows]`: the ceilings of as-run.ts, in a process and a
 * store of their own (PGlite is one process: its store cannot be shared with the server's), in
 * `dataDir` (a fresh folder: PGlite on disk; `memory://`: in memory), with the store's migrations:
 * `rows` generated events (50 accounts) written with 500-row multi-row INSERTs, one statement per
 * transaction as autocommit gives it, (i) into a plain table with the columns of `events` and its
 * primary key and no other index, (ii) into the real `events` table with its indexes.
 * Prints one JSON line `{ plain, events }`, rows/s each.
 */
import { makeBatch } from './data'
import { createPgliteStore } from '../../server/store'

const ROWS_PER_INSERT = 500
const COLUMNS =
  'workspace_id, event_id, type, name, user_id, anonymous_id, account_id, ts, received_at, properties, traits, context'

/** A string as an SQL literal (standard_conforming_strings: doubling the quotes is the escaping). */
const lit = (v: string | null) => (v === null ? 'NULL' : `'${v.replaceAll("'", "''")}'`)

/**
 * The rows as INSERT statements of ROWS_PER_INSERT rows each, built before the clock starts: the
 * values as literals, so that the ceiling times the store, not a driver's encoding of parameters.
 */
function statements(table: string, rows: number, ws: string): string[] {
  const now = Date.now()
  const received = lit(new Date(now).toISOString())
  const out: string[] = []
  let values: string[] = []
  while (out.length * ROWS_PER_INSERT < rows) {
    for (const e of makeBatch(20, now, 50)) {
      values.push(
        `(${lit(ws)}, ${lit(e.id)}, ${lit(e.type)}, ${lit(e.type === 'page' ? '$page' : (e.event ?? null))}, ${lit(e.userId ?? null)}, ${lit(e.anonymousId ?? null)}, ${lit(e.accountId ?? null)}, ${lit(e.timestamp)}, ${received}, ${lit(JSON.stringify(e.properties ?? {}))}, NULL, ${lit(JSON.stringify(e.context ?? null))})`,
      )
      if (values.length === ROWS_PER_INSERT) {
        out.push(`INSERT INTO ${table} (${COLUMNS}) VALUES ${values.join(', ')}`)
        values = []
      }
    }
  }
  return out
}

const [dataDir = 'memory://', rowsArg] = process.argv.slice(2)
const rows = Number(rowsArg ?? 100_000)
const store = await createPgliteStore({ dataDir })
await store.db.exec('CREATE TABLE plain_events (LIKE events INCLUDING DEFAULTS, PRIMARY KEY (workspace_id, event_id))')

async function rate(table: string): Promise<number> {
  // Warm-up (JIT, the first pages) in a workspace of its own.
  for (const sql of statements(table, 5_000, 'warm')) await store.db.exec(sql)
  const all = statements(table, rows, 'ceiling')
  const t0 = performance.now()
  for (const sql of all) await store.db.exec(sql)
  return (all.length * ROWS_PER_INSERT) / ((performance.now() - t0) / 1000)
}

const plain = await rate('plain_events')
const events = await rate('events')
await store.close()
process.stdout.write(JSON.stringify({ plain, events }) + '\n')
