/**
 * Webhooks' model: the endpoints, one endpoint's deliveries (newest first, older pages appended by
 * cursor), and the changes an admin makes: add an endpoint (its signing secret shown once), pause or
 * resume it (`PATCH enabled`), remove it, replay a delivery.
 */
import { signal } from '@preact/signals'
import type { Api } from '../../api'
import { createAction, createResource } from '../../resource'
import type { DeliveriesPage, Delivery, WebhookCreated, WebhookList } from '../../types'

/** Deliveries per page. */
export const DELIVERY_PAGE = 50

export interface NewEndpoint {
  url: string
  /** Leave out for every type. */
  events?: string[]
  format: 'standard' | 'slack'
}

export function createWebhooksModel(api: Api) {
  const path = (id: string) => `/v1/webhooks/${encodeURIComponent(id)}`
  const endpoints = createResource(() => api.get<WebhookList>('/v1/webhooks'))
  /** The deliveries shown so far, and the cursor of the next older page. */
  const deliveries = createResource(async (id: string, status?: string, cursor?: string, before: Delivery[] = []) => {
    const page = await api.get<DeliveriesPage>(`${path(id)}/deliveries`, { status, cursor, limit: DELIVERY_PAGE })
    return { id, status, items: [...before, ...page.deliveries], nextCursor: page.nextCursor }
  })
  /** The endpoint just created, with its secret: shown once, then forgotten. */
  const created = signal<WebhookCreated | null>(null)

  return {
    endpoints,
    deliveries,
    created,
    loadDeliveries: (id: string, status?: string) => deliveries.load(id, status),
    more() {
      const d = deliveries.data.value
      if (d?.nextCursor) return deliveries.load(d.id, d.status, d.nextCursor, d.items)
      return Promise.resolve()
    },
    create: createAction(async (input: NewEndpoint) => {
      created.value = await api.post<WebhookCreated>('/v1/webhooks', input)
      await endpoints.load()
    }),
    setEnabled: createAction(async (id: string, enabled: boolean) => {
      await api.patch(path(id), { enabled })
      await endpoints.load()
    }),
    remove: createAction(async (id: string) => {
      await api.del(path(id))
      await endpoints.load()
    }),
    replay: createAction(async (id: string, deliveryId: string) => {
      await api.post(`${path(id)}/deliveries/${encodeURIComponent(deliveryId)}/replay`)
      const d = deliveries.data.value
      if (d) await deliveries.load(d.id, d.status)
    }),
  }
}
export type WebhooksModel = ReturnType<typeof createWebhooksModel>
