import type { Kv } from './storage'
import { uuidv7 } from './uuid'

/** Runs `fn` while holding the site-wide send lock: one sender at a time across every tab. */
export type Lock = <T>(fn: () => Promise<T>) => Promise<T>

/** Lease length; renewed every third of it while a send runs, so a closed tab frees the lock within 10 s. */
const LEASE = 10_000

/**
 * Web Locks (`navigator.locks.request(name, fn)`) where present. Otherwise a lease in localStorage
 * (owner id + expiry) with a BroadcastChannel that wakes waiting tabs when it is released; a waiting
 * tab also wakes when the lease expires, in case its holder was closed mid-send.
 */
export function createLock(name: string, locks: LockManager | null | undefined, kv: Kv, now: () => number): Lock {
  if (locks) return (fn) => locks.request(name, fn) as never

  const me = uuidv7(now())
  const key = 'lease:' + name
  let wake: (() => void) | undefined
  let bc: BroadcastChannel | undefined
  try {
    ;(bc = new BroadcastChannel(name)).onmessage = () => wake?.()
  } catch {
    /* expiry only */
  }
  const sleep = (ms: number) =>
    new Promise<void>((r) => {
      wake = r
      setTimeout(r, ms)
    })
  const mine = () => kv.set(key, { o: me, x: now() + LEASE })

  async function acquire() {
    for (;;) {
      const l = kv.get<{ o: string; x: number }>(key)
      if (!l || l.x <= now() || l.o == me) {
        mine()
        // localStorage has no compare-and-set: two tabs may both write; wait, then the last writer wins.
        await sleep(25)
        if (kv.get<{ o: string }>(key)?.o == me) return
      }
      await sleep(Math.max(25, (kv.get<{ x: number }>(key)?.x ?? 0) - now()))
    }
  }

  return async (fn) => {
    await acquire()
    const renew = setInterval(mine, LEASE / 3)
    try {
      return await fn()
    } finally {
      clearInterval(renew)
      kv.del(key)
      try {
        bc?.postMessage(0)
      } catch {
        /* closed */
      }
    }
  }
}
