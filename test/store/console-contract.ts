import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Store } from '../../server/store/types'

/**
 * The console's part of the Store contract (members, sessions, tokens, failed sign-ins, the audit
 * log), run against every adapter beside the rest of the contract (contract.ts).
 */
export function runConsoleStoreContract(name: string, makeStore: () => Promise<Store>): void {
  describe(`store contract, console: ${name}`, () => {
    let store: Store
    beforeAll(async () => {
      store = await makeStore()
    })
    afterAll(async () => {
      await store?.close()
    })
    const T0 = Date.parse('2026-11-01T10:00:00Z')
    const ws = () => `ws_${randomUUID()}`
    const LIMITS = { idleMs: 12 * 3_600_000, maxMs: 7 * 86_400_000 }

    it('SM01 members: created once per email, found by id and email, listed by email, changed, removed', async () => {
      const w = await (async () => {
        const id = ws()
        await store.createWorkspace({ id, name: 'Console', writeKey: `pk_${id}`, secretKey: `sk_${id}` })
        return id
      })()
      const ana = await store.members.create(w, {
        id: 'm1',
        email: 'ana@x.io',
        role: 'owner',
        passwordHash: 'h1',
        at: T0,
      })
      expect(ana).toEqual({
        workspaceId: w,
        id: 'm1',
        email: 'ana@x.io',
        role: 'owner',
        hasPassword: true,
        createdAt: T0,
      })
      expect(
        await store.members.create(w, { id: 'm9', email: 'ana@x.io', role: 'viewer', passwordHash: null, at: T0 }),
      ).toBeNull()
      await store.members.create(w, { id: 'm2', email: 'bo@x.io', role: 'viewer', passwordHash: null, at: T0 })
      expect(await store.members.findByEmail(w, 'bo@x.io')).toMatchObject({
        member: { id: 'm2', hasPassword: false },
        passwordHash: null,
      })
      expect((await store.members.list(w)).map((m) => m.email)).toEqual(['ana@x.io', 'bo@x.io'])
      expect(await store.members.update(w, 'm2', { role: 'csm', passwordHash: 'h2' })).toMatchObject({
        role: 'csm',
        hasPassword: true,
      })
      expect(await store.members.update(w, 'nobody', { role: 'csm' })).toBeNull()
      expect(await store.members.remove(w, 'm2')).toBe(true)
      expect(await store.members.remove(w, 'm2')).toBe(false)
      expect(await store.members.get(w, 'm2')).toBeNull()
      // Members are per workspace: the same email elsewhere is another member.
      const other = ws()
      expect(
        await store.members.create(other, { id: 'm1', email: 'ana@x.io', role: 'viewer', passwordHash: null, at: T0 }),
      ).not.toBeNull()
      expect((await store.members.get(w, 'm1'))?.role).toBe('owner')
    })

    it('SM02 sessions: found while used within 12 hours and younger than 7 days; ended one by one or all', async () => {
      const w = ws()
      await store.members.create(w, { id: 'm1', email: 'a@x.io', role: 'csm', passwordHash: 'h', at: T0 })
      await store.members.startSession(w, { tokenHash: 's1', memberId: 'm1', csrfToken: 'c1', at: T0 })
      await store.members.startSession(w, { tokenHash: 's2', memberId: 'm1', csrfToken: 'c2', at: T0 })
      expect(await store.members.findSession(w, 's1', T0 + 60_000, LIMITS)).toMatchObject({
        member: { id: 'm1', role: 'csm' },
        csrfToken: 'c1',
      })
      // Used every 11 hours, it lives up to 7 days from its start.
      let t = T0
      for (let i = 0; i < 15; i++) {
        t += 11 * 3_600_000
        expect(await store.members.findSession(w, 's1', t, LIMITS), `use ${i}`).not.toBeNull()
      }
      t += 11 * 3_600_000
      expect(t - T0).toBeGreaterThan(LIMITS.maxMs)
      expect(await store.members.findSession(w, 's1', t, LIMITS)).toBeNull()
      // s2 was left alone for more than 12 hours.
      expect(await store.members.findSession(w, 's2', T0 + 13 * 3_600_000, LIMITS)).toBeNull()
      await store.members.startSession(w, { tokenHash: 's3', memberId: 'm1', csrfToken: 'c3', at: T0 })
      await store.members.startSession(w, { tokenHash: 's4', memberId: 'm1', csrfToken: 'c4', at: T0 })
      expect(await store.members.endSession(w, 's3')).toBe(true)
      expect(await store.members.findSession(w, 's3', T0, LIMITS)).toBeNull()
      expect(await store.members.endSessions(w, 'm1')).toBe(1)
      expect(await store.members.findSession(w, 's4', T0, LIMITS)).toBeNull()
      expect(await store.members.findSession(ws(), 's4', T0, LIMITS)).toBeNull()
    })

    it('SM03 tokens: used once, not after they expire; of two concurrent uses one wins', async () => {
      const w = ws()
      await store.members.createToken(w, { tokenHash: 't1', kind: 'invite', memberId: 'm1', expiresAt: T0 + 1000 })
      await store.members.createToken(w, { tokenHash: 't2', kind: 'setup', memberId: 'm2', expiresAt: T0 + 1000 })
      await store.members.createToken(w, { tokenHash: 't3', kind: 'invite', memberId: 'm3', expiresAt: T0 + 1000 })
      expect(await store.members.useToken(w, 't1', T0)).toEqual({ kind: 'invite', memberId: 'm1' })
      expect(await store.members.useToken(w, 't1', T0)).toBeNull()
      expect(await store.members.useToken(w, 't2', T0 + 1000)).toBeNull()
      const both = await Promise.all([store.members.useToken(w, 't3', T0), store.members.useToken(w, 't3', T0)])
      expect(both.filter((x) => x !== null)).toEqual([{ kind: 'invite', memberId: 'm3' }])
    })

    it('SM04 failed sign-ins are counted per email since a time', async () => {
      const w = ws()
      for (const dt of [0, 1000, 2000]) await store.members.recordFailure(w, 'a@x.io', T0 + dt)
      await store.members.recordFailure(w, 'b@x.io', T0)
      expect(await store.members.failuresSince(w, 'a@x.io', T0 + 500)).toEqual([T0 + 1000, T0 + 2000])
      expect(await store.members.failuresSince(w, 'c@x.io', 0)).toEqual([])
      // An attempt counted before its check is taken back when it succeeds.
      const attempt = await store.members.recordFailure(w, 'a@x.io', T0 + 3000)
      expect(await store.members.failuresSince(w, 'a@x.io', T0 + 2500)).toEqual([T0 + 3000])
      await store.members.forgetFailure(w, 'a@x.io', attempt)
      expect(await store.members.failuresSince(w, 'a@x.io', T0 + 2500)).toEqual([])
    })

    it('SA01 audit log: newest first, filtered by actor, action and time, paged; a made-up cursor is refused', async () => {
      const w = ws()
      const member = { kind: 'member' as const, id: 'm1', email: 'ana@x.io' }
      const key = { kind: 'key' as const, id: 'secret' }
      for (let i = 0; i < 5; i++) {
        await store.audit.append(w, {
          at: T0 + i * 1000,
          actor: i % 2 ? key : member,
          action: i < 3 ? 'config.update' : 'override.set',
          target: `t${i}`,
          before: { n: i },
          after: { n: i + 1 },
        })
      }
      const all = await store.audit.list(w, { limit: 10 })
      expect(all.items.map((e) => e.target)).toEqual(['t4', 't3', 't2', 't1', 't0'])
      expect(all.items[4]).toMatchObject({
        at: T0,
        actor: member,
        action: 'config.update',
        before: { n: 0 },
        after: { n: 1 },
      })
      expect(all.items[3]!.actor).toEqual(key)
      expect((await store.audit.list(w, { actor: 'ana@x.io', limit: 10 })).items.map((e) => e.target)).toEqual([
        't4',
        't2',
        't0',
      ])
      expect(
        (await store.audit.list(w, { actor: 'secret', action: 'config.update', limit: 10 })).items.map((e) => e.target),
      ).toEqual(['t1'])
      expect(
        (await store.audit.list(w, { from: T0 + 1000, to: T0 + 3000, limit: 10 })).items.map((e) => e.target),
      ).toEqual(['t3', 't2', 't1'])
      const first = await store.audit.list(w, { limit: 2 })
      const second = await store.audit.list(w, { limit: 2, cursor: first.nextCursor! })
      const third = await store.audit.list(w, { limit: 2, cursor: second.nextCursor! })
      expect([...first.items, ...second.items, ...third.items].map((e) => e.target)).toEqual([
        't4',
        't3',
        't2',
        't1',
        't0',
      ])
      expect(third.nextCursor).toBeNull()
      await expect(store.audit.list(w, { limit: 2, cursor: "x' OR 1=1" })).rejects.toThrow(RangeError)
    })
  })
}
