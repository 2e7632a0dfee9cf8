import type { Kv } from './storage'
import { uuidv7 } from './uuid'

/** 30 minutes of inactivity ends a session (journey.md, "$login"). */
export const SESSION_TIMEOUT = 30 * 60_000

/**
 * The session, shared by the site's tabs through localStorage (`jornada:session` = { id, t: last activity }).
 * `touch()` records an activity and says whether it started a new session (then the SDK sends `$login`).
 */
export function createSession(kv: Kv, now: () => number) {
  return {
    touch(): [id: string, isNew: boolean] {
      const t = now()
      const s = kv.get<{ id: string; t: number }>('session')
      const isNew = !s || !(t - s.t < SESSION_TIMEOUT)
      const id = isNew ? uuidv7(t) : s.id
      kv.set('session', { id, t })
      return [id, isNew]
    },
    reset: () => kv.del('session'),
  }
}
