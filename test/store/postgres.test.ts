import { readdirSync } from 'node:fs'
import { migrationsDir } from '../../server/store/migrate'
import { randomUUID } from 'node:crypto'
import { describe, expect, inject, it } from 'vitest'
import { createPostgresStore } from '../../server/store/postgres'
import { runConsoleStoreContract } from './console-contract'
import { ev, newWorkspaceId, runStoreContract } from './contract'

/** Every migration file, in order: each must be recorded once. */
const MIGRATIONS = readdirSync(migrationsDir())
  .filter((f) => f.endsWith('.sql'))
  .map((f) => f.replace(/\.sql$/, ''))
  .sort()

const url = inject('databaseUrl')

if (!url) {
  // Never skip: a run without PostgreSQL is a failed run, with the reason.
  it('PS01 postgres: a PostgreSQL server is available for the store contract', () => {
    throw new Error(inject('databaseError') || 'no databaseUrl provided by test/support/postgres-setup.ts')
  })
} else {
  runStoreContract('postgres', () => createPostgresStore({ url }))
  runConsoleStoreContract('postgres', () => createPostgresStore({ url }))

  /** A fresh, empty database on the same server; dropped by the returned function. */
  async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
    const admin = await createPostgresStore({ url, max: 1 })
    const name = `jornada_${randomUUID().replaceAll('-', '')}`
    await admin.db.exec(`CREATE DATABASE ${name}`)
    const u = new URL(url)
    u.pathname = `/${name}`
    return {
      url: u.toString(),
      async drop() {
        await admin.db.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
        await admin.close()
      },
    }
  }

  describe('postgres: several processes on one server', () => {
    it('PS02 migrations: two stores starting at once on an empty database apply each migration once', async () => {
      const fresh = await freshDatabase()
      try {
        const stores = await Promise.all([1, 2, 3].map(() => createPostgresStore({ url: fresh.url, max: 2 })))
        const versions = await stores[0]!.db.query<{ version: string }>('SELECT version FROM schema_migrations')
        expect(versions.map((v) => v.version).sort()).toEqual(MIGRATIONS)
        expect(await stores[1]!.ping()).toBe(true)
        await Promise.all(stores.map((s) => s.close()))
      } finally {
        await fresh.drop()
      }
    })

    it('PS03 traits: two stores identifying one user at once lose no key (merge happens in SQL)', async () => {
      const [a, b] = await Promise.all([createPostgresStore({ url, max: 2 }), createPostgresStore({ url, max: 2 })])
      try {
        const ws = newWorkspaceId()
        const t = Date.UTC(2026, 10, 1)
        await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            (i % 2 ? a : b).ingest(ws, [
              ev({
                type: 'identify',
                name: null,
                userId: 'u1',
                accountId: null,
                traits: { [`k${i}`]: i },
                timestamp: t + i,
              }),
              ev({
                type: 'group',
                name: null,
                userId: 'u1',
                accountId: 'acme',
                traits: { [`a${i}`]: i },
                timestamp: t + i,
              }),
            ]),
          ),
        )
        const user = await a.getUser(ws, 'u1')
        expect(Object.keys(user!.traits)).toHaveLength(20)
        expect(Object.keys((await b.getAccount(ws, 'acme'))!.traits)).toHaveLength(20)
        expect(await a.countEvents(ws)).toBe(40)
      } finally {
        await Promise.all([a.close(), b.close()])
      }
    })
  })

  describe('postgres: group calls and the events they date, arriving at once', () => {
    it('AF05 two stores: events sent without an account end under the group call sent with them', async () => {
      const [a, b] = await Promise.all([createPostgresStore({ url, max: 4 }), createPostgresStore({ url, max: 4 })])
      try {
        const ws = newWorkspaceId()
        const t = Date.UTC(2026, 10, 1)
        const users = Array.from({ length: 30 }, (_, i) => `u${i}`)
        // Each user's group call through one store while their later events go through the other:
        // each store commits its calls together, so the two transactions overlap.
        for (let round = 0; round < 3; round++) {
          await Promise.all(
            users.flatMap((u, i) => {
              const at = t + round * 3_600_000
              const group = ev({ type: 'group', name: null, userId: u, accountId: `acc-${i}-${round}`, timestamp: at })
              const events = [1, 2, 3].map((k) => ev({ userId: u, accountId: null, timestamp: at + k * 60_000 }))
              return round % 2
                ? [b.ingest(ws, [group]), a.ingest(ws, events)]
                : [a.ingest(ws, [group]), b.ingest(ws, events)]
            }),
          )
        }
        const stored = await a.listEvents(ws)
        const wrong = stored.filter(
          (e) =>
            e.type !== 'group' &&
            e.accountId !== `acc-${e.userId!.slice(1)}-${Math.floor((e.timestamp - t) / 3_600_000)}`,
        )
        expect(wrong).toEqual([])
        expect(stored).toHaveLength(users.length * 3 * 4)
      } finally {
        await Promise.all([a.close(), b.close()])
      }
    })
  })

  describe('postgres: pipelined transactions (BEGIN with the first statement, COMMIT behind queryLast)', () => {
    it('PS04 pipelined: a failing last statement commits nothing; the connection is usable again', async () => {
      const store = await createPostgresStore({ url, max: 1 })
      const table = `jornada_tx_${randomUUID().replaceAll('-', '')}`
      try {
        await store.db.exec(`CREATE TABLE ${table} (n int PRIMARY KEY)`)
        await expect(
          store.db.transaction(async (tx) => {
            await tx.query(`INSERT INTO ${table} VALUES (1)`)
            await tx.queryLast!(`INSERT INTO ${table} VALUES (1)`) // duplicate key
          }),
        ).rejects.toThrow(/duplicate key/)
        expect(await store.db.query(`SELECT n FROM ${table}`)).toEqual([])
        await store.db.transaction(async (tx) => {
          await tx.query(`INSERT INTO ${table} VALUES (1)`)
          await tx.queryLast!(`INSERT INTO ${table} VALUES ($1::int)`, [2])
        })
        await expect(
          store.db.transaction(async (tx) => {
            await tx.query(`INSERT INTO ${table} VALUES (3)`)
            throw new Error('no')
          }),
        ).rejects.toThrow('no')
        expect((await store.db.query<{ n: number }>(`SELECT n FROM ${table} ORDER BY n`)).map((r) => r.n)).toEqual([
          1, 2,
        ])
      } finally {
        await store.db.exec(`DROP TABLE IF EXISTS ${table}`)
        await store.close()
      }
    })
  })
}
