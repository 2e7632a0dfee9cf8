/**
 * Values on their way into and out of SQL: what the store refuses before a statement would (so one
 * bad event cannot fail a whole group commit), and how driver values become JS ones. Shared by
 * every part of the SQL store.
 */
import { createHash } from 'node:crypto'
import type { EventType, NewEvent } from './types'

/** Rows per statement: keeps parameter arrays and the statements' memory bounded. */
export const MAX_ROWS = 5_000
/** The range PostgreSQL and JS dates share comfortably: years 1 to 9999. */
export const MIN_MS = -62_135_596_800_000
export const MAX_MS = 253_402_300_799_999
const EVENT_TYPES: readonly EventType[] = ['track', 'identify', 'group', 'page']

/** The stored form of an API key: sha256 hex. Keys are never stored in clear. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex')
}

/** Parses PostgreSQL's text form of a timestamptz (`2026-11-24 10:00:00.123+00`) to epoch ms. */
export function parseTimestamptz(text: string): number {
  if (text === 'infinity') return Number.POSITIVE_INFINITY
  if (text === '-infinity') return Number.NEGATIVE_INFINITY
  const iso = text
    .replace(' ', 'T')
    .replace(/([+-]\d\d)$/, '$1:00')
    .replace(/([+-]\d\d:\d\d):\d\d$/, '$1')
  return Date.parse(iso)
}

/** Epoch ms from whatever a driver returned for a timestamptz (adapters already give numbers). */
export function toMs(v: unknown): number {
  if (typeof v === 'number') return v
  if (v instanceof Date) return v.getTime()
  if (typeof v === 'string') return parseTimestamptz(v)
  return Number(v)
}

/** Drivers differ on json columns (object or text); the store returns objects from both. */
export function toJson<T>(v: unknown): T {
  return (typeof v === 'string' ? JSON.parse(v) : v) as T
}

/** Byte order, the order of `COLLATE "C"` and of the store's lock keys. */
export const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * JSON that PostgreSQL's jsonb rejects: `\u0000`, and lone surrogates (JSON.stringify escapes them),
 * when the backslash is not itself escaped.
 */
const BAD_JSON = /(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/i

/** In `u` mode a paired surrogate is one code point: this matches lone ones only (jsonb refuses them). */
const LONE_SURROGATE = /\p{Cs}/u

export function checkText(v: unknown, what: string, nullable: boolean): string | null {
  if (v === null || v === undefined) return nullable ? null : `${what} is required`
  if (typeof v !== 'string') return `${what} must be a string`
  if (!nullable && v === '') return `${what} must not be empty`
  if (v.includes('\u0000')) return `${what} must not contain NUL`
  if (LONE_SURROGATE.test(v)) return `${what} must not contain a lone surrogate`
  return null
}

export function checkTime(v: unknown, what: string): string | null {
  return typeof v === 'number' && Number.isFinite(v) && v >= MIN_MS && v <= MAX_MS
    ? null
    : `${what} must be epoch ms within years 1-9999`
}

/** JSON text for a jsonb parameter; throws on what jsonb cannot hold. */
export function stringify(v: unknown, what: string): string {
  const s = JSON.stringify(v)
  // BAD_JSON needs a `\u` escape: most documents have none, and includes() is much cheaper.
  if (s.includes('\\u') && BAD_JSON.test(s))
    throw new Error(`${what} contains \\u0000 or a lone surrogate, which the database cannot store`)
  return s
}

/**
 * Why the store would refuse `e`, or null when it can store it. The route validates first; this is
 * the store's own guard, so one bad event cannot fail the other callers of a group commit.
 */
export function checkEvent(e: NewEvent): string | null {
  return (
    checkText(e.id, 'id', false) ??
    (EVENT_TYPES.includes(e.type) ? null : 'type must be track, identify, group or page') ??
    checkText(e.name, 'name', true) ??
    checkText(e.userId, 'userId', true) ??
    checkText(e.anonymousId, 'anonymousId', true) ??
    checkText(e.accountId, 'accountId', true) ??
    checkTime(e.timestamp, 'timestamp') ??
    checkTime(e.receivedAt, 'receivedAt')
  )
}

/** `xs` in parts of at most `size`. */
export function chunks<T>(xs: T[], size = MAX_ROWS): T[][] {
  const out: T[][] = []
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size))
  return out
}
