import 'fake-indexeddb/auto'
import { IDBFactory } from 'fake-indexeddb'
import { beforeEach, describe, expect, it } from 'vitest'
import { createJornada } from '../../sdk/index'
import type { JornadaOptions } from '../../sdk/index'
import type { WireEvent } from '../../sdk/wire'
import { fakeApi, fakeLocks } from '../support/sdk-fakes'

const T0 = Date.parse('2026-11-24T10:00:00.000Z')
const MIN = 60_000

const locks = fakeLocks

let clock = T0
const names = (events: WireEvent[]) => events.map((e) => (e.type === 'track' ? e.event : e.type))
function start(api: ReturnType<typeof fakeApi>, o: Partial<JornadaOptions> = {}) {
  return createJornada({
    writeKey: 'pk_test',
    apiHost: 'https://api.test',
    fetch: api.fetch,
    autoPage: false,
    locks: locks(),
    flushInterval: 3_600_000,
    now: () => clock,
    ...o,
  })
}

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory()
  localStorage.clear()
  clock = T0
})

describe('sessions', () => {
  it('S01 the first activity of a new session sends $login before its own event', async () => {
    const api = fakeApi()
    const j = start(api)
    j.track('report_generated')
    await j.flush()
    expect(names(api.events())).toEqual(['$login', 'report_generated'])
    const [login, ev] = api.events()
    expect(login.context!.sessionId).toBeTruthy()
    expect(ev.context!.sessionId).toBe(login.context!.sessionId)
    expect(login.id < ev.id).toBe(true)
  })

  it('S02 no $login while activity is less than 30 minutes apart', async () => {
    const api = fakeApi()
    const j = start(api)
    j.track('a')
    for (let i = 0; i < 6; i++) {
      clock += 29 * MIN + 59_000
      j.track('b')
    }
    await j.flush()
    expect(names(api.events())).toEqual(['$login', 'a', 'b', 'b', 'b', 'b', 'b', 'b'])
    expect(new Set(api.events().map((e) => e.context!.sessionId)).size).toBe(1)
  })

  it('S03 30 minutes of inactivity end the session: the next activity sends $login with a new sessionId', async () => {
    const api = fakeApi()
    const j = start(api)
    j.track('a')
    clock += 30 * MIN
    j.page('Reports')
    await j.flush()
    expect(names(api.events())).toEqual(['$login', 'a', '$login', 'page'])
    const [, a, login2, page] = api.events()
    expect(login2.context!.sessionId).not.toBe(a.context!.sessionId)
    expect(page.context!.sessionId).toBe(login2.context!.sessionId)
  })

  it('S04 identify as the first activity: $login already carries the userId', async () => {
    const api = fakeApi()
    const j = start(api)
    j.identify('user-42', { role: 'admin' })
    await j.flush()
    expect(names(api.events())).toEqual(['$login', 'identify'])
    expect(api.events()[0].userId).toBe('user-42')
  })

  it('S05 the session is shared by the tabs of the site (localStorage)', async () => {
    const api = fakeApi()
    const a = start(api)
    const b = start(api)
    a.track('in_a')
    clock += 20 * MIN
    b.track('in_b')
    await a.flush()
    await b.flush()
    expect(names(api.events())).toEqual(['$login', 'in_a', 'in_b'])
  })

  it("S08 two write keys on one page: one session for the person, and each key's workspace gets its $login", async () => {
    const prod = fakeApi()
    const staging = fakeApi()
    const a = start(prod)
    const b = start(staging, { writeKey: 'pk_staging' })
    a.track('in_a')
    clock += 5 * MIN
    b.track('in_b')
    clock += 5 * MIN
    a.track('again_a')
    b.track('again_b')
    await a.flush()
    await b.flush()
    expect(names(prod.events())).toEqual(['$login', 'in_a', 'again_a'])
    expect(names(staging.events())).toEqual(['$login', 'in_b', 'again_b'])
    expect(prod.events()[0]!.context!.sessionId).toBe(staging.events()[0]!.context!.sessionId)
    // A new session (30 minutes without activity): one $login per key again.
    clock += 30 * MIN
    b.track('later_b')
    a.track('later_a')
    await a.flush()
    await b.flush()
    expect(names(prod.events()).slice(3)).toEqual(['$login', 'later_a'])
    expect(names(staging.events()).slice(3)).toEqual(['$login', 'later_b'])
  })

  it('S06 reset(): no user or account, a new anonymous id, and a new session at the next activity', async () => {
    const api = fakeApi()
    const j = start(api)
    j.identify('user-42')
    j.group('acme')
    j.track('before')
    j.reset()
    clock += MIN
    j.track('after')
    await j.flush()
    const ev = api.events()
    expect(names(ev)).toEqual(['$login', 'identify', 'group', 'before', '$login', 'after'])
    const before = ev[3]
    const after = ev[5]
    expect(before).toMatchObject({ userId: 'user-42', accountId: 'acme' })
    expect(after.userId).toBeUndefined()
    expect(after.accountId).toBeUndefined()
    expect(after.anonymousId).not.toBe(before.anonymousId)
    expect(after.context!.sessionId).not.toBe(before.context!.sessionId)
  })

  it('S07 identity survives a reload (localStorage)', async () => {
    const api = fakeApi()
    const first = start(api)
    first.identify('user-42')
    first.group('acme')
    await first.flush()
    const second = start(api)
    second.track('x')
    await second.flush()
    const x = api.events().at(-1)!
    expect(x).toMatchObject({
      event: 'x',
      userId: 'user-42',
      accountId: 'acme',
      anonymousId: api.events()[0].anonymousId,
    })
  })
})
