import { describe, expect, it } from 'vitest'
import { migrationsOnDisk } from '../../server/store/migrate'

/**
 * The migrations' rules for Citus (docs/scaling.md, "Migrations"), read from the files: no database.
 * From 019 on, each file is one statement or one DO block: Citus refuses a file of several statements
 * that changes a distributed table (a multi-statement query string, citusdata/citus#6608). Every table
 * is distributed by workspace_id or a reference table: 020 distributes those created before it, and a
 * later file distributes the table it creates.
 */
const FIRST_SINGLE_STATEMENT = '019'
const DISTRIBUTING = '020_distribute_by_workspace'
/** The migration runner creates its own table (server/store/migrate.ts); 020 makes it a reference table. */
const RUNNER_TABLES = ['schema_migrations']

/** The SQL without its comments and string bodies: what separates statements is left. */
function skeleton(sql: string): string {
  let out = ''
  for (let i = 0; i < sql.length; ) {
    const rest = sql.slice(i)
    const dollar = /^\$([A-Za-z_]*)\$/.exec(rest)
    if (rest.startsWith('--')) {
      const end = sql.indexOf('\n', i)
      i = end === -1 ? sql.length : end
    } else if (rest.startsWith('/*')) {
      i = sql.indexOf('*/', i + 2) + 2
      if (i === 1) throw new Error('an unclosed /* comment')
    } else if (dollar) {
      const end = sql.indexOf(dollar[0], i + dollar[0].length)
      if (end === -1) throw new Error(`an unclosed ${dollar[0]} string`)
      out += ` ${dollar[0]}…${dollar[0]} `
      i = end + dollar[0].length
    } else if (rest[0] === "'") {
      let j = i + 1
      while (j < sql.length && !(sql[j] === "'" && sql[j + 1] !== "'")) j += sql[j] === "'" ? 2 : 1
      out += " '' "
      i = j + 1
    } else {
      out += sql[i]
      i++
    }
  }
  return out
}

/** The file's statements, as their skeletons. */
const statementsOf = (sql: string) =>
  skeleton(sql)
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '')

/** The tables a file creates, by name. */
const createdBy = (sql: string) =>
  [...sql.matchAll(/CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)/gi)].map((m) => m[1]!.toLowerCase())

/** The tables a file distributes or makes reference tables: by name in its text, or in an ARRAY of names. */
const distributedBy = (sql: string) => new Set([...sql.matchAll(/'(\w+)'/g)].map((m) => m[1]!.toLowerCase()))

/** The tables a migration after 020 creates (in a DO block too) without distributing them in it. */
const undistributed = (sql: string) => {
  const code = sql.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '')
  return createdBy(code).filter((t) => !new RegExp(`create_(distributed|reference)_table\\(\\s*'${t}'`, 'i').test(code))
}

describe('migrations: the rules that keep them runnable on Citus (docs/scaling.md, "Migrations")', async () => {
  const migrations = await migrationsOnDisk()
  const distributing = migrations.find((m) => m.version === DISTRIBUTING)

  it('MR01 from 019 on, each migration file is one statement or one DO block', () => {
    const later = migrations.filter((m) => m.version >= FIRST_SINGLE_STATEMENT)
    expect(later.length).toBeGreaterThan(1)
    const offending = later
      .map((m) => ({ version: m.version, statements: statementsOf(m.sql) }))
      .filter((m) => m.statements.length !== 1)
      .map((m) => `${m.version}: ${m.statements.length} statements`)
    expect(offending).toEqual([])
  })

  it('MR02 the statement counter: a DO block is one; two statements, or one in a comment, are told apart', () => {
    const block = "DO $$\nBEGIN\n  ALTER TABLE t ADD COLUMN a text; -- ';'\n  UPDATE t SET a = 'x;y';\nEND\n$$;\n"
    expect(statementsOf(block)).toHaveLength(1)
    expect(statementsOf('ALTER TABLE t ADD COLUMN a text;\nCREATE INDEX i ON t (a);')).toHaveLength(2)
    expect(statementsOf("-- one; two\n/* three; */ UPDATE t SET a = 'it''s; fine';")).toHaveLength(1)
  })

  it('MR03 every table the migrations create before 020 is distributed or a reference table by 020', () => {
    expect(distributing).toBeDefined()
    const before = migrations.filter((m) => m.version < DISTRIBUTING).flatMap((m) => createdBy(m.sql))
    expect(before.length).toBeGreaterThan(20)
    const named = distributedBy(distributing!.sql)
    expect([...before, ...RUNNER_TABLES].filter((t) => !named.has(t))).toEqual([])
  })

  it('MR04 a table created after 020 is distributed or made a reference table in the file creating it', () => {
    const later = migrations.filter((m) => m.version > DISTRIBUTING)
    expect(later.flatMap((m) => undistributed(m.sql).map((t) => `${m.version}: ${t}`))).toEqual([])
    // The check itself, on a file that does it and one that forgets it (or only mentions it in a comment).
    const done = `DO $$
BEGIN
  CREATE TABLE IF NOT EXISTS notes (workspace_id text NOT NULL, id text NOT NULL, PRIMARY KEY (workspace_id, id));
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
    PERFORM create_distributed_table('notes', 'workspace_id', colocate_with => 'events');
  END IF;
END
$$;`
    expect(undistributed(done)).toEqual([])
    expect(
      undistributed(done.replace("PERFORM create_distributed_table('notes'", "-- create_distributed_table('notes'")),
    ).toEqual(['notes'])
  })
})
