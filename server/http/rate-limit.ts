/**
 * Rate limits of the write key's endpoints (`POST /v1/batch`, `POST /v1/experience`):
 * token buckets per write key and per client address, in this process's memory. Several API
 * processes each keep their own buckets, so behind a load balancer of N processes a client gets up
 * to N times the limit; the limits are a backstop against a runaway page or a script, not a quota.
 * Secret-key requests (servers, imports) are not limited.
 *
 * A limited request is a `429 rate_limited` with `Retry-After` (whole seconds), which the SDK's
 * transport honours (sdk/core/transport.ts): its queue keeps the events and sends them later.
 */
import type { Context } from 'hono'
import type { GetConnInfo } from 'hono/conninfo'
import type { Caller } from './auth'
import { remoteAddress } from './client-address'
import { errorResponse } from './errors'

/** `rate` tokens per second, at most `burst` saved up. One request takes one token. */
export interface BucketSpec {
  rate: number
  burst: number
}

export interface RateLimitOptions {
  /** Per write key (every visitor of a customer's site shares it); null: no limit. */
  key: BucketSpec | null
  /** Per client address (IPv6: per /64); null: no limit. */
  address: BucketSpec | null
  /**
   * Proxies in front of the server that append to `X-Forwarded-For` (node.ts: JORNADA_TRUST_PROXY).
   * 0: the socket's address is the client's, and the header is ignored (anyone can send one).
   */
  trustProxy?: number
  /** Epoch ms; injectable so that tests can let time pass. */
  clock?: () => number
  /** The runtime's connection info (client-address.ts); default: @hono/node-server's. */
  connInfo?: GetConnInfo
}

/**
 * Defaults that never bother a normal page. A write key is shared by every visitor of a customer's
 * site, and the SDK sends at most about one request a second per tab while events arrive: 1,000/s
 * is a large site. An address may be a whole office behind one NAT (a B2B product's users often
 * are): 50/s with a burst of 200 is a few hundred busy colleagues.
 */
export const DEFAULT_RATE_LIMITS: { key: BucketSpec; address: BucketSpec } = {
  key: { rate: 1000, burst: 2000 },
  address: { rate: 50, burst: 200 },
}

/** Buckets kept at most per limiter; past it, idle (full) buckets are dropped first. */
export const MAX_BUCKETS = 100_000

export interface TokenBuckets {
  /** Takes one token from `id`'s bucket: 0 when there was one, else the seconds until there is. */
  take(id: string): number
  readonly size: number
}

/** Token buckets by id, refilled continuously from `clock`. */
export function createTokenBuckets(
  { rate, burst }: BucketSpec,
  clock: () => number,
  maxBuckets = MAX_BUCKETS,
): TokenBuckets {
  const buckets = new Map<string, { tokens: number; at: number }>()
  // A bucket idle this long is full again, the same as no bucket at all.
  const refillMs = (burst / rate) * 1000
  const evict = (now: number) => {
    for (const [id, b] of buckets) if (now - b.at >= refillMs) buckets.delete(id)
    // Still full of active clients (a flood of addresses): forget them all rather than grow without bound.
    if (buckets.size >= maxBuckets) buckets.clear()
  }
  return {
    take(id) {
      const now = clock()
      let b = buckets.get(id)
      if (!b) {
        if (buckets.size >= maxBuckets) evict(now)
        b = { tokens: burst, at: now }
        buckets.set(id, b)
      } else {
        b.tokens = Math.min(burst, b.tokens + (Math.max(0, now - b.at) / 1000) * rate)
        b.at = now
      }
      if (b.tokens >= 1) {
        b.tokens -= 1
        return 0
      }
      return (1 - b.tokens) / rate
    },
    get size() {
      return buckets.size
    },
  }
}

/**
 * The client's address: the `trustProxy`-th entry from the right of `X-Forwarded-For` when proxies
 * are trusted (the entries left of it are whatever the client wrote), else the connection's
 * (client-address.ts). null when unknown (app.request).
 */
export function clientAddress(c: Context, trustProxy = 0, connInfo?: GetConnInfo): string | null {
  if (trustProxy > 0) {
    const forwarded = c.req.header('x-forwarded-for')
    if (forwarded) {
      const hops = forwarded
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '')
      const entry = hops[Math.max(0, hops.length - trustProxy)]
      if (entry) return entry
    }
  }
  return remoteAddress(c, connInfo) ?? null
}

/** The bucket of an address: IPv4 as it is, IPv6 by its /64 (one subscriber's usual allocation). */
export function addressBucket(address: string): string {
  let a = address.replace(/%.*$/, '').toLowerCase()
  if (a.startsWith('[') && a.endsWith(']')) a = a.slice(1, -1)
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a)
  if (mapped) return mapped[1]!
  if (!a.includes(':')) return a
  const [head = '', tail] = a.split('::', 2)
  const left = head ? head.split(':') : []
  const right = tail === undefined ? [] : tail ? tail.split(':') : []
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
  return (
    groups
      .slice(0, 4)
      .map((g) => (Number.parseInt(g, 16) || 0).toString(16))
      .join(':') + '::/64'
  )
}

/**
 * What the write-key routes call after authenticating: a 429 Response, or null to go on.
 * `principal` null: the key was unknown; the address's bucket still pays (a flood of made-up keys is
 * limited like any other), and the caller answers 401 when it is not empty.
 */
export type RateLimit = (c: Context, principal: Caller | null) => Response | null

export function createRateLimit({
  key,
  address,
  trustProxy = 0,
  clock = () => Date.now(),
  connInfo,
}: RateLimitOptions): RateLimit {
  const byKey = key && createTokenBuckets(key, clock)
  const byAddress = address && createTokenBuckets(address, clock)
  return (c, principal) => {
    if (principal !== null && principal.kind !== 'write') return null
    // The address first: a request it refuses does not spend a token of the key everyone shares.
    const ip = byAddress && clientAddress(c, trustProxy, connInfo)
    let wait = ip ? byAddress!.take(addressBucket(ip)) : 0
    if (wait === 0 && byKey && principal !== null)
      wait = byKey.take(`${principal.workspace.id}\u0000${principal.label}`)
    if (wait === 0) return null
    const seconds = Math.max(1, Math.ceil(wait))
    const res = errorResponse(c, 429, 'rate_limited', `too many requests: retry in ${seconds} s`)
    res.headers.set('Retry-After', String(seconds))
    return res
  }
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600 }

/**
 * JORNADA_RATE_LIMIT: `key=1000/s:2000,address=50/s:200` (either part may be left out and keeps its
 * default; `N/s`, `N/m` or `N/h`, then `:B` for the burst, default 2 × N; `off` for no limit, as the
 * whole value or one part). Throws on anything else.
 */
export function parseRateLimits(text: string | undefined): { key: BucketSpec | null; address: BucketSpec | null } {
  const out: { key: BucketSpec | null; address: BucketSpec | null } = { ...DEFAULT_RATE_LIMITS }
  if (text === undefined || text.trim() === '') return out
  if (text.trim() === 'off') return { key: null, address: null }
  for (const part of text.split(',')) {
    const m = /^\s*(key|address|ip)\s*=\s*(?:(off)|(\d+(?:\.\d+)?)\s*\/\s*([smh])(?:\s*:\s*(\d+))?)\s*$/.exec(part)
    if (!m)
      throw new Error(
        `JORNADA_RATE_LIMIT: cannot read ${JSON.stringify(part.trim())}; expected e.g. key=1000/s:2000,address=50/s:200`,
      )
    const which = m[1] === 'key' ? 'key' : 'address'
    if (m[2]) {
      out[which] = null
      continue
    }
    const n = Number(m[3])
    const rate = n / UNIT_SECONDS[m[4]!]!
    const burst = m[5] === undefined ? Math.max(1, Math.round(2 * n)) : Number(m[5])
    if (!(rate > 0) || !(burst >= 1))
      throw new Error(`JORNADA_RATE_LIMIT: ${JSON.stringify(part.trim())} allows nothing; use off to turn a limit off`)
    out[which] = { rate, burst }
  }
  return out
}

/** JORNADA_TRUST_PROXY: unset or 0, no proxy; 1 (or true), one proxy; N, N proxies appending to X-Forwarded-For. */
export function parseTrustProxy(text: string | undefined): number {
  if (text === undefined || text.trim() === '' || text === 'false') return 0
  if (text === 'true') return 1
  const n = Number(text)
  if (!Number.isInteger(n) || n < 0 || n > 10)
    throw new Error(`JORNADA_TRUST_PROXY must be 0..10 (proxies in front), got ${JSON.stringify(text)}`)
  return n
}
