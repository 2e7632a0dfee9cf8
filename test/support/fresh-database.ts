import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, inject, it } from 'vitest'
import { createPostgresStore } from '../../server/store/postgres'
import type { Store } from '../../server/store/types'

/**
 * Registers `tests` over a database of their own on the test PostgreSQL (postgres-setup.ts), created
 * before them and dropped after them: for tests whose dispatchers claim the due deliveries of every
 * workspace in the database. `db.url` is set once the file's `beforeAll` hooks run. Without a
 * PostgreSQL, one failing test says why: never a skip.
 */
export function onFreshDatabase(prefix: string, tests: (db: { url: string }) => void): void {
  const base = inject('databaseUrl')
  if (!base) {
    it(`${prefix}: a PostgreSQL server is available`, () => {
      throw new Error(inject('databaseError') || 'no databaseUrl provided by test/support/postgres-setup.ts')
    })
    return
  }
  const db = { url: '' }
  let admin: Store | undefined
  const name = `${prefix}_${randomUUID().replaceAll('-', '')}`
  beforeAll(async () => {
    admin = await createPostgresStore({ url: base, max: 1 })
    await admin.db.exec(`CREATE DATABASE ${name}`)
    const u = new URL(base)
    u.pathname = `/${name}`
    db.url = u.toString()
  }, 240_000)
  afterAll(async () => {
    await admin?.db.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await admin?.close()
  })
  tests(db)
}
