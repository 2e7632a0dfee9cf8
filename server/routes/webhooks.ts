import { Hono } from 'hono'
import type { MiddlewareHandler } from 'hono'
import { z } from 'zod'
import { callerOf } from '../http/access'
import { recordChange } from '../http/audit'
import { maxBody, readJson } from '../http/body'
import type { AppEnv } from '../http/app-env'
import { ApiError } from '../http/errors'
import { json, param, query } from '../http/validate'
import type { Store } from '../store/types'
import { checkWebhookUrl } from '../webhooks/ssrf'
import type { WebhookUrlPolicy } from '../webhooks/ssrf'
import { DELIVERY_STATUSES, WEBHOOK_EVENT_TYPES, WEBHOOK_FORMATS } from '../webhooks/types'
import type { DeliveryView, WebhookEndpoint } from '../webhooks/types'

/** Largest `POST /v1/webhooks` body, bytes. */
const MAX_WEBHOOK_BYTES = 16 * 1024
/** Deliveries listed at most. */
const MAX_DELIVERIES = 500
const DEFAULT_DELIVERIES = 100

/** An endpoint's URL: http or https. Private addresses are refused after parsing (checkWebhookUrl: it needs DNS). */
const WebhookUrl = z
  .string()
  .max(2048)
  .refine((s) => {
    try {
      const u = new URL(s)
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== ''
    } catch {
      return false
    }
  }, 'expected an http or https URL')
const WebhookEvents = z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1, 'leave events out to receive every type')

/** `POST /v1/webhooks` body. `events` left out: every type. */
export const CreateWebhookSchema = z.strictObject({
  url: WebhookUrl,
  events: WebhookEvents.optional(),
  format: z.enum(WEBHOOK_FORMATS).optional(),
})

/**
 * `PATCH /v1/webhooks/:id` body: the fields to change, the others stay. `events: null` goes back to
 * every type; `enabled: false` pauses the endpoint (its deliveries wait, pending, until `true`).
 */
export const UpdateWebhookSchema = z.strictObject({
  url: WebhookUrl.optional(),
  events: WebhookEvents.nullable().optional(),
  format: z.enum(WEBHOOK_FORMATS).optional(),
  enabled: z.boolean().optional(),
})

/** `GET /v1/webhooks/:id/deliveries` query. `status=dead`: the dead letters; `cursor`: a previous answer's `nextCursor`. */
export const DeliveriesQuerySchema = z.strictObject({
  status: z.enum(DELIVERY_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_DELIVERIES).optional(),
  cursor: z.string().min(1).max(512).optional(),
})

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString())

const endpointJson = (e: WebhookEndpoint) => ({
  id: e.id,
  url: e.url,
  events: e.events,
  format: e.format,
  enabled: !e.disabled,
  createdAt: iso(e.createdAt),
})

const deliveryJson = (d: DeliveryView) => ({
  id: d.id,
  eventId: d.eventId,
  type: d.type,
  status: d.status,
  attempts: d.attempts,
  lastStatus: d.lastStatus,
  lastResponse: d.lastResponse,
  lastError: d.lastError,
  nextAttemptAt: iso(d.nextAttemptAt),
  updatedAt: iso(d.updatedAt),
})

export interface WebhooksDeps {
  store: Store
  clock: () => number
  /** Which URLs endpoints may have (ssrf.ts): private addresses are refused unless `allowPrivate`. */
  urlPolicy?: WebhookUrlPolicy
  guard: MiddlewareHandler<AppEnv>
}

/** Paths with a webhook id, and a delivery id; their strings are checked by validate.ts `param`. */
const WebhookPathSchema = z.strictObject({ id: z.string() })
const DeliveryPathSchema = z.strictObject({ id: z.string(), deliveryId: z.string() })

/**
 * Webhook endpoints and their deliveries (api.md, "Journey"), to be mounted under `/v1`.
 * Secret key only. The endpoint's secret is in the answer of its creation and nowhere else.
 */
export function webhooksRoute({ store, clock, urlPolicy = {}, guard }: WebhooksDeps): Hono<AppEnv> {
  const route = new Hono<AppEnv>()
  const notFound = (id: string) => new ApiError(404, 'not_found', `no webhook ${JSON.stringify(id)}`)

  async function requireEndpoint(ws: string, id: string): Promise<void> {
    if (!(await store.webhooks.endpointExists(ws, id))) throw notFound(id)
  }

  /** A 400 naming `url` when it is, or resolves to, a private address (SSRF). */
  async function requireSafeUrl(url: string): Promise<void> {
    const reason = await checkWebhookUrl(url, urlPolicy)
    if (reason !== null) throw new ApiError(400, 'invalid_body', 'invalid webhook', [{ path: 'url', message: reason }])
  }

  route.post(
    '/webhooks',
    maxBody(MAX_WEBHOOK_BYTES),
    guard,
    readJson(),
    json(CreateWebhookSchema, 'webhook'),
    async (c) => {
      const ws = callerOf(c).workspace.id
      const body = c.req.valid('json')
      await requireSafeUrl(body.url)
      const created = await store.webhooks.createEndpoint(ws, {
        url: body.url,
        events: body.events ? [...new Set(body.events)] : null,
        format: body.format ?? 'standard',
        at: clock(),
      })
      // The secret is in the answer, and nowhere else: not in the log.
      await recordChange(c, store, clock(), {
        action: 'webhook.create',
        target: `webhook:${created.id}`,
        after: endpointJson(created),
      })
      return c.json({ ...endpointJson(created), secret: created.secret }, 201)
    },
  )

  route.get('/webhooks', guard, async (c) => {
    const ws = callerOf(c).workspace.id
    return c.json({ items: (await store.webhooks.listEndpoints(ws)).map(endpointJson) }, 200)
  })

  route.patch(
    '/webhooks/:id',
    maxBody(MAX_WEBHOOK_BYTES),
    guard,
    param(WebhookPathSchema),
    readJson(),
    json(UpdateWebhookSchema, 'webhook'),
    async (c) => {
      const ws = callerOf(c).workspace.id
      const { id } = c.req.valid('param')
      const body = c.req.valid('json')
      // An unknown id is a 404 before the URL's DNS lookup.
      await requireEndpoint(ws, id)
      if (body.url !== undefined) await requireSafeUrl(body.url)
      const before = (await store.webhooks.listEndpoints(ws)).find((e) => e.id === id)
      const updated = await store.webhooks.updateEndpoint(ws, id, {
        url: body.url,
        format: body.format,
        events: body.events === undefined ? undefined : body.events === null ? null : [...new Set(body.events)],
        disabled: body.enabled === undefined ? undefined : !body.enabled,
      })
      if (!updated) throw notFound(id) // deleted meanwhile
      await recordChange(c, store, clock(), {
        action: 'webhook.update',
        target: `webhook:${id}`,
        before: before && endpointJson(before),
        after: endpointJson(updated),
      })
      return c.json(endpointJson(updated), 200)
    },
  )

  route.delete('/webhooks/:id', guard, param(WebhookPathSchema), async (c) => {
    const ws = callerOf(c).workspace.id
    const { id } = c.req.valid('param')
    const before = (await store.webhooks.listEndpoints(ws)).find((e) => e.id === id)
    if (!(await store.webhooks.deleteEndpoint(ws, id))) throw notFound(id)
    await recordChange(c, store, clock(), {
      action: 'webhook.delete',
      target: `webhook:${id}`,
      before: before && endpointJson(before),
    })
    return c.body(null, 204)
  })

  route.get('/webhooks/:id/deliveries', guard, param(WebhookPathSchema), query(DeliveriesQuerySchema), async (c) => {
    const ws = callerOf(c).workspace.id
    const q = c.req.valid('query')
    const { id } = c.req.valid('param')
    await requireEndpoint(ws, id)
    const page = await store.webhooks
      .listDeliveries(ws, id, { status: q.status, limit: q.limit ?? DEFAULT_DELIVERIES, cursor: q.cursor })
      .catch((err: unknown) => {
        // listDeliveries refuses a cursor it did not make (RangeError); anything else is a 500.
        if (err instanceof RangeError)
          throw new ApiError(400, 'invalid_query', 'invalid cursor', [
            { path: 'cursor', message: 'not a cursor from a previous page' },
          ])
        throw err
      })
    const deliveries = page.items.map(deliveryJson)
    // `items` is the answer's first name, kept for the clients written against it.
    return c.json({ deliveries, nextCursor: page.nextCursor, items: deliveries }, 200)
  })

  route.post('/webhooks/:id/deliveries/:deliveryId/replay', guard, param(DeliveryPathSchema), async (c) => {
    const ws = callerOf(c).workspace.id
    const { id, deliveryId } = c.req.valid('param')
    await requireEndpoint(ws, id)
    if (!(await store.webhooks.replayDelivery(ws, id, deliveryId, clock()))) {
      throw new ApiError(404, 'not_found', `no delivery ${JSON.stringify(deliveryId)} of webhook ${JSON.stringify(id)}`)
    }
    await recordChange(c, store, clock(), { action: 'webhook.replay', target: `webhook:${id}`, after: { deliveryId } })
    return c.json({ id: deliveryId, status: 'pending' }, 202)
  })

  return route
}
