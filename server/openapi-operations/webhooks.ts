/** The `Webhooks` tag: endpoints and their deliveries. */
import { CreateWebhookSchema, DeliveriesQuerySchema, UpdateWebhookSchema } from '../routes/webhooks'
import {
  DeliveriesPageSchema,
  ReplayResponseSchema,
  WebhookCreatedSchema,
  WebhookEndpointSchema,
  WebhookListSchema,
} from '../schemas/responses'
import type { Operation } from './types'

export const WEBHOOK_OPERATIONS: Operation[] = [
  {
    method: 'post',
    path: '/v1/webhooks',
    summary: 'Add a webhook endpoint (a private or reserved address is a 400 naming `url`)',
    tag: 'Webhooks',
    auth: 'secret',
    body: CreateWebhookSchema,
    ok: {
      status: 201,
      description: 'The endpoint, with its signing `secret` (shown this once)',
      schema: WebhookCreatedSchema,
    },
    errors: [400, 413],
  },
  {
    method: 'get',
    path: '/v1/webhooks',
    summary: 'The webhook endpoints',
    tag: 'Webhooks',
    auth: 'secret',
    ok: { status: 200, description: '`{ items }`', schema: WebhookListSchema },
  },
  {
    method: 'patch',
    path: '/v1/webhooks/:id',
    summary: 'Change a webhook endpoint, or pause it (`enabled: false`: deliveries wait until it is enabled)',
    tag: 'Webhooks',
    auth: 'secret',
    body: UpdateWebhookSchema,
    ok: { status: 200, description: 'The endpoint as changed (without its secret)', schema: WebhookEndpointSchema },
    errors: [400, 404, 413],
  },
  {
    method: 'delete',
    path: '/v1/webhooks/:id',
    summary: 'Remove a webhook endpoint',
    tag: 'Webhooks',
    auth: 'secret',
    ok: { status: 204, description: 'Removed' },
    errors: [404],
  },
  {
    method: 'get',
    path: '/v1/webhooks/:id/deliveries',
    summary: 'Deliveries of an endpoint, newest first (dead letters with status=dead)',
    tag: 'Webhooks',
    auth: 'secret',
    query: DeliveriesQuerySchema,
    ok: {
      status: 200,
      description:
        '`{ deliveries, nextCursor }` (`items`: the same list, its former name): status, attempts, last response',
      schema: DeliveriesPageSchema,
    },
    errors: [400, 404],
  },
  {
    method: 'post',
    path: '/v1/webhooks/:id/deliveries/:deliveryId/replay',
    summary: 'Send one delivery again',
    tag: 'Webhooks',
    auth: 'secret',
    ok: { status: 202, description: 'Queued again: `{ id, status: "pending" }`', schema: ReplayResponseSchema },
    errors: [404],
  },
]
