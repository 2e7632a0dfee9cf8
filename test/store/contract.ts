import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { hashKey } from '../../server/store/sql-store'
import type { NewEvent, Store } from '../../server/store/types'

const T0 = Date.UTC(2026, 10, 1)
const MIN = 60_000

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

    it('ping: the database answers', async () => {
      expect(await store.ping()).toBe(true)
    })

    it('workspaces: createWorkspace stores name and origins, getWorkspace reads them back', async () => {
      const id = newWorkspaceId()
      const created = await store.createWorkspace({
        id, name: 'Acme "CS"', writeKey: `pk_${randomUUID()}`, secretKey: `sk_${randomUUID()}`,
        allowedOrigins: ['https://app.acme.com', '*'],
      })
      expect(created).toMatchObject({ id, name: 'Acme "CS"', allowedOrigins: ['https://app.acme.com', '*'] })
      expect(typeof created.createdAt).toBe('number')
      expect(await store.getWorkspace(id)).toEqual(created)
      expect(await store.getWorkspace(newWorkspaceId())).toBeNull()
    })

    it('workspaces: setAllowedOrigins replaces the list, and findKey sees the new one', async () => {
      const id = newWorkspaceId()
      const writeKey = `pk_${randomUUID()}`
      await store.createWorkspace({ id, name: 'O', writeKey, secretKey: `sk_${randomUUID()}`, allowedOrigins: ['https://a.example'] })
      expect((await store.findKey(writeKey))?.workspace.allowedOrigins).toEqual(['https://a.example'])
      await store.setAllowedOrigins(id, ['https://b.example', 'https://c.example'])
      expect((await store.getWorkspace(id))?.allowedOrigins).toEqual(['https://b.example', 'https://c.example'])
      expect((await store.findKey(writeKey))?.workspace.allowedOrigins).toEqual(['https://b.example', 'https://c.example'])
    })

    it('keys: findKey finds the write and secret keys by their clear text; an unknown key is null', async () => {
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

    it('keys: the clear key appears nowhere in api_keys, only its sha256', async () => {
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

    it('keys: setKey replaces a label\'s key, and the old key stops working at once', async () => {
      const id = newWorkspaceId()
      const oldKey = `pk_${randomUUID()}`
      await store.createWorkspace({ id, name: 'K', writeKey: oldKey, secretKey: `sk_${randomUUID()}` })
      expect((await store.findKey(oldKey))?.workspace.id).toBe(id) // now cached
      const newKey = `pk_${randomUUID()}`
      await store.setKey(id, 'write', newKey, 'write')
      expect(await store.findKey(oldKey)).toBeNull()
      expect(await store.findKey(newKey)).toMatchObject({ kind: 'write', workspace: { id } })
    })

    it('ingest: resolves after commit, so the events read back right away', async () => {
      const ws = await workspace()
      const events = [ev(), ev({ timestamp: T0 + MIN }), ev({ type: 'page', name: '$page', timestamp: T0 + 2 * MIN })]
      expect(await store.ingest(ws, events)).toEqual({ accepted: 3, duplicates: 0 })
      expect(await store.countEvents(ws)).toBe(3)
      const stored = await store.listEvents(ws)
      expect(stored.map((e) => e.id)).toEqual(events.map((e) => e.id))
      expect(stored[0]).toEqual(events[0])
    })

    it('ingest: an empty call accepts nothing and does not fail', async () => {
      expect(await store.ingest(newWorkspaceId(), [])).toEqual({ accepted: 0, duplicates: 0 })
    })

    it('idempotency: an id repeated inside one call is a duplicate, and the first copy is kept', async () => {
      const ws = await workspace()
      const a = ev({ properties: { copy: 1 } })
      const res = await store.ingest(ws, [a, ev(), { ...a, properties: { copy: 2 } }])
      expect(res).toEqual({ accepted: 2, duplicates: 1 })
      const stored = await store.listEvents(ws)
      expect(stored.find((e) => e.id === a.id)?.properties).toEqual({ copy: 1 })
    })

    it('idempotency: an id seen before is a duplicate and changes nothing (no trait merge)', async () => {
      const ws = await workspace()
      const first = identify('u1', { plan: 'free' }, T0)
      expect(await store.ingest(ws, [first])).toEqual({ accepted: 1, duplicates: 0 })
      // Same id, a newer timestamp and other traits: still a duplicate, so the traits stay.
      const again = { ...first, timestamp: T0 + MIN, traits: { plan: 'pro', extra: true } }
      expect(await store.ingest(ws, [again, ev({ userId: 'u1' })])).toEqual({ accepted: 1, duplicates: 1 })
      expect((await store.getUser(ws, 'u1'))?.traits).toEqual({ plan: 'free' })
      expect(await store.countEvents(ws)).toBe(2)
    })

    it('idempotency under concurrency: 10 parallel calls with overlapping ids accept each id exactly once', async () => {
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

    it('group commit: 50 concurrent ingests share far fewer than 50 transactions, each with its own counts', async () => {
      const ws = await workspace()
      const before = store.stats()
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, c) => store.ingest(ws, [ev({ id: `c${c}-a` }), ev({ id: `c${c}-b` }), ev({ id: 'same-for-all' })])),
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

    it('group commit: a caller with an invalid event is rejected alone; the others are stored', async () => {
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

    it('group commit: one call larger than a transaction\'s cap and a statement\'s row limit is stored whole', async () => {
      const ws = await workspace()
      const big = Array.from({ length: 12_000 }, (_, i) => ev({ id: `big-${i}`, userId: `u${i % 50}`, timestamp: T0 + i }))
      expect(await store.ingest(ws, big)).toEqual({ accepted: 12_000, duplicates: 0 })
      expect(await store.countEvents(ws)).toBe(12_000)
      expect((await store.getUser(ws, 'u7'))?.firstSeen).toBe(T0 + 7)
    })

    it('isolation: the same event id in two workspaces is two events', async () => {
      const [a, b] = [await workspace(), await workspace()]
      const e = ev({ id: 'same-id' })
      expect(await store.ingest(a, [e])).toEqual({ accepted: 1, duplicates: 0 })
      expect(await store.ingest(b, [{ ...e, properties: { in: 'b' } }])).toEqual({ accepted: 1, duplicates: 0 })
      expect(await store.countEvents(a)).toBe(1)
      expect((await store.listEvents(b))[0]?.properties).toEqual({ in: 'b' })
      expect(await store.getUser(b, 'user-1')).not.toBeNull()
      expect(await store.getUser(newWorkspaceId(), 'user-1')).toBeNull()
    })

    it('traits merge in timestamp order: a late, older identify does not overwrite a newer value', async () => {
      const ws = await workspace()
      await store.ingest(ws, [identify('u1', { plan: 'pro', name: 'Ana' }, T0 + 2 * MIN)])
      // Arrives later, happened earlier: only the key the newer identify lacks is taken.
      await store.ingest(ws, [identify('u1', { plan: 'free', email: 'ana@acme.com' }, T0 + MIN)])
      expect((await store.getUser(ws, 'u1'))?.traits).toEqual({ plan: 'pro', name: 'Ana', email: 'ana@acme.com' })
      // A newer one overwrites only the keys it has; an absent key stays.
      await store.ingest(ws, [identify('u1', { plan: 'enterprise', role: null }, T0 + 3 * MIN)])
      expect((await store.getUser(ws, 'u1'))?.traits).toEqual({ plan: 'enterprise', name: 'Ana', email: 'ana@acme.com', role: null })
    })

    it('traits merge in timestamp order inside one call too, for users and accounts', async () => {
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

    it('accounts: an event without accountId belongs to the user\'s latest group call at its time', async () => {
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
      expect(byId).toMatchObject({ before: null, after: 'acme', explicit: 'other', between: 'acme', latest: 'globex', ident: 'globex' })
      expect(await store.listEvents(ws, { accountId: 'acme' })).toHaveLength(3)
    })

    it('accounts: a group call in the same batch counts for the events after it', async () => {
      const ws = await workspace()
      await store.ingest(ws, [
        ev({ id: 'early', userId: 'u2', accountId: null, timestamp: T0 }),
        ev({ id: 'late', userId: 'u2', accountId: null, timestamp: T0 + 2 * MIN }),
        group('u2', 'beta', T0 + MIN),
      ])
      const byId = Object.fromEntries((await store.listEvents(ws)).map((e) => [e.id, e.accountId]))
      expect(byId).toMatchObject({ early: null, late: 'beta' })
    })

    it('accounts: a user\'s account is the one of the latest group call by timestamp, not by arrival', async () => {
      const ws = await workspace()
      await store.ingest(ws, [group('u1', 'acme', T0 + 2 * MIN)])
      await store.ingest(ws, [group('u1', 'old-co', T0 + MIN)])
      expect((await store.getUser(ws, 'u1'))?.accountId).toBe('acme')
      await store.ingest(ws, [group('u1', 'globex', T0 + 3 * MIN)])
      expect((await store.getUser(ws, 'u1'))?.accountId).toBe('globex')
    })

    it('first_seen: the earliest event timestamp of a user and an account, late events included', async () => {
      const ws = await workspace()
      await store.ingest(ws, [ev({ userId: 'u1', accountId: 'acme', timestamp: T0 + 100 * MIN })])
      expect((await store.getUser(ws, 'u1'))?.firstSeen).toBe(T0 + 100 * MIN)
      expect(await store.getAccount(ws, 'acme')).toEqual({ accountId: 'acme', traits: {}, firstSeen: T0 + 100 * MIN })
      await store.ingest(ws, [ev({ userId: 'u1', accountId: 'acme', timestamp: T0 + 50 * MIN }), ev({ userId: 'u1', timestamp: T0 + 70 * MIN })])
      expect((await store.getUser(ws, 'u1'))?.firstSeen).toBe(T0 + 50 * MIN)
      expect((await store.getAccount(ws, 'acme'))?.firstSeen).toBe(T0 + 50 * MIN)
      expect(await store.getAccount(ws, 'nobody')).toBeNull()
      expect(await store.getUser(ws, 'nobody')).toBeNull()
    })

    it('JSON: quotes, backslashes, braces, unicode and nesting round-trip exactly', async () => {
      const ws = await workspace()
      const tricky = {
        q: 'say "hi"', bs: 'C:\\path\\{x}', braces: '{a,b}', comma: 'a,b', nul: 'NULL', empty: '',
        uni: 'ação ☃ 日本 😀', esc: '\\u0041 \n\t', nested: { arr: [1, 'two', null, { three: [3.5] }], t: true }, n: -0.25,
        'key "with" quotes': 1,
      }
      const e = ev({ properties: tricky, context: { page: { title: 'x "y" \\ z' } } })
      const i = identify('u"1\\', { bio: '{"not":"json"}', uni: 'ção' }, T0)
      await store.ingest(ws, [e, i])
      const stored = await store.listEvents(ws)
      expect(stored.find((x) => x.id === e.id)).toEqual(e)
      expect(stored.find((x) => x.id === i.id)).toEqual(i)
      expect((await store.getUser(ws, 'u"1\\'))?.traits).toEqual({ bio: '{"not":"json"}', uni: 'ção' })
    })

    it('listEvents: ordered by timestamp, filtered by user, account and name, limited', async () => {
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

    it('migrations: migrate() again is harmless and records each version once', async () => {
      const ws = await workspace()
      await store.ingest(ws, [ev()])
      await store.migrate()
      await store.migrate()
      const versions = await store.db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version')
      expect(versions.map((v) => v.version)).toEqual(['001_init'])
      expect(await store.countEvents(ws)).toBe(1)
    })
  })
}
