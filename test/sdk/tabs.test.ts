import 'fake-indexeddb/auto'
import { IDBFactory } from 'fake-indexeddb'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createJornada } from '../../sdk/index'
import type { Jornada, JornadaOptions } from '../../sdk/index'
import type { BatchRequest, WireEvent } from '../../sdk/wire'

// Two "tabs" are two SDK instances in one window: they share localStorage and the fake IndexedDB,
// as the tabs of one site share them in a browser.

/** A fake API that takes a few macrotasks per request and notes whether two requests ever overlapped. */
function fakeApi() {
  const bodies: BatchRequest[] = []
  let inFlight = 0
  let overlap = false
  const fetch = vi.fn(async (_u: RequestInfo | URL, init?: RequestInit) => {
    if (++inFlight > 1) overlap = true
    const body = JSON.parse(String(init!.body)) as BatchRequest
    bodies.push(body)
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r))
    inFlight--
    return new Response(JSON.stringify({ accepted: body.batch.length, duplicates: 0, rejected: [] }))
  })
  return {
    fetch: fetch as unknown as typeof globalThis.fetch,
    overlap: () => overlap,
    events: (): WireEvent[] => bodies.flatMap((b) => b.batch),
  }
}

/** navigator.locks semantics for one name: exclusive, granted in request order. Counts holders. */
function fakeLocks() {
  let tail: Promise<unknown> = Promise.resolve()
  let held = 0
  let maxHeld = 0
  const locks = {
    request: (_name: string, fn: () => Promise<unknown>) => {
      const p = tail.then(async () => {
        maxHeld = Math.max(maxHeld, ++held)
        try {
          return await fn()
        } finally {
          held--
        }
      })
      tail = p.catch(() => {})
      return p
    },
  } as unknown as LockManager
  return { locks, maxHeld: () => maxHeld }
}

async function until(cond: () => boolean | Promise<boolean>, what = 'condition'): Promise<void> {
  // Generous: a slow machine only makes it slower.
  await vi.waitFor(
    () => {
      if (!cond()) throw new Error('waiting for ' + what)
    },
    { timeout: 15_000, interval: 5 },
  )
}

function tab(api: ReturnType<typeof fakeApi>, o: Partial<JornadaOptions>): Jornada & { queued: string[] } {
  const j = createJornada({
    writeKey: 'pk_test',
    apiHost: 'https://api.test',
    fetch: api.fetch,
    autoPage: false,
    flushAt: 3,
    flushInterval: 20,
    ...o,
  })
  const queued: string[] = []
  j.on('track', (e) => queued.push(e.id))
  return Object.assign(j, { queued })
}

function expectEachOnce(api: ReturnType<typeof fakeApi>, ids: string[]) {
  const sent = api.events().map((e) => e.id)
  expect(sent.length).toBe(new Set(sent).size)
  expect(new Set(sent)).toEqual(new Set(ids))
}

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory()
  localStorage.clear()
})

describe('tabs: Web Locks', () => {
  it('K01 two tabs sharing one queue: each event is POSTed once, by one sender at a time', async () => {
    const api = fakeApi()
    const { locks, maxHeld } = fakeLocks()
    const a = tab(api, { locks })
    const b = tab(api, { locks })
    for (let n = 0; n < 25; n++) (n % 2 ? a : b).track('e', { n })
    await until(() => a.queued.length + b.queued.length === 26) // + one $login
    await Promise.all([a.flush(), b.flush()])
    await until(() => api.events().length >= 26, 'all sent')
    await Promise.all([a.flush(), b.flush()])
    expectEachOnce(api, [...a.queued, ...b.queued])
    expect(api.overlap()).toBe(false)
    expect(maxHeld()).toBe(1)
  })

  // The holder or the next cycle reads it from shared storage.
  it('K02 an event tracked while another tab holds the lock is still sent', async () => {
    const api = fakeApi()
    const { locks } = fakeLocks()
    let release!: () => void
    const held = new Promise<void>((r) => (release = r))
    // Another tab is mid-send and keeps the lock.
    void locks.request('jornada:send:pk_test', () => held)
    const a = tab(api, { locks, flushAt: 1 })
    a.track('while_locked')
    await until(() => a.queued.length === 2)
    const flushed = a.flush()
    await new Promise((r) => setTimeout(r, 30))
    expect(api.events()).toHaveLength(0)
    release()
    await flushed
    expect(api.events().map((e) => e.event)).toEqual(['$login', 'while_locked'])
  })

  it('K03 each send cycle runs under the lock named jornada:send:<writeKey>', async () => {
    const api = fakeApi()
    const names: string[] = []
    const locks = {
      request: (name: string, fn: () => Promise<unknown>) => (names.push(name), fn()),
    } as unknown as LockManager
    const a = tab(api, { locks })
    a.track('x')
    await a.flush()
    expect(names.length).toBeGreaterThan(0)
    expect(new Set(names)).toEqual(new Set(['jornada:send:pk_test']))
  })
})

describe('tabs: localStorage lease + BroadcastChannel (no navigator.locks)', () => {
  it('K04 two tabs sharing one queue: each event is POSTed once, never concurrently', async () => {
    const api = fakeApi()
    const a = tab(api, { locks: null })
    const b = tab(api, { locks: null })
    for (let n = 0; n < 25; n++) (n % 2 ? a : b).track('e', { n })
    await until(() => a.queued.length + b.queued.length === 26)
    await Promise.all([a.flush(), b.flush()])
    await until(() => api.events().length >= 26, 'all sent')
    await Promise.all([a.flush(), b.flush()])
    expectEachOnce(api, [...a.queued, ...b.queued])
    expect(api.overlap()).toBe(false)
    expect(localStorage.getItem('jornada:lease:jornada:send:pk_test')).toBeNull()
  })

  it('K05 an expired lease (its tab was closed mid-send) does not block sending', async () => {
    localStorage.setItem('jornada:lease:jornada:send:pk_test', JSON.stringify({ o: 'closed-tab', x: Date.now() - 1 }))
    const api = fakeApi()
    const a = tab(api, { locks: null })
    a.track('x')
    await a.flush()
    expect(api.events().map((e) => e.event)).toEqual(['$login', 'x'])
  })

  it('K06 a waiting tab is woken through BroadcastChannel when the holder releases, not at lease expiry', async () => {
    const api = fakeApi()
    // A live tab holds a lease that would last an hour: only the channel can wake the waiting tab in time.
    localStorage.setItem(
      'jornada:lease:jornada:send:pk_test',
      JSON.stringify({ o: 'other-tab', x: Date.now() + 3_600_000 }),
    )
    const a = tab(api, { locks: null })
    a.track('x')
    await until(() => a.queued.length === 2)
    const flushed = a.flush()
    await new Promise((r) => setTimeout(r, 50))
    expect(api.events()).toHaveLength(0)
    // The other tab finishes: it removes its lease and posts on the channel.
    localStorage.removeItem('jornada:lease:jornada:send:pk_test')
    const bc = new BroadcastChannel('jornada:send:pk_test')
    bc.postMessage(0)
    bc.close()
    await until(() => api.events().length === 2, 'woken by the channel')
    await flushed
  })
})
