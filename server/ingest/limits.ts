/**
 * The limits of ingest (`POST /v1/batch` and Segment's per-call endpoints; docs/ingest.md quotes
 * them: change them there too).
 */

/** Largest request body, in bytes (Content-Length and the streamed size are both checked). */
export const MAX_BODY_BYTES = 500 * 1024
/** Events per batch. */
export const MAX_BATCH_EVENTS = 500
/** Largest event, as UTF-8 JSON bytes. */
export const MAX_EVENT_BYTES = 32 * 1024
/** Deepest nesting of objects and arrays in one event (the event itself is level 1). */
export const MAX_EVENT_DEPTH = 32
/** Length of an event id (`id` or Segment's `messageId`). */
export const MAX_ID_LENGTH = 128
/** Length of a `track` event name. */
export const MAX_EVENT_NAME_LENGTH = 200
/** Length of `userId`, `anonymousId` and account ids. */
export const MAX_IDENTITY_LENGTH = 256
/** Length of a `userToken` (a JWT naming a user and their accounts; verify-identity.ts). */
export const MAX_USER_TOKEN_LENGTH = 4096
/** A timestamp further ahead of the server's clock than this is clamped to the received time (any key). */
export const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000
/**
 * With a write key, a timestamp older than this is clamped to the received time: the SDK's durable
 * queue may hold events through a long offline period, anything older is not trusted from a public
 * key. The secret key may send any past time (imports).
 */
export const WRITE_KEY_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000
/** Timestamps before this (1970-01-01) are rejected: no customer journey starts there. */
export const MIN_TIMESTAMP = 0
/** Media types accepted: JSON, and text/plain for `navigator.sendBeacon` (no CORS preflight). */
export const BATCH_MEDIA_TYPES = ['application/json', 'text/plain'] as const

/** Issues reported per event at most, so that one huge bad event cannot make a huge answer. */
export const MAX_ISSUES_PER_EVENT = 10
