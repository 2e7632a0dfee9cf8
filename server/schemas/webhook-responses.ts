/** What the webhook routes answer: endpoints (never their secret but once), deliveries, a replay. */
import { z } from 'zod'
import { DELIVERY_STATUSES, WEBHOOK_EVENT_TYPES, WEBHOOK_FORMATS } from '../webhooks/types'
import { count, int, iso } from './response-parts'

/** An endpoint as listed (never its secret). `events` null: every type. */
export const WebhookEndpointSchema = z.strictObject({
  id: z.string(),
  url: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENT_TYPES)).nullable(),
  format: z.enum(WEBHOOK_FORMATS),
  enabled: z.boolean(),
  createdAt: iso,
})

/** `POST /v1/webhooks`: the endpoint and its signing secret, shown this once. */
export const WebhookCreatedSchema = z.strictObject({
  ...WebhookEndpointSchema.shape,
  secret: z.string().describe('`whsec_` + base64'),
})

export const WebhookListSchema = z.strictObject({ items: z.array(WebhookEndpointSchema) })

const DeliverySchema = z.strictObject({
  id: z.string(),
  eventId: z.string(),
  type: z.enum(WEBHOOK_EVENT_TYPES),
  status: z.enum(DELIVERY_STATUSES),
  attempts: count,
  lastStatus: int.nullable().describe('HTTP status of the last attempt'),
  lastResponse: z.string().nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: iso.nullable().describe('pending: the next attempt (null: as soon as a dispatcher runs)'),
  updatedAt: iso,
})

/** `GET /v1/webhooks/:id/deliveries`. */
export const DeliveriesPageSchema = z.strictObject({
  deliveries: z.array(DeliverySchema).describe('newest first'),
  nextCursor: z.string().nullable(),
  items: z
    .array(DeliverySchema)
    .meta({ deprecated: true, description: 'the same list as `deliveries`, under its former name' }),
})

export const ReplayResponseSchema = z.strictObject({ id: z.string(), status: z.literal('pending') })
