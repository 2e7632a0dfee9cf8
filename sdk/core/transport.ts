import type { WireEvent } from '../wire'

/** What to do with a batch after an answer (Segment analytics-next). */
export type Verdict = 'ok' | 'retry' | 'drop'

export interface Answer {
  verdict: Verdict
  /** HTTP status; 0 for a network error. */
  status: number
  /** ms to wait at least before retrying, from `Retry-After` (the queue waits the longer of it and its backoff). */
  retryAfter?: number
  /** Indexes in the batch of events the server rejected as invalid (on `ok`). */
  rejected: number[]
}

/**
 * 2xx: ok. 408, 429, 5xx and network errors (status 0): retry, the batch may succeed later.
 * Any other status (400, 401, 403, 413, …): drop, since retrying the same bytes cannot succeed and would
 * block the queue forever. (The queue splits a batch that got 413 before it drops anything.)
 */
export function classify(status: number): Verdict {
  return status > 199 && status < 300
    ? 'ok'
    : !status || status == 408 || status == 429 || status > 499
      ? 'retry'
      : 'drop'
}

/** `Retry-After` (RFC 9110 §10.2.3) as ms from `now`: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value || !value.trim()) return
  // Only a date with a weekday or month name: V8 reads '-5' as the year -5.
  const ms = /^\s*\d+\s*$/.test(value) ? +value * 1000 : /[a-z]/i.test(value) ? Date.parse(value) - now : NaN
  return ms >= 0 ? ms : ms < 0 ? 0 : undefined
}

/** The UTF-8 size of `x` as JSON (Blob#size counts bytes, not UTF-16 units). */
export const bytes = (x: unknown) => new Blob([JSON.stringify(x)]).size

/** Splits events into chunks of at most `maxCount` events and about `maxBytes` of JSON (a lone bigger event gets its own chunk). */
export function chunk(events: WireEvent[], maxBytes: number, maxCount = 100): WireEvent[][] {
  const out: WireEvent[][] = []
  let cur: WireEvent[] = []
  let size = 0
  for (const e of events) {
    // 1 for the comma. 1 KB of the limit is left for the envelope.
    const n = bytes(e) + 1
    if (cur.length && (size + n > maxBytes - 1000 || cur.length >= maxCount)) out.push(cur), (cur = []), (size = 0)
    cur.push(e)
    size += n
  }
  if (cur.length) out.push(cur)
  return out
}

/** The request body: the key travels in the body because the request is a CORS simple request (no headers). */
export function envelope(batch: WireEvent[], writeKey: string, now: number): string {
  return JSON.stringify({ batch, writeKey, sentAt: new Date(now).toISOString() })
}

// text/plain keeps the POST a CORS "simple request": no preflight round-trip before each batch.
const HEADERS = { 'content-type': 'text/plain' }

/** POSTs one batch and classifies the answer. Never rejects. */
export async function post(f: typeof fetch, url: string, body: string, now: () => number): Promise<Answer> {
  try {
    // A request that hangs would hold the send lock of every tab: give up after 30 s (then retry).
    const r = await f(url, { method: 'POST', headers: HEADERS, body, signal: AbortSignal.timeout?.(30_000) })
    const verdict = classify(r.status)
    let rejected: number[] = []
    if (verdict == 'ok')
      try {
        rejected = ((await r.json()).rejected || []).map((x: { index: number }) => x.index)
      } catch {
        /* no body */
      }
    return { verdict, status: r.status, retryAfter: parseRetryAfter(r.headers.get('retry-after'), now()), rejected }
  } catch {
    return { verdict: 'retry', status: 0, rejected: [] }
  }
}

/**
 * Best effort at unload: `navigator.sendBeacon` (≤ 60 KB each, the browsers' keepalive budget is 64 KB),
 * or `fetch(…, { keepalive: true })` where sendBeacon is missing or refuses. Nothing is deleted: the
 * events stay queued until a normal send is acknowledged, and the server drops duplicates by id.
 */
export function beacon(f: typeof fetch, url: string, events: WireEvent[], writeKey: string, now: number): void {
  for (const c of chunk(events, 60_000)) {
    const body = envelope(c, writeKey, now)
    try {
      if (navigator.sendBeacon(url, new Blob([body], { type: 'text/plain' }))) continue
    } catch {
      /* missing or refused */
    }
    try {
      f(url, { method: 'POST', headers: HEADERS, body, keepalive: true }).catch(() => {})
    } catch {
      /* nothing more to try */
    }
  }
}
