/**
 * The rules of ingest that zod's shapes (schema.ts) do not hold: size, depth and storable strings,
 * rules across fields and keys, and normalisation into the store's NewEvent.
 */
import { ACCOUNT_FACTS, type Issue } from '../../sdk/wire'
import { zodIssues } from '../http/errors'
import { isStorable, storableIssues } from '../storable-json'
import type { EventType, KeyKind, NewEvent } from '../store/types'
import {
  MAX_EVENT_BYTES,
  MAX_EVENT_DEPTH,
  MAX_FUTURE_SKEW_MS,
  MAX_IDENTITY_LENGTH,
  MAX_ISSUES_PER_EVENT,
  WRITE_KEY_MAX_AGE_MS,
} from './limits'
import { isPlainObject, WireEventSchema } from './schema'
import type { ParsedEvent } from './schema'

/**
 * Depth, unstorable strings, then size, of one raw event. It never descends past MAX_EVENT_DEPTH,
 * so a 10,000-level body costs nothing (JSON.stringify would overflow the stack). A clean event
 * (the common case) is told by isStorable, which also bounds its size, without a JSON.stringify.
 */
export function limitIssues(raw: unknown, prefix: (string | number)[]): Issue[] {
  const size = { bound: 0 }
  if (isStorable(raw, MAX_EVENT_DEPTH, size)) return size.bound <= MAX_EVENT_BYTES ? [] : sizeIssues(raw, prefix)
  const issues = storableIssues(raw, MAX_EVENT_DEPTH, prefix)
  return issues.length > 0 ? issues : sizeIssues(raw, prefix)
}

const utf8 = /* @__PURE__ */ new TextEncoder()

function sizeIssues(raw: unknown, prefix: (string | number)[]): Issue[] {
  const bytes = utf8.encode(JSON.stringify(raw) ?? '').length
  return bytes > MAX_EVENT_BYTES
    ? [{ path: prefix.join('.'), message: `event is ${bytes} bytes of JSON; the limit is ${MAX_EVENT_BYTES}` }]
    : []
}

/** accountId, else Segment's groupId, else context.groupId, else null (the store resolves it). */
export function accountOf(e: ParsedEvent): string | null {
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
    if (
      !(
        (typeof groupId === 'string' && groupId.length >= 1 && groupId.length <= MAX_IDENTITY_LENGTH) ||
        (typeof groupId === 'number' && Number.isFinite(groupId))
      )
    ) {
      issues.push({
        path: at('context', 'groupId'),
        message: `expected a string of 1..${MAX_IDENTITY_LENGTH} characters`,
      })
    }
  }
  const account = accountOf(e)
  if (e.type === 'group' && account === null)
    issues.push({ path: at('accountId'), message: 'group requires accountId (or groupId)' })
  if (e.type === 'alias') {
    // Segment's alias names the new id (userId) and the one before it (previousId).
    if (e.previousId == null) issues.push({ path: at('previousId'), message: 'previousId is required for alias' })
    if (e.userId == null) issues.push({ path: at('userId'), message: 'userId (the new id) is required for alias' })
  } else if (e.userId == null && e.anonymousId == null) {
    // An account-level fact from a CRM or helpdesk has no user: only the secret key may send one.
    if (kind !== 'secret' || account === null) {
      issues.push({
        path: at('userId'),
        message:
          kind === 'secret'
            ? 'userId or anonymousId is required (or accountId, with no user)'
            : 'userId or anonymousId is required',
      })
    }
  }
  return issues
}

/** When an event happened, as trusted from this key (see MAX_FUTURE_SKEW_MS and WRITE_KEY_MAX_AGE_MS). */
export function effectiveTimestamp(
  sent: number,
  receivedAt: number,
  kind: KeyKind,
): { timestamp: number; clamped: boolean } {
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
export function validateBatch(
  batch: unknown[],
  kind: KeyKind,
  receivedAt: number,
): { events: NewEvent[]; rejected: { index: number; issues: Issue[] }[] } {
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

const ACCOUNT_FACT_NAMES: ReadonlySet<string> = /* @__PURE__ */ new Set(ACCOUNT_FACTS)

/** `track` events of ACCOUNT_FACTS in the batch, one issue each (a write key may send none of them). */
export function forbiddenEventIssues(batch: unknown[]): Issue[] {
  const issues: Issue[] = []
  batch.forEach((raw, index) => {
    if (!isPlainObject(raw) || raw.type !== 'track' || typeof raw.event !== 'string') return
    if (ACCOUNT_FACT_NAMES.has(raw.event)) {
      issues.push({
        path: `batch.${index}.event`,
        message: `${raw.event} is an account-level fact: send it with the secret key`,
      })
    }
  })
  return issues
}
