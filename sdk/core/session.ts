import type { Kv } from './storage'
import { uuidv7 } from './uuid'

/** 30 minutes of inactivity ends a session (journey.md, "$login"). */
export const SESSION_TIMEOUT = 30 * 60_000

/**
 * The session, shared by the site's tabs and write keys through localStorage (`jornada:session` =
 * { id, t: last activity, k: the write keys that sent its `$login` }). `touch(key)` records an
 * activity and says whether this key has yet to send the session's `$login` (a new session, or a
 * second key on the page joining a running one). A session stored without `k` (SDK 0.1) has
 * already sent its `$login`.
 */
export function createSession(kv: Kv, now: () => number) {
  return {
    touch(key: string): [id: string, login: boolean] {
      const t = now()
      let s = kv.get<{ id: string; t: number; k?: string[] }>('session')
      if (!s || !(t - s.t < SESSION_TIMEOUT)) s = { id: uuidv7(t), t, k: [] }
      const login = !!s.k && s.k.indexOf(key) < 0
      kv.set('session', { id: s.id, t, k: login ? s.k!.concat(key) : s.k })
      return [s.id, login]
    },
    reset: () => kv.del('session'),
  }
}
