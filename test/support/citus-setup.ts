import { randomUUID } from 'node:crypto'
import type { TestProject } from 'vitest/node'
import { citusMissing, createCitusDatabase, dropCitusDatabase, startCitusCluster } from './citus-cluster'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The server the project's `databaseUrl` is on (vite.config.ts): PostgreSQL, or a Citus coordinator. */
    storeKind: 'postgres' | 'citus'
    /** The Citus coordinator's admin database (fresh-database.ts creates databases through it). */
    citusAdminUrl: string
  }
}

/**
 * Vitest globalSetup of the `citus` project, as postgres-setup.ts is the `server` project's:
 * `CITUS_URL` (a coordinator's database with Citus and its workers) when set, else a throwaway
 * cluster started with `../shared/citus/cluster.sh` when Citus is installed, stopped at teardown.
 * The project's tests share one database made on it (`databaseUrl`, created and dropped here).
 * Without Citus the files fail with the reason: CI installs it, so a run without it is a failed
 * run, never a skipped one.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const fail = (why: string) => {
    project.provide('citusAdminUrl', '')
    project.provide('databaseUrl', '')
    project.provide('databaseError', why)
    return async () => {}
  }
  let adminUrl = process.env.CITUS_URL ?? ''
  let stopCluster = async () => {}
  if (!adminUrl) {
    const missing = citusMissing()
    if (missing) return fail(`no Citus for the Citus tests: CITUS_URL is unset and ${missing}`)
    try {
      const cluster = await startCitusCluster()
      adminUrl = cluster.url
      stopCluster = cluster.stop
    } catch (err) {
      return fail(`no Citus for the Citus tests: CITUS_URL is unset and ${(err as Error).message}`)
    }
  }
  const name = `jornada_citus_${randomUUID().replaceAll('-', '').slice(0, 12)}`
  try {
    const url = await createCitusDatabase(adminUrl, name)
    project.provide('citusAdminUrl', adminUrl)
    project.provide('databaseUrl', url)
    project.provide('databaseError', '')
  } catch (err) {
    await stopCluster()
    return fail(`no Citus database for the Citus tests on ${adminUrl}: ${(err as Error).message}`)
  }
  return async () => {
    await dropCitusDatabase(adminUrl, name).catch(() => undefined)
    await stopCluster()
  }
}
