/** The store's contract for webhooks, re-exported by types.ts. */
import type {
  AttemptResult,
  ClaimedDelivery,
  DeliveryStatus,
  DeliveryView,
  EndpointChange,
  WebhookEndpoint,
  WebhookEvent,
  WebhookEventType,
  WebhookFormat,
} from '../webhooks/types'

/**
 * Webhooks (migrations 004, 009; server/store/webhook-deliveries.ts): endpoints, the outbox of typed
 * events with one delivery per matching endpoint, and the dispatcher's claims. Every call but
 * claimDue names one workspace.
 */
export interface WebhookStore {
  /** Creates an endpoint with a new `whsec_` secret; returns it with the secret (shown this once). */
  createEndpoint(
    workspaceId: string,
    input: { url: string; events: WebhookEventType[] | null; format: WebhookFormat; at: number },
  ): Promise<WebhookEndpoint & { secret: string }>
  /** The workspace's endpoints, oldest first, without secrets. */
  listEndpoints(workspaceId: string): Promise<WebhookEndpoint[]>
  /** Changes an endpoint (the secret stays); returns it as changed, or null: no such endpoint. */
  updateEndpoint(workspaceId: string, id: string, change: EndpointChange): Promise<WebhookEndpoint | null>
  /** Deletes an endpoint and its deliveries (a delivery in flight finishes; its result is dropped). false: no such endpoint. */
  deleteEndpoint(workspaceId: string, id: string): Promise<boolean>
  /** true when the workspace has this endpoint. */
  endpointExists(workspaceId: string, id: string): Promise<boolean>
  /**
   * Puts `events` in the workspace's outbox: each is stored once per (workspaceId, causeKey), a cause
   * already stored is skipped, and a new one gets a pending delivery per endpoint whose `events`
   * filter takes its type (paused endpoints included: theirs wait). Returns how many were new. To
   * commit them with what caused them, pass them to putSnapshots instead.
   */
  enqueue(workspaceId: string, events: WebhookEvent[]): Promise<number>
  /**
   * An endpoint's deliveries, newest first, optionally of one status (`dead`: the dead letters), a
   * page of `limit` (default 100) at a time; deliveries created meanwhile never shift a page. A
   * cursor that is not a previous page's `nextCursor`: RangeError.
   */
  listDeliveries(
    workspaceId: string,
    endpointId: string,
    query?: { status?: DeliveryStatus; limit?: number; cursor?: string },
  ): Promise<{ items: DeliveryView[]; nextCursor: string | null }>
  /**
   * Puts one delivery back in the queue, due now: status pending, attempts kept, any claim on it
   * void (a result still in flight is dropped). false: no such delivery of that endpoint.
   */
  replayDelivery(workspaceId: string, endpointId: string, deliveryId: string, at: number): Promise<boolean>
  /**
   * Claims up to `limit` deliveries due at `now`, of any workspace, for one dispatcher: concurrent
   * claims (other processes) never take the same one, and nobody else sees it as due until
   * `leaseUntil`. Endpoints that are paused are skipped. Counts the attempt.
   */
  claimDue(opts: { now: number; limit: number; leaseUntil: number; token: string }): Promise<ClaimedDelivery[]>
  /**
   * Records an attempt's result, only while the claim still holds the delivery (a replay, a deletion
   * or a newer claim after the lease ran out make it void). false when it no longer held.
   */
  recordAttempt(claim: Pick<ClaimedDelivery, 'workspaceId' | 'id' | 'token'>, result: AttemptResult): Promise<boolean>
}
