import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { createPgliteStore } from '../../server/store/pglite'
import { runConsoleStoreContract } from './console-contract'
import { ev, newWorkspaceId, runStoreContract } from './contract'

runStoreContract('pglite (memory://)', () => createPgliteStore({ dataDir: 'memory://' }))
runConsoleStoreContract('pglite (memory://)', () => createPgliteStore({ dataDir: 'memory://' }))

it('PG01 pglite: a data folder is created when missing and keeps events across a restart', async () => {
  const parent = mkdtempSync(join(tmpdir(), 'jornada-pglite-'))
  const dataDir = join(parent, 'nested', 'data')
  try {
    const ws = newWorkspaceId()
    const first = await createPgliteStore({ dataDir })
    await first.ingest(ws, [ev({ id: 'kept' })])
    await first.close()
    const second = await createPgliteStore({ dataDir })
    expect((await second.listEvents(ws)).map((e) => e.id)).toEqual(['kept'])
    await second.close()
  } finally {
    rmSync(parent, { recursive: true, force: true })
  }
})

it('PG02 pglite: concurrent first loads prepare their statement once (a sweep starts many)', async () => {
  const store = await createPgliteStore({ dataDir: 'memory://' })
  try {
    const ws = newWorkspaceId()
    await store.ingest(ws, [ev({ id: 'a', accountId: 'acme' }), ev({ id: 'b', accountId: 'globex' })])
    const loads = await Promise.all(
      Array.from({ length: 8 }, (_, i) => store.loadFacts(ws, i % 2 ? 'acme' : 'globex', Date.now())),
    )
    expect(loads.every((f) => f !== null)).toBe(true)
  } finally {
    await store.close()
  }
})
