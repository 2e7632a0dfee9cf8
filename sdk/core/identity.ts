import type { Kv } from './storage'
import { uuidv7 } from './uuid'

export interface Ids {
  anonymousId: string
  userId?: string
  accountId?: string
  /** `identify`'s proofs of `userId` for this write key (identity verification; sdk/index.ts `who`), never stored here. */
  userHash?: string
  userToken?: string
}

/**
 * Who the events are about, in localStorage (`jornada:ids`, memory when it throws) so that reloads and the
 * site's other tabs agree. Read on every event: another tab may have called `identify` or `reset`.
 */
export function createIdentity(kv: Kv, now: () => number) {
  const fresh = (): Ids => ({ anonymousId: uuidv7(now()) })
  const save = (ids: Ids) => (kv.set('ids', ids), ids)
  const get = (): Ids => {
    const ids = kv.get<Ids>('ids')
    return ids && ids.anonymousId ? ids : save(fresh())
  }
  return {
    get,
    set: (patch: Partial<Ids>) => save({ ...get(), ...patch }),
    /** Forgets the user and account; a new anonymous id. */
    reset: () => save(fresh()),
  }
}
