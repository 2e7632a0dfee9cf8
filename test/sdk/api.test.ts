import 'fake-indexeddb/auto'
import { IDBFactory } from 'fake-indexeddb'
import { createStore, keys } from 'idb-keyval'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { version } from '../../package.json'
import { createJornada } from '../../sdk/index'
import type { Jornada, JornadaOptions } from '../../sdk/index'
import { ACCOUNT_FACTS } from '../../sdk/wire'
import type { BatchRequest, WireEvent } from '../../sdk/wire'
import { fakeApi, fakeLocks, until } from '../support/sdk-fakes'

const locks = fakeLocks
const names = (events: WireEvent[]) =>
  events.map((e) => (e.type === 'track' ? e.event : e.type === 'page' ? 'page:' + e.name : e.type))
const start = (api: { fetch: typeof fetch }, o: Partial<JornadaOptions> = {}) =>
  createJornada({
    writeKey: 'pk_test',
    apiHost: 'https://api.test/',
    fetch: api.fetch,
    autoPage: false,
    locks: locks(),
    flushInterval: 3_600_000,
    ...o,
  })

/** Calls every public method with good and bad arguments; returns normally or the test fails. */
async function exercise(j: Jornada) {
  j.identify('user-42', { email: 'ana@acme.example' }, { userHash: 'abc' })
  j.group('acme', { plan: 'pro' })
  j.track('report_generated', { rows: 1 })
  j.page()
  j.on('track', () => {
    throw new Error('a host listener that throws')
  })()
  j.on('sent', () => {
    throw new Error('a host listener that throws')
  })
  // Misuse after init is logged, never thrown.
  ;(j.track as (...a: unknown[]) => void)(undefined)
  ;(j.identify as (...a: unknown[]) => void)(42)
  ;(j.group as (...a: unknown[]) => void)(null)
  const circular: Record<string, unknown> = {}
  circular.self = circular
  j.track('circular', circular)
  ;(j.on as (...a: unknown[]) => unknown)('nope', 'not a function')
  await expect(j.flush()).resolves.toBeUndefined()
  j.optOut()
  j.optIn()
  j.reset()
}

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory()
  localStorage.clear()
})
afterEach(() => {
  vi.restoreAllMocks()
})

describe('never throws into the host page', () => {
  it('NT01 createJornada without a writeKey throws (misuse at init is the only throw)', () => {
    expect(() => createJornada(undefined as unknown as JornadaOptions)).toThrow(/writeKey/)
    expect(() => createJornada({} as JornadaOptions)).toThrow(/writeKey/)
    expect(() => createJornada({ writeKey: '' })).toThrow(/writeKey/)
  })

  it('NT02 localStorage that throws: methods return normally, events still go out (memory)', async () => {
    const poisoned = {
      getItem() {
        throw new DOMException('denied', 'SecurityError')
      },
      setItem() {
        throw new DOMException('full', 'QuotaExceededError')
      },
      removeItem() {
        throw new DOMException('denied', 'SecurityError')
      },
    } as unknown as Storage
    const api = fakeApi()
    const j = start(api, { storage: poisoned })
    await exercise(j)
    expect(names(api.events())).toContain('report_generated')
  })

  it('NT03 the real localStorage throwing (spied) changes nothing for the page', async () => {
    const spies = [
      vi.spyOn(Storage.prototype, 'getItem').mockImplementation(() => {
        throw new Error('boom')
      }),
      vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
        throw new Error('boom')
      }),
    ]
    try {
      const api = fakeApi()
      await exercise(start(api))
      expect(names(api.events())).toContain('report_generated')
    } finally {
      for (const s of spies) s.mockRestore()
    }
  })

  it('NT04 IndexedDB whose open fails asynchronously: memory fallback', async () => {
    globalThis.indexedDB = {
      open() {
        const req: Record<string, unknown> = { error: new DOMException('nope', 'InvalidStateError') }
        setTimeout(() => (req.onerror as () => void)())
        return req
      },
    } as unknown as IDBFactory
    const api = fakeApi()
    await exercise(start(api))
    expect(names(api.events())).toContain('report_generated')
  })

  it('NT05 fetch that throws synchronously or rejects: flush resolves, nothing thrown', async () => {
    await exercise(
      start({
        fetch: (() => {
          throw new Error('sync')
        }) as unknown as typeof fetch,
      }),
    )
    await exercise(
      start({ fetch: (() => Promise.reject(new TypeError('Failed to fetch'))) as unknown as typeof fetch }),
    )
    await exercise(start({ fetch: (async () => new Response('not json', { status: 200 })) as unknown as typeof fetch }))
  })

  it('NT06 sendBeacon and fetch both failing at unload: nothing thrown', async () => {
    vi.spyOn(navigator, 'sendBeacon').mockImplementation(() => {
      throw new Error('boom')
    })
    const j = start({
      fetch: (() => {
        throw new Error('sync')
      }) as unknown as typeof fetch,
    })
    j.track('x')
    expect(() => window.dispatchEvent(new Event('pagehide'))).not.toThrow()
    await j.flush()
  })
})

describe('track', () => {
  it('FA01 account-level facts (ACCOUNT_FACTS) are refused with a debug log; other events pass', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    const api = fakeApi()
    const j = start(api, { debug: true })
    for (const fact of ACCOUNT_FACTS) j.track(fact, {})
    j.track('report_generated')
    await j.flush()
    expect(names(api.events())).toEqual(['$login', 'report_generated'])
    expect(log.mock.calls.some((c) => c[0] === '[jornada]' && c.includes('renewed'))).toBe(true)
  })
})

describe('opt-out', () => {
  it('O01 optOut stops tracking, clears the queue and is remembered; optIn resumes', async () => {
    const api = fakeApi()
    const j = start(api)
    j.track('queued_before')
    await until(async () => (await keys(createStore('jornada:pk_test', 'queue'))).length === 2)
    j.optOut()
    j.track('while_out')
    await j.flush()
    expect(api.events()).toEqual([])
    expect(await keys(createStore('jornada:pk_test', 'queue'))).toEqual([])
    const reload = start(api)
    reload.track('after_reload')
    await reload.flush()
    expect(api.events()).toEqual([])
    reload.optIn()
    reload.track('back')
    await reload.flush()
    expect(names(api.events())).toEqual(['back'])
  })
})

describe('wire events', () => {
  it('W01 ids are UUIDv7 in time order; ISO timestamps; library, locale, page and session in context', async () => {
    const api = fakeApi()
    // Later than the real clock (the ids before it, made at the real time, keep ids increasing: a
    // t0 before them would be moved up to theirs).
    const t0 = Date.parse('2040-11-24T10:00:00.000Z')
    let now = t0
    const j = start(api, { now: () => now })
    for (let i = 0; i < 50; i++) j.track('e', { i }) // same millisecond
    now += 5
    j.track('later')
    await j.flush()
    const ev = api.events()
    const ids = ev.map((e) => e.id)
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect([...ids].sort()).toEqual(ids)
    expect(parseInt(ids[0].replace(/-/g, '').slice(0, 12), 16)).toBe(t0)
    expect(ev[1].timestamp).toBe('2040-11-24T10:00:00.000Z')
    expect(ev.at(-1)!.timestamp).toBe('2040-11-24T10:00:00.005Z')
    expect(ev[1].context).toMatchObject({
      library: { name: 'jornada', version },
      locale: navigator.language,
      page: { url: location.href, path: location.pathname, title: document.title },
    })
    expect(ev[1].context!.sessionId).toBeTruthy()
    expect(ev[1].anonymousId).toBeTruthy()
  })

  it('W02 identify carries traits and userHash, group accountId and traits; later events carry both', async () => {
    const api = fakeApi()
    const j = start(api)
    j.identify('user-42', { role: 'admin', stakeholder: true }, { userHash: 'hmac' })
    j.group('acme', { segment: 'smb', seats: 12 })
    j.track('report_generated', { rows: 120 })
    await j.flush()
    const [, identify, group, track] = api.events()
    expect(identify).toMatchObject({
      type: 'identify',
      userId: 'user-42',
      traits: { role: 'admin', stakeholder: true },
      userHash: 'hmac',
    })
    expect(group).toMatchObject({
      type: 'group',
      userId: 'user-42',
      accountId: 'acme',
      traits: { segment: 'smb', seats: 12 },
    })
    expect(track).toMatchObject({
      type: 'track',
      event: 'report_generated',
      userId: 'user-42',
      accountId: 'acme',
      properties: { rows: 120 },
    })
    expect(api.calls.mock.calls[0][0]).toBe('https://api.test/v1/batch')
  })

  // Each key's events carry the hash given to that key's identify.
  it("W05 identity verification, two write keys on one page: each key's events carry its own hash", async () => {
    const apiA = fakeApi()
    const apiB = fakeApi()
    const a = start(apiA)
    const b = start(apiB, { writeKey: 'pk_other' })
    a.identify('user-42', {}, { userHash: 'hash-for-A' })
    b.identify('user-42', {}, { userHash: 'hash-for-B' })
    a.track('in_a')
    b.track('in_b')
    await a.flush()
    await b.flush()
    expect(
      apiA
        .events()
        .filter((e) => e.userId)
        .map((e) => e.userHash),
    ).toEqual(expect.arrayContaining(['hash-for-A']))
    expect(
      new Set(
        apiA
          .events()
          .filter((e) => e.userId)
          .map((e) => e.userHash),
      ),
    ).toEqual(new Set(['hash-for-A']))
    expect(
      new Set(
        apiB
          .events()
          .filter((e) => e.userId)
          .map((e) => e.userHash),
      ),
    ).toEqual(new Set(['hash-for-B']))
  })

  // 0.1 kept the hash in jornada:hash; the signed-in user's events still carry it.
  it('W06 identity verification after an upgrade from 0.1: the hash 0.1 kept still goes with the events', async () => {
    localStorage.setItem('jornada:ids', JSON.stringify({ anonymousId: 'anon-1', userId: 'user-42', accountId: 'acme' }))
    localStorage.setItem('jornada:hash', JSON.stringify({ u: 'user-42', h: 'hash-from-0.1' }))
    const api = fakeApi()
    const j = start(api)
    j.track('after_upgrade')
    await j.flush()
    const e = api.events().find((x) => x.type === 'track' && x.event === 'after_upgrade')!
    expect(e).toMatchObject({ userId: 'user-42', userHash: 'hash-from-0.1' })
  })

  // Every event: $login, group, track, page. The hash is kept when the same user is identified
  // again without one, and dropped for another user and by reset().
  it("W04 identity verification: every event of the identified user carries identify's userHash", async () => {
    const api = fakeApi()
    const j = start(api)
    j.identify('user-42', {}, { userHash: 'hmac-42' })
    j.group('acme')
    j.track('a')
    j.page('Reports')
    j.identify('user-42')
    j.track('b')
    j.identify('user-7')
    j.track('c')
    j.identify('user-7', {}, { userHash: 'hmac-7' })
    j.track('d')
    j.reset()
    j.track('e')
    await j.flush()
    const hashes = api
      .events()
      .map((e) => [e.type === 'track' ? e.event : e.type, e.userId ?? null, e.userHash ?? null])
    expect(hashes).toEqual([
      ['$login', 'user-42', 'hmac-42'],
      ['identify', 'user-42', 'hmac-42'],
      ['group', 'user-42', 'hmac-42'],
      ['a', 'user-42', 'hmac-42'],
      ['page', 'user-42', 'hmac-42'],
      ['identify', 'user-42', 'hmac-42'],
      ['b', 'user-42', 'hmac-42'],
      ['identify', 'user-7', null],
      ['c', 'user-7', null],
      ['identify', 'user-7', 'hmac-7'],
      ['d', 'user-7', 'hmac-7'],
      ['$login', null, null],
      ['e', null, null],
    ])
  })

  // A token proves the user and their accounts: it travels like the hash, with the same user only.
  it("W07 identity verification: identify's userToken goes with every event of that user", async () => {
    const api = fakeApi()
    const j = start(api)
    j.identify('user-42', {}, { userToken: 'jwt-42' })
    j.group('acme')
    j.track('a')
    j.identify('user-7')
    j.track('b')
    j.identify('user-42', {}, { userHash: 'hmac-42', userToken: 'jwt-42b' })
    j.track('c')
    await j.flush()
    const proofs = api
      .events()
      .filter((e) => e.type === 'track' && e.event !== '$login')
      .map((e) => [e.event, e.userId ?? null, e.userToken ?? null, e.userHash ?? null])
    expect(proofs).toEqual([
      ['a', 'user-42', 'jwt-42', null],
      ['b', 'user-7', null, null],
      ['c', 'user-42', 'jwt-42b', 'hmac-42'],
    ])
  })

  it('W03 an event is a snapshot: the page mutating its properties later changes nothing', async () => {
    const api = fakeApi()
    const j = start(api)
    const props = { n: 1 }
    j.track('e', props)
    props.n = 2
    await j.flush()
    expect(api.events()[1].properties).toEqual({ n: 1 })
  })
})

describe('$page', () => {
  afterEach(() => history.replaceState({}, '', '/'))

  it('G01 sent on start and on SPA route changes (pushState, popstate), only when path or search changed', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      history.replaceState({}, '', '/start')
      document.title = 'Start'
      const api = fakeApi()
      const j = start(api, { autoPage: true })
      await Promise.resolve()
      history.pushState({}, '', '/reports?tab=2')
      document.title = 'Reports' // routers set the title after pushState
      vi.advanceTimersByTime(0)
      history.replaceState({}, '', '/reports?tab=2#section') // hash only: no page view
      vi.advanceTimersByTime(0)
      history.pushState({}, '', '/reports?tab=3')
      vi.advanceTimersByTime(0)
      history.replaceState({}, '', '/start')
      window.dispatchEvent(new PopStateEvent('popstate'))
      vi.advanceTimersByTime(0)
      vi.useRealTimers()
      await j.flush()
      const pages = api.events().filter((e) => e.type === 'page')
      expect(pages.map((e) => e.context!.page!.path + new URL(e.context!.page!.url!).search)).toEqual([
        '/start',
        '/reports?tab=2',
        '/reports?tab=3',
        '/start',
      ])
      expect(pages[1]).toMatchObject({
        name: 'Reports',
        context: { page: { title: 'Reports', referrer: 'http://localhost:3000/start' } },
      })
      expect(pages[2].context!.page!.referrer).toBe('http://localhost:3000/reports?tab=2') // a hash change is no page view
    } finally {
      vi.useRealTimers()
    }
  })

  it('G02 the patched history methods keep their behaviour and return value', () => {
    start(fakeApi(), { autoPage: true })
    expect(history.pushState({ a: 1 }, '', '/x')).toBeUndefined()
    expect(location.pathname).toBe('/x')
    expect(history.state).toEqual({ a: 1 })
  })

  it('G03 page(name, properties) sends a page event with that name', async () => {
    const api = fakeApi()
    const j = start(api)
    j.page('Pricing', { plan: 'pro' })
    await j.flush()
    expect(api.events()[1]).toMatchObject({ type: 'page', name: 'Pricing', properties: { plan: 'pro' } })
  })
})

describe('unload', () => {
  it('UL01 pagehide beacons queued events, even one whose IndexedDB write is pending; they stay queued', async () => {
    const bodies: BatchRequest[] = []
    // Instances of earlier tests in this file beacon too: keep only this test's host.
    vi.spyOn(navigator, 'sendBeacon').mockImplementation((url, data) => {
      if (String(url).startsWith('https://u01.test/'))
        void (data as Blob).text().then((t) => bodies.push(JSON.parse(t)))
      return true
    })
    const api = fakeApi()
    const j = start(api, { apiHost: 'https://u01.test' })
    const queued: string[] = []
    j.on('track', (e) => queued.push(e.id))
    j.track('written')
    await until(() => queued.length === 2)
    j.track('pending') // its write has not committed yet
    window.dispatchEvent(new Event('pagehide'))
    await until(() => bodies.length === 1)
    expect(bodies[0].writeKey).toBe('pk_test')
    expect(bodies[0].batch.map((e) => e.event)).toEqual(['$login', 'written', 'pending'])
    await until(() => queued.length === 3)
    expect((await keys(createStore('jornada:pk_test', 'queue'))).length).toBe(3)
    // The normal send still happens (the server de-duplicates by id), and a second hide sends nothing new.
    document.dispatchEvent(new Event('visibilitychange'))
    await j.flush()
    expect(api.events()).toHaveLength(3)
    expect((await keys(createStore('jornada:pk_test', 'queue'))).length).toBe(0)
  })

  it('UL02 visibilitychange to hidden beacons too', async () => {
    const urls: string[] = []
    vi.spyOn(navigator, 'sendBeacon').mockImplementation((url) => (urls.push(String(url)), true))
    const j = start(fakeApi(), { apiHost: 'https://u02.test' })
    j.track('x')
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true })
    try {
      document.dispatchEvent(new Event('visibilitychange'))
    } finally {
      delete (document as unknown as { visibilityState?: string }).visibilityState
    }
    expect(urls.filter((u) => u.startsWith('https://u02.test/'))).toHaveLength(1)
    await j.flush()
  })
})
