import { Hono, type Context, type MiddlewareHandler } from 'hono'
import { z } from 'zod'
import { ACCOUNT_FACTS, type Issue } from '../../sdk/wire'
import { admit } from '../auth'
import { ApiError, errorBody, errorResponse, zodIssues, maxBody } from '../http'
import type { AppEnv } from '../http'
import { rejectUnverified } from '../identity'
import type { RateLimit } from '../rate-limit'
import type { EventType, KeyKind, NewEvent, Store } from '../store/types'
import { detractorFacts, npsCandidates } from '../derived'
import type { ConfigSource } from './config'

// Limits of POST /v1/batch. The README quotes them; change them there too.

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

/**
 * Segment's per-call endpoints (`POST /v1/identify`, `/v1/track`, …): one event as the body, of the
 * path's type, through the batch's path (same keys, checks and answer).
 */
export const SEGMENT_CALLS = ['identify', 'track', 'page', 'screen', 'group', 'alias'] as const
export type SegmentCall = (typeof SEGMENT_CALLS)[number]

/** Issues reported per event at most, so that one huge bad event cannot make a huge answer. */
const MAX_ISSUES_PER_EVENT = 10

// ---------------------------------------------------------------------------------------------
// Schemas: they must accept every WireEvent of sdk/wire.ts, and Segment's HTTP tracking API.

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** A JSON object, kept as parsed (zod's record would copy it, and turn a `__proto__` key into a prototype). */
const jsonObject = z.custom<Record<string, unknown>>(isPlainObject, { message: 'expected an object' })

const eventId = z.string().min(1).max(MAX_ID_LENGTH)
const identity = z.string().min(1).max(MAX_IDENTITY_LENGTH)
/** Segment allows numeric user and group ids; they are stored as strings. */
const identityOrNumber = z.union([identity, z.number()]).transform((v) => String(v))

const timestamp = z.iso
  .datetime({ offset: true, message: 'expected an ISO-8601 date-time with a time zone (Z or ±hh:mm)' })
  .refine((s) => Date.parse(s) >= MIN_TIMESTAMP, 'timestamp before 1970-01-01')

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
  userHash: z.string().max(MAX_IDENTITY_LENGTH).nullish(),
  // Segment's envelope fields (_metadata, integrations, originalTimestamp, sentAt, receivedAt,
  // channel, version) are accepted by looseObject and ignored.
})
type ParsedEvent = z.infer<typeof WireEventSchema>

/** The request body; the events are checked one by one so that one bad event does not fail the rest. */
export const BatchBodySchema = z.looseObject({
  batch: z.array(z.unknown()).min(1).max(MAX_BATCH_EVENTS),
  writeKey: z.string().nullish(),
  // sentAt (Segment, the SDK) is accepted and ignored: the server's clock decides the received time.
})

// ---------------------------------------------------------------------------------------------
// Checks zod does not do: size, depth, and strings PostgreSQL's jsonb refuses.

/** U+0000 or a lone surrogate: jsonb refuses both, which would otherwise be a 500 at insert time. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

interface Node {
  value: unknown
  key: string | number | null
  parent: Node | null
  depth: number
}

function pathOf(node: Node, prefix: (string | number)[]): string {
  const keys: (string | number)[] = []
  for (let n: Node | null = node; n && n.key !== null; n = n.parent) keys.push(n.key)
  return [...prefix, ...keys.reverse()].join('.')
}

/** What UNSTORABLE can match needs one of these: a cheaper test first. */
const MAYBE_UNSTORABLE = /[\u0000\uD800-\uDFFF]/

/**
 * True when `value` has nothing limitIssues would report but its size: no object or array
 * deeper than MAX_EVENT_DEPTH, no unstorable string or key. No allocation (the common case);
 * recursion stops at MAX_EVENT_DEPTH + 1 levels. Adds to `size.bound` an upper bound of the bytes
 * of its JSON: 6 per string character (`\u001f` is six bytes for one; UTF-8 needs at most 3 per
 * UTF-16 unit), 25 per number (`-1.2345678901234567e-308`), quotes, brackets, colons and commas,
 * so that the exact size (a JSON.stringify) is only needed for large events.
 */
function withinLimits(value: unknown, depth: number, size: { bound: number }): boolean {
  if (typeof value === 'string') {
    size.bound += 6 * value.length + 3
    return !(MAYBE_UNSTORABLE.test(value) && UNSTORABLE.test(value))
  }
  if (typeof value !== 'object' || value === null) return (size.bound += 26), true
  if (depth > MAX_EVENT_DEPTH) return false
  size.bound += 3
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!withinLimits(value[i], depth + 1, size)) return false
    return true
  }
  for (const key of Object.keys(value)) {
    size.bound += 6 * key.length + 3
    if (MAYBE_UNSTORABLE.test(key) && UNSTORABLE.test(key)) return false
    if (!withinLimits((value as Record<string, unknown>)[key], depth + 1, size)) return false
  }
  return true
}

/**
 * Depth, unstorable strings, then size, of one raw event. Iterative, and it never descends past
 * MAX_EVENT_DEPTH, so a 10,000-level body costs nothing (JSON.stringify would overflow the stack).
 * A clean event (the common case) is told by withinLimits, without building the walk's nodes.
 */
export function limitIssues(raw: unknown, prefix: (string | number)[]): Issue[] {
  const issues: Issue[] = []
  const size = { bound: 0 }
  if (withinLimits(raw, 1, size)) return size.bound <= MAX_EVENT_BYTES ? issues : sizeIssues(raw, prefix, issues)
  const stack: Node[] = [{ value: raw, key: null, parent: null, depth: 1 }]
  while (stack.length > 0 && issues.length < MAX_ISSUES_PER_EVENT) {
    const node = stack.pop()!
    const { value } = node
    if (typeof value === 'string') {
      if (UNSTORABLE.test(value)) issues.push({ path: pathOf(node, prefix), message: 'string contains U+0000 or a lone surrogate' })
      continue
    }
    if (typeof value !== 'object' || value === null) continue
    if (node.depth > MAX_EVENT_DEPTH) {
      issues.push({ path: pathOf(node, prefix), message: `nested deeper than ${MAX_EVENT_DEPTH} levels` })
      continue
    }
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], key: i, parent: node, depth: node.depth + 1 })
    } else {
      for (const key of Object.keys(value)) {
        const child: Node = { value: (value as Record<string, unknown>)[key], key, parent: node, depth: node.depth + 1 }
        if (UNSTORABLE.test(key)) issues.push({ path: pathOf(child, prefix), message: 'key contains U+0000 or a lone surrogate' })
        stack.push(child)
      }
    }
  }
  if (issues.length > 0) return issues
  return sizeIssues(raw, prefix, issues)
}

function sizeIssues(raw: unknown, prefix: (string | number)[], issues: Issue[]): Issue[] {
  const bytes = Buffer.byteLength(JSON.stringify(raw) ?? '', 'utf8')
  if (bytes > MAX_EVENT_BYTES) issues.push({ path: prefix.join('.'), message: `event is ${bytes} bytes of JSON; the limit is ${MAX_EVENT_BYTES}` })
  return issues
}

// ---------------------------------------------------------------------------------------------
// Rules across fields, and normalisation to the store's NewEvent.

/** accountId, else Segment's groupId, else context.groupId, else null (the store resolves it). */
function accountOf(e: ParsedEvent): string | null {
  if (e.accountId != null) return e.accountId
  if (e.groupId != null) return e.groupId
  const fromContext = e.context?.groupId
  return typeof fromContext === 'string' || typeof fromContext === 'number' ? String(fromContext) : null
}

function eventIssues(e: ParsedEvent, kind: KeyKind, prefix: (string | number)[]): Issue[] {
  const issues: Issue[] = []
  const at = (...path: string[]) => [...prefix, ...path].join('.')
  if (e.id == null && e.messageId == null) issues.push({ path: at('id'), message: 'id (or messageId) is required' })
  if (e.type === 'track' && e.event == null) issues.push({ path: at('event'), message: 'event is required for track' })
  const groupId = e.context?.groupId
  if (groupId != null) {
    if (!((typeof groupId === 'string' && groupId.length >= 1 && groupId.length <= MAX_IDENTITY_LENGTH) || (typeof groupId === 'number' && Number.isFinite(groupId)))) {
      issues.push({ path: at('context', 'groupId'), message: `expected a string of 1..${MAX_IDENTITY_LENGTH} characters` })
    }
  }
  const account = accountOf(e)
  if (e.type === 'group' && account === null) issues.push({ path: at('accountId'), message: 'group requires accountId (or groupId)' })
  if (e.type === 'alias') {
    // Segment's alias names the new id (userId) and the one before it (previousId).
    if (e.previousId == null) issues.push({ path: at('previousId'), message: 'previousId is required for alias' })
    if (e.userId == null) issues.push({ path: at('userId'), message: 'userId (the new id) is required for alias' })
  } else if (e.userId == null && e.anonymousId == null) {
    // An account-level fact from a CRM or helpdesk has no user: only the secret key may send one.
    if (kind !== 'secret' || account === null) {
      issues.push({ path: at('userId'), message: kind === 'secret' ? 'userId or anonymousId is required (or accountId, with no user)' : 'userId or anonymousId is required' })
    }
  }
  return issues
}

/** When an event happened, as trusted from this key (see MAX_FUTURE_SKEW_MS and WRITE_KEY_MAX_AGE_MS). */
export function effectiveTimestamp(sent: number, receivedAt: number, kind: KeyKind): { timestamp: number; clamped: boolean } {
  const tooNew = sent > receivedAt + MAX_FUTURE_SKEW_MS
  const tooOld = kind === 'write' && sent < receivedAt - WRITE_KEY_MAX_AGE_MS
  return tooNew || tooOld ? { timestamp: receivedAt, clamped: true } : { timestamp: sent, clamped: false }
}

/** The name a Segment `alias` is stored under (a `track` event, `properties.previousId`). */
export const ALIAS_EVENT = '$alias'

function normalise(e: ParsedEvent, kind: KeyKind, receivedAt: number): NewEvent {
  const sent = e.timestamp == null ? receivedAt : Date.parse(e.timestamp)
  const { timestamp, clamped } = effectiveTimestamp(sent, receivedAt, kind)
  let context: Record<string, unknown> | null = e.context ?? null
  if (clamped) context = { ...context, originalTimestamp: e.timestamp }

  // Segment's screen is a page of an app (its name kept as the page's); its alias is kept as a fact of
  // the new user (`$alias` with previousId) and merges nothing: the events of previousId stay its own.
  const type: EventType = e.type === 'screen' ? 'page' : e.type === 'alias' ? 'track' : e.type
  let name: string | null = null
  let properties: Record<string, unknown> = e.properties ?? {}
  if (e.type === 'track') name = e.event!
  if (e.type === 'alias') {
    name = ALIAS_EVENT
    properties = { ...properties, previousId: e.previousId }
  }
  if (type === 'page') {
    name = '$page'
    if (e.name != null) properties = { ...properties, name: e.name }
    if (e.category != null) properties = { ...properties, category: e.category }
  }
  const withTraits = e.type === 'identify' || e.type === 'group'
  return {
    id: (e.id ?? e.messageId)!,
    type,
    name,
    userId: e.userId ?? null,
    anonymousId: e.anonymousId ?? null,
    accountId: accountOf(e),
    timestamp,
    receivedAt,
    properties,
    traits: withTraits ? (e.traits ?? {}) : null,
    context,
  }
}

/** The valid events of a batch, normalised, and the rejected ones with every issue. */
export function validateBatch(batch: unknown[], kind: KeyKind, receivedAt: number): { events: NewEvent[]; rejected: { index: number; issues: Issue[] }[] } {
  const events: NewEvent[] = []
  const rejected: { index: number; issues: Issue[] }[] = []
  batch.forEach((raw, index) => {
    const prefix = ['batch', index]
    const issues = limitIssues(raw, prefix)
    if (issues.length === 0) {
      const parsed = WireEventSchema.safeParse(raw)
      if (parsed.success) issues.push(...eventIssues(parsed.data, kind, prefix))
      else issues.push(...zodIssues(parsed.error, prefix))
      if (issues.length === 0 && parsed.success) return void events.push(normalise(parsed.data, kind, receivedAt))
    }
    rejected.push({ index, issues: issues.slice(0, MAX_ISSUES_PER_EVENT) })
  })
  return { events, rejected }
}

const ACCOUNT_FACT_NAMES: ReadonlySet<string> = new Set(ACCOUNT_FACTS)

/** `track` events of ACCOUNT_FACTS in the batch, one issue each (a write key may send none of them). */
export function forbiddenEventIssues(batch: unknown[]): Issue[] {
  const issues: Issue[] = []
  batch.forEach((raw, index) => {
    if (!isPlainObject(raw) || raw.type !== 'track' || typeof raw.event !== 'string') return
    if (ACCOUNT_FACT_NAMES.has(raw.event)) {
      issues.push({ path: `batch.${index}.event`, message: `${raw.event} is an account-level fact: send it with the secret key` })
    }
  })
  return issues
}

// ---------------------------------------------------------------------------------------------
// The handler.

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

export interface BatchDeps {
  store: Store
  clock: () => number
  /** Defaults to MAX_BODY_BYTES. */
  bodyLimit?: number
  /** The workspace's journey config; read only for a batch with a possible detractor answer (server/derived.ts). */
  configOf?: ConfigSource
  /** Write-key rate limits (server/rate-limit.ts); none when absent. */
  rateLimit?: RateLimit
}

/**
 * The body limit. With a Content-Length (and no Transfer-Encoding), the length decides before
 * anything is read, and the body is then read straight from the socket (@hono/node-server's fast
 * path; Node's parser never delivers more than Content-Length bytes). Without one, hono's
 * bodyLimit streams the body and stops at `maxBytes`. Hono's bodyLimit also handles the first
 * case, but it reads `c.req.raw.body`, which makes @hono/node-server build a full web Request
 * (headers, AbortController, ReadableStream) for every batch: about a tenth of the ingest CPU.
 */
function limitBody(maxBytes: number): MiddlewareHandler<AppEnv> {
  const streamed = maxBody(maxBytes)
  return async (c, next) => {
    const length = c.req.header('content-length')
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return streamed(c, next)
    if (Number.parseInt(length || '0', 10) > maxBytes) return errorResponse(c, 413, 'payload_too_large', `the body is larger than ${maxBytes} bytes`)
    await next()
  }
}

/** 415 unless the body is JSON, or text/plain (sendBeacon). */
const jsonOrText: MiddlewareHandler<AppEnv> = async (c, next) => {
  const mediaType = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  if (!(BATCH_MEDIA_TYPES as readonly string[]).includes(mediaType)) {
    return errorResponse(c, 415, 'unsupported_media_type', 'send the batch as application/json (or text/plain for sendBeacon)')
  }
  await next()
}

/** The events of a `POST /v1/batch` body: its `batch`, or a 400. */
function batchOf(body: unknown): unknown[] {
  const shape = BatchBodySchema.safeParse(body)
  if (!shape.success) throw new ApiError(400, 'invalid_body', `expected { batch: [1..${MAX_BATCH_EVENTS} events] }`, zodIssues(shape.error))
  return shape.data.batch
}

/**
 * The one event of a Segment per-call body (`POST /v1/track` …): the body itself, of the path's type
 * (`type` may be left out; another type is a 400). It is then `batch.0` of the answer.
 */
function singleOf(body: unknown, call: SegmentCall): unknown[] {
  if (!isPlainObject(body)) throw new ApiError(400, 'invalid_body', `expected one ${call} event (a JSON object)`)
  if (body.type != null && body.type !== call) {
    throw new ApiError(400, 'invalid_body', `POST /v1/${call} takes ${call} events`, [{ path: 'type', message: `expected ${call} or nothing` }])
  }
  return [{ ...body, type: call }]
}

/** `POST /v1/batch` (api.md, "Ingest") and Segment's per-call endpoints, to be mounted under `/v1`. */
export function batchRoute({ store, clock, bodyLimit: maxBytes = MAX_BODY_BYTES, configOf, rateLimit }: BatchDeps): Hono<AppEnv> {
  const route = new Hono<AppEnv>()

  const ingest = (eventsOf: (body: unknown) => unknown[]) => async (c: Context<AppEnv>) => {
    const receivedAt = clock()
    let bytes: ArrayBuffer
    try {
      bytes = await c.req.arrayBuffer()
    } catch {
      throw new ApiError(400, 'invalid_body', 'the body could not be read')
    }
    // bodyLimit trusts Content-Length when there is one; the bytes read are what counts.
    if (bytes.byteLength > maxBytes) throw new ApiError(413, 'payload_too_large', `the body is larger than ${maxBytes} bytes`)
    let text: string
    try {
      text = strictUtf8.decode(bytes)
    } catch {
      throw new ApiError(400, 'invalid_json', 'the body is not valid UTF-8')
    }
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      throw new ApiError(400, 'invalid_json', 'the body is not valid JSON')
    }

    const principal = await admit(c, store, body, rateLimit)
    if (principal instanceof Response) return principal

    const batch = eventsOf(body)

    if (principal.kind === 'write') {
      const forbidden = forbiddenEventIssues(batch)
      if (forbidden.length > 0) throw new ApiError(403, 'forbidden_event', 'a write key may not send account-level facts; nothing was stored', forbidden)
    }

    // Events of a user without that user's userHash (the workspace verifies identities) are refused
    // (identity.ts); the rest is stored, and the answer is then a 401 naming each refused event.
    const validated = validateBatch(batch, principal.kind, receivedAt)
    const { events, rejected } = rejectUnverified(principal, batch, validated)
    const unverified = rejected.length - validated.rejected.length
    const ws = principal.workspace.id
    // Derived facts (server/derived.ts) are written beside, not counted in the answer.
    const answers = configOf ? npsCandidates(events) : []
    const derived = answers.length > 0 ? detractorFacts(answers, (await configOf!(ws)).nps.passiveMin) : []
    const [{ accepted, duplicates }] = await Promise.all([
      events.length > 0 ? store.ingest(ws, events) : { accepted: 0, duplicates: 0 },
      derived.length > 0 ? store.ingest(ws, derived) : null,
    ])
    c.set('accepted', accepted)
    c.set('duplicates', duplicates)
    c.set('rejected', rejected.length)
    if (unverified > 0) {
      const issues = rejected.flatMap((r) => r.issues.filter((i) => i.path.endsWith('.userHash')))
      const message = `${unverified} event(s) without a valid userHash were refused; the ${accepted + duplicates} other valid event(s) were stored`
      return c.json({ ...errorBody('invalid_user_hash', message, issues), accepted, duplicates, rejected }, 401)
    }
    return c.json({ accepted, duplicates, rejected }, 200)
  }

  route.post('/batch', jsonOrText, limitBody(maxBytes), ingest(batchOf))
  for (const call of SEGMENT_CALLS) route.post(`/${call}`, jsonOrText, limitBody(maxBytes), ingest((body) => singleOf(body, call)))

  return route
}
