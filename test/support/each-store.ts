import { afterAll, beforeAll, describe, inject, it } from 'vitest'
import { createPgliteStore } from '../../server/store'
import { createPostgresStore } from '../../server/store/postgres'
import type { Store } from '../../server/store/types'

/** Where a test's store runs: PGlite, the test PostgreSQL, or the test Citus cluster (its coordinator). */
export type StoreKind = 'pglite' | 'postgres' | 'citus'

/**
 * Registers `tests` over each store of the project, each with one store shared by its tests (tests
 * keep apart by workspace): PGlite (in memory) and the test PostgreSQL (postgres-setup.ts) in the
 * `server` project, the test Citus database (citus-setup.ts) in the `citus` project. `ctx.store` is
 * set once the describe's `beforeAll` ran. Without the server, one failing test says why: never a skip.
 */
export function describeEachStore(title: string, tests: (ctx: { store: Store; kind: StoreKind }) => void): void {
  const kinds: StoreKind[] = inject('storeKind') === 'citus' ? ['citus'] : ['pglite', 'postgres']
  for (const kind of kinds) {
    describe(`${title} (${kind})`, () => {
      const url = inject('databaseUrl')
      if (kind !== 'pglite' && !url) {
        it(`${title}: a ${kind === 'citus' ? 'Citus cluster' : 'PostgreSQL server'} is available`, () => {
          throw new Error(inject('databaseError') || `no databaseUrl provided for the ${kind} store`)
        })
        return
      }
      const ctx = { kind } as { store: Store; kind: StoreKind }
      beforeAll(async () => {
        ctx.store =
          kind === 'pglite' ? await createPgliteStore({ dataDir: 'memory://' }) : await createPostgresStore({ url })
      }, 240_000)
      afterAll(async () => {
        await ctx.store?.close()
      })
      tests(ctx)
    })
  }
}
