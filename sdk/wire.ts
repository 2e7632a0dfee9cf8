/**
 * What travels between the SDK and the server. Type-only: the browser never validates with zod,
 * the server does (server/routes/batch.ts), and its schemas must accept every shape written here.
 */

/**
 * Account-level facts (journey.md, "Reserved events") that only a server holding the secret key
 * may send: a CRM, calendar, helpdesk or billing system. A write key sending one gets a 403; the SDK
 * refuses them in `track` so that one wrong call cannot block the queue. The only value in this
 * otherwise type-only file, so that both sides read one list.
 */
export const ACCOUNT_FACTS = [
  'welcome_email_sent', 'access_granted',
  'kickoff_scheduled', 'kickoff_rescheduled', 'kickoff_held',
  'training_scheduled', 'training_attended', 'training_no_show',
  'health_check_done', 'ticket_opened', 'ticket_closed', 'usage_limit', 'value_metric',
  'case_study_done', 'advisory_board_joined', 'speaking_done',
  'qbr_held', 'renewal_started', 'renewal_proposal_sent', 'negotiation_started', 'contract_sent',
  'renewal_follow_up', 'renewal_notice_sent', 'renewed', 'churned',
] as const

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
