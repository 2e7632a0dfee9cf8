/**
 * Webhooks with two real API processes (`server/node.ts`, as `npm start` runs it) on one PostgreSQL:
 * both run an evaluator and a dispatcher; causes imported through either
 * reach a real receiver exactly once each, and a restart (its start-up sweep re-evaluates every
 * account) sends nothing again. A fresh database of its own: the dispatchers claim every workspace's
 * due deliveries.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { onFreshDatabase } from '../support/fresh-database'
import { startNode, type NodeProcess } from '../support/node-process'
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver'

const WRITE_KEY = 'pk_procs_' + randomUUID().slice(0, 8)
const SECRET_KEY = 'sk_procs_' + randomUUID().slice(0, 8)
const DAY = 86_400_000

type Api = NodeProcess

/** `server/node.ts` on a free port over `databaseUrl`; resolves once it listens. */
const startApi = (databaseUrl: string): Promise<Api> =>
  startNode({
    DATABASE_URL: databaseUrl,
    JORNADA_DEMO: '0',
    JORNADA_WRITE_KEY: WRITE_KEY,
    JORNADA_SECRET_KEY: SECRET_KEY,
    JORNADA_WEBHOOK_ALLOW_PRIVATE: '1',
    JORNADA_RATE_LIMIT: 'off',
  })

async function waitFor(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

onFreshDatabase('jornada_procs', (db) => {
  const apis: Api[] = []
  let receiver: WebhookReceiver

  beforeAll(async () => {
    receiver = await startWebhookReceiver()
  })
  afterAll(async () => {
    await Promise.all(apis.map((a) => a.stop()))
    await receiver?.close()
  })

  const call = async (api: Api, method: string, path: string, body?: unknown) => {
    const res = await fetch(api.base + path, {
      method,
      headers: { authorization: `Bearer ${SECRET_KEY}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return { status: res.status, body: (await res.json()) as any }
  }

  /** Account `acc-<i>`: contract 60 days ago, one NPS answer of 10 yesterday (an nps.promoter cause). */
  const history = (i: number) => {
    const now = Date.now()
    const acc = `acc-${i}`
    return [
      {
        id: randomUUID(),
        type: 'group',
        userId: `${acc}-u`,
        accountId: acc,
        timestamp: new Date(now - 60 * DAY).toISOString(),
        traits: { name: `Account ${i}`, contractStart: new Date(now - 60 * DAY).toISOString().slice(0, 10) },
      },
      {
        id: randomUUID(),
        type: 'track',
        event: 'nps_response',
        userId: `${acc}-u`,
        accountId: acc,
        timestamp: new Date(now - DAY).toISOString(),
        properties: { score: 10 },
      },
    ]
  }

  describe('webhooks with two API processes on one PostgreSQL', () => {
    it('WP33 two node.ts processes: 40 causes delivered once each; a restart resends none', async () => {
      apis.push(await startApi(db.url))
      apis.push(await startApi(db.url))
      const [a, b] = apis as [Api, Api]
      const made = await call(a, 'POST', '/v1/webhooks', { url: receiver.url, events: ['nps.promoter'] })
      expect(made.status).toBe(201)
      receiver.secret = made.body.secret

      // Half the accounts through each process: each evaluates what it ingested; both dispatch.
      for (const [api, from] of [
        [a, 0],
        [b, 20],
      ] as const) {
        const batch = Array.from({ length: 20 }, (_, k) => history(from + k)).flat()
        const res = await call(api, 'POST', '/v1/batch', { batch })
        expect(res.body).toMatchObject({ accepted: 40, rejected: [] })
      }
      await waitFor(() => new Set(receiver.received.map((r) => r.id)).size >= 40, 30_000, '40 webhooks')
      // Both processes poll every second: give any second delivery time to happen.
      await new Promise((r) => setTimeout(r, 3000))
      const ids = receiver.received.map((r) => r.id)
      expect(ids.length).toBe(40)
      expect(new Set(ids).size).toBe(40)
      const accounts = receiver.received.map((r) => (r.json as { accountId: string }).accountId).sort()
      expect(accounts).toEqual(Array.from({ length: 40 }, (_, i) => `acc-${i}`).sort())
      expect(receiver.rejected).toEqual([])

      // A restart of one process: its start-up sweep evaluates all 40 accounts again; the outbox
      // holds each cause once, so nothing new is enqueued or sent.
      await a.stop()
      apis[0] = await startApi(db.url)
      const list = async () =>
        (await call(apis[0]!, 'GET', `/v1/webhooks/${made.body.id}/deliveries?limit=500`)).body.deliveries as {
          status: string
          attempts: number
        }[]
      await waitFor(async () => (await list()).length === 40, 10_000, 'the deliveries list')
      await new Promise((r) => setTimeout(r, 3000))
      expect(receiver.received.length).toBe(40)
      const deliveries = await list()
      expect(deliveries.length).toBe(40)
      expect(deliveries.every((d) => d.status === 'delivered' && d.attempts === 1)).toBe(true)
    }, 120_000)
  })
})
