import { Hono } from 'hono'
import type { AppEnv } from '../http/app-env'
import type { Store } from '../store/types'

/** How long /healthz waits for the store before answering 503. */
export const HEALTH_TIMEOUT_MS = 5_000

/** `GET /healthz`: 200 `{ ok: true }` when the store answers, else 503 `{ ok: false }`. */
export function healthRoute({ store }: { store: Store }): Hono<AppEnv> {
  const route = new Hono<AppEnv>()
  route.get('/healthz', async (c) => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), HEALTH_TIMEOUT_MS)
    })
    const ok = await Promise.race([store.ping().catch(() => false), timeout]).finally(() => clearTimeout(timer))
    return c.json({ ok }, ok ? 200 : 503)
  })
  return route
}
