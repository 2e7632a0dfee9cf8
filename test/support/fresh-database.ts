import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, inject, it } from 'vitest'
import { createPostgresStore } from '../../server/store/postgres'
import type { Store } from '../../server/store/types'
import { createCitusDatabase, dropCitusDatabase } from './citus-cluster'

/**
 * Registers `tests` over a database of their own on the project's server, created before them and
 * dropped after them: for tests whose dispatchers claim the due deliveries of every workspace in the
 * database. On the test PostgreSQL (postgres-setup.ts) a plain database; in the `citus` project a
 * database with Citus on every node of the test cluster (citus-setup.ts). `db.url` is set once the
 * file's `beforeAll` hooks run. Without the server, one failing test says why: never a skip.
 */
export function onFreshDatabase(prefix: string, tests: (db: { url: string }) => void): void {
  const base = inject('databaseUrl')
  const citus = inject('storeKind') === 'citus'
  if (!base) {
    it(`${prefix}: a ${citus ? 'Citus cluster' : 'PostgreSQL server'} is available`, () => {
      throw new Error(inject('databaseError') || 'no databaseUrl provided for a fresh database')
    })
    return
  }
  const db = { url: '' }
  let admin: Store | undefined
  const name = `${prefix}_${randomUUID().replaceAll('-', '')}`
  beforeAll(async () => {
    if (citus) {
      db.url = await createCitusDatabase(inject('citusAdminUrl'), name)
      return
    }
    admin = await createPostgresStore({ url: base, max: 1 })
    await admin.db.exec(`CREATE DATABASE ${name}`)
    const u = new URL(base)
    u.pathname = `/${name}`
    db.url = u.toString()
  }, 240_000)
  afterAll(async () => {
    if (citus) await dropCitusDatabase(inject('citusAdminUrl'), name)
    await admin?.db.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await admin?.close()
  })
  tests(db)
}
