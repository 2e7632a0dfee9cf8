import 'fake-indexeddb/auto'
import { IDBFactory } from 'fake-indexeddb'
import { createStore, get, keys } from 'idb-keyval'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createJornada } from '../../sdk/index'
import type { JornadaOptions } from '../../sdk/index'
import type { BatchRequest } from '../../sdk/wire'
import { fakeApi, fakeLocks, until } from '../support/sdk-fakes'

const T0 = Date.parse('2026-11-24T10:00:00.000Z')


const settle = () => until(() => false, 100).catch(() => {})


const queueStore = () => createStore('jornada', 'queue')
const storedIds = async () => (await keys(queueStore())).map(String)

function start(api: ReturnType<typeof fakeApi>, o: Partial<JornadaOptions> = {}) {
  // A session already running: no $login in these counts (session.test.ts covers it).
  localStorage.setItem('jornada:session', JSON.stringify({ id: 's1', t: Date.now() }))
  const j = createJornada({ writeKey: 'pk_test', apiHost: 'https://api.test', fetch: api.fetch, autoPage: false, locks: fakeLocks(), flushInterval: 60_000, ...o })
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
    await until(() => found.length == 2)
    const values = (await Promise.all(found)) as { event: string }[]
    expect(values.map((v) => v.event)).toEqual(['a', 'b'])
  })

  it('Q02 batches by count: flushAt events are sent at once, fewer wait', async () => {
    const api = fakeApi()
    const { j, queued } = start(api, { flushAt: 5 })
    for (let n = 0; n < 4; n++) j.track('e', { n })
    await until(() => queued.length == 4)
    vi.advanceTimersByTime(0)
    await settle()
    expect(api.bodies).toHaveLength(0)
    j.track('e', { n: 4 })
    await until(() => queued.length == 5)
    vi.advanceTimersByTime(0)
    await until(() => api.bodies.length == 1)
    expect(api.bodies[0].batch.map((e) => e.properties!.n)).toEqual([0, 1, 2, 3, 4])
  })

  it('Q03 batches by time: flushInterval after an event is queued', async () => {
    const api = fakeApi()
    const { j, queued } = start(api, { flushInterval: 1000 })
    j.track('e')
    await until(() => queued.length == 1)
    vi.advanceTimersByTime(999)
    await settle()
    expect(api.bodies).toHaveLength(0)
    vi.advanceTimersByTime(1)
    await until(() => api.bodies.length == 1)
    expect(api.bodies[0].batch).toHaveLength(1)
  })

  it('Q04 the cap drops the oldest first, counts drops persistently and emits drop', async () => {
    const api = fakeApi()
    const { j, queued, drops } = start(api, { maxQueue: 5 })
    for (let n = 0; n < 8; n++) j.track('e', { n })
    await until(() => queued.length == 8)
    await until(async () => drops.reduce((s, d) => s + d.count, 0) == 3)
    expect(drops.every((d) => d.reason == 'cap')).toBe(true)
    expect(await storedIds()).toEqual(queued.slice(3))
    expect(JSON.parse(localStorage.getItem('jornada:dropped')!)).toBe(3)
    await j.flush()
    expect(api.events().map((e) => e.properties!.n)).toEqual([3, 4, 5, 6, 7])
  })

  it('Q05 events leave storage only after a 2xx for them', async () => {
    let release!: (r: Response) => void
    const api = fakeApi((n) => (n == 1 ? 503 : new Promise<Response>((r) => (release = r))))
    const { j, queued, sent } = start(api)
    j.track('a')
    j.track('b')
    await until(() => queued.length == 2)
    await j.flush() // 503: retry later
    expect(await storedIds()).toEqual(queued)
    const second = j.flush()
    await until(() => api.bodies.length == 2)
    expect(await storedIds()).toEqual(queued) // in flight: still stored
    release(new Response(JSON.stringify({ accepted: 2, duplicates: 0, rejected: [] })))
    await second
    expect(await storedIds()).toEqual([])
    expect(sent).toEqual([2])
  })

  it('Q06 IndexedDB that throws: the queue works in memory', async () => {
    globalThis.indexedDB = { open() { throw new DOMException('denied', 'SecurityError') } } as unknown as IDBFactory
    const api = fakeApi()
    const { j, queued } = start(api)
    j.track('a')
    j.track('b')
    await until(() => queued.length == 2)
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
    await until(() => api.calls.mock.calls.length == 2)
    vi.advanceTimersByTime(1000) // second backoff: 1000 ms
    await until(() => sent.length == 1)
    expect(api.events().map((e) => e.id)).toHaveLength(3)
    expect(new Set(api.events().map((e) => e.id)).size).toBe(1)
    expect(await storedIds()).toEqual([])
  })

  it('Q10 429 with Retry-After: no retry before it', async () => {
    const api = fakeApi((n) => (n == 1 ? new Response('{}', { status: 429, headers: { 'retry-after': '30' } }) : 200))
    const { j, queued, sent } = start(api, { flushInterval: 10 })
    j.track('a')
    await j.flush()
    j.track('b') // a new event does not break the wait
    await until(() => queued.length == 2)
    vi.advanceTimersByTime(29_999)
    await settle()
    expect(api.calls).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(1)
    await until(() => sent.length == 1)
    expect(api.bodies[1].batch.map((e) => e.event)).toEqual(['a', 'b'])
  })

  it('Q11 events the server rejected are dropped (not retried), the rest counted as sent', async () => {
    const api = fakeApi(() => new Response(JSON.stringify({ accepted: 2, duplicates: 0, rejected: [{ index: 1, issues: [] }] })))
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
      await until(() => api.bodies.length == 1)
    } finally {
      delete (navigator as unknown as { onLine?: boolean }).onLine
    }
  })

  it('Q14 events left by an earlier page load are sent one flushInterval after start', async () => {
    const api = fakeApi()
    const first = start(fakeApi(() => 500))
    first.j.track('left')
    await until(() => first.queued.length == 1)
    start(api, { flushInterval: 1000 }) // "reload": a new instance over the same storage
    await settle()
    expect(api.bodies).toHaveLength(0)
    vi.advanceTimersByTime(1000)
    await until(() => api.bodies.length == 1)
    expect(api.events().map((e) => e.event)).toEqual(['left'])
  })

  it('Q15 unload before the IndexedDB write commits: the event is saved to localStorage and sent by the next page load, once', async () => {
    // The first page's IndexedDB never opens: its writes are still pending when the page goes away.
    const real = globalThis.indexedDB
    globalThis.indexedDB = { open: () => ({}) } as unknown as IDBFactory
    const beacons = vi.spyOn(navigator, 'sendBeacon').mockReturnValue(true) // the network is down: beacons are lost
    const first = start(fakeApi(() => 500))
    first.j.track('late', { n: 1 })
    dispatchEvent(new Event('pagehide'))
    expect(beacons).toHaveBeenCalled() // (earlier tests' instances listen to pagehide too)
    beacons.mockRestore()
    const saved = JSON.parse(localStorage.getItem('jornada:unsaved') ?? '[]') as { event: string }[]
    expect(saved.map((e) => e.event)).toEqual(['late'])

    globalThis.indexedDB = real
    const api = fakeApi()
    start(api, { flushInterval: 1000 }) // the next page load
    await until(async () => (await storedIds()).length == 1)
    expect(localStorage.getItem('jornada:unsaved')).toBeNull()
    vi.advanceTimersByTime(1000)
    await until(() => api.bodies.length == 1)
    expect(api.events().map((e) => e.event)).toEqual(['late'])
  })
})
