/**
 * Webhooks on one PostgreSQL shared by two processes: two stores (two
 * connection pools, as two API processes have) enqueue the same causes and race two dispatchers on
 * 200 deliveries; the receiver sees each cause exactly once. Runs in a fresh database of its own:
 * dispatchers claim due deliveries of every workspace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../server/app'
import { createPostgresStore } from '../../server/store/postgres'
import type { Store } from '../../server/store/types'
import { createDispatcher } from '../../server/webhooks/dispatcher'
import type { RunResult } from '../../server/webhooks/dispatcher'
import type { WebhookEvent } from '../../server/webhooks/types'
import { onFreshDatabase } from '../support/fresh-database'
import { startWebhookReceiver } from '../support/webhook-receiver'
import { API, newWorkspace } from './helpers'

onFreshDatabase('jornada_wh', (db) => {
  let a: Store
  let b: Store

  beforeAll(async () => {
    ;[a, b] = await Promise.all([
      createPostgresStore({ url: db.url, max: 4 }),
      createPostgresStore({ url: db.url, max: 4 }),
    ])
  })
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()])
  })

  const cause = (i: number): WebhookEvent => ({
    type: 'milestone.overdue',
    accountId: `acc${i}`,
    causeKey: `milestone.overdue:acc${i}:setup`,
    occurredAt: Date.parse('2026-11-24T00:00:00Z'),
    data: { milestone: 'setup', i },
  })

  describe('webhooks on PostgreSQL, two processes', () => {
    it('WP30 two stores enqueue the same 200 causes at once: 200 events, 200 deliveries', async () => {
      const ws = await newWorkspace(a)
      // 127.0.0.1 receivers: the opt-out of the SSRF guard (JORNADA_WEBHOOK_ALLOW_PRIVATE=1 in node.ts).
      const app = createApp({ store: a, webhookUrls: { allowPrivate: true } })
      const res = await app.request(`${API}/v1/webhooks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ws.secretKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url: 'http://127.0.0.1:9/never' }),
      })
      expect(res.status).toBe(201)
      const causes = Array.from({ length: 200 }, (_, i) => cause(i))
      const counts = await Promise.all([
        ...[0, 1, 2, 3].map((k) => a.webhooks.enqueue(ws.id, causes.slice(k * 50, k * 50 + 50))),
        ...[0, 1, 2, 3].map((k) => b.webhooks.enqueue(ws.id, causes.slice(k * 50, k * 50 + 50))),
      ])
      expect(counts.reduce((x, y) => x + y, 0)).toBe(200)
      const [row] = await b.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM webhook_deliveries WHERE workspace_id = $1',
        [ws.id],
      )
      expect(row!.n).toBe(200)
      await a.db.query('DELETE FROM webhook_endpoints WHERE workspace_id = $1', [ws.id])
    })

    it('WP31 two dispatchers racing on 200 deliveries, with retries: each delivered once', async () => {
      const ws = await newWorkspace(a)
      const r = await startWebhookReceiver()
      try {
        const app = createApp({ store: b, webhookUrls: { allowPrivate: true } })
        const res = await app.request(`${API}/v1/webhooks`, {
          method: 'POST',
          headers: { authorization: `Bearer ${ws.secretKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ url: r.url }),
        })
        r.secret = ((await res.json()) as { secret: string }).secret
        await a.webhooks.enqueue(
          ws.id,
          Array.from({ length: 200 }, (_, i) => cause(i)),
        )
        r.failNext = 15
        let now = Date.now()
        const clock = () => now
        // random 0.5: no jitter, so that the first retry is due after exactly 10 s.
        const dispatchers = [a, b].map((store) =>
          createDispatcher({ store, clock, log: () => {}, batchSize: 10, allowPrivate: true, random: () => 0.5 }),
        )
        const totals: RunResult[] = [0, 1].map(() => ({ attempted: 0, delivered: 0, retrying: 0, dead: 0 }))
        for (let round = 0; round < 5 && r.received.length < 200; round++) {
          const runs = await Promise.all(dispatchers.map((d) => d.runOnce()))
          runs.forEach((run, i) => {
            for (const k of ['attempted', 'delivered', 'retrying', 'dead'] as const) totals[i]![k] += run[k]
          })
          now += 10_000 // the first retry is due
        }
        const counts = r.countsById()
        expect(counts.size).toBe(200)
        expect([...counts.values()].every((n) => n === 1)).toBe(true)
        expect(r.rejected).toEqual([])
        // Both processes delivered a share, and no attempt was made twice at once: attempts = 200 + 15 failures.
        expect(totals[0]!.delivered).toBeGreaterThan(0)
        expect(totals[1]!.delivered).toBeGreaterThan(0)
        expect(totals[0]!.delivered + totals[1]!.delivered).toBe(200)
        expect(r.attempts).toHaveLength(215)
        const rows = await a.db.query<{ status: string; n: number }>(
          'SELECT status, count(*)::int AS n FROM webhook_deliveries WHERE workspace_id = $1 GROUP BY status',
          [ws.id],
        )
        expect(rows).toEqual([{ status: 'delivered', n: 200 }])
      } finally {
        await r.close()
      }
    })

    it('WP32 listWorkspaceIds on PostgreSQL: every workspace of the database, sorted', async () => {
      const ws = await newWorkspace(b)
      const ids = await a.listWorkspaceIds()
      expect(ids).toContain(ws.id)
      expect(ids).toEqual([...ids].sort())
      const [row] = await a.db.query<{ n: number }>('SELECT count(*)::int AS n FROM workspaces')
      expect(ids).toHaveLength(row!.n)
    })
  })
})
