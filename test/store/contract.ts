import { readdirSync } from 'node:fs'
import { migrationsDir } from '../../server/store/migrate'
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { configEventNames } from '../../server/store/fact-names'
import { hashKey } from '../../server/store/sql-values'
import type { AccountSnapshot, NewEvent, OverrideChange, Store } from '../../server/store/types'
import type { WebhookEvent } from '../../server/webhooks/types'
import { defaultConfig, journeyState } from '../../server/journey'
import { referenceFacts } from '../support/reference-facts'

/** Every migration file, in order: each must be recorded once. */
const MIGRATIONS = readdirSync(migrationsDir())
  .filter((f) => f.endsWith('.sql'))
  .map((f) => f.replace(/\.sql$/, ''))
  .sort()

const T0 = Date.UTC(2026, 10, 1)
const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR
/** T0's UTC day number. */
const D0 = T0 / DAY

/** A fresh workspace id per test: tests share one store per file and never see each other's rows. */
export const newWorkspaceId = () => `ws_${randomUUID()}`

let seq = 0
/** A `track` event with defaults; override what the test is about. */
export function ev(over: Partial<NewEvent> = {}): NewEvent {
  return {
    id: `ev_${++seq}_${randomUUID()}`,
    type: 'track',
    name: 'report_generated',
    userId: 'user-1',
    anonymousId: null,
    accountId: 'acme',
    timestamp: T0,
    receivedAt: T0 + 1000,
    properties: {},
    traits: null,
    context: null,
    ...over,
  }
}

const identify = (userId: string, traits: Record<string, unknown>, timestamp: number, over: Partial<NewEvent> = {}) =>
  ev({ type: 'identify', name: null, userId, accountId: null, traits, timestamp, ...over })
const group = (userId: string | null, accountId: string, timestamp: number, traits: Record<string, unknown> = {}) =>
  ev({ type: 'group', name: null, userId, accountId, traits, timestamp })

/**
 * The store contract, run against every adapter (test/store/pglite.test.ts, postgres.test.ts).
 * One store per file: starting one is slow, so tests isolate themselves by workspace id.
 */
export function runStoreContract(name: string, makeStore: () => Promise<Store>): void {
  describe(`store contract: ${name}`, () => {
    let store: Store
    let openError: Error | undefined
    beforeAll(async () => {
      try {
        store = await makeStore()
      } catch (err) {
        openError = new Error(`could not open the ${name} store: ${(err as Error).message}`, { cause: err })
      }
    })
    // Failing in beforeEach fails every test with the reason; a failing beforeAll would skip them.
    beforeEach(() => {
      if (openError) throw openError
    })
    afterAll(async () => {
      await store?.close()
    })

    async function workspace(): Promise<string> {
      const id = newWorkspaceId()
      await store.createWorkspace({ id, name: 'Test', writeKey: `pk_${randomUUID()}`, secretKey: `sk_${randomUUID()}` })
      return id
    }

    it('SC01 ping: the database answers', async () => {
      expect(await store.ping()).toBe(true)
    })

    it('SC02 workspaces: createWorkspace stores name and origins, getWorkspace reads them back', async () => {
      const id = newWorkspaceId()
      const created = await store.createWorkspace({
        id,
        name: 'Acme "CS"',
        writeKey: `pk_${randomUUID()}`,
        secretKey: `sk_${randomUUID()}`,
        allowedOrigins: ['https://app.acme.com', '*'],
      })
      expect(created).toMatchObject({ id, name: 'Acme "CS"', allowedOrigins: ['https://app.acme.com', '*'] })
      expect(typeof created.createdAt).toBe('number')
      expect(await store.getWorkspace(id)).toEqual(created)
      expect(await store.getWorkspace(newWorkspaceId())).toBeNull()
    })

    it('SC03 workspaces: setWorkspaceName renames it', async () => {
      const id = newWorkspaceId()
      await store.createWorkspace({ id, name: 'Default', writeKey: `pk_${id}`, secretKey: `sk_${id}` })
      await store.setWorkspaceName(id, 'Metricly')
      expect((await store.getWorkspace(id))?.name).toBe('Metricly')
    })

    it('SC04 workspaces: setAllowedOrigins replaces the list, and findKey sees the new one', async () => {
      const id = newWorkspaceId()
      const writeKey = `pk_${randomUUID()}`
      await store.createWorkspace({
        id,
        name: 'O',
        writeKey,
        secretKey: `sk_${randomUUID()}`,
        allowedOrigins: ['https://a.example'],
      })
      expect((await store.findKey(writeKey))?.workspace.allowedOrigins).toEqual(['https://a.example'])
      await store.setAllowedOrigins(id, ['https://b.example', 'https://c.example'])
      expect((await store.getWorkspace(id))?.allowedOrigins).toEqual(['https://b.example', 'https://c.example'])
      expect((await store.findKey(writeKey))?.workspace.allowedOrigins).toEqual([
        'https://b.example',
        'https://c.example',
      ])
    })

    it('SC05 keys: findKey finds the write and secret keys by their clear text; an unknown key is null', async () => {
      const id = newWorkspaceId()
      const writeKey = `pk_${randomUUID()}`
      const secretKey = `sk_${randomUUID()}`
      await store.createWorkspace({ id, name: 'K', writeKey, secretKey })
      const w = await store.findKey(writeKey)
      expect(w?.kind).toBe('write')
      expect(w?.workspace.id).toBe(id)
      expect((await store.findKey(secretKey))?.kind).toBe('secret')
      expect(await store.findKey(`pk_${randomUUID()}`)).toBeNull()
    })

    it('SC06 keys: the clear key appears nowhere in api_keys, only its sha256', async () => {
      const id = newWorkspaceId()
      const writeKey = `pk_${randomUUID()}`
      const secretKey = `sk_${randomUUID()}`
      await store.createWorkspace({ id, name: 'K', writeKey, secretKey })
      await store.setKey(id, 'demo', 'pk_demo_' + randomUUID(), 'write')
      const rows = await store.db.query('SELECT * FROM api_keys WHERE workspace_id = $1', [id])
      expect(rows).toHaveLength(3)
      const dump = JSON.stringify(rows)
      expect(dump).not.toContain(writeKey)
      expect(dump).not.toContain(secretKey)
      expect(dump).toContain(hashKey(writeKey))
      const all = JSON.stringify(await store.db.query('SELECT * FROM workspaces WHERE workspace_id = $1', [id]))
      expect(all).not.toContain(writeKey)
    })

    it("SC07 keys: setKey replaces a label's key, and the old key stops working at once", async () => {
      const id = newWorkspaceId()
      const oldKey = `pk_${randomUUID()}`
      await store.createWorkspace({ id, name: 'K', writeKey: oldKey, secretKey: `sk_${randomUUID()}` })
      expect((await store.findKey(oldKey))?.workspace.id).toBe(id) // now cached
      const newKey = `pk_${randomUUID()}`
      await store.setKey(id, 'write', newKey, 'write')
      expect(await store.findKey(oldKey)).toBeNull()
      expect(await store.findKey(newKey)).toMatchObject({ kind: 'write', workspace: { id } })
    })

    it('SC08 ingest: resolves after commit, so the events read back right away', async () => {
      const ws = await workspace()
      const events = [ev(), ev({ timestamp: T0 + MIN }), ev({ type: 'page', name: '$page', timestamp: T0 + 2 * MIN })]
      expect(await store.ingest(ws, events)).toEqual({ accepted: 3, duplicates: 0 })
      expect(await store.countEvents(ws)).toBe(3)
      const stored = await store.listEvents(ws)
      expect(stored.map((e) => e.id)).toEqual(events.map((e) => e.id))
      expect(stored[0]).toEqual(events[0])
    })

    it('SC09 ingest: an empty call accepts nothing and does not fail', async () => {
      expect(await store.ingest(newWorkspaceId(), [])).toEqual({ accepted: 0, duplicates: 0 })
    })

    it('SC10 idempotency: an id repeated inside one call is a duplicate, and the first copy is kept', async () => {
      const ws = await workspace()
      const a = ev({ properties: { copy: 1 } })
      const res = await store.ingest(ws, [a, ev(), { ...a, properties: { copy: 2 } }])
      expect(res).toEqual({ accepted: 2, duplicates: 1 })
      const stored = await store.listEvents(ws)
      expect(stored.find((e) => e.id === a.id)?.properties).toEqual({ copy: 1 })
    })

    it('SC11 idempotency: an id seen before is a duplicate and changes nothing (no trait merge)', async () => {
      const ws = await workspace()
      const first = identify('u1', { plan: 'free' }, T0)
      expect(await store.ingest(ws, [first])).toEqual({ accepted: 1, duplicates: 0 })
      // Same id, a newer timestamp and other traits: still a duplicate, so the traits stay.
      const again = { ...first, timestamp: T0 + MIN, traits: { plan: 'pro', extra: true } }
      expect(await store.ingest(ws, [again, ev({ userId: 'u1' })])).toEqual({ accepted: 1, duplicates: 1 })
      expect((await store.getUser(ws, 'u1'))?.traits).toEqual({ plan: 'free' })
      expect(await store.countEvents(ws)).toBe(2)
    })

    it('SC12 idempotency: 10 parallel calls with overlapping ids accept each id exactly once', async () => {
      const ws = await workspace()
      const pool = Array.from({ length: 40 }, (_, i) => ev({ id: `shared-${i}`, timestamp: T0 + i }))
      const calls = Array.from({ length: 10 }, (_, c) => pool.slice(c * 3, c * 3 + 12))
      const results = await Promise.all(calls.map((batch) => store.ingest(ws, batch)))
      const distinct = new Set(calls.flat().map((e) => e.id)).size
      expect(results.reduce((n, r) => n + r.accepted, 0)).toBe(distinct)
      expect(results.reduce((n, r) => n + r.accepted + r.duplicates, 0)).toBe(calls.flat().length)
      results.forEach((r, i) => expect(r.accepted + r.duplicates).toBe(calls[i]!.length))
      expect(await store.countEvents(ws)).toBe(distinct)
      // And again, across transactions: everything is a duplicate now.
      const again = await Promise.all(calls.map((batch) => store.ingest(ws, batch)))
      expect(again.reduce((n, r) => n + r.accepted, 0)).toBe(0)
    })

    it('SC57 idempotency: a call mixing stored ids with new ones counts and rolls up the new ones only', async () => {
      const ws = await workspace()
      const stored = [0, 1, 2].map((i) => ev({ name: '$login', timestamp: T0 + i * MIN }))
      expect(await store.ingest(ws, stored)).toEqual({ accepted: 3, duplicates: 0 })
      const fresh = [3, 4].map((i) => ev({ name: '$login', timestamp: T0 + i * MIN }))
      const mixed = [stored[1]!, fresh[0]!, stored[2]!, fresh[1]!]
      expect(await store.ingest(ws, mixed)).toEqual({ accepted: 2, duplicates: 2 })
      expect(await store.ingest(ws, stored)).toEqual({ accepted: 0, duplicates: 3 })
      const at = T0 + HOUR
      expect(await store.loadFacts(ws, 'acme', at)).toEqual(referenceFacts([...stored, ...fresh], [], 'acme', at))
    })

    it('SC13 group commit: 50 concurrent ingests share a few transactions, each caller its own counts', async () => {
      const ws = await workspace()
      const before = store.stats()
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, c) =>
          store.ingest(ws, [ev({ id: `c${c}-a` }), ev({ id: `c${c}-b` }), ev({ id: 'same-for-all' })]),
        ),
      )
      const after = store.stats()
      expect(after.transactions - before.transactions).toBeGreaterThanOrEqual(1)
      expect(after.transactions - before.transactions).toBeLessThanOrEqual(5)
      expect(after.events - before.events).toBe(150)
      // The first caller in the group wins the shared id.
      expect(results[0]).toEqual({ accepted: 3, duplicates: 0 })
      for (const r of results.slice(1)) expect(r).toEqual({ accepted: 2, duplicates: 1 })
      expect(await store.countEvents(ws)).toBe(101)
    })

    it('SC14 group commit: a group holds one workspace (each statement stays on one shard)', async () => {
      const [a, b] = [await workspace(), await workspace()]
      await Promise.all(
        Array.from({ length: 40 }, (_, c) =>
          store.ingest(c % 2 ? a : b, [ev({ id: `g${c}-1` }), ev({ id: `g${c}-2` })]),
        ),
      )
      // The rows a transaction inserted share its xmin.
      const rows = await store.db.query<{ tx: string; n: number }>(
        'SELECT xmin::text AS tx, count(DISTINCT workspace_id)::int AS n FROM events WHERE workspace_id IN ($1, $2) GROUP BY 1',
        [a, b],
      )
      expect(rows.length).toBeGreaterThanOrEqual(2)
      expect(rows.length).toBeLessThan(40)
      for (const r of rows) expect(Number(r.n)).toBe(1)
      expect(await store.countEvents(a)).toBe(40)
      expect(await store.countEvents(b)).toBe(40)
    })

    it('SC15 group commit: a caller with an invalid event is rejected alone; the others are stored', async () => {
      const ws = await workspace()
      const good = [ev(), ev()]
      const [ok, bad, ok2] = await Promise.allSettled([
        store.ingest(ws, [good[0]!]),
        store.ingest(ws, [ev(), ev({ timestamp: Number.NaN })]),
        store.ingest(ws, [good[1]!]),
      ])
      expect(ok).toEqual({ status: 'fulfilled', value: { accepted: 1, duplicates: 0 } })
      expect(ok2).toEqual({ status: 'fulfilled', value: { accepted: 1, duplicates: 0 } })
      expect(bad.status).toBe('rejected')
      expect(String((bad as PromiseRejectedResult).reason)).toMatch(/event 1: timestamp/)
      expect(await store.countEvents(ws)).toBe(2)
      // What jsonb cannot hold (NUL) is refused up front too, rather than failing the whole group.
      await expect(store.ingest(ws, [ev({ properties: { s: 'a\u0000b' } })])).rejects.toThrow(/event 0: properties/)
      expect(await store.ingest(ws, [ev({ properties: { s: 'a\\u0000b' } })])).toEqual({ accepted: 1, duplicates: 0 })
    })

    it("SC16 group commit: one call over a transaction's cap and a statement's rows is stored whole", async () => {
      const ws = await workspace()
      const big = Array.from({ length: 12_000 }, (_, i) =>
        ev({ id: `big-${i}`, userId: `u${i % 50}`, timestamp: T0 + i }),
      )
      expect(await store.ingest(ws, big)).toEqual({ accepted: 12_000, duplicates: 0 })
      expect(await store.countEvents(ws)).toBe(12_000)
      expect((await store.getUser(ws, 'u7'))?.firstSeen).toBe(T0 + 7)
    })

    it('SC17 isolation: the same event id in two workspaces is two events', async () => {
      const [a, b] = [await workspace(), await workspace()]
      const e = ev({ id: 'same-id' })
      expect(await store.ingest(a, [e])).toEqual({ accepted: 1, duplicates: 0 })
      expect(await store.ingest(b, [{ ...e, properties: { in: 'b' } }])).toEqual({ accepted: 1, duplicates: 0 })
      expect(await store.countEvents(a)).toBe(1)
      expect((await store.listEvents(b))[0]?.properties).toEqual({ in: 'b' })
      expect(await store.getUser(b, 'user-1')).not.toBeNull()
      expect(await store.getUser(newWorkspaceId(), 'user-1')).toBeNull()
    })

    it('SC18 traits merge in timestamp order: a late, older identify does not overwrite a newer value', async () => {
      const ws = await workspace()
      await store.ingest(ws, [identify('u1', { plan: 'pro', name: 'Ana' }, T0 + 2 * MIN)])
      // Arrives later, happened earlier: only the key the newer identify lacks is taken.
      await store.ingest(ws, [identify('u1', { plan: 'free', email: 'ana@acme.com' }, T0 + MIN)])
      expect((await store.getUser(ws, 'u1'))?.traits).toEqual({ plan: 'pro', name: 'Ana', email: 'ana@acme.com' })
      // A newer one overwrites only the keys it has; an absent key stays.
      await store.ingest(ws, [identify('u1', { plan: 'enterprise', role: null }, T0 + 3 * MIN)])
      expect((await store.getUser(ws, 'u1'))?.traits).toEqual({
        plan: 'enterprise',
        name: 'Ana',
        email: 'ana@acme.com',
        role: null,
      })
    })

    it('SC19 traits merge in timestamp order inside one call too, for users and accounts', async () => {
      const ws = await workspace()
      await store.ingest(ws, [
        identify('u1', { role: 'admin' }, T0 + 2 * MIN),
        identify('u1', { role: 'viewer', name: 'Ana' }, T0 + MIN),
        group('u1', 'acme', T0 + 2 * MIN, { plan: 'pro' }),
        group('u1', 'acme', T0 + MIN, { plan: 'free', seats: 12 }),
      ])
      expect((await store.getUser(ws, 'u1'))?.traits).toEqual({ role: 'admin', name: 'Ana' })
      expect((await store.getAccount(ws, 'acme'))?.traits).toEqual({ plan: 'pro', seats: 12 })
      await store.ingest(ws, [group(null, 'acme', T0, { plan: 'trial', csm: 'Bia' })])
      expect((await store.getAccount(ws, 'acme'))?.traits).toEqual({ plan: 'pro', seats: 12, csm: 'Bia' })
    })

    it("SC20 accounts: an event without accountId belongs to the user's latest group call at its time", async () => {
      const ws = await workspace()
      await store.ingest(ws, [group('u1', 'acme', T0 + 10 * MIN)])
      await store.ingest(ws, [
        ev({ id: 'before', userId: 'u1', accountId: null, timestamp: T0 + 5 * MIN }),
        ev({ id: 'after', userId: 'u1', accountId: null, timestamp: T0 + 20 * MIN }),
        ev({ id: 'explicit', userId: 'u1', accountId: 'other', timestamp: T0 + 20 * MIN }),
      ])
      await store.ingest(ws, [group('u1', 'globex', T0 + 30 * MIN)])
      await store.ingest(ws, [
        ev({ id: 'between', userId: 'u1', accountId: null, timestamp: T0 + 25 * MIN }),
        ev({ id: 'latest', userId: 'u1', accountId: null, timestamp: T0 + 40 * MIN }),
        identify('u1', { name: 'Ana' }, T0 + 41 * MIN, { id: 'ident' }),
      ])
      const byId = Object.fromEntries((await store.listEvents(ws)).map((e) => [e.id, e.accountId]))
      expect(byId).toMatchObject({
        before: null,
        after: 'acme',
        explicit: 'other',
        between: 'acme',
        latest: 'globex',
        ident: 'globex',
      })
      expect(await store.listEvents(ws, { accountId: 'acme' })).toHaveLength(3)
    })

    it('SC21 accounts: a group call in the same batch counts for the events after it', async () => {
      const ws = await workspace()
      await store.ingest(ws, [
        ev({ id: 'early', userId: 'u2', accountId: null, timestamp: T0 }),
        ev({ id: 'late', userId: 'u2', accountId: null, timestamp: T0 + 2 * MIN }),
        group('u2', 'beta', T0 + MIN),
      ])
      const byId = Object.fromEntries((await store.listEvents(ws)).map((e) => [e.id, e.accountId]))
      expect(byId).toMatchObject({ early: null, late: 'beta' })
    })

    it("SC22 accounts: a user's account is the one of the latest group call by timestamp, not by arrival", async () => {
      const ws = await workspace()
      await store.ingest(ws, [group('u1', 'acme', T0 + 2 * MIN)])
      await store.ingest(ws, [group('u1', 'old-co', T0 + MIN)])
      expect((await store.getUser(ws, 'u1'))?.accountId).toBe('acme')
      await store.ingest(ws, [group('u1', 'globex', T0 + 3 * MIN)])
      expect((await store.getUser(ws, 'u1'))?.accountId).toBe('globex')
    })

    it('SC23 first_seen: the earliest event timestamp of a user and an account, late events included', async () => {
      const ws = await workspace()
      await store.ingest(ws, [ev({ userId: 'u1', accountId: 'acme', timestamp: T0 + 100 * MIN })])
      expect((await store.getUser(ws, 'u1'))?.firstSeen).toBe(T0 + 100 * MIN)
      expect(await store.getAccount(ws, 'acme')).toEqual({ accountId: 'acme', traits: {}, firstSeen: T0 + 100 * MIN })
      await store.ingest(ws, [
        ev({ userId: 'u1', accountId: 'acme', timestamp: T0 + 50 * MIN }),
        ev({ userId: 'u1', timestamp: T0 + 70 * MIN }),
      ])
      expect((await store.getUser(ws, 'u1'))?.firstSeen).toBe(T0 + 50 * MIN)
      expect((await store.getAccount(ws, 'acme'))?.firstSeen).toBe(T0 + 50 * MIN)
      expect(await store.getAccount(ws, 'nobody')).toBeNull()
      expect(await store.getUser(ws, 'nobody')).toBeNull()
    })

    it('SC24 JSON: quotes, backslashes, braces, unicode and nesting round-trip exactly', async () => {
      const ws = await workspace()
      const tricky = {
        q: 'say "hi"',
        bs: 'C:\\path\\{x}',
        braces: '{a,b}',
        comma: 'a,b',
        nul: 'NULL',
        empty: '',
        uni: 'ação ☃ 日本 😀',
        esc: '\\u0041 \n\t',
        nested: { arr: [1, 'two', null, { three: [3.5] }], t: true },
        n: -0.25,
        'key "with" quotes': 1,
      }
      const e = ev({ properties: tricky, context: { page: { title: 'x "y" \\ z' } } })
      const i = identify('u"1\\', { bio: '{"not":"json"}', uni: 'ção' }, T0)
      await store.ingest(ws, [e, i])
      const stored = await store.listEvents(ws)
      expect(stored.find((x) => x.id === e.id)).toEqual(e)
      // An identify sent without an account: the store resolves it (to none here).
      expect(stored.find((x) => x.id === i.id)).toEqual({ ...i, accountResolved: true })
      expect((await store.getUser(ws, 'u"1\\'))?.traits).toEqual({ bio: '{"not":"json"}', uni: 'ção' })
    })

    it('SC25 listEvents: ordered by timestamp, filtered by user, account and name, limited', async () => {
      const ws = await workspace()
      await store.ingest(ws, [
        ev({ id: 'c', timestamp: T0 + 3 * MIN, name: 'x' }),
        ev({ id: 'a', timestamp: T0 + MIN, userId: 'u2' }),
        ev({ id: 'b', timestamp: T0 + 2 * MIN, accountId: 'globex' }),
      ])
      expect((await store.listEvents(ws)).map((e) => e.id)).toEqual(['a', 'b', 'c'])
      expect((await store.listEvents(ws, { userId: 'u2' })).map((e) => e.id)).toEqual(['a'])
      expect((await store.listEvents(ws, { accountId: 'globex' })).map((e) => e.id)).toEqual(['b'])
      expect((await store.listEvents(ws, { name: 'x' })).map((e) => e.id)).toEqual(['c'])
      expect((await store.listEvents(ws, { limit: 2 })).map((e) => e.id)).toEqual(['a', 'b'])
    })

    it('SC53 listEvents newestFirst: the latest events first (ties by id), with the same filters', async () => {
      const ws = await workspace()
      await store.ingest(ws, [
        ev({ id: 'c', timestamp: T0 + 3 * MIN }),
        ev({ id: 'a', timestamp: T0 + MIN }),
        ev({ id: 'd', timestamp: T0 + 3 * MIN }),
        ev({ id: 'b', timestamp: T0 + 2 * MIN, accountId: 'globex' }),
      ])
      expect((await store.listEvents(ws, { newestFirst: true })).map((e) => e.id)).toEqual(['d', 'c', 'b', 'a'])
      expect((await store.listEvents(ws, { accountId: 'acme', newestFirst: true, limit: 2 })).map((e) => e.id)).toEqual(
        ['d', 'c'],
      )
      // Fewer than the limit; a limit that ends inside a tie in time.
      const globex = await store.listEvents(ws, { accountId: 'globex', newestFirst: true, limit: 10 })
      expect(globex.map((e) => e.id)).toEqual(['b'])
      expect((await store.listEvents(ws, { newestFirst: true, limit: 1 })).map((e) => e.id)).toEqual(['d'])
    })

    it("SC54 lastSeenOn: each user's latest track or page event of the account on the day given", async () => {
      const ws = await workspace()
      await store.ingest(ws, [
        ev({ id: 'u1-early', userId: 'u1', timestamp: T0 + HOUR }),
        ev({ id: 'u1-late', type: 'page', name: '$page', userId: 'u1', timestamp: T0 + 5 * HOUR }),
        // Not activity, another account, another day: none of them counts.
        ev({
          id: 'u1-identify',
          type: 'identify',
          name: null,
          userId: 'u1',
          traits: { a: 1 },
          timestamp: T0 + 6 * HOUR,
        }),
        ev({ id: 'u1-globex', userId: 'u1', accountId: 'globex', timestamp: T0 + 7 * HOUR }),
        ev({ id: 'u1-next', userId: 'u1', timestamp: T0 + DAY + HOUR }),
        ev({ id: 'u2', userId: 'u2', timestamp: T0 - 40 * DAY }),
      ])
      const day = Math.floor(T0 / DAY)
      expect(
        await store.lastSeenOn(ws, 'acme', [
          { userId: 'u2', day: day - 40 },
          { userId: 'u1', day },
          { userId: 'u3', day },
        ]),
      ).toEqual([
        { userId: 'u1', at: T0 + 5 * HOUR },
        { userId: 'u2', at: T0 - 40 * DAY },
      ])
      expect(await store.lastSeenOn(ws, 'acme', [{ userId: 'u2', day }])).toEqual([])
      expect(await store.lastSeenOn(ws, 'acme', [])).toEqual([])
    })

    it('SC55 loadFactsDaily: loadFacts at the end of each day, then at its time, with changes on the edges', async () => {
      const ws = await workspace()
      const end = (d: number) => T0 + (d + 1) * DAY - 1
      await store.ingest(ws, [
        group('u1', 'acme', T0 + HOUR, { plan: 'free', seats: 3 }),
        identify('u1', { name: 'Ana', role: 'admin' }, T0 + HOUR),
        ev({ userId: 'u1', name: '$login', timestamp: T0 + 2 * HOUR }),
        // On the last ms of day 2 and the first of day 3: each belongs to its own day.
        group('u1', 'acme', end(2), { plan: 'pro' }),
        identify('u1', { role: 'owner' }, end(2)),
        group('u1', 'acme', end(2) + 1, { seats: 9 }),
        identify('u1', { name: 'Ana B' }, end(2) + 1),
        ev({ userId: 'u1', name: 'feature_used', properties: { feature: 'reports' }, timestamp: end(3) }),
        ev({ userId: 'u1', name: 'setup_completed', timestamp: end(4) }),
        // A user who joins on day 5, traits set before they joined.
        identify('u2', { name: 'Bia' }, T0 + 2 * DAY),
        ev({ userId: 'u2', name: '$login', timestamp: T0 + 5 * DAY + HOUR }),
        ev({
          userId: 'u3',
          accountId: 'globex',
          name: 'feature_used',
          properties: { feature: 'alerts' },
          timestamp: T0 + 6 * DAY,
        }),
        ev({ userId: 'u1', name: 'report_generated', timestamp: T0 + 9 * DAY + 3 * HOUR }),
      ])
      const override = { phase: 'value', reason: 'r', expiresAt: end(7), by: 'cs', setAt: end(5) }
      await store.addOverrideChange(ws, 'acme', { action: 'set', override, by: 'cs', reason: 'r', at: end(5) })
      const at = T0 + 9 * DAY + 5 * HOUR
      const daily = await store.loadFactsDaily(ws, 'acme', at, 12)
      const times = [...Array.from({ length: 11 }, (_, i) => end(i - 2)), at]
      expect(daily).toHaveLength(12)
      for (const [i, t] of times.entries())
        expect(daily[i], new Date(t).toISOString()).toEqual(await store.loadFacts(ws, 'acme', t))
      expect(daily.slice(0, 2)).toEqual([null, null])
      expect(daily[4]?.traits).toEqual({ plan: 'pro', seats: 3 })
      expect(daily[5]?.traits).toEqual({ plan: 'pro', seats: 9 })
      expect(await store.loadFactsDaily(ws, 'acme', at, 1)).toEqual([await store.loadFacts(ws, 'acme', at)])
      expect(await store.loadFactsDaily(ws, 'nobody', at, 3)).toEqual([null, null, null])
    })

    it('SC26 migrations: migrate() again is harmless and records each version once', async () => {
      const ws = await workspace()
      await store.ingest(ws, [ev()])
      await store.migrate()
      await store.migrate()
      const versions = await store.db.query<{ version: string }>(
        'SELECT version FROM schema_migrations ORDER BY version',
      )
      expect(versions.map((v) => v.version).sort()).toEqual(MIGRATIONS)
      expect(await store.countEvents(ws)).toBe(1)
    })

    // ---- journey: rollups, facts, config, overrides, snapshots ----

    const track = (name: string, userId: string | null, timestamp: number, over: Partial<NewEvent> = {}) =>
      ev({ name, userId, timestamp, ...over })
    const login = (userId: string, timestamp: number, over: Partial<NewEvent> = {}) =>
      track('$login', userId, timestamp, over)
    const page = (userId: string | null, timestamp: number, over: Partial<NewEvent> = {}) =>
      ev({ type: 'page', name: '$page', userId, timestamp, ...over })
    const feature = (f: unknown, userId: string | null, timestamp: number, over: Partial<NewEvent> = {}) =>
      track('feature_used', userId, timestamp, { properties: { feature: f }, ...over })

    async function rollups(ws: string) {
      const users = await store.db.query<{
        account_id: string
        d: number
        user_id: string
        logins: number
        events: number
      }>(
        `SELECT account_id, day - DATE '1970-01-01' AS d, user_id, logins, events FROM rollup_user_days
         WHERE workspace_id = $1 ORDER BY account_id, day, user_id`,
        [ws],
      )
      const days = await store.db.query<{ account_id: string; d: number; key: string; count: number }>(
        `SELECT account_id, day - DATE '1970-01-01' AS d, key, count FROM rollup_days
         WHERE workspace_id = $1 ORDER BY account_id, day, key`,
        [ws],
      )
      const features = await store.db.query<{ d: number; feature: string; first_ts: number }>(
        `SELECT day - DATE '1970-01-01' AS d, feature, first_ts FROM workspace_feature_days WHERE workspace_id = $1 ORDER BY day, feature`,
        [ws],
      )
      const facts = await store.db.query<{ event_id: string }>(
        'SELECT event_id FROM account_facts WHERE workspace_id = $1 ORDER BY ts, event_id',
        [ws],
      )
      return { users, days, features, facts: facts.map((f) => f.event_id) }
    }

    it('SC27 rollups: per account, UTC day and user: $login, track+page counts; per day: names, features', async () => {
      const ws = await workspace()
      await store.ingest(ws, [
        login('u1', T0 - 1), // the last ms of the day before
        login('u1', T0),
        login('u1', T0 + HOUR),
        page('u1', T0 + 2 * HOUR),
        feature('reports', 'u1', T0 + 3 * HOUR),
        feature('reports', 'u2', T0 + 4 * HOUR),
        feature('alerts', 'u2', T0 + 5 * HOUR),
        feature(42, 'u2', T0 + 6 * HOUR),
        track('setup_completed', null, T0 + 7 * HOUR), // an account-level fact: no user
        page(null, T0 + 8 * HOUR, { anonymousId: 'anon' }),
        identify('u3', { name: 'Caio' }, T0 + HOUR, { accountId: 'acme' }), // traits are not activity
        login('u1', T0 + 23 * HOUR, { accountId: 'globex' }),
      ])
      const r = await rollups(ws)
      expect(r.users).toEqual([
        { account_id: 'acme', d: D0 - 1, user_id: 'u1', logins: 1, events: 1 },
        { account_id: 'acme', d: D0, user_id: 'u1', logins: 2, events: 4 },
        { account_id: 'acme', d: D0, user_id: 'u2', logins: 0, events: 3 },
        { account_id: 'globex', d: D0, user_id: 'u1', logins: 1, events: 1 },
      ])
      expect(r.days).toEqual([
        { account_id: 'acme', d: D0 - 1, key: 'name:$login', count: 1 },
        { account_id: 'acme', d: D0, key: 'feature:alerts', count: 1 },
        { account_id: 'acme', d: D0, key: 'feature:reports', count: 2 },
        { account_id: 'acme', d: D0, key: 'name:$login', count: 2 },
        { account_id: 'acme', d: D0, key: 'name:feature_used', count: 4 },
        { account_id: 'acme', d: D0, key: 'name:setup_completed', count: 1 },
        { account_id: 'globex', d: D0, key: 'name:$login', count: 1 },
      ])
      expect(r.features).toEqual([
        { d: D0, feature: 'alerts', first_ts: T0 + 5 * HOUR },
        { d: D0, feature: 'reports', first_ts: T0 + 3 * HOUR },
      ])
    })

    it('SC28 rollups: a duplicate event changes no rollup', async () => {
      const ws = await workspace()
      const events = [
        login('u1', T0),
        feature('reports', 'u1', T0 + MIN),
        track('ticket_opened', 'u1', T0 + 2 * MIN),
        page('u2', T0 + 3 * MIN),
      ]
      await store.ingest(ws, events)
      const before = await rollups(ws)
      expect(before.facts).toEqual([events[2]!.id])
      // The same ids again: as they were, and with another time, name and feature.
      const changed = events.map((e) => ({
        ...e,
        timestamp: e.timestamp - 3 * DAY,
        name: e.type === 'track' ? 'feature_used' : e.name,
        properties: { feature: 'export' },
      }))
      expect(await store.ingest(ws, [...events, ...changed])).toEqual({ accepted: 0, duplicates: 8 })
      expect(await rollups(ws)).toEqual(before)
    })

    it('SC29 rollups: concurrent ingests into one account-day lose no count', async () => {
      const ws = await workspace()
      await Promise.all(
        Array.from({ length: 30 }, (_, i) => store.ingest(ws, [login('u1', T0 + i), feature('reports', 'u1', T0 + i)])),
      )
      const r = await rollups(ws)
      expect(r.users).toEqual([{ account_id: 'acme', d: D0, user_id: 'u1', logins: 30, events: 60 }])
      expect(r.days.find((x) => x.key === 'feature:reports')?.count).toBe(30)
      expect(r.features).toEqual([{ d: D0, feature: 'reports', first_ts: T0 }])
    })

    it('SC30 rollups: a resolved event rolls up under its account; with none, nothing', async () => {
      const ws = await workspace()
      await store.ingest(ws, [group('u1', 'globex', T0)])
      await store.ingest(ws, [
        login('u1', T0 + MIN, { accountId: null }),
        feature('alerts', 'u9', T0 - DAY, { accountId: null }),
      ])
      const r = await rollups(ws)
      expect(r.users).toEqual([{ account_id: 'globex', d: D0, user_id: 'u1', logins: 1, events: 1 }])
      // A feature of no account's event is no workspace feature: it would widen every account's denominator.
      expect(r.features).toEqual([])
    })

    // ---- a group call that arrives after the events it dates before (journey.md, "Entities") ----

    it('AF01 late group: re-assigns the login it dates before, as if sent in order', async () => {
      const contract = { contractStart: '2026-11-01' }
      const loginJan2 = (id: string) => login('u1', T0 + DAY + 10 * HOUR, { id, accountId: null })
      const groupJan1 = (id: string) => ({ ...group('u1', 'o1', T0 + 9 * HOUR, contract), id })
      const inOrder = await workspace()
      await store.ingest(inOrder, [groupJan1('g')])
      await store.ingest(inOrder, [loginJan2('l')])
      const late = await workspace()
      await store.ingest(late, [loginJan2('l')])
      await store.ingest(late, [groupJan1('g')])
      const at = T0 + 3 * DAY + 12 * HOUR
      const facts = await store.loadFacts(late, 'o1', at)
      expect(facts).toEqual(await store.loadFacts(inOrder, 'o1', at))
      expect(facts).toEqual(referenceFacts(await store.listEvents(late), [], 'o1', at))
      const state = journeyState(defaultConfig, facts!, at)
      expect(state.redFlags.map((f) => f.id)).not.toContain('no_login')
      expect(state.adoption.activeUsers).toBe(1)
      expect((await store.listEvents(late)).find((e) => e.id === 'l')).toMatchObject({
        accountId: 'o1',
        accountResolved: true,
      })
    })

    it('AF02 late group: moves only events resolved from group calls, up to the next group call', async () => {
      const ws = await workspace()
      await store.ingest(ws, [group('u1', 'a', T0)])
      await store.ingest(ws, [
        login('u1', T0 + DAY, { id: 'before', accountId: null }),
        track('ticket_opened', 'u1', T0 + 3 * DAY, { id: 'moved-fact', accountId: null }),
        feature('reports', 'u1', T0 + 3 * DAY + HOUR, { id: 'moved-feature', accountId: null }),
        login('u1', T0 + 3 * DAY, { id: 'given', accountId: 'a' }),
        login('u2', T0 + 3 * DAY, { id: 'other-user', accountId: null }),
        login('u1', T0 + 5 * DAY, { id: 'after-next', accountId: null }),
      ])
      await store.ingest(ws, [group('u1', 'c', T0 + 4 * DAY)])
      store.takeTouchedAccounts()
      // Dated between the calls to a and c, sent last.
      await store.ingest(ws, [group('u1', 'b', T0 + 2 * DAY)])
      const events = await store.listEvents(ws)
      expect(Object.fromEntries(events.filter((e) => e.type !== 'group').map((e) => [e.id, e.accountId]))).toEqual({
        before: 'a',
        'moved-fact': 'b',
        'moved-feature': 'b',
        given: 'a',
        'other-user': null,
        'after-next': 'c',
      })
      expect(
        store
          .takeTouchedAccounts()
          .filter((t) => t.workspaceId === ws)
          .map((t) => t.accountId)
          .sort(),
      ).toEqual(['a', 'b'])
      const at = T0 + 6 * DAY
      for (const acc of ['a', 'b', 'c'])
        expect(await store.loadFacts(ws, acc, at)).toEqual(referenceFacts(events, [], acc, at))
      expect((await store.loadFacts(ws, 'b', at))?.facts.map((f) => f.id)).toEqual(['moved-fact'])
      expect((await store.loadFacts(ws, 'a', at))?.facts).toEqual([])
      const r = await rollups(ws)
      expect(r.users.filter((x) => x.d === D0 + 3).map((x) => [x.account_id, x.user_id, x.logins, x.events])).toEqual([
        ['a', 'u1', 1, 1],
        ['b', 'u1', 0, 2],
      ])
    })

    it('AF03 late group: the history loadFacts holds of both accounts is refreshed', async () => {
      const ws = await workspace()
      const now = Date.now()
      const today = Math.floor(now / DAY) * DAY
      const day = (d: number) => today + d * DAY + HOUR
      await store.ingest(ws, [group('u1', 'a', day(-10))])
      await store.ingest(
        ws,
        [-6, -5, -4, -3, -2].map((d) => login('u1', day(d), { accountId: null })),
      )
      await store.ingest(ws, [group('u2', 'b', day(-10)), login('u2', day(-6), { accountId: 'b' })])
      const check = async () => {
        const events = await store.listEvents(ws)
        for (const acc of ['a', 'b'])
          expect(await store.loadFacts(ws, acc, now)).toEqual(referenceFacts(events, [], acc, now))
      }
      await check() // fills the cache of the days before yesterday
      await store.ingest(ws, [group('u1', 'b', day(-4) - 2 * HOUR)])
      await check()
      expect((await store.loadFacts(ws, 'b', now))?.days.map((d) => (d.date - today) / DAY)).toEqual([-6, -4, -3, -2])
    })

    it('AF04 late group: re-assigns days already packed, and packs again to the same', async () => {
      const ws = await workspace()
      const at = T0 + HOUR
      await store.ingest(ws, [group('u1', 'a', T0 - 40 * DAY)])
      await store.ingest(ws, [
        login('u1', T0 - 35 * DAY, { accountId: null }),
        feature('reports', 'u1', T0 - 35 * DAY + MIN, { accountId: null }),
        login('u1', T0 - 20 * DAY, { accountId: null }),
        login('u1', T0 - DAY, { accountId: null }),
      ])
      expect(await store.compactRollups(ws, D0 - 2)).toBeGreaterThan(0)
      await store.ingest(ws, [group('u1', 'b', T0 - 36 * DAY)])
      const events = await store.listEvents(ws)
      for (const acc of ['a', 'b'])
        expect(await store.loadFacts(ws, acc, at)).toEqual(referenceFacts(events, [], acc, at))
      expect(await store.loadFacts(ws, 'a', at)).toMatchObject({ days: [] })
      await store.compactRollups(ws, D0 - 2)
      for (const acc of ['a', 'b'])
        expect(await store.loadFacts(ws, acc, at)).toEqual(referenceFacts(events, [], acc, at))
    })

    it('SC31 loadFacts: null for an account with nothing at or before at', async () => {
      const ws = await workspace()
      await store.ingest(ws, [login('u1', T0)])
      expect(await store.loadFacts(ws, 'acme', T0 - 1)).toBeNull()
      expect(await store.loadFacts(ws, 'nobody', T0 + DAY)).toBeNull()
      expect((await store.loadFacts(ws, 'acme', T0))?.firstEventAt).toBe(T0)
    })

    it("SC32 loadFacts: events after at are ignored, on at's own day too", async () => {
      const ws = await workspace()
      const events = [
        login('u1', T0 - DAY + HOUR),
        feature('reports', 'u1', T0 - DAY + 2 * HOUR),
        login('u1', T0 + 10 * HOUR),
        feature('alerts', 'u2', T0 + 11 * HOUR),
        login('u1', T0 + 14 * HOUR),
        feature('export', 'u1', T0 + 15 * HOUR),
        track('ticket_opened', 'u3', T0 + 16 * HOUR),
        login('u1', T0 + DAY + HOUR),
      ]
      await store.ingest(ws, events)
      const at = T0 + 12 * HOUR
      const facts = await store.loadFacts(ws, 'acme', at)
      expect(facts).toEqual({
        accountId: 'acme',
        traits: {},
        traitTimes: {},
        firstEventAt: T0 - DAY + HOUR,
        users: [
          { userId: 'u1', traits: {} },
          { userId: 'u2', traits: {} },
        ],
        days: [
          {
            date: T0 - DAY,
            users: [{ userId: 'u1', logins: 1, events: 2 }],
            features: ['reports'],
            counts: { $login: 1, feature_used: 1 },
          },
          {
            date: T0,
            users: [
              { userId: 'u1', logins: 1, events: 1 },
              { userId: 'u2', logins: 0, events: 1 },
            ],
            features: ['alerts'],
            counts: { $login: 1, feature_used: 1 },
          },
        ],
        facts: [],
        workspaceFeatures: ['alerts', 'reports'],
        override: null,
      })
      // The rollup of at's day holds the whole day: loadFacts took the events after at back out of it.
      const r = await rollups(ws)
      expect(r.users.find((x) => x.d === D0 && x.user_id === 'u1')).toMatchObject({ logins: 2, events: 3 })
      // At the last ms of the day, and on the next day (where T0's day comes from rollups), all of it counts.
      for (const t of [T0 + DAY - 1, T0 + DAY + HOUR]) {
        expect(await store.loadFacts(ws, 'acme', t)).toEqual(referenceFacts(await store.listEvents(ws), [], 'acme', t))
      }
      expect((await store.loadFacts(ws, 'acme', T0 + DAY - 1))?.days[1]?.users[0]).toEqual({
        userId: 'u1',
        logins: 2,
        events: 3,
      })
    })

    it("SC56 loadFacts: at's day from its packed rollups, less the events after at, on a month's first day", async () => {
      const ws = await workspace()
      await store.ingest(ws, [
        login('u1', T0 - DAY + HOUR),
        login('u1', T0 + HOUR),
        feature('reports', 'u2', T0 + 2 * HOUR),
        page('u2', T0 + 3 * HOUR),
        login('u2', T0 + 14 * HOUR),
        feature('alerts', 'u1', T0 + 15 * HOUR),
        track('ticket_opened', 'u3', T0 + 16 * HOUR),
        login('u1', T0 + 2 * DAY + HOUR),
      ])
      // T0 (1 November) and the day before are packed: at's day is in its month's pack.
      expect(await store.compactRollups(ws, D0 + 1)).toBeGreaterThan(0)
      // A late event of T0's day, after the packing: a rollup row beside the pack.
      await store.ingest(ws, [login('u3', T0 + 4 * HOUR)])
      const events = await store.listEvents(ws)
      for (const at of [T0, T0 + 3 * HOUR, T0 + 12 * HOUR, T0 + 15 * HOUR, T0 + DAY - 1, T0 + DAY + HOUR])
        expect(await store.loadFacts(ws, 'acme', at), new Date(at).toISOString()).toEqual(
          referenceFacts(events, [], 'acme', at),
        )
      const facts = await store.loadFacts(ws, 'acme', T0 + 12 * HOUR)
      expect(facts?.days.at(-1)).toEqual({
        date: T0,
        users: [
          { userId: 'u1', logins: 1, events: 1 },
          { userId: 'u2', logins: 0, events: 2 },
          { userId: 'u3', logins: 1, events: 1 },
        ],
        features: ['reports'],
        counts: { $login: 2, feature_used: 1 },
      })
    })

    it("SC33 loadFacts: kept history is refreshed by late events; today's events count at once", async () => {
      const ws = await workspace()
      const now = Date.now()
      const today = Math.floor(now / DAY) * DAY
      const day = (d: number) => today + d * DAY + HOUR
      await store.ingest(
        ws,
        [-5, -4, -3, -2, -1].map((d) => login('u1', day(d))),
      )
      await store.ingest(ws, [login('u1', Math.min(now, today + MIN))])
      const check = async () =>
        expect(await store.loadFacts(ws, 'acme', now)).toEqual(
          referenceFacts(await store.listEvents(ws), [], 'acme', now),
        )
      await check() // fills the cache of the days before yesterday
      await check()
      // Each of these lands in a part loadFacts may have kept: the day before yesterday, older days, a fact, yesterday, today.
      for (const e of [
        login('u2', day(-2)),
        feature('reports', 'u1', day(-30)),
        track('ticket_opened', null, day(-3)),
        login('u1', day(-1)),
        page('u3', Math.min(now, today + 2 * MIN)),
      ]) {
        await store.ingest(ws, [e])
        await check()
      }
      expect(
        (await store.loadFacts(ws, 'acme', now))?.days
          .find((d) => d.date === today - 2 * DAY)
          ?.users.map((u) => u.userId),
      ).toEqual(['u1', 'u2'])
    })

    it('SC34 loadFacts: facts in (at, id) order, in full; activity and product events are not facts', async () => {
      const ws = await workspace()
      await store.ingest(ws, [
        track('nps_response', 'u1', T0 + 2 * MIN, { id: 'nps', properties: { score: 9, comment: 'ótimo "sim"' } }),
        track('setup_completed', null, T0 + MIN, { id: 'b-setup' }),
        track('kickoff_held', null, T0 + MIN, { id: 'a-kickoff' }),
        login('u1', T0),
        page('u1', T0),
        feature('reports', 'u1', T0),
        track('report_generated', 'u1', T0 + 3 * MIN, { id: 'report' }),
        track('ticket_opened', 'u1', T0 + 10 * MIN, { id: 'late-ticket' }),
      ])
      const facts = await store.loadFacts(ws, 'acme', T0 + 5 * MIN)
      expect(facts?.facts).toEqual([
        { id: 'a-kickoff', name: 'kickoff_held', at: T0 + MIN, userId: null, properties: {} },
        { id: 'b-setup', name: 'setup_completed', at: T0 + MIN, userId: null, properties: {} },
        {
          id: 'nps',
          name: 'nps_response',
          at: T0 + 2 * MIN,
          userId: 'u1',
          properties: { score: 9, comment: 'ótimo "sim"' },
        },
        // report_generated: a product event, not a fact unless the workspace's config names it.
      ])
    })

    it('SC35 facts: a product event is not a fact unless the config names it; naming it later backfills', async () => {
      const ws = await workspace()
      const events = [
        track('report_generated', 'u1', T0, { id: 'r1', properties: { rows: 3 } }),
        track('alert_created', 'u1', T0 + MIN, { id: 'a1' }),
        track('experience_completed', 'u1', T0 + 2 * MIN, { id: 'x1', properties: { touchpoint: 'training' } }),
        track('onboarding_email_sent', null, T0 + 3 * MIN, { id: 'o1' }), // a delivery the default config names
      ]
      await store.ingest(ws, events)
      const at = T0 + DAY
      expect((await store.loadFacts(ws, 'acme', at))?.facts.map((f) => f.id)).toEqual(['x1', 'o1'])
      expect(await store.loadFacts(ws, 'acme', at)).toEqual(referenceFacts(await store.listEvents(ws), [], 'acme', at))
      // The config names report_generated (minutes saved): stored ones become facts, and new ones are.
      const doc = { value: { minutesSaved: { report_generated: 5 } } }
      await store.setConfig(ws, doc)
      await store.ingest(ws, [
        track('report_generated', 'u2', T0 + 4 * MIN, { id: 'r2' }),
        track('alert_created', 'u2', T0 + 5 * MIN, { id: 'a2' }),
      ])
      const named = configEventNames(doc)
      const facts = await store.loadFacts(ws, 'acme', at)
      expect(facts?.facts).toEqual([
        { id: 'r1', name: 'report_generated', at: T0, userId: 'u1', properties: { rows: 3 } },
        {
          id: 'x1',
          name: 'experience_completed',
          at: T0 + 2 * MIN,
          userId: 'u1',
          properties: { touchpoint: 'training' },
        },
        { id: 'o1', name: 'onboarding_email_sent', at: T0 + 3 * MIN, userId: null, properties: {} },
        { id: 'r2', name: 'report_generated', at: T0 + 4 * MIN, userId: 'u2', properties: {} },
      ])
      expect(facts).toEqual(referenceFacts(await store.listEvents(ws), [], 'acme', at, named))
      // Idempotent: setting it again changes nothing; a segment's block names events too.
      await store.setConfig(ws, {
        ...doc,
        segments: { enterprise: { moments: { qbr: { events: ['alert_created'] } } } },
      })
      await store.setConfig(ws, {
        ...doc,
        segments: { enterprise: { moments: { qbr: { events: ['alert_created'] } } } },
      })
      expect((await store.loadFacts(ws, 'acme', at))?.facts.map((f) => f.id)).toEqual([
        'r1',
        'a1',
        'x1',
        'o1',
        'r2',
        'a2',
      ])
      const rows = await store.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM account_facts WHERE workspace_id = $1',
        [ws],
      )
      expect(Number(rows[0]!.n)).toBe(6)
    })

    it('SC36 compactRollups: closed days packed per account and month; loadFacts unchanged; late add up', async () => {
      const ws = await workspace()
      const login = (u: string, t: number) => track('$login', u, t)
      const use = (u: string, t: number, feature: string) => track('feature_used', u, t, { properties: { feature } })
      await store.ingest(ws, [
        login('u1', T0 - 40 * DAY),
        use('u1', T0 - 40 * DAY + MIN, 'reports'),
        login('u2', T0 - 3 * DAY),
        login('u1', T0 - DAY),
      ])
      const at = T0 + HOUR
      const before = await store.loadFacts(ws, 'acme', at)
      // Days before T0 - 2 days: T0 - 40 (September) and T0 - 3 (October): a pack of each kind per month.
      expect(await store.compactRollups(ws, D0 - 2)).toBe(4)
      expect(await store.compactRollups(ws, D0 - 2)).toBe(0)
      const rows = await store.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM rollup_user_days WHERE workspace_id = $1',
        [ws],
      )
      expect(Number(rows[0]!.n)).toBe(1)
      expect(await store.loadFacts(ws, 'acme', at)).toEqual(before)
      // A late event of a packed day: counted with the pack, then packed as another part.
      await store.ingest(ws, [login('u1', T0 - 40 * DAY + HOUR), use('u1', T0 - 40 * DAY + HOUR, 'alerts')])
      const late = await store.loadFacts(ws, 'acme', at)
      expect(late).toEqual(referenceFacts(await store.listEvents(ws), [], 'acme', at))
      expect(late?.days[0]).toMatchObject({
        users: [{ userId: 'u1', logins: 2, events: 4 }],
        features: ['alerts', 'reports'],
        counts: { $login: 2, feature_used: 2 },
      })
      expect(await store.compactRollups(ws, D0 - 2)).toBe(2)
      expect(await store.loadFacts(ws, 'acme', at)).toEqual(late)
      expect(await store.loadFacts(ws, 'acme', T0 - 39 * DAY)).toEqual(
        referenceFacts(await store.listEvents(ws), [], 'acme', T0 - 39 * DAY),
      )
    })

    it('SC37 facts: a config naming an event reaches an account whose older history loadFacts already holds', async () => {
      const ws = await workspace()
      await store.ingest(ws, [track('integration_connected', 'u1', T0, { id: 'i1' }), track('$login', 'u1', T0 + MIN)])
      // Days old enough for loadFacts to keep the history before yesterday decoded in memory.
      const at = T0 + 5 * DAY
      expect((await store.loadFacts(ws, 'acme', at))?.facts).toEqual([])
      await store.setConfig(ws, { milestones: { setup: { events: ['integration_connected'] } } })
      expect((await store.loadFacts(ws, 'acme', at))?.facts.map((f) => f.id)).toEqual(['i1'])
    })

    it('SC38 facts: the start config names facts where no config is stored, stored events included', async () => {
      const bare = await workspace()
      const own = await workspace()
      await store.setConfig(own, { features: ['reports'] })
      for (const ws of [bare, own]) await store.ingest(ws, [track('integration_connected', 'u1', T0, { id: 'i1' })])
      const at = T0 + 5 * DAY
      expect((await store.loadFacts(bare, 'acme', at))?.facts).toEqual([])
      try {
        await store.setStartConfig({ milestones: { setup: { events: ['integration_connected'] } } })
        await store.ingest(bare, [track('integration_connected', 'u2', T0 + HOUR, { id: 'i2' })])
        expect((await store.loadFacts(bare, 'acme', at))?.facts.map((f) => f.id)).toEqual(['i1', 'i2'])
        // A workspace with a config of its own follows that one only.
        expect((await store.loadFacts(own, 'acme', at))?.facts).toEqual([])
        // Once backfilled, a restart with the same config does not backfill again (recorded), ...
        const recorded = async () =>
          (
            await store.db.query<{ name: string }>('SELECT name FROM start_fact_names WHERE workspace_id = $1', [bare])
          ).map((r) => r.name)
        expect(await recorded()).toEqual(['integration_connected'])
        // ... a start config without the name forgets it, and naming it again backfills what came meanwhile.
        await store.setStartConfig(null)
        expect(await recorded()).toEqual([])
        await store.ingest(bare, [track('integration_connected', 'u3', T0 + 2 * HOUR, { id: 'i3' })])
        expect((await store.loadFacts(bare, 'acme', at))?.facts.map((f) => f.id)).toEqual(['i1', 'i2'])
        await store.setStartConfig({ milestones: { setup: { events: ['integration_connected'] } } })
        expect((await store.loadFacts(bare, 'acme', at))?.facts.map((f) => f.id)).toEqual(['i1', 'i2', 'i3'])
      } finally {
        await store.setStartConfig(null)
      }
    })

    it("SC39 loadFacts: traits in time order up to at: account's from group calls, user's from any identify", async () => {
      const ws = await workspace()
      await store.ingest(ws, [
        group('u1', 'acme', T0 + 2 * MIN, { plan: 'pro' }),
        identify('u1', { role: 'admin', name: 'Ana' }, T0 + 3 * MIN, { accountId: 'globex' }),
        identify('u1', { role: 'viewer' }, T0 + 20 * MIN),
        group(null, 'acme', T0 + 30 * MIN, { plan: 'enterprise' }),
      ])
      // Late and older: fills a key, overwrites nothing newer.
      await store.ingest(ws, [
        group('u1', 'acme', T0 + MIN, { plan: 'free', seats: 5 }),
        identify('u1', { role: 'owner', email: 'ana@acme.com' }, T0),
      ])
      const at = T0 + 25 * MIN
      const facts = await store.loadFacts(ws, 'acme', at)
      expect(facts?.traits).toEqual({ plan: 'pro', seats: 5 })
      expect(facts?.users).toEqual([{ userId: 'u1', traits: { role: 'viewer', name: 'Ana', email: 'ana@acme.com' } }])
      expect((await store.loadFacts(ws, 'acme', T0 + 30 * MIN))?.traits).toEqual({ plan: 'enterprise', seats: 5 })
      expect((await store.loadFacts(ws, 'acme', T0 + 2 * MIN))?.users[0]?.traits).toEqual({
        role: 'owner',
        email: 'ana@acme.com',
      })
    })

    it('SC40 loadFacts: users are those with a group call or an event under the account by at, sorted', async () => {
      const ws = await workspace()
      await store.ingest(ws, [
        group('zoe', 'acme', T0), // a member with no activity
        track('ticket_opened', 'bob', T0 + MIN), // a fact only
        page('carl', T0 + 2 * MIN),
        identify('dana', { role: 'x' }, T0 + 3 * MIN, { accountId: 'acme' }),
        login('ana', T0 + 4 * MIN, { accountId: 'globex' }), // another account's user
        login('eve', T0 + 10 * MIN), // after at
      ])
      const facts = await store.loadFacts(ws, 'acme', T0 + 5 * MIN)
      expect(facts?.users.map((u) => u.userId)).toEqual(['bob', 'carl', 'dana', 'zoe'])
      expect(facts?.users.find((u) => u.userId === 'dana')?.traits).toEqual({ role: 'x' })
    })

    it("WF01 workspaceFeatures: its accounts', on the 90 days ending with at's, up to at", async () => {
      const ws = await workspace()
      const at = T0 + 12 * HOUR
      await store.ingest(ws, [
        feature('old', 'u1', T0 - 90 * DAY + 23 * HOUR), // day(at) - 90: the day before the window
        feature('edge', 'u1', T0 - 89 * DAY), // day(at) - 89: the window's first day
        feature('elsewhere', 'u7', at - 10 * DAY, { accountId: 'globex' }),
        // No account: it widens no account's denominator (an anonymous event must move no journey).
        feature('nowhere', null, at - 10 * DAY, { accountId: null }),
        feature('today', 'u1', at),
        feature('later-today', 'u1', at + 1),
        feature(12, 'u1', at - DAY),
      ])
      expect((await store.loadFacts(ws, 'acme', at))?.workspaceFeatures).toEqual(['edge', 'elsewhere', 'today'])
      expect((await store.loadFacts(ws, 'acme', at - DAY))?.workspaceFeatures).toEqual(['edge', 'elsewhere', 'old'])
    })

    it('WF02 features: []: features used only on day 0 leave the denominator on day 90', async () => {
      const ws = await workspace()
      await store.ingest(ws, [
        group('u1', 'acme', T0, { contractStart: new Date(T0).toISOString().slice(0, 10) }),
        feature('reports', 'u1', T0 + HOUR),
        feature('alerts', 'u1', T0 + 2 * HOUR),
        feature('export', 'u1', T0 + 80 * DAY),
      ])
      const config = { ...defaultConfig, features: [] }
      const adoption = async (day: number) => {
        const at = T0 + day * DAY + 12 * HOUR
        const facts = await store.loadFacts(ws, 'acme', at)
        const a = journeyState(config, facts!, at).adoption
        return { workspace: facts!.workspaceFeatures, used: a.featuresUsed, count: a.featureCount }
      }
      expect(await adoption(89)).toEqual({ workspace: ['alerts', 'export', 'reports'], used: ['export'], count: 3 })
      expect(await adoption(90)).toEqual({ workspace: ['export'], used: ['export'], count: 1 })
    })

    it('SC41 loadFacts: the override in force is the latest change by at; expired or lifted is none', async () => {
      const ws = await workspace()
      await store.ingest(ws, [login('u1', T0)])
      const set = (phase: string, at: number, expiresAt: number): OverrideChange => ({
        action: 'set',
        override: { phase, reason: `why ${phase}`, expiresAt, by: 'cs@acme', setAt: at },
        by: 'cs@acme',
        reason: `why ${phase}`,
        at,
      })
      await store.addOverrideChange(ws, 'acme', set('adoption', T0 + HOUR, T0 + 10 * DAY))
      await store.addOverrideChange(ws, 'acme', {
        action: 'lift',
        override: null,
        by: 'cs@acme',
        reason: 'done',
        at: T0 + 2 * DAY,
      })
      await store.addOverrideChange(ws, 'acme', set('value', T0 + 3 * DAY, T0 + 4 * DAY))
      const phase = async (at: number) => (await store.loadFacts(ws, 'acme', at))?.override?.phase ?? null
      expect(await phase(T0)).toBeNull()
      expect(await phase(T0 + HOUR)).toBe('adoption')
      expect(await store.loadFacts(ws, 'acme', T0 + DAY)).toMatchObject({
        override: set('adoption', T0 + HOUR, T0 + 10 * DAY).override,
      })
      expect(await phase(T0 + 2 * DAY)).toBeNull()
      expect(await phase(T0 + 3 * DAY)).toBe('value')
      expect(await phase(T0 + 4 * DAY)).toBeNull() // expired
    })

    it('SC42 overrides: the audit list is kept per account, oldest first', async () => {
      const ws = await workspace()
      const changes: OverrideChange[] = [
        {
          action: 'set',
          override: { phase: 'value', reason: 'r', expiresAt: T0 + DAY, by: 'a', setAt: T0 },
          by: 'a',
          reason: 'r',
          at: T0,
        },
        { action: 'lift', override: null, by: 'b', reason: 'ok', at: T0 + HOUR },
      ]
      expect(await store.listOverrideChanges(ws, 'acme')).toEqual([])
      await store.addOverrideChange(ws, 'acme', changes[1]!)
      await store.addOverrideChange(ws, 'acme', changes[0]!)
      await store.addOverrideChange(ws, 'globex', changes[0]!)
      expect(await store.listOverrideChanges(ws, 'acme')).toEqual(changes)
      expect(await store.listOverrideChanges(ws, 'globex')).toEqual([changes[0]])
    })

    it('SC43 config: getConfig is null until setConfig; setConfig replaces the document', async () => {
      const ws = await workspace()
      expect(await store.getConfig(ws)).toBeNull()
      const doc = {
        features: [{ id: 'reports', name: 'Relatórios "R"', core: true }],
        segments: { enterprise: { renewalWindowDays: 90 } },
      }
      await store.setConfig(ws, doc)
      expect(await store.getConfig(ws)).toEqual(doc)
      await store.setConfig(ws, { features: [] })
      expect(await store.getConfig(ws)).toEqual({ features: [] })
      expect(await store.getConfig(newWorkspaceId())).toBeNull()
    })

    it("SC44 takeTouchedAccounts: new events' accounts, each once, after commit; duplicates touch none", async () => {
      const ws = await workspace()
      store.takeTouchedAccounts()
      const mine = () =>
        store
          .takeTouchedAccounts()
          .filter((t) => t.workspaceId === ws)
          .map((t) => t.accountId)
          .sort()
      const events = [
        login('u1', T0),
        login('u2', T0),
        login('u3', T0, { accountId: 'globex' }),
        group('u4', 'initech', T0),
        login('u9', T0, { accountId: null }),
      ]
      await store.ingest(ws, events)
      expect(mine()).toEqual(['acme', 'globex', 'initech'])
      expect(mine()).toEqual([])
      await store.ingest(ws, events)
      expect(mine()).toEqual([])
    })

    it('SC45 listAccountIds: every account with an event or a group call, sorted, per workspace', async () => {
      const ws = await workspace()
      await store.ingest(ws, [
        login('u1', T0, { accountId: 'zeta' }),
        group(null, 'alpha', T0),
        login('u2', T0, { accountId: 'Mid' }),
        login('u3', T0, { accountId: null }),
      ])
      expect(await store.listAccountIds(ws)).toEqual(['Mid', 'alpha', 'zeta'])
      expect(await store.listAccountIds(newWorkspaceId())).toEqual([])
    })

    const snap = (accountId: string, health: number | null, over: Partial<AccountSnapshot> = {}): AccountSnapshot => ({
      accountId,
      segment: 'smb',
      phase: 'adoption',
      health,
      band: health === null ? null : health >= 80 ? 'green' : health >= 60 ? 'yellow' : 'red',
      flags: [],
      computedAt: T0,
      name: null,
      renewalAt: null,
      nps: null,
      lastActiveAt: null,
      ...over,
    })

    it('SC46 putSnapshots: a later put replaces the snapshot, unless computed for an earlier time', async () => {
      const ws = await workspace()
      await store.putSnapshots(ws, [snap('acme', 50, { flags: ['no_login'] }), snap('globex', 90)])
      await store.putSnapshots(ws, [
        snap('acme', 72.5, { phase: 'value', segment: 'enterprise', computedAt: T0 + DAY }),
      ])
      const { items } = await store.listSnapshots(ws, {})
      expect(items).toEqual([
        snap('acme', 72.5, { phase: 'value', segment: 'enterprise', computedAt: T0 + DAY }),
        snap('globex', 90),
      ])
      await store.putSnapshots(ws, [])
      // One computed for an earlier time (a slow sweep behind a fresher evaluation) changes nothing.
      await store.putSnapshots(ws, [snap('acme', 10, { computedAt: T0 + HOUR })])
      expect((await store.listSnapshots(ws, {})).items[0]).toEqual(
        snap('acme', 72.5, { phase: 'value', segment: 'enterprise', computedAt: T0 + DAY }),
      )
    })

    it('SC47 putSnapshots: phaseSince is the first snapshot of the phase, kept while the phase stays', async () => {
      const ws = await workspace()
      const since = async () => (await store.getSnapshots(ws, ['acme']))[0]?.phaseSince
      await store.putSnapshots(ws, [snap('acme', 50, { phase: 'value', computedAt: T0 })])
      expect(await since()).toBe(T0)
      await store.putSnapshots(ws, [snap('acme', 55, { phase: 'value', computedAt: T0 + HOUR })])
      expect(await since()).toBe(T0)
      await store.putSnapshots(ws, [snap('acme', 60, { phase: 'growth', computedAt: T0 + 2 * HOUR })])
      expect(await since()).toBe(T0 + 2 * HOUR)
      await store.putSnapshots(ws, [snap('acme', 50, { phase: 'value', computedAt: T0 + 3 * HOUR })])
      expect(await since()).toBe(T0 + 3 * HOUR)
    })

    it("SC48 claimSweep: one caller gets a workspace's slot; releaseSweep gives it back; old claims go", async () => {
      const ws = await workspace()
      const other = await workspace()
      const results = await Promise.all([
        store.claimSweep(ws, 500_000),
        store.claimSweep(ws, 500_000),
        store.claimSweep(ws, 500_000),
      ])
      expect(results.filter(Boolean)).toHaveLength(1)
      expect(await store.claimSweep(ws, 500_000)).toBe(false)
      expect(await store.claimSweep(ws, 500_001)).toBe(true)
      // Given back (its sweep failed): the next claim gets it.
      await store.releaseSweep(ws, 500_001)
      expect(await store.claimSweep(ws, 500_001)).toBe(true)
      expect(await store.claimSweep(other, 500_000)).toBe(true)
      // 48 slots later, the first claim is gone (its slot could be claimed again, were it ever asked).
      expect(await store.claimSweep(ws, 500_049)).toBe(true)
      const [row] = await store.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM sweep_claims WHERE workspace_id = $1',
        [ws],
      )
      expect(row!.n).toBe(2)
    })

    it("SC49 listMapSummaries: each account's summary and its time; a put without one keeps the last", async () => {
      const ws = await workspace()
      await store.putSnapshots(ws, [
        { ...snap('b-acct', 50), mapSummary: '{"accountId":"b-acct"}' },
        {
          ...snap('a-acct', 70, { segment: 'enterprise', computedAt: T0 + DAY }),
          mapSummary: '{"accountId":"a-acct"}',
        },
        snap('c-acct', 90),
      ])
      expect(await store.listMapSummaries(ws)).toEqual([
        { accountId: 'a-acct', segment: 'enterprise', computedAt: T0 + DAY, summary: '{"accountId":"a-acct"}' },
        { accountId: 'b-acct', segment: 'smb', computedAt: T0, summary: '{"accountId":"b-acct"}' },
      ])
      // The listing does not carry it.
      expect((await store.listSnapshots(ws, {})).items.every((x) => !('mapSummary' in x))).toBe(true)
      // A later snapshot without a summary (touched accounts, overrides): the summary and its time stay.
      await store.putSnapshots(ws, [snap('b-acct', 55, { segment: 'mid_market', computedAt: T0 + 2 * DAY })])
      expect((await store.listMapSummaries(ws))[1]).toEqual({
        accountId: 'b-acct',
        segment: 'mid_market',
        computedAt: T0,
        summary: '{"accountId":"b-acct"}',
      })
      await store.putSnapshots(ws, [{ ...snap('b-acct', 60, { computedAt: T0 + 3 * DAY }), mapSummary: '{"v":2}' }])
      expect((await store.listMapSummaries(ws))[1]).toEqual({
        accountId: 'b-acct',
        segment: 'smb',
        computedAt: T0 + 3 * DAY,
        summary: '{"v":2}',
      })
      expect(await store.listMapSummaries(newWorkspaceId())).toEqual([])
    })

    it('SC50 listSnapshots: riskiest first, filters, cursor pages cover every account once', async () => {
      const ws = await workspace()
      const all = Array.from({ length: 57 }, (_, i) =>
        snap(`acc-${String(i).padStart(2, '0')}`, i % 7 === 0 ? null : (i * 37) % 100, {
          segment: i % 3 === 0 ? 'enterprise' : 'smb',
          phase: i % 2 ? 'adoption' : 'value',
          flags: i % 4 === 0 ? ['usage_declining', 'no_login'] : i % 5 === 0 ? ['no_login'] : [],
        }),
      )
      await store.putSnapshots(ws, [...all].reverse())
      const order = (xs: AccountSnapshot[]) =>
        [...xs].sort(
          (a, b) =>
            (a.health ?? Infinity) - (b.health ?? Infinity) ||
            (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0),
        )
      const pages = async (q: Parameters<Store['listSnapshots']>[1]) => {
        const out: AccountSnapshot[] = []
        let cursor: string | undefined
        for (let n = 0; n < 100; n++) {
          const page = await store.listSnapshots(ws, { ...q, cursor })
          expect(page.items.length).toBeLessThanOrEqual(q.limit ?? 50)
          out.push(...page.items)
          if (!page.nextCursor) return out
          expect(page.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/)
          cursor = page.nextCursor
        }
        throw new Error('no last page')
      }
      expect(await pages({ limit: 10 })).toEqual(order(all))
      expect(await pages({ limit: 1 })).toEqual(order(all))
      expect(await pages({})).toEqual(order(all))
      expect(await pages({ limit: 4, flag: 'no_login' })).toEqual(
        order(all.filter((s) => s.flags.includes('no_login'))),
      )
      expect(await pages({ limit: 3, segment: 'enterprise', phase: 'value' })).toEqual(
        order(all.filter((s) => s.segment === 'enterprise' && s.phase === 'value')),
      )
      expect(await pages({ band: 'red' })).toEqual(order(all.filter((s) => s.band === 'red')))
      expect((await store.listSnapshots(ws, { phase: 'churned' })).items).toEqual([])
    })

    it('SC51 listSnapshots: limit defaults to 50 and is capped at 500; a bad cursor is refused', async () => {
      const ws = await workspace()
      await store.putSnapshots(
        ws,
        Array.from({ length: 600 }, (_, i) => snap(`a${i}`, i % 100)),
      )
      expect((await store.listSnapshots(ws, {})).items).toHaveLength(50)
      expect((await store.listSnapshots(ws, { limit: 10_000 })).items).toHaveLength(500)
      expect((await store.listSnapshots(ws, { limit: 0 })).items).toHaveLength(1)
      await expect(store.listSnapshots(ws, { cursor: 'not a cursor' })).rejects.toThrow(/cursor/)
      await expect(store.listSnapshots(ws, { cursor: Buffer.from('{"a":1}').toString('base64url') })).rejects.toThrow(
        /cursor/,
      )
    })

    // ---- webhooks: endpoints, outbox, deliveries ----

    const hook = (accountId: string, key: string, type: WebhookEvent['type'] = 'phase.changed'): WebhookEvent => ({
      type,
      accountId,
      causeKey: `${type}:${accountId}:${key}`,
      occurredAt: T0,
      data: { key },
    })

    it('SW01 endpoints: created with a whsec_ secret, listed oldest first without it, changed, deleted', async () => {
      const ws = await workspace()
      const a = await store.webhooks.createEndpoint(ws, {
        url: 'https://a.example/in',
        events: null,
        format: 'standard',
        at: T0,
      })
      const b = await store.webhooks.createEndpoint(ws, {
        url: 'https://b.example/in',
        events: ['nps.detractor'],
        format: 'slack',
        at: T0 + MIN,
      })
      expect(a.secret).toMatch(/^whsec_/)
      expect(a).toMatchObject({
        url: 'https://a.example/in',
        events: null,
        format: 'standard',
        disabled: false,
        createdAt: T0,
      })
      expect(await store.webhooks.listEndpoints(ws)).toEqual([
        { id: a.id, url: a.url, events: null, format: 'standard', disabled: false, createdAt: T0 },
        { id: b.id, url: b.url, events: ['nps.detractor'], format: 'slack', disabled: false, createdAt: T0 + MIN },
      ])
      expect(await store.webhooks.updateEndpoint(ws, b.id, { events: null, disabled: true })).toMatchObject({
        url: b.url,
        events: null,
        format: 'slack',
        disabled: true,
      })
      expect(await store.webhooks.updateEndpoint(ws, 'whe_none', { disabled: true })).toBeNull()
      expect(await store.webhooks.endpointExists(ws, a.id)).toBe(true)
      expect(await store.webhooks.endpointExists(await workspace(), a.id)).toBe(false)
      expect(await store.webhooks.deleteEndpoint(ws, a.id)).toBe(true)
      expect(await store.webhooks.deleteEndpoint(ws, a.id)).toBe(false)
      expect((await store.webhooks.listEndpoints(ws)).map((e) => e.id)).toEqual([b.id])
    })

    it('SW02 enqueue: one event per cause, a delivery per endpoint whose filter takes its type', async () => {
      const ws = await workspace()
      const all = await store.webhooks.createEndpoint(ws, {
        url: 'https://a.example/in',
        events: null,
        format: 'standard',
        at: T0,
      })
      const nps = await store.webhooks.createEndpoint(ws, {
        url: 'https://b.example/in',
        events: ['nps.detractor'],
        format: 'standard',
        at: T0,
      })
      const paused = await store.webhooks.createEndpoint(ws, {
        url: 'https://c.example/in',
        events: null,
        format: 'standard',
        at: T0,
      })
      await store.webhooks.updateEndpoint(ws, paused.id, { disabled: true })
      expect(
        await store.webhooks.enqueue(ws, [hook('acme', '1'), hook('acme', '1'), hook('acme', '2', 'nps.detractor')]),
      ).toBe(2)
      expect(await store.webhooks.enqueue(ws, [hook('acme', '1'), hook('acme', '3')])).toBe(1)
      expect(await store.webhooks.enqueue(ws, [])).toBe(0)
      const count = async (id: string) => (await store.webhooks.listDeliveries(ws, id)).items.length
      expect([await count(all.id), await count(nps.id), await count(paused.id)]).toEqual([3, 1, 3])
      // Cause keys are per workspace.
      expect(await store.webhooks.enqueue(await workspace(), [hook('acme', '1')])).toBe(1)
    })

    it("SW03 claimDue: each due delivery once, under a lease; a replay voids the claim's result", async () => {
      const ws = await workspace()
      const on = await store.webhooks.createEndpoint(ws, {
        url: 'https://a.example/in',
        events: null,
        format: 'slack',
        at: T0,
      })
      const off = await store.webhooks.createEndpoint(ws, {
        url: 'https://b.example/in',
        events: null,
        format: 'standard',
        at: T0,
      })
      await store.webhooks.updateEndpoint(ws, off.id, { disabled: true })
      await store.webhooks.enqueue(ws, [hook('acme', '1'), hook('globex', '2')])
      const now = Date.now()
      const mine = (claims: Awaited<ReturnType<Store['webhooks']['claimDue']>>) =>
        claims.filter((c) => c.workspaceId === ws)
      const [first, second] = await Promise.all(
        [1, 2].map((k) => store.webhooks.claimDue({ now, limit: 1000, leaseUntil: now + HOUR, token: `t${k}` })),
      )
      const claimed = [...mine(first!), ...mine(second!)]
      // The paused endpoint's deliveries wait; the others are claimed once, with what a POST needs.
      expect(claimed.map((c) => c.accountId).sort()).toEqual(['acme', 'globex'])
      expect(claimed[0]).toMatchObject({
        attempts: 1,
        url: on.url,
        secret: on.secret,
        format: 'slack',
        type: 'phase.changed',
      })
      expect(JSON.parse(claimed.find((c) => c.accountId === 'acme')!.payload)).toEqual({ key: '1' })
      expect(mine(await store.webhooks.claimDue({ now, limit: 1000, leaseUntil: now + HOUR, token: 't3' }))).toEqual([])
      const done = {
        status: 'delivered' as const,
        nextAttemptAt: null,
        lastStatus: 200,
        lastResponse: 'ok',
        lastError: null,
        at: now,
      }
      const [acme, globex] = [
        claimed.find((c) => c.accountId === 'acme')!,
        claimed.find((c) => c.accountId === 'globex')!,
      ]
      expect(await store.webhooks.recordAttempt(acme, done)).toBe(true)
      expect(await store.webhooks.recordAttempt(acme, done)).toBe(false)
      expect(await store.webhooks.replayDelivery(ws, on.id, globex.id, now)).toBe(true)
      expect(await store.webhooks.recordAttempt(globex, done)).toBe(false)
      expect(await store.webhooks.replayDelivery(ws, off.id, globex.id, now)).toBe(false)
      const views = (await store.webhooks.listDeliveries(ws, on.id)).items
      expect(views.map((d) => [d.id, d.status, d.attempts]).sort()).toEqual(
        [
          [acme.id, 'delivered', 1],
          [globex.id, 'pending', 1],
        ].sort(),
      )
      // The replayed one is due again, under a new claim.
      expect(
        mine(await store.webhooks.claimDue({ now, limit: 1000, leaseUntil: now + HOUR, token: 't4' })).map((c) => [
          c.id,
          c.attempts,
        ]),
      ).toEqual([[globex.id, 2]])
    })

    it('SW04 listDeliveries: newest first, by status, in pages; a cursor it did not make is a RangeError', async () => {
      const ws = await workspace()
      const e = await store.webhooks.createEndpoint(ws, {
        url: 'https://a.example/in',
        events: null,
        format: 'standard',
        at: T0,
      })
      for (let i = 0; i < 5; i++) await store.webhooks.enqueue(ws, [hook('acme', String(i))])
      const all = (await store.webhooks.listDeliveries(ws, e.id)).items
      const causes = new Map(
        (
          await store.db.query<{ id: string; cause_key: string }>(
            'SELECT id, cause_key FROM webhook_events WHERE workspace_id = $1',
            [ws],
          )
        ).map((r) => [r.id, r.cause_key]),
      )
      expect(all.map((d) => causes.get(d.eventId))).toEqual(
        ['4', '3', '2', '1', '0'].map((k) => `phase.changed:acme:${k}`),
      )
      const pages: string[] = []
      let cursor: string | undefined
      do {
        const page = await store.webhooks.listDeliveries(ws, e.id, { limit: 2, cursor })
        pages.push(...page.items.map((d) => d.id))
        cursor = page.nextCursor ?? undefined
      } while (cursor)
      expect(pages).toEqual(all.map((d) => d.id))
      expect((await store.webhooks.listDeliveries(ws, e.id, { status: 'dead' })).items).toEqual([])
      expect((await store.webhooks.listDeliveries(ws, e.id, { status: 'pending' })).items).toHaveLength(5)
      await expect(store.webhooks.listDeliveries(ws, e.id, { cursor: 'not-a-cursor' })).rejects.toThrow(RangeError)
    })

    it('SW05 putSnapshots with webhook events: both commit, or neither does', async () => {
      const ws = await workspace()
      const e = await store.webhooks.createEndpoint(ws, {
        url: 'https://a.example/in',
        events: null,
        format: 'standard',
        at: T0,
      })
      await store.putSnapshots(ws, [snap('acme', 50)], [hook('acme', 'kept')])
      expect((await store.listSnapshots(ws, {})).items.map((x) => x.accountId)).toEqual(['acme'])
      expect((await store.webhooks.listDeliveries(ws, e.id)).items).toHaveLength(1)
      // A snapshot the database refuses (no phase): its events are not stored either.
      const broken = snap('globex', 10, { phase: null as unknown as string })
      await expect(store.putSnapshots(ws, [broken], [hook('globex', 'lost')])).rejects.toThrow(/phase/)
      expect(await store.webhooks.enqueue(ws, [hook('globex', 'lost'), hook('acme', 'kept')])).toBe(1)
    })

    it('SC52 listSnapshots: 10,000 accounts: deep pages and filters come in order (speed: npm run bench)', async () => {
      const ws = await workspace()
      const all = Array.from({ length: 10_000 }, (_, i) =>
        snap(`account-${i}`, i % 11 === 0 ? null : (i * 7919) % 101, {
          flags: i % 50 === 0 ? ['setup_late'] : [],
          phase: ['onboarding', 'adoption', 'value'][i % 3]!,
        }),
      )
      await store.putSnapshots(ws, all)
      const riskiestFirst = (a: { health: number | null; accountId: string }, b: typeof a) =>
        (a.health ?? Infinity) - (b.health ?? Infinity) ||
        (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0)
      const expected = [...all].sort(riskiestFirst).map((x) => x.accountId)
      let cursor: string | undefined
      for (let n = 0; n < 10; n++)
        cursor = (await store.listSnapshots(ws, { limit: 500, cursor })).nextCursor ?? undefined
      const deep = await store.listSnapshots(ws, { limit: 500, cursor })
      expect(deep.items.map((x) => x.accountId)).toEqual(expected.slice(5000, 5500))
      const flagged = await store.listSnapshots(ws, { flag: 'setup_late', limit: 500 })
      expect(flagged.items.map((x) => x.accountId)).toEqual(
        all
          .filter((x) => x.flags.includes('setup_late'))
          .sort(riskiestFirst)
          .map((x) => x.accountId),
      )
      const value = await store.listSnapshots(ws, { phase: 'value', limit: 500 })
      expect(value.items.map((x) => x.accountId)).toEqual(
        all
          .filter((x) => x.phase === 'value')
          .sort(riskiestFirst)
          .slice(0, 500)
          .map((x) => x.accountId),
      )
    })
  })
}
