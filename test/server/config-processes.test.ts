/**
 * A publish seen by every API process on one PostgreSQL: two real `server/node.ts` processes (as
 * `npm start` runs them) over a database of their own. A draft published through one is in force in
 * the other at its next request: the config it answers, the experience decision it makes, and the
 * snapshots its evaluator stores. No restart, no waiting.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { onFreshDatabase } from '../support/fresh-database'
import { type NodeProcess, startNode } from '../support/node-process'

const WRITE_KEY = `pk_pub_${randomUUID().slice(0, 8)}`
const SECRET_KEY = `sk_pub_${randomUUID().slice(0, 8)}`
const DAY = 86_400_000
type Json = Record<string, any>

const startApi = (databaseUrl: string): Promise<NodeProcess> =>
  startNode({
    DATABASE_URL: databaseUrl,
    JORNADA_DEMO: '0',
    JORNADA_WRITE_KEY: WRITE_KEY,
    JORNADA_SECRET_KEY: SECRET_KEY,
    JORNADA_RATE_LIMIT: 'off',
  })

async function call(api: NodeProcess, method: string, path: string, body?: unknown, key = SECRET_KEY) {
  const res = await fetch(api.base + path, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as Json }
}

async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms: number, what: string): Promise<T> {
  const until = Date.now() + ms
  for (;;) {
    const v = await read()
    if (ok(v)) return v
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v).slice(0, 300)}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

onFreshDatabase('jornada_publish', (db) => {
  const apis: NodeProcess[] = []
  afterAll(async () => {
    await Promise.all(apis.map((a) => a.stop()))
  })

  describe('a publish across API processes', () => {
    it('CR14 published through one process: the other answers with it at once (config, decision, evaluator)', async () => {
      apis.push(await startApi(db.url), await startApi(db.url))
      const [a, b] = apis as [NodeProcess, NodeProcess]
      const now = Date.now()
      const start = new Date(now - 10 * DAY).toISOString().slice(0, 10)
      const history = [
        { type: 'group', userId: 'ana', accountId: 'acme', traits: { contractStart: start } },
        { type: 'track', event: '$login', userId: 'ana', accountId: 'acme' },
      ].map((e, i) => ({ id: randomUUID(), timestamp: new Date(now - (10 - i) * DAY).toISOString(), ...e }))
      expect((await call(a, 'POST', '/v1/batch', { batch: history })).body.rejected).toEqual([])

      const checklistOf = async (api: NodeProcess) => {
        const res = await call(api, 'POST', '/v1/experience', { userId: 'ana', accountId: 'acme' }, WRITE_KEY)
        expect(res.status).toBe(200)
        return (res.body.experiences as Json[]).find((x) => x.kind === 'checklist')?.items.map((i: Json) => i.id)
      }
      const phaseOf = async (api: NodeProcess) =>
        ((await call(api, 'GET', '/v1/accounts?limit=10')).body.items as Json[]).find((x) => x.accountId === 'acme')
          ?.phase
      // Before: the defaults, on both; day 10 is onboarding (30 days by default).
      expect(await checklistOf(b)).toEqual(['welcome', 'kickoff', 'setup', 'first_value', 'training', 'health_check'])
      expect(
        await waitFor(
          () => phaseOf(b),
          (p) => p !== undefined,
          15_000,
          'the first snapshot',
        ),
      ).toBe('onboarding')

      // A draft through process A: a shorter onboarding (5 days) and a three-item checklist, published.
      const draft = await call(a, 'POST', '/v1/config/drafts', {
        config: {
          phases: { onboardingDays: 5 },
          experiences: { checklist: { phases: ['onboarding', 'adoption'], items: ['welcome', 'kickoff', 'setup'] } },
        },
        message: 'shorter onboarding',
      })
      expect(draft.status).toBe(201)
      expect((await call(a, 'POST', `/v1/config/revisions/${draft.body.id}/publish`)).status).toBe(200)

      // Process B, at its very next requests: the config, the decision, and (its publish-time
      // re-sweep is process A's) its own evaluator's next snapshot after a new event.
      expect((await call(b, 'GET', '/v1/config')).body.phases.onboardingDays).toBe(5)
      expect(await checklistOf(b)).toEqual(['welcome', 'kickoff', 'setup'])
      const touch = { id: randomUUID(), type: 'track', event: '$login', userId: 'ana', accountId: 'acme' }
      expect(
        (await call(b, 'POST', '/v1/batch', { batch: [{ ...touch, timestamp: new Date().toISOString() }] })).body
          .accepted,
      ).toBe(1)
      expect(
        await waitFor(
          () => phaseOf(b),
          (p) => p === 'adoption',
          15_000,
          'the snapshot in adoption',
        ),
      ).toBe('adoption')
    }, 180_000)
  })
})
