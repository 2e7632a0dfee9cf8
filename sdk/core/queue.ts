import type { WireEvent } from '../wire'
import { backoff } from './backoff'
import type { Emitter } from './emitter'
import type { Log } from './log'
import type { Kv, QueueStore } from './storage'
import type { Lock } from './tabs'
import type { Answer } from './transport'
import { bytes, chunk } from './transport'

export interface QueueOptions {
  store: QueueStore
  kv: Kv
  /** The write key: the queue's localStorage entries are `jornada:unsaved:<writeKey>` and `jornada:dropped:<writeKey>`. */
  writeKey: string
  lock: Lock
  /** POSTs one batch (transport.post). */
  send: (batch: WireEvent[]) => Promise<Answer>
  /** Unload delivery (transport.beacon). */
  beacon: (events: WireEvent[]) => void
  emitter: Emitter
  log: Log
  now: () => number
  flushAt: number
  flushInterval: number
  maxQueue: number
  random?: () => number
}

/** Per request: about Segment's limits, and under the server's body limit (a 413 lowers the bytes, see `cycle`). */
const MAX_EVENTS = 100
const MAX_BYTES = 400_000

/**
 * The durable queue. An event counts as queued once its IndexedDB write has committed; it leaves
 * storage only when the server has answered 2xx for it (or the answer says it can never be accepted).
 * Send cycles read from the shared storage under the site-wide lock, so a tab also sends what other
 * tabs queued. `mirror` holds this tab's events not known to be delivered, for unload beacons: an
 * IndexedDB write may still be pending when the page goes away.
 */
export function createQueue(o: QueueOptions) {
  const { store, kv, emitter, log, now } = o
  const mirror = new Map<string, WireEvent>()
  const unwritten = new Set<string>()
  const beaconed = new Set<string>()
  // Writes are chained: the cap check after each write sees a settled count.
  let writes: Promise<unknown> = Promise.resolve()
  // What the start moves into storage (wake): sends and clear wait for it; new events' writes need not.
  let moving = writes
  const settled = () => Promise.all([writes, moving])
  let fresh = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  let due = 0
  let attempt = 0
  let blockedUntil = 0
  let running: Promise<void> | undefined
  let again = false
  // Bytes per request; halved by each 413 (a proxy's body limit may be lower than the server's), for this page's life.
  let limit = MAX_BYTES
  const UNSAVED = 'unsaved:' + o.writeKey
  const DROPPED = 'dropped:' + o.writeKey
  const unsaved = (k = UNSAVED) => kv.get<WireEvent[]>(k) || []

  function schedule(ms: number) {
    if (timer && due <= now() + ms) return
    clearTimeout(timer)
    due = now() + ms
    timer = setTimeout(() => {
      timer = undefined
      flush()
    }, ms)
  }

  function drop(count: number, reason: string) {
    kv.set(DROPPED, (kv.get<number>(DROPPED) || 0) + count)
    log('dropped', count, reason)
    emitter.emit('drop', { count, reason })
  }

  async function cap() {
    const n = await store.count()
    if (n > o.maxQueue) {
      const ids = await store.keys(n - o.maxQueue)
      await store.del(ids)
      ids.forEach((id) => mirror.delete(id))
      drop(ids.length, 'cap')
    }
  }

  function add(e: WireEvent) {
    mirror.set(e.id, e)
    unwritten.add(e.id)
    // The mirror is capped too, oldest first (Map order is insertion order).
    if (mirror.size > o.maxQueue) mirror.delete(mirror.keys().next().value!)
    writes = writes
      .then(() => store.put(e))
      .then(() => {
        unwritten.delete(e.id)
        emitter.emit('track', e)
        schedule(++fresh >= o.flushAt ? 0 : o.flushInterval)
        return cap()
      })
      .catch(log)
  }

  /** One cycle under the lock: read the oldest batch, POST it, delete what the answer settles. */
  function cycle(): Promise<Answer | 'more' | undefined> {
    return o.lock(async () => {
      const head = await store.head(MAX_EVENTS)
      if (head.length < MAX_EVENTS) {
        // Storage holds everything queued: this tab's written events that are not there were sent by another tab.
        const ids = new Set(head.map((e) => e.id))
        for (const id of mirror.keys()) if (!ids.has(id) && !unwritten.has(id)) mirror.delete(id)
      }
      const batch = chunk(head, limit, MAX_EVENTS)[0]
      if (!batch) return
      const a = await o.send(batch)
      if (a.verdict == 'retry') return a
      // Too large: resend in smaller requests (at most half this one), nothing deleted. Only a lone event is dropped.
      if (a.status == 413 && batch[1]) return ((limit = bytes(batch) / 2), 'more')
      await store.del(batch.map((e) => e.id))
      batch.forEach((e) => mirror.delete(e.id))
      const bad = a.verdict == 'drop' ? batch.length : a.rejected.length
      if (bad) drop(bad, a.verdict == 'drop' ? 'http_' + a.status : 'rejected')
      if (bad < batch.length) emitter.emit('sent', { count: batch.length - bad })
      return head.length > batch.length || head.length == MAX_EVENTS ? 'more' : undefined
    })
  }

  /** Sends until storage is empty or the server asks to wait. `force` ignores a pending backoff. Never rejects. */
  function flush(force?: boolean): Promise<void> {
    if (running) return ((again = true), running)
    return (running = (async () => {
      try {
        await settled()
        do {
          again = false
          fresh = 0
          for (;;) {
            // Offline: the `online` listener flushes again.
            if (navigator.onLine === false) return
            if (!force && blockedUntil > now()) return schedule(blockedUntil - now())
            const r = await cycle()
            if (r && r != 'more') {
              // Retry-After is a minimum: a `0` (or a past date) from a proxy must not become a resend loop.
              const wait = Math.max(r.retryAfter || 0, backoff({ attempt: attempt++, random: o.random }))
              log('retry in', wait, 'ms, status', r.status)
              blockedUntil = now() + wait
              return schedule(wait)
            }
            attempt = blockedUntil = 0
            if (!r) break
          }
        } while (again)
      } catch (e) {
        log('send failed', e)
      } finally {
        running = undefined
      }
    })())
  }

  /**
   * Start: what an unload saved to localStorage goes to storage, and so does the unnamespaced queue of
   * SDK 0.1 (IndexedDB `jornada` and `jornada:unsaved`): the first key that starts takes it. What earlier
   * page loads left in storage goes out after one flushInterval.
   */
  function wake() {
    moving = store
      .takeOld()
      .then((old) => {
        const saved = [...unsaved(), ...unsaved('unsaved'), ...old]
        if (!saved.length) return
        // In localStorage first, synchronously: taken events are then safe if the page goes away now.
        kv.set(UNSAVED, saved)
        kv.del('unsaved')
        return Promise.all(saved.map((e) => store.put(e))).then(() => {
          // Another tab may have saved more meanwhile: remove only what is now in storage.
          const ids = new Set(saved.map((e) => e.id))
          const rest = unsaved().filter((e) => !ids.has(e.id))
          rest.length ? kv.set(UNSAVED, rest) : kv.del(UNSAVED)
        })
      })
      .catch(log)
    schedule(o.flushInterval)
  }

  return {
    add,
    flush,
    wake,
    /**
     * Unload: events whose IndexedDB write has not committed yet are saved to localStorage, which is
     * synchronous (the page may be gone before the write runs); then beacon this tab's undelivered
     * events, each once per page life. All of them stay queued until a send is acknowledged.
     */
    unload() {
      if (unwritten.size) {
        const saved = unsaved()
        const ids = new Set(saved.map((e) => e.id))
        for (const id of unwritten) if (!ids.has(id) && mirror.has(id)) saved.push(mirror.get(id)!)
        kv.set(UNSAVED, saved)
      }
      const list = [...mirror.values()].filter((e) => !beaconed.has(e.id))
      list.forEach((e) => beaconed.add(e.id))
      if (list.length) o.beacon(list)
    },
    /** Opt-out: forget everything queued, including writes still pending. */
    async clear() {
      mirror.clear()
      await settled()
      mirror.clear()
      await store.clear()
    },
  }
}

export type Queue = ReturnType<typeof createQueue>
