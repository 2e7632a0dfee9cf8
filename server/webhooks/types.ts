/**
 * Webhooks: the typed events, the contract between detection (detect.ts: what became true for an
 * account) and delivery (the store's outbox, server/store/webhook-deliveries.ts, and dispatcher.ts:
 * signed, retried, once per cause); and the endpoints and deliveries the store keeps.
 */

export const WEBHOOK_EVENT_TYPES = [
  'phase.changed',
  'red_flag.raised',
  'red_flag.cleared',
  'milestone.overdue',
  'nps.detractor',
  'nps.promoter',
  'expansion.ready',
  'renewal.task_due',
  'intervention.created',
  'value.statement_ready',
] as const
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number]

/** One event to deliver, before it is stored. */
export interface WebhookEvent {
  type: WebhookEventType
  accountId: string
  /**
   * What makes it one cause: the outbox keeps one event per (workspace, causeKey), whoever writes it
   * and however often (several processes, restarts, re-evaluations). Built from the type, the
   * account and what identifies the occurrence: `red_flag.raised:acme:setup_late:2026-11-10`,
   * `nps.detractor:acme:<nps_response event id>`, `value.statement_ready:acme:2026-11`.
   */
  causeKey: string
  /** When the condition became true (epoch ms). */
  occurredAt: number
  /** The event's payload (`data` of the delivered body), JSON. */
  data: Record<string, unknown>
}

/** The body POSTed to a `standard` endpoint (Standard Webhooks: `type`, `timestamp`, `data`). */
export interface WebhookBody {
  /** The event id (also the `webhook-id` header): `evt_…`. */
  id: string
  type: WebhookEventType
  /** ISO-8601 of `occurredAt`. */
  timestamp: string
  accountId: string
  data: Record<string, unknown>
}

export const WEBHOOK_FORMATS = ['standard', 'slack'] as const
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number]
export const DELIVERY_STATUSES = ['pending', 'delivered', 'dead'] as const
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number]

/** An endpoint as listed: never its secret. `events` null: every type. */
export interface WebhookEndpoint {
  id: string
  url: string
  events: WebhookEventType[] | null
  format: WebhookFormat
  /** Paused (PATCH enabled: false): its deliveries are created but wait, pending, until it is enabled. */
  disabled: boolean
  createdAt: number
}

/** What PATCH /v1/webhooks/:id changes; a field left out stays. `events` null: every type. */
export interface EndpointChange {
  url?: string
  events?: WebhookEventType[] | null
  format?: WebhookFormat
  disabled?: boolean
}

export interface DeliveryView {
  id: string
  eventId: string
  type: WebhookEventType
  status: DeliveryStatus
  attempts: number
  lastStatus: number | null
  lastResponse: string | null
  lastError: string | null
  /** pending: the next attempt (null: as soon as a dispatcher runs); delivered and dead: null. */
  nextAttemptAt: number | null
  updatedAt: number
}

/** A delivery held by one dispatcher's claim, with what it needs to POST it. */
export interface ClaimedDelivery {
  workspaceId: string
  id: string
  token: string
  /** Attempts including this one. */
  attempts: number
  eventId: string
  type: WebhookEventType
  accountId: string
  /** The event's `data`, as JSON text. */
  payload: string
  occurredAt: number
  url: string
  secret: string
  format: WebhookFormat
}

/** What one attempt came to. `nextAttemptAt` null: no further attempt (delivered or dead). */
export interface AttemptResult {
  status: DeliveryStatus
  nextAttemptAt: number | null
  lastStatus: number | null
  lastResponse: string | null
  lastError: string | null
  at: number
}
