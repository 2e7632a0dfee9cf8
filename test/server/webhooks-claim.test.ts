/**
 * The dispatcher's claim, one workspace at a time (Store.webhooks.claimDue): every locking
 * statement names one workspace, so the tables can be distributed by workspace_id; it still takes
 * what is due in every workspace, up to its limit, each delivery once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPgliteStore } from '../../server/store'
import type { Store } from '../../server/store/types'
import { newWorkspace } from './helpers'

let store: Store
beforeAll(async () => {
  store = await createPgliteStore({ dataDir: 'memory://' })
})
afterAll(async () => {
  await store?.close()
})

describe('webhook claims by workspace', () => {
  it('WH32 due deliveries of two workspaces: claimed workspace by workspace, each once', async () => {
    const now = Date.now()
    const spaces = [await newWorkspace(store), await newWorkspace(store)]
    for (const [i, ws] of spaces.entries()) {
      await store.webhooks.createEndpoint(ws.id, {
        url: 'https://hooks.example/in',
        events: null,
        format: 'standard',
        at: now,
      })
      await store.webhooks.enqueue(
        ws.id,
        [0, 1, 2].map((k) => ({
          type: 'red_flag.raised' as const,
          accountId: `acct-${i}`,
          causeKey: `red_flag.raised:acct-${i}:k${k}`,
          occurredAt: now,
          data: {},
        })),
      )
    }
    const lease = { now, leaseUntil: now + 60_000 }
    const first = await store.webhooks.claimDue({ ...lease, limit: 4, token: 't1' })
    expect(first).toHaveLength(4)
    const rest = await store.webhooks.claimDue({ ...lease, limit: 10, token: 't2' })
    const ours = [...first, ...rest].filter((c) => spaces.some((ws) => ws.id === c.workspaceId))
    expect(ours).toHaveLength(6)
    expect(new Set(ours.map((c) => c.id)).size).toBe(6)
    for (const ws of spaces) expect(ours.filter((c) => c.workspaceId === ws.id)).toHaveLength(3)
    // Leased: nothing more is due until the lease ends.
    expect(
      (await store.webhooks.claimDue({ ...lease, limit: 10, token: 't3' })).filter((c) =>
        spaces.some((ws) => ws.id === c.workspaceId),
      ),
    ).toEqual([])
  })
})
