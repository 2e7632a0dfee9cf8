import 'fake-indexeddb/auto'
import { IDBFactory } from 'fake-indexeddb'
import { createStore, get, keys, setMany } from 'idb-keyval'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createJornada } from '../../sdk/index'
import type { JornadaOptions } from '../../sdk/index'
import type { BatchRequest, WireEvent } from '../../sdk/wire'
import { fakeApi, fakeLocks, until } from '../support/sdk-fakes'

const T0 = Date.parse('2026-11-24T10:00:00.000Z')

const settle = () => until(() => false, 100).catch(() => {})

const queueStore = (writeKey = 'pk_test') => createStore('jornada:' + writeKey, 'queue')
const storedIds = async (writeKey?: string) => (await keys(queueStore(writeKey))).map(String)

function start(api: ReturnType<typeof fakeApi>, o: Partial<JornadaOptions> = {}) {
  // A session already running: no $login in these counts (session.test.ts covers it).
  localStorage.setItem('jornada:session', JSON.stringify({ id: 's1', t: Date.now() }))
  const j = createJornada({
    writeKey: 'pk_test',
    apiHost: 'https://api.test',
    fetch: api.fetch,
    autoPage: false,
    locks: fakeLocks(),
    flushInterval: 60_000,
    ...o,
  })
  const queued: string[] = []
  const drops: { count: number; reason: string }[] = []
  const sent: number[] = []
  j.on('track', (e) => queued.push(e.id))
  j.on('drop', (d) => drops.push(d))
  j.on('sent', (s) => sent.push(s.count))
  return { j, queued, drops, sent }
}

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory()
  localStorage.clear()
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'], now: T0 })
})
afterEach(() => {
  vi.useRealTimers()
})

describe('queue', () => {
  it('Q01 an event counts as queued only once its IndexedDB write has committed', async () => {
    const api = fakeApi()
    const { j } = start(api)
    const found: Promise<unknown>[] = []
    j.on('track', (e) => found.push(get(e.id, queueStore())))
    j.track('a', { n: 1 })
    j.track('b', { n: 2 })
    await until(() => found.length === 2)
    const values = (await Promise.all(found)) as { event: string }[]
    expect(values.map((v) => v.event)).toEqual(['a', 'b'])
  })

  it('Q02 batches by count: flushAt events are sent at once, fewer wait', async () => {
    const api = fakeApi()
    const { j, queued } = start(api, { flushAt: 5 })
    for (let n = 0; n < 4; n++) j.track('e', { n })
    await until(() => queued.length === 4)
    vi.advanceTimersByTime(0)
    await settle()
    expect(api.bodies).toHaveLength(0)
    j.track('e', { n: 4 })
    await until(() => queued.length === 5)
    vi.advanceTimersByTime(0)
    await until(() => api.bodies.length === 1)
    expect(api.bodies[0].batch.map((e) => e.properties!.n)).toEqual([0, 1, 2, 3, 4])
  })

  it('Q03 batches by time: flushInterval after an event is queued', async () => {
    const api = fakeApi()
    const { j, queued } = start(api, { flushInterval: 1000 })
    j.track('e')
    await until(() => queued.length === 1)
    vi.advanceTimersByTime(999)
    await settle()
    expect(api.bodies).toHaveLength(0)
    vi.advanceTimersByTime(1)
    await until(() => api.bodies.length === 1)
    expect(api.bodies[0].batch).toHaveLength(1)
  })

  it('Q04 the cap drops the oldest first, counts drops persistently and emits drop', async () => {
    const api = fakeApi()
    const { j, queued, drops } = start(api, { maxQueue: 5 })
    for (let n = 0; n < 8; n++) j.track('e', { n })
    await until(() => queued.length === 8)
    await until(async () => drops.reduce((s, d) => s + d.count, 0) === 3)
    expect(drops.every((d) => d.reason === 'cap')).toBe(true)
    expect(await storedIds()).toEqual(queued.slice(3))
    expect(JSON.parse(localStorage.getItem('jornada:dropped:pk_test')!)).toBe(3)
    await j.flush()
    expect(api.events().map((e) => e.properties!.n)).toEqual([3, 4, 5, 6, 7])
  })

  it('Q05 events leave storage only after a 2xx for them', async () => {
    let release!: (r: Response) => void
    const api = fakeApi((n) => (n === 1 ? 503 : new Promise<Response>((r) => (release = r))))
    const { j, queued, sent } = start(api)
    j.track('a')
    j.track('b')
    await until(() => queued.length === 2)
    await j.flush() // 503: retry later
    expect(await storedIds()).toEqual(queued)
    const second = j.flush()
    await until(() => api.bodies.length === 2)
    expect(await storedIds()).toEqual(queued) // in flight: still stored
    release(new Response(JSON.stringify({ accepted: 2, duplicates: 0, rejected: [] })))
    await second
    expect(await storedIds()).toEqual([])
    expect(sent).toEqual([2])
  })

  it('Q06 IndexedDB that throws: the queue works in memory', async () => {
    globalThis.indexedDB = {
      open() {
        throw new DOMException('denied', 'SecurityError')
      },
    } as unknown as IDBFactory
    const api = fakeApi()
    const { j, queued } = start(api)
    j.track('a')
    j.track('b')
    await until(() => queued.length === 2)
    await j.flush()
    expect(api.events().map((e) => e.event)).toEqual(['a', 'b'])
  })

  it('Q07 IndexedDB missing: the queue works in memory', async () => {
    globalThis.indexedDB = undefined as unknown as IDBFactory
    const api = fakeApi()
    const { j } = start(api)
    j.track('a')
    await j.flush()
    expect(api.events().map((e) => e.event)).toEqual(['a'])
  })

  it('Q08 other 4xx: the batch is dropped with a drop event and never retried', async () => {
    const api = fakeApi(() => 400)
    const { j, drops } = start(api)
    j.track('a')
    j.track('b')
    await j.flush()
    expect(drops).toEqual([{ count: 2, reason: 'http_400' }])
    expect(await storedIds()).toEqual([])
    vi.advanceTimersByTime(600_000)
    await settle()
    expect(api.calls).toHaveBeenCalledTimes(1)
  })

  it('Q09 5xx: retried after a backoff delay, then delivered', async () => {
    const api = fakeApi((n) => (n < 3 ? 500 : 200))
    const { j, sent } = start(api, { random: () => 0 })
    j.track('a')
    await j.flush()
    expect(api.calls).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(499) // first backoff: 500 ms with random 0
    await settle()
    expect(api.calls).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(1)
    await until(() => api.calls.mock.calls.length === 2)
    vi.advanceTimersByTime(1000) // second backoff: 1000 ms
    await until(() => sent.length === 1)
    expect(api.events().map((e) => e.id)).toHaveLength(3)
    expect(new Set(api.events().map((e) => e.id)).size).toBe(1)
    expect(await storedIds()).toEqual([])
  })

  it('Q10 429 with Retry-After: no retry before it', async () => {
    const api = fakeApi((n) => (n === 1 ? new Response('{}', { status: 429, headers: { 'retry-after': '30' } }) : 200))
    const { j, queued, sent } = start(api, { flushInterval: 10 })
    j.track('a')
    await j.flush()
    j.track('b') // a new event does not break the wait
    await until(() => queued.length === 2)
    vi.advanceTimersByTime(29_999)
    await settle()
    expect(api.calls).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(1)
    await until(() => sent.length === 1)
    expect(api.bodies[1].batch.map((e) => e.event)).toEqual(['a', 'b'])
  })

  it('Q16a Retry-After: 0 is no shorter than the backoff: no resend loop, the wait grows with each failure', async () => {
    const api = fakeApi(() => new Response('{}', { status: 503, headers: { 'retry-after': '0' } }))
    const { j } = start(api, { random: () => 0 })
    j.track('a')
    await j.flush()
    expect(api.calls).toHaveBeenCalledTimes(1)
    // Each wait is the backoff for that attempt (500, 1000, 2000, 4000 ms with random 0): one request per wait, never sooner.
    for (const wait of [500, 1000, 2000, 4000]) {
      const n = api.calls.mock.calls.length
      vi.advanceTimersByTime(wait - 1)
      await settle()
      expect(api.calls).toHaveBeenCalledTimes(n)
      vi.advanceTimersByTime(1)
      await until(() => api.calls.mock.calls.length === n + 1)
    }
    expect(api.calls).toHaveBeenCalledTimes(5)
  })

  it('Q16b a Retry-After date in the past waits the backoff too', async () => {
    const past = new Date(T0 - 3_600_000).toUTCString()
    const api = fakeApi((n) => (n === 1 ? new Response('{}', { status: 429, headers: { 'retry-after': past } }) : 200))
    const { j, sent } = start(api, { random: () => 0.5 })
    j.track('a')
    await j.flush()
    vi.advanceTimersByTime(749) // the first backoff with random 0.5: 750 ms
    await settle()
    expect(api.calls).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(1)
    await until(() => sent.length === 1)
    expect(api.calls).toHaveBeenCalledTimes(2)
  })

  it('Q16c Retry-After longer than the backoff is the wait; shorter, the backoff is', async () => {
    // Retry-After: 1 against a 500 ms backoff (random 0): 1 s. Then Retry-After: 1 against the second backoff, 1500 ms (random 0.5).
    let jitter = 0
    const api = fakeApi((n) => (n < 3 ? new Response('{}', { status: 429, headers: { 'retry-after': '1' } }) : 200))
    const { j, sent } = start(api, { random: () => jitter })
    j.track('a')
    await j.flush()
    jitter = 0.5
    vi.advanceTimersByTime(999)
    await settle()
    expect(api.calls).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(1)
    await until(() => api.calls.mock.calls.length === 2)
    vi.advanceTimersByTime(1499)
    await settle()
    expect(api.calls).toHaveBeenCalledTimes(2)
    vi.advanceTimersByTime(1)
    await until(() => sent.length === 1)
  })

  it('Q11 events the server rejected are dropped (not retried), the rest counted as sent', async () => {
    const api = fakeApi(
      () => new Response(JSON.stringify({ accepted: 2, duplicates: 0, rejected: [{ index: 1, issues: [] }] })),
    )
    const { j, drops, sent } = start(api)
    j.track('a')
    j.track('b')
    j.track('c')
    await j.flush()
    expect(drops).toEqual([{ count: 1, reason: 'rejected' }])
    expect(sent).toEqual([2])
    expect(await storedIds()).toEqual([])
  })

  it('Q12 at most 100 events per request, in order', async () => {
    const api = fakeApi()
    const { j } = start(api, { flushAt: 1000 })
    for (let n = 0; n < 230; n++) j.track('e', { n })
    await j.flush()
    expect(api.bodies.map((b) => b.batch.length)).toEqual([100, 100, 30])
    expect(api.events().map((e) => e.properties!.n)).toEqual(Array.from({ length: 230 }, (_, n) => n))
  })

  it('Q13 offline: nothing is sent until the online event', async () => {
    Object.defineProperty(navigator, 'onLine', { value: false, configurable: true })
    try {
      const api = fakeApi()
      const { j } = start(api)
      j.track('a')
      await j.flush()
      expect(api.calls).not.toHaveBeenCalled()
      Object.defineProperty(navigator, 'onLine', { value: true, configurable: true })
      window.dispatchEvent(new Event('online'))
      await until(() => api.bodies.length === 1)
    } finally {
      delete (navigator as unknown as { onLine?: boolean }).onLine
    }
  })

  it('Q14 events left by an earlier page load are sent one flushInterval after start', async () => {
    const api = fakeApi()
    const first = start(fakeApi(() => 500))
    first.j.track('left')
    await until(() => first.queued.length === 1)
    start(api, { flushInterval: 1000 }) // "reload": a new instance over the same storage
    await settle()
    expect(api.bodies).toHaveLength(0)
    vi.advanceTimersByTime(1000)
    await until(() => api.bodies.length === 1)
    expect(api.events().map((e) => e.event)).toEqual(['left'])
  })

  // It is saved to localStorage at the unload.
  it('Q15 unload before the IndexedDB write commits: the event is sent by the next page load, once', async () => {
    // The first page's IndexedDB never opens: its writes are still pending when the page goes away.
    const real = globalThis.indexedDB
    globalThis.indexedDB = { open: () => ({}) } as unknown as IDBFactory
    const beacons = vi.spyOn(navigator, 'sendBeacon').mockReturnValue(true) // the network is down: beacons are lost
    const first = start(fakeApi(() => 500))
    first.j.track('late', { n: 1 })
    dispatchEvent(new Event('pagehide'))
    expect(beacons).toHaveBeenCalled() // (earlier tests' instances listen to pagehide too)
    beacons.mockRestore()
    const saved = JSON.parse(localStorage.getItem('jornada:unsaved:pk_test') ?? '[]') as { event: string }[]
    expect(saved.map((e) => e.event)).toEqual(['late'])

    globalThis.indexedDB = real
    const api = fakeApi()
    start(api, { flushInterval: 1000 }) // the next page load
    await until(async () => (await storedIds()).length === 1)
    expect(localStorage.getItem('jornada:unsaved:pk_test')).toBeNull()
    vi.advanceTimersByTime(1000)
    await until(() => api.bodies.length === 1)
    expect(api.events().map((e) => e.event)).toEqual(['late'])
  })
})

/** A body limit in front of the API (a proxy's client_max_body_size): 413 above `limit` bytes; records what it accepted. */
function limitedApi(limit: number) {
  const accepted: BatchRequest[] = []
  const refused: number[] = []
  let held = 0
  const outsideLock: number[] = []
  const api = fakeApi((n) => {
    if (!held) outsideLock.push(n)
    const size = JSON.stringify(api.bodies[n - 1]).length // ASCII bodies: characters are bytes
    if (size > limit) return (refused.push(size), 413)
    accepted.push(api.bodies[n - 1])
    return 200
  })
  // The send lock, counting its holders: every request must go out while one is held.
  const inner = fakeLocks()
  const locks = {
    request: (name: string, fn: () => Promise<unknown>) =>
      inner.request(name, async () => {
        held++
        try {
          return await fn()
        } finally {
          held--
        }
      }),
  } as unknown as LockManager
  return { api, accepted, refused, outsideLock, locks, ids: () => accepted.flatMap((b) => b.batch.map((e) => e.id)) }
}

const PAD = 'x'.repeat(900) // about 1.3 KB per event with its context

describe('queue: 413 splits the batch', () => {
  it('Q413a a 413 splits the batch: every event arrives once, none dropped', async () => {
    const s = limitedApi(5_000)
    const { j, queued, drops, sent } = start(s.api, { locks: s.locks, flushAt: 1000 })
    for (let n = 0; n < 20; n++) j.track('e', { n, pad: PAD })
    await until(() => queued.length === 20)
    await j.flush()
    expect(s.refused.length).toBeGreaterThan(0)
    expect(s.ids()).toEqual(queued) // each once, in order
    expect(drops).toEqual([])
    expect(localStorage.getItem('jornada:dropped:pk_test')).toBeNull()
    expect(sent.reduce((a, b) => a + b, 0)).toBe(20)
    expect(await storedIds()).toEqual([])
    expect(s.outsideLock).toEqual([]) // the split requests too are sent under the send lock
  })

  it('Q413b each 413 halves the request size, down to what the limit lets through', async () => {
    const s = limitedApi(5_000)
    const { j, queued } = start(s.api, { locks: s.locks, flushAt: 1000 })
    for (let n = 0; n < 20; n++) j.track('e', { n, pad: PAD })
    await until(() => queued.length === 20)
    await j.flush()
    const sizes = s.api.bodies.map((b) => JSON.stringify(b).length)
    // Refused bodies shrink by half or more each time; the first accepted one is smaller than half the last refused.
    for (let i = 1; i < s.refused.length; i++) expect(s.refused[i]).toBeLessThanOrEqual(s.refused[i - 1] / 2)
    expect(sizes[s.refused.length]).toBeLessThanOrEqual(s.refused.at(-1)! / 2)
    expect(s.refused).toHaveLength(2) // 25 KB and 11 KB refused; then 3.9 KB requests pass
  })

  it('Q413c the learned size holds for the rest of the page life: later batches get no 413', async () => {
    const s = limitedApi(5_000)
    const { j, queued, drops } = start(s.api, { locks: s.locks, flushAt: 1000 })
    for (let n = 0; n < 20; n++) j.track('e', { n, pad: PAD })
    await until(() => queued.length === 20)
    await j.flush()
    const refused = s.refused.length
    for (let n = 20; n < 40; n++) j.track('e', { n, pad: PAD })
    await until(() => queued.length === 40)
    await j.flush()
    expect(s.refused).toHaveLength(refused)
    expect(s.ids()).toEqual(queued)
    expect(drops).toEqual([])
  })

  it('Q413d a single event too large alone is dropped and counted; the others arrive', async () => {
    const s = limitedApi(5_000)
    const { j, queued, drops, sent } = start(s.api, { locks: s.locks, flushAt: 1000 })
    for (let n = 0; n < 6; n++) j.track('e', { n, pad: n === 3 ? 'y'.repeat(8_000) : PAD })
    await until(() => queued.length === 6)
    await j.flush()
    const big = queued[3]
    expect(s.ids()).toEqual(queued.filter((id) => id !== big))
    expect(drops).toEqual([{ count: 1, reason: 'http_413' }])
    expect(JSON.parse(localStorage.getItem('jornada:dropped:pk_test')!)).toBe(1)
    expect(sent.reduce((a, b) => a + b, 0)).toBe(5)
    expect(await storedIds()).toEqual([])
    // The lone event was tried alone before it was dropped.
    expect(s.api.bodies.filter((b) => b.batch.some((e) => e.id === big)).at(-1)!.batch).toHaveLength(1)
  })

  it('Q413e a lone event answered 413 is dropped at once, without a retry', async () => {
    const api = fakeApi(() => 413)
    const { j, drops } = start(api)
    j.track('a')
    await j.flush()
    expect(drops).toEqual([{ count: 1, reason: 'http_413' }])
    expect(api.calls).toHaveBeenCalledTimes(1)
    expect(await storedIds()).toEqual([])
  })
})

const byKey = (api: ReturnType<typeof fakeApi>, writeKey: string) =>
  api.bodies.filter((b) => b.writeKey === writeKey).flatMap((b) => b.batch.map((e) => e.id))

/** An event as SDK 0.1 stored it. */
const oldEvent = (n: number): WireEvent => ({
  id: `0190a000-0000-7000-8000-00000000000${n}`,
  type: 'track',
  event: 'old',
  properties: { n },
  timestamp: new Date(T0 - 60_000).toISOString(),
})

describe('queue: one queue per write key', () => {
  it("QNS two write keys on one origin: each key's events go out with that key only", async () => {
    const api = fakeApi()
    const a = start(api, { writeKey: 'pk_a' })
    const b = start(api, { writeKey: 'pk_b' })
    a.j.track('a1')
    b.j.track('b1')
    a.j.track('a2')
    b.j.track('b2')
    await until(() => a.queued.length === 2 && b.queued.length === 2)
    expect(await storedIds('pk_a')).toEqual(a.queued)
    expect(await storedIds('pk_b')).toEqual(b.queued)
    await a.j.flush()
    expect(byKey(api, 'pk_a')).toEqual(a.queued)
    expect(byKey(api, 'pk_b')).toEqual([])
    await b.j.flush()
    expect(byKey(api, 'pk_b')).toEqual(b.queued)
    expect(api.events()).toHaveLength(4) // nothing sent twice
  })

  it('QNS drops are counted per key', async () => {
    const a = start(
      fakeApi(() => 400),
      { writeKey: 'pk_a' },
    )
    const b = start(fakeApi(), { writeKey: 'pk_b' })
    a.j.track('x')
    b.j.track('y')
    await a.j.flush()
    await b.j.flush()
    expect(JSON.parse(localStorage.getItem('jornada:dropped:pk_a')!)).toBe(1)
    expect(localStorage.getItem('jornada:dropped:pk_b')).toBeNull()
  })

  it('QNS events saved at unload go out with their own key, not with the key that starts first', async () => {
    const real = globalThis.indexedDB
    globalThis.indexedDB = { open: () => ({}) } as unknown as IDBFactory // writes never commit
    const beacons = vi.spyOn(navigator, 'sendBeacon').mockReturnValue(true)
    const first = start(
      fakeApi(() => 500),
      { writeKey: 'pk_a' },
    )
    first.j.track('late')
    dispatchEvent(new Event('pagehide'))
    beacons.mockRestore()
    const late = (JSON.parse(localStorage.getItem('jornada:unsaved:pk_a')!) as WireEvent[]).map((e) => e.id)
    expect(late).toHaveLength(1)

    globalThis.indexedDB = real
    const api = fakeApi()
    const b = start(api, { writeKey: 'pk_b' })
    b.j.track('b1')
    await until(() => b.queued.length === 1)
    await b.j.flush()
    expect(byKey(api, 'pk_b')).toEqual(b.queued)
    const a = start(api, { writeKey: 'pk_a' })
    await until(async () => (await storedIds('pk_a')).length === 1)
    await a.j.flush()
    expect(byKey(api, 'pk_a')).toEqual(late)
  })

  it('QNS events queued by the unnamespaced queue of the previous version are still delivered', async () => {
    // SDK 0.1: IndexedDB `jornada` / `queue` keyed by id, and `jornada:unsaved` for unload.
    await setMany(
      [oldEvent(1), oldEvent(2)].map((e) => [e.id, e]),
      createStore('jornada', 'queue'),
    )
    localStorage.setItem('jornada:unsaved', JSON.stringify([oldEvent(3)]))
    const api = fakeApi()
    const a = start(api, { writeKey: 'pk_a' })
    await a.j.flush() // the first send after start already carries them
    expect(byKey(api, 'pk_a').sort()).toEqual([1, 2, 3].map((n) => oldEvent(n).id))
    expect(localStorage.getItem('jornada:unsaved')).toBeNull()
    expect(localStorage.getItem('jornada:unsaved:pk_a')).toBeNull()
    expect(await keys(createStore('jornada', 'queue'))).toEqual([])
    expect(await storedIds('pk_a')).toEqual([])
    // Moved once: the next key that starts finds nothing of it.
    const b = start(api, { writeKey: 'pk_b' })
    b.j.track('b1')
    await until(() => b.queued.length === 1)
    await b.j.flush()
    expect(byKey(api, 'pk_b')).toEqual(b.queued)
    expect(api.events()).toHaveLength(4)
  })

  it("QNS two keys starting at once: the previous version's events go out once, with one key", async () => {
    await setMany(
      [1, 2, 3].map((n) => [oldEvent(n).id, oldEvent(n)]),
      createStore('jornada', 'queue'),
    )
    const api = fakeApi()
    const a = start(api, { writeKey: 'pk_a' })
    const b = start(api, { writeKey: 'pk_b' })
    await until(async () => (await storedIds('pk_a')).length + (await storedIds('pk_b')).length === 3)
    await Promise.all([a.j.flush(), b.j.flush()])
    expect(
      api
        .events()
        .map((e) => e.id)
        .sort(),
    ).toEqual([1, 2, 3].map((n) => oldEvent(n).id))
    expect(new Set(api.bodies.map((body) => body.writeKey)).size).toBe(1)
  })

  it('QNS a site that never ran the previous version gets no unnamespaced database', async () => {
    const api = fakeApi()
    const { j, queued } = start(api)
    j.track('a')
    await until(() => queued.length === 1)
    await j.flush()
    expect((await indexedDB.databases()).map((d) => d.name)).toEqual(['jornada:pk_test'])
  })

  it('QNS the person is the same for both keys: one anonymous id, one session', async () => {
    const api = fakeApi()
    const a = start(api, { writeKey: 'pk_a' })
    const b = start(api, { writeKey: 'pk_b' })
    a.j.track('a1')
    b.j.track('b1')
    await a.j.flush()
    await b.j.flush()
    const [ea, eb] = api.events()
    expect(ea.anonymousId).toBeTruthy()
    expect(eb.anonymousId).toBe(ea.anonymousId)
    expect(eb.context!.sessionId).toBe(ea.context!.sessionId)
  })
})
