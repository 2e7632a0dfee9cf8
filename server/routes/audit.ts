import { Hono } from 'hono'
import type { MiddlewareHandler } from 'hono'
import { z } from 'zod'
import { callerOf } from '../http/access'
import type { AppEnv } from '../http/app-env'
import { ApiError } from '../http/errors'
import { query, timeSchema } from '../http/validate'
import type { AuditEntry, Store } from '../store/types'

export const DEFAULT_AUDIT_PAGE = 50
export const MAX_AUDIT_PAGE = 500

/** `GET /v1/audit` query. */
export const AuditQuerySchema = z.strictObject({
  actor: z.string().min(1).max(320).optional().describe('a member id or email, or a key label'),
  action: z.string().min(1).max(100).optional(),
  from: timeSchema.optional(),
  to: timeSchema.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_AUDIT_PAGE).optional(),
  cursor: z.string().min(1).max(100).optional(),
})

const entryJson = (e: AuditEntry) => ({ ...e, at: new Date(e.at).toISOString() })

/** `GET /v1/audit` (console.md, "Audit log"), to be mounted under `/v1`. */
export function auditRoute({ store, guard }: { store: Store; guard: MiddlewareHandler<AppEnv> }): Hono<AppEnv> {
  const route = new Hono<AppEnv>()
  route.get('/audit', guard, query(AuditQuerySchema), async (c) => {
    const q = c.req.valid('query')
    const page = await store.audit
      .list(callerOf(c).workspace.id, { ...q, limit: q.limit ?? DEFAULT_AUDIT_PAGE })
      .catch((err: unknown) => {
        if (err instanceof RangeError) {
          throw new ApiError(400, 'invalid_query', 'invalid cursor', [
            { path: 'cursor', message: 'not a cursor from a previous page' },
          ])
        }
        throw err
      })
    return c.json({ items: page.items.map(entryJson), nextCursor: page.nextCursor }, 200)
  })
  return route
}
