/**
 * Two API processes on one Citus cluster (docs/scaling.md, "Two API processes on one cluster"): two
 * real `server/node.ts` processes, as `npm start` runs them, connected to the coordinator of a
 * cluster (a database of its own on the `citus` project's cluster: test/support/citus-setup.ts).
 * The same history is sent through both at once: every event is stored once, every webhook cause is
 * delivered once, and the accounts listing and the journeys are those of a single node (PGlite) that
 * received the history once.
 */
import { randomUUID } from 'node:crypto'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { hashKey } from '../../server/store'
import { createCitusDatabase, dropCitusDatabase } from '../support/citus-cluster'
import { type NodeProcess, startNode } from '../support/node-process'
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver'

const WRITE_KEY = `pk_cn_${randomUUID().slice(0, 8)}`
const SECRET_KEY = `sk_cn_${randomUUID().slice(0, 8)}`
const DAY = 86_400_000
const ACCOUNTS = 12
type Json = Record<string, any>

const startApi = (env: Record<string, string>): Promise<NodeProcess> =>
  startNode({
    JORNADA_DEMO: '0',
    JORNADA_WRITE_KEY: WRITE_KEY,
    JORNADA_SECRET_KEY: SECRET_KEY,
    JORNADA_WEBHOOK_ALLOW_PRIVATE: '1',
    JORNADA_RATE_LIMIT: 'off',
    ...env,
  })

async function call(api: NodeProcess, method: string, path: string, body?: unknown) {
  const res = await fetch(api.base + path, {
    method,
    headers: { authorization: `Bearer ${SECRET_KEY}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as Json }
}

async function waitFor(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

const now = Date.now()
/** Account `acc-<i>`: a contract 60 days ago, two users, logins and features, an NPS of 10 yesterday (a cause). */
const history = (i: number): Json[] => {
  const acc = `acc-${i}`
  const at = (daysAgo: number) => new Date(now - daysAgo * DAY).toISOString()
  return [
    {
      type: 'group',
      userId: `${acc}-a`,
      accountId: acc,
      timestamp: at(60),
      traits: { name: `Account ${i}`, contractStart: at(60).slice(0, 10), seats: 5 + i },
    },
    { type: 'identify', userId: `${acc}-b`, accountId: acc, timestamp: at(59), traits: { role: 'admin' } },
    ...Array.from({ length: 6 }, (_, d) => ({
      type: 'track',
      event: '$login',
      userId: `${acc}-${d % 2 ? 'a' : 'b'}`,
      accountId: acc,
      timestamp: at(50 - d * 7 - (i % 3)),
    })),
    {
      type: 'track',
      event: 'feature_used',
      userId: `${acc}-a`,
      accountId: acc,
      timestamp: at(3),
      properties: { feature: 'reports' },
    },
    {
      type: 'track',
      event: 'nps_response',
      userId: `${acc}-a`,
      accountId: acc,
      timestamp: at(1),
      properties: { score: 10 },
    },
  ].map((e, k) => ({ id: `${acc}-e${k}`, ...e }))
}
const batch = Array.from({ length: ACCOUNTS }, (_, i) => history(i)).flat()

/** The listing's items, without `computedAt`: when a process evaluated them. */
const listing = async (api: NodeProcess) => {
  const res = await call(api, 'GET', '/v1/accounts?limit=100')
  expect(res.status).toBe(200)
  return (res.body.items as Json[])
    .map((x) => JSON.parse(JSON.stringify(x, (k, v) => (k === 'computedAt' ? undefined : v))))
    .sort((a, b) => String(a.accountId).localeCompare(String(b.accountId)))
}

describe('two API processes on one Citus cluster', () => {
  const cluster = { url: '' }
  const admin = inject('citusAdminUrl')
  const name = `jornada_cn_${randomUUID().replaceAll('-', '').slice(0, 12)}`
  let receiver: WebhookReceiver
  const apis: NodeProcess[] = []

  beforeAll(async () => {
    if (!admin) throw new Error(inject('databaseError'))
    cluster.url = await createCitusDatabase(admin, name)
    receiver = await startWebhookReceiver()
  }, 300_000)
  afterAll(async () => {
    await Promise.all(apis.map((a) => a.stop()))
    await receiver?.close()
    if (cluster.url) await dropCitusDatabase(admin, name)
  }, 120_000)

  it('CN01 the same events through both processes at once: each stored once, each cause sent once', async () => {
    // One at a time: the first start applies the migrations (and distributes the tables).
    apis.push(await startApi({ DATABASE_URL: cluster.url }))
    apis.push(await startApi({ DATABASE_URL: cluster.url }))
    const [a, b] = apis as [NodeProcess, NodeProcess]
    const made = await call(a, 'POST', '/v1/webhooks', { url: receiver.url, events: ['nps.promoter'] })
    expect(made.status).toBe(201)
    receiver.secret = made.body.secret

    // Every event through both at once, twice over, in 20-event batches.
    const parts = Array.from({ length: Math.ceil(batch.length / 20) }, (_, k) => batch.slice(k * 20, k * 20 + 20))
    const answers = await Promise.all(
      [a, b, a, b].flatMap((api) => parts.map((part) => call(api, 'POST', '/v1/batch', { batch: part }))),
    )
    expect(answers.map((r) => r.status).filter((s) => s !== 200)).toEqual([])
    expect(answers.flatMap((r) => r.body.rejected)).toEqual([])
    expect(answers.reduce((s, r) => s + r.body.accepted, 0)).toBe(batch.length)

    const sql = postgres(cluster.url, { max: 1, onnotice: () => {} })
    try {
      const [key] = await sql<{ workspace_id: string }[]>`
        SELECT workspace_id FROM api_keys WHERE key_hash = ${hashKey(SECRET_KEY)}`
      const rows = await sql<{ id: string; n: number }[]>`
        SELECT event_id AS id, count(*)::int AS n FROM events WHERE workspace_id = ${key!.workspace_id} GROUP BY event_id`
      expect(rows.length).toBe(batch.length)
      expect(rows.filter((r) => r.n !== 1)).toEqual([])
    } finally {
      await sql.end({ timeout: 5 })
    }

    await waitFor(() => new Set(receiver.received.map((r) => r.id)).size >= ACCOUNTS, 60_000, 'the webhooks')
    // Both dispatchers poll every second: give a second delivery of any cause time to happen.
    await new Promise((r) => setTimeout(r, 4000))
    const accounts = receiver.received.map((r) => (r.json as { accountId: string }).accountId).sort()
    expect(accounts).toEqual(Array.from({ length: ACCOUNTS }, (_, i) => `acc-${i}`).sort())
    expect(new Set(receiver.received.map((r) => r.id)).size).toBe(receiver.received.length)
    expect(receiver.rejected).toEqual([])
  }, 300_000)

  it('CN02 the accounts listing and each journey on Citus equal a single node’s for the same history', async () => {
    const [a, b] = apis as [NodeProcess, NodeProcess]
    const single = await startApi({ JORNADA_DATA_DIR: 'memory://' })
    apis.push(single)
    for (let k = 0; k < batch.length; k += 20) {
      const res = await call(single, 'POST', '/v1/batch', { batch: batch.slice(k, k + 20) })
      expect(res.body.rejected).toEqual([])
    }
    const complete = async (api: NodeProcess) => (await listing(api)).length === ACCOUNTS
    await waitFor(async () => (await complete(single)) && (await complete(a)), 60_000, 'every snapshot')
    const expected = await listing(single)
    expect(await listing(a)).toEqual(expected)
    expect(await listing(b)).toEqual(expected)

    const at = new Date(now).toISOString()
    for (let i = 0; i < ACCOUNTS; i++) {
      const path = `/v1/accounts/acc-${i}/journey?at=${encodeURIComponent(at)}`
      const one = await call(single, 'GET', path)
      expect(one.status).toBe(200)
      expect((await call(a, 'GET', path)).body).toEqual(one.body)
      expect((await call(b, 'GET', path)).body).toEqual(one.body)
    }
  }, 300_000)
})
