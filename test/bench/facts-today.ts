/**
 * `tsx test/bench/facts-today.ts`: what one evaluation of a busy account costs as its day fills up.
 * loadFacts reads the account's events of the current UTC day raw (the rollups serve the days
 * before), so the evaluator's work for an account that keeps receiving events grows through the
 * day. Ingests N events of one account today (20 users, the mix of data.ts), then times loadFacts
 * at now (p50 of 20 calls), for growing N, on PGlite in memory. A program that prints figures.
 */
import { createPgliteStore } from '../../server/store'
import type { NewEvent } from '../../server/store'
import { makeBatch } from './data'

const store = await createPgliteStore({ dataDir: 'memory://' })
await store.createWorkspace({ id: 'w', name: 'W', writeKey: 'pk_w_facts', secretKey: 'sk_w_facts' })
const now = Date.now()
let stored = 0
console.log('events of the account today   loadFacts p50 ms')
for (const target of [500, 2_000, 10_000, 50_000, 100_000]) {
  while (stored < target) {
    const events: NewEvent[] = []
    for (let i = 0; i < 25; i++)
      for (const e of makeBatch(20, now - (target - stored) * 5, 1))
        events.push({
          id: e.id,
          type: e.type,
          name: e.type === 'page' ? '$page' : (e.event ?? null),
          userId: e.userId ?? null,
          anonymousId: e.anonymousId ?? null,
          accountId: 'busy',
          timestamp: Math.min(Date.parse(e.timestamp), now - 1000),
          receivedAt: now,
          properties: e.properties ?? {},
          traits: null,
          context: null,
        })
    await store.ingest('w', events)
    stored += events.length
  }
  const ms: number[] = []
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now()
    await store.loadFacts('w', 'busy', Date.now())
    ms.push(performance.now() - t0)
  }
  ms.sort((a, b) => a - b)
  console.log(`${String(stored).padStart(27)}   ${ms[10]!.toFixed(1).padStart(16)}`)
}
await store.close()
