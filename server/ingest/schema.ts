/**
 * The shape of what ingest accepts: Jornada's events (sdk/wire.ts `WireEvent`) and Segment's HTTP
 * tracking API. The rules that depend on several fields or on the key are in validate-batch.ts.
 */
import { z } from 'zod'
import {
  MAX_BATCH_EVENTS,
  MAX_EVENT_NAME_LENGTH,
  MAX_ID_LENGTH,
  MAX_IDENTITY_LENGTH,
  MAX_USER_TOKEN_LENGTH,
  MIN_TIMESTAMP,
} from './limits'

/**
 * Segment's per-call endpoints (`POST /v1/identify`, `/v1/track`, …): one event as the body, of the
 * path's type, through the batch's path (same keys, checks and answer).
 */
export const SEGMENT_CALLS = ['identify', 'track', 'page', 'screen', 'group', 'alias'] as const
export type SegmentCall = (typeof SEGMENT_CALLS)[number]

/**
 * Segment's short paths, each the same route as its long one: analytics.js 2.0 (`@segment/analytics-next`)
 * posts one call to `/v1/` + the first letter of its type, and batches to `/v1/b`, where Segment's
 * mobile libraries (analytics-swift, analytics-kotlin) send theirs too.
 */
export const SEGMENT_SHORT_PATHS: Readonly<Record<'batch' | SegmentCall, string>> = {
  batch: 'b',
  identify: 'i',
  track: 't',
  page: 'p',
  screen: 's',
  group: 'g',
  alias: 'a',
}

/** Where analytics.js 2.0 posts its own delivery metrics: answered 204, nothing read (routes/batch.ts). */
export const SEGMENT_METRICS_PATH = 'm'

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** A JSON object, kept as parsed (zod's record would copy it, and turn a `__proto__` key into a prototype). */
const jsonObject = z.custom<Record<string, unknown>>(isPlainObject, { message: 'expected an object' })

const eventId = z.string().min(1).max(MAX_ID_LENGTH)
const identity = z.string().min(1).max(MAX_IDENTITY_LENGTH)
/** Segment allows numeric user and group ids; they are stored as strings. */
const identityOrNumber = z.union([identity, z.number()]).transform((v) => String(v))

const timestamp = z.iso
  .datetime({ offset: true, message: 'expected an ISO-8601 date-time with a time zone (Z or ±hh:mm)' })
  // NaN (a string that is no date-time, already named by the check above) is not also "before 1970".
  .refine((s) => !(Date.parse(s) < MIN_TIMESTAMP), 'timestamp before 1970-01-01')

/**
 * The shape of one event; the rules that depend on several fields or on the key are in eventIssues.
 * Besides Jornada's four types, Segment's `screen` (stored as a `page`) and `alias` (stored as a
 * `track` named `$alias`; users are not merged): see normalise.
 */
export const WireEventSchema = z.looseObject({
  id: eventId.nullish(),
  messageId: eventId.nullish(),
  type: z.enum(['track', 'identify', 'group', 'page', 'screen', 'alias']),
  event: z.string().min(1).max(MAX_EVENT_NAME_LENGTH).nullish(),
  name: z.string().max(MAX_EVENT_NAME_LENGTH).nullish(),
  category: z.string().max(MAX_EVENT_NAME_LENGTH).nullish(),
  userId: identityOrNumber.nullish(),
  anonymousId: identityOrNumber.nullish(),
  accountId: identity.nullish(),
  groupId: identityOrNumber.nullish(),
  /** `alias`: the id the user had before `userId`. */
  previousId: identityOrNumber.nullish(),
  timestamp: timestamp.nullish(),
  properties: jsonObject.nullish(),
  traits: jsonObject.nullish(),
  context: jsonObject.nullish(),
  /** Identity verification (verify-identity.ts): the user's proof, as `identify` was given it. */
  userHash: z.string().max(MAX_IDENTITY_LENGTH).nullish(),
  userToken: z.string().max(MAX_USER_TOKEN_LENGTH).nullish(),
  // Segment's envelope fields (_metadata, integrations, originalTimestamp, sentAt, receivedAt,
  // channel, version) are accepted by looseObject and ignored.
})
export type ParsedEvent = z.infer<typeof WireEventSchema>

/** The request body; the events are checked one by one so that one bad event does not fail the rest. */
export const BatchBodySchema = z.looseObject({
  batch: z.array(z.unknown()).min(1).max(MAX_BATCH_EVENTS),
  writeKey: z.string().nullish(),
  // sentAt (Segment, the SDK) is accepted and ignored: the server's clock decides the received time.
})
