/**
 * Webhooks (issue 5): the typed events, the contract between detection (detect.ts: what became
 * true for an account) and delivery (outbox.ts, dispatcher.ts: signed, retried, once per cause).
 */

export const WEBHOOK_EVENT_TYPES = [
  'phase.changed', 'red_flag.raised', 'red_flag.cleared', 'milestone.overdue', 'nps.detractor', 'nps.promoter',
  'expansion.ready', 'renewal.task_due', 'intervention.created', 'value.statement_ready',
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
