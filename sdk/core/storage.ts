import { createStore, promisifyRequest } from 'idb-keyval'
import type { UseStore } from 'idb-keyval'
import type { WireEvent } from '../wire'
import type { Log } from './log'

/** JSON values in localStorage under `jornada:<key>`; falls back to memory when storage is missing or throws. Never throws. */
export interface Kv {
  get<T>(key: string): T | undefined
  set(key: string, value: unknown): void
  del(key: string): void
}

/** `window.localStorage`, or null where reading it throws (cookies blocked, sandboxed frames). */
export function defaultLocalStorage(): Storage | null {
  try {
    return localStorage
  } catch {
    return null
  }
}

export function createKv(ls: Storage | null): Kv {
  const mem = new Map<string, string>()
  // undefined: read; null: remove; a string: write. Once localStorage throws (quota, private mode,
  // disabled), this instance stays in memory so that reads agree with writes.
  const io = (k: string, v?: string | null): string | null | undefined | void => {
    k = 'jornada:' + k
    try {
      if (ls) return v === undefined ? ls.getItem(k) : v === null ? ls.removeItem(k) : ls.setItem(k, v)
    } catch {
      ls = null
    }
    return v === undefined ? mem.get(k) : void (v === null ? mem.delete(k) : mem.set(k, v))
  }
  return {
    get: (k) => {
      try {
        return JSON.parse(io(k) || 'null') ?? undefined
      } catch {
        return undefined
      }
    },
    set: (k, v) => void io(k, JSON.stringify(v)),
    del: (k) => void io(k, null),
  }
}

/** The durable queue's storage: events keyed by id (UUIDv7, so key order is time order). */
export interface QueueStore {
  /** Resolves once the write is committed. */
  put(e: WireEvent): Promise<unknown>
  /** The oldest `n` events. */
  head(n: number): Promise<WireEvent[]>
  /** The ids of the oldest `n` events. */
  keys(n: number): Promise<string[]>
  count(): Promise<number>
  del(ids: string[]): Promise<unknown>
  clear(): Promise<unknown>
  /**
   * Takes (reads and deletes, in one transaction: of two keys starting at once, one gets them) every
   * event of the unnamespaced queue of SDK 0.1 (`jornada` / `queue`); [] when there is none. That
   * database stays, empty: a tab still running 0.1 may write to it, and every start takes what it finds.
   */
  takeOld(): Promise<WireEvent[]>
}

/**
 * IndexedDB through idb-keyval, one database per write key (`jornada:<writeKey>` / `queue`): two keys on
 * one origin never send each other's events. Shared by every tab of the site; when IndexedDB is missing
 * or throws (private modes, blocked storage), memory for the rest of this page's life.
 */
export function createQueueStore(log: Log, useIdb = true, writeKey = ''): QueueStore {
  const mem = new Map<string, WireEvent>()
  let idb: UseStore | undefined
  try {
    if (useIdb && typeof indexedDB == 'object' && indexedDB) idb = createStore('jornada:' + writeKey, 'queue')
  } catch {
    /* memory */
  }

  const sorted = () => [...mem.keys()].sort()
  async function run<T>(write: boolean, op: (s: IDBObjectStore) => IDBRequest | void, inMemory: () => T): Promise<T> {
    if (idb) {
      try {
        return await idb(write ? 'readwrite' : 'readonly', (s) => {
          const r = op(s)
          // Writes resolve on transaction commit, not on request success: that is when they are durable.
          return promisifyRequest((write ? s.transaction : r) as IDBRequest<T>)
        })
      } catch (e) {
        log('IndexedDB failed, queue kept in memory', e)
        idb = undefined
      }
    }
    return inMemory()
  }

  return {
    put: (e) =>
      run(
        true,
        (s) => void s.put(e, e.id),
        () => mem.set(e.id, e),
      ),
    head: (n) =>
      run(
        false,
        (s) => s.getAll(null, n),
        () =>
          sorted()
            .slice(0, n)
            .map((k) => mem.get(k)!),
      ),
    keys: (n) =>
      run(
        false,
        (s) => s.getAllKeys(null, n),
        () => sorted().slice(0, n),
      ),
    count: () =>
      run(
        false,
        (s) => s.count(),
        () => mem.size,
      ),
    del: (ids) =>
      run(
        true,
        (s) => ids.forEach((id) => s.delete(id)),
        () => ids.forEach((id) => mem.delete(id)),
      ),
    clear: () =>
      run(
        true,
        (s) => void s.clear(),
        () => mem.clear(),
      ),
    async takeOld() {
      let db: IDBDatabase | undefined
      try {
        if (!idb) return []
        const r = indexedDB.open('jornada')
        // Where it never existed, opening would create it: abort that instead (the open then fails).
        r.onupgradeneeded = () => r.transaction!.abort()
        db = await promisifyRequest(r)
        const s = db.transaction('queue', 'readwrite').objectStore('queue')
        const all = s.getAll()
        s.clear()
        await promisifyRequest(s.transaction)
        return all.result
      } catch {
        return []
      } finally {
        // Closed whatever happened: an open connection would block a 0.1 tab's upgrade of it.
        db?.close()
      }
    },
  }
}
