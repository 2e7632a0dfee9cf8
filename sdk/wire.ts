/**
 * What travels between the SDK and the server. Type-only: the browser never validates with zod,
 * the server does (server/routes/batch.ts), and its schemas must accept every shape written here.
 */

export type EventType = 'track' | 'identify' | 'group' | 'page'

export interface WireContext {
  library?: { name: string; version: string }
  page?: { url?: string; path?: string; referrer?: string; title?: string; search?: string }
  locale?: string
  userAgent?: string
  sessionId?: string
  /** Segment's way to name the account on non-`group` calls. */
  groupId?: string
  [key: string]: unknown
}

export interface WireEvent {
  /** Made by the sender (a UUIDv7 in the SDK); makes ingestion idempotent. Segment's `messageId` is accepted too. */
  id: string
  type: EventType
  /** The event name, for `track`. */
  event?: string
  /** The page name, for `page`. */
  name?: string
  userId?: string
  anonymousId?: string
  accountId?: string
  /** ISO-8601. */
  timestamp: string
  properties?: Record<string, unknown>
  traits?: Record<string, unknown>
  context?: WireContext
  /** Hex HMAC-SHA256 of `userId` with the workspace's identity secret (on `identify`). */
  userHash?: string
}

export interface BatchRequest {
  batch: WireEvent[]
  /** For `navigator.sendBeacon`, which cannot set an Authorization header. */
  writeKey?: string
  sentAt?: string
}

export interface Issue {
  path: string
  message: string
}

export interface BatchResponse {
  accepted: number
  duplicates: number
  rejected: { index: number; issues: Issue[] }[]
}

export interface ErrorBody {
  error: { code: string; message: string; issues?: Issue[] }
}
