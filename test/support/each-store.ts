import { afterAll, beforeAll, describe, inject, it } from 'vitest'
import { createPgliteStore } from '../../server/store'
import { createPostgresStore } from '../../server/store/postgres'
import type { Store } from '../../server/store/types'

/**
 * Registers `tests` twice, over PGlite (in memory) and over the test PostgreSQL (postgres-setup.ts),
 * each with one store shared by its tests (tests keep apart by workspace). `ctx.store` is set once
 * the describe's `beforeAll` ran. Without a PostgreSQL, one failing test says why: never a skip.
 */
export function describeEachStore(
  title: string,
  tests: (ctx: { store: Store; kind: 'pglite' | 'postgres' }) => void,
): void {
  for (const kind of ['pglite', 'postgres'] as const) {
    describe(`${title} (${kind})`, () => {
      const url = inject('databaseUrl')
      if (kind === 'postgres' && !url) {
        it(`${title}: a PostgreSQL server is available`, () => {
          throw new Error(inject('databaseError') || 'no databaseUrl provided by test/support/postgres-setup.ts')
        })
        return
      }
      const ctx = { kind } as { store: Store; kind: 'pglite' | 'postgres' }
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
