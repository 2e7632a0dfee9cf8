import type { TestProject } from 'vitest/node'
import { startPostgresCluster } from './pg-cluster'

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PostgreSQL server for the store contract suite; '' when none could be had. */
    databaseUrl: string
    /** Why there is no databaseUrl (shown by the failing test). */
    databaseError: string
  }
}

/**
 * Vitest globalSetup of the `server` project: DATABASE_URL when set, else a throwaway cluster
 * (test/support/pg-cluster.ts), stopped at teardown. A failure does not stop the run: the
 * PostgreSQL test file fails with the reason instead, and the other files still run.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const fromEnv = process.env.DATABASE_URL
  if (fromEnv) {
    project.provide('databaseUrl', fromEnv)
    project.provide('databaseError', '')
    return async () => {}
  }
  try {
    const cluster = await startPostgresCluster()
    project.provide('databaseUrl', cluster.url)
    project.provide('databaseError', '')
    return () => cluster.stop()
  } catch (err) {
    project.provide('databaseUrl', '')
    project.provide(
      'databaseError',
      `no PostgreSQL for the store tests: DATABASE_URL is unset and ${(err as Error).message}`,
    )
    return async () => {}
  }
}
