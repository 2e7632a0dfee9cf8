import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest'
import { createPgliteStore } from '../../server/store'
import type { Store } from '../../server/store/types'
import type { Dispatcher } from '../../server/webhooks/dispatcher'
import type { WebhookReceiver } from './webhook-receiver'

/**
 * The frame of a webhook test file: one PGlite store for the file, an empty outbox before each test
 * (a dispatcher claims the due deliveries of every workspace), and the dispatchers and receivers a
 * test pushed here stopped after it. Call at the top of the file; `beforeEachTest` runs first in
 * each test's setup (reset a clock). The store is there from the file's own `beforeAll` on.
 */
export function webhookBed(beforeEachTest: () => void = () => {}) {
  const bed = {
    store: undefined as unknown as Store,
    receivers: [] as WebhookReceiver[],
    dispatchers: [] as Dispatcher[],
  }
  beforeAll(async () => {
    bed.store = await createPgliteStore({ dataDir: 'memory://' })
  })
  afterAll(async () => {
    await bed.store?.close()
  })
  beforeEach(async () => {
    beforeEachTest()
    await bed.store.db.exec('TRUNCATE webhook_deliveries, webhook_events, webhook_endpoints')
  })
  afterEach(async () => {
    await Promise.all(bed.dispatchers.splice(0).map((d) => d.stop()))
    await Promise.all(bed.receivers.splice(0).map((r) => r.close()))
  })
  return bed
}
