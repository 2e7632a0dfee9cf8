import { Hono } from 'hono'
import type { MiddlewareHandler } from 'hono'
import { z } from 'zod'
import { callerOf } from '../http/access'
import { recordChange } from '../http/audit'
import { normaliseOrigin } from '../http/auth'
import type { Caller } from '../http/auth'
import { maxBody, readJson } from '../http/body'
import type { AppEnv } from '../http/app-env'
import { ApiError } from '../http/errors'
import { json } from '../http/validate'
import { generateKey } from '../key-generator'
import type { Store } from '../store/types'

/** The label of the current secret key, and of the previous one while a rotation is under way. */
export const SECRET_LABEL = 'secret'
export const PREVIOUS_SECRET_LABEL = 'secret_previous'
/** How long the previous secret key keeps working after a rotation, unless retired sooner. */
export const DEFAULT_GRACE_HOURS = 24
export const MAX_GRACE_HOURS = 30 * 24
/** Origins a write key may list at most. */
export const MAX_ORIGINS = 100
const MAX_KEYS_BODY_BYTES = 64 * 1024

/** `POST /v1/keys/secret/rotate` body (optional). */
export const RotateBodySchema = z.strictObject({
  /** Hours the previous secret key stays valid; 0 ends it at once. */
  graceHours: z.number().min(0).max(MAX_GRACE_HOURS).optional(),
})

/** `https://app.acme.com` (scheme, host, optional port; no path), or `*` for any origin. */
const originSchema = z
  .string()
  .max(2048)
  .refine((o) => {
    if (o === '*') return true
    try {
      const url = new URL(o)
      return (
        (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === o.replace(/\/$/, '').toLowerCase()
      )
    } catch {
      return false
    }
  }, 'expected an origin such as https://app.example.com (no path), or *')

/** `PUT /v1/keys/write/origins` body: the whole list, replacing the previous one. */
export const OriginsBodySchema = z.strictObject({ origins: z.array(originSchema).max(MAX_ORIGINS) })

/**
 * Key management, mounted under `/v1`. Rotation keeps two secret keys
 * valid at once: the new one, and the previous one until it is retired or its grace period ends, so
 * that servers can move to the new key one by one. Only the current key may rotate or retire: a
 * leaked previous key cannot lock its owner out.
 */
export function keysRoute({
  store,
  clock,
  guard,
}: {
  store: Store
  clock: () => number
  guard: MiddlewareHandler<AppEnv>
}): Hono<AppEnv> {
  const route = new Hono<AppEnv>()
  const limit = maxBody(MAX_KEYS_BODY_BYTES)

  const requireCurrent = (p: Caller) => {
    // A member of the console (an admin) acts as the workspace; a key must be the current one.
    if (p.kind !== 'member' && p.label !== SECRET_LABEL)
      throw new ApiError(403, 'forbidden_key', 'use the current secret key (the one the last rotation returned)')
  }

  route.post('/keys/secret/rotate', limit, guard, readJson({ empty: {} }), json(RotateBodySchema), async (c) => {
    const principal = callerOf(c)
    requireCurrent(principal)
    const { graceHours = DEFAULT_GRACE_HOURS } = c.req.valid('json')
    const secretKey = generateKey('secret')
    // Real time, not the app's clock: the store's findKey compares expiries with the real time.
    const previousExpiresAt = Date.now() + graceHours * 3_600_000
    await store.rotateKey(
      principal.workspace.id,
      SECRET_LABEL,
      secretKey,
      'secret',
      PREVIOUS_SECRET_LABEL,
      previousExpiresAt,
    )
    // The new key is in the answer, shown this once, and never in the log.
    await recordChange(c, store, clock(), {
      action: 'key.rotate',
      target: 'key:secret',
      after: { previousExpiresAt: new Date(previousExpiresAt).toISOString() },
    })
    return c.json({ secretKey, previousExpiresAt: new Date(previousExpiresAt).toISOString() }, 200, {
      'Cache-Control': 'no-store',
    })
  })

  route.post('/keys/secret/retire', guard, async (c) => {
    const principal = callerOf(c)
    requireCurrent(principal)
    const retired = await store.deleteKey(principal.workspace.id, PREVIOUS_SECRET_LABEL)
    if (retired) await recordChange(c, store, clock(), { action: 'key.retire', target: 'key:secret_previous' })
    return c.json({ retired }, 200)
  })

  // Whether identity verification is on; never the secret itself (console.md, Settings).
  route.get('/keys/identity', guard, (c) => c.json({ enabled: callerOf(c).workspace.identitySecret !== null }, 200))

  route.get('/keys/write/origins', guard, async (c) => {
    const principal = callerOf(c)
    return c.json({ origins: principal.workspace.allowedOrigins }, 200)
  })

  route.put('/keys/write/origins', limit, guard, readJson(), json(OriginsBodySchema), async (c) => {
    const principal = callerOf(c)
    const { origins } = c.req.valid('json')
    const list = [...new Set(origins.map(normaliseOrigin))]
    await store.setAllowedOrigins(principal.workspace.id, list)
    await recordChange(c, store, clock(), {
      action: 'origins.update',
      target: 'key:write',
      before: { origins: principal.workspace.allowedOrigins },
      after: { origins: list },
    })
    return c.json({ origins: list }, 200)
  })

  return route
}
