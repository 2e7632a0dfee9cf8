/**
 * Delivers the webhook outbox (Store.webhooks): claims due deliveries (claimDue: `FOR UPDATE
 * SKIP LOCKED` plus a lease, in one transaction), POSTs each outside any transaction, signed by the
 * Standard Webhooks scheme (sign.ts), then records the result. At-least-once: a 2xx is delivered;
 * a non-2xx, a network error, a timeout or a private address (ssrf.ts) is retried on
 * RETRY_SCHEDULE_MS with jitter, then the delivery is `dead` (the dead letters: GET
 * /v1/webhooks/:id/deliveries?status=dead) until someone replays it. Deliveries of a paused endpoint
 * (PATCH enabled: false) are not claimed: they wait, pending, until it is enabled again.
 * Several dispatchers (processes) on one PostgreSQL never hold one row at once.
 */
import { randomBytes } from 'node:crypto'
import type { Store } from '../store/types'
import { signedHeaders } from './sign'
import { slackMessage } from './slack'
import { BlockedAddressError } from './ssrf'
import type { Resolve } from './ssrf'
import { createWebhookTransport } from './guarded-post'
import type { WebhookAnswer, WebhookPost } from './guarded-post'
import type { AttemptResult, ClaimedDelivery, WebhookBody } from './types'

const S = 1000
const MIN = 60 * S
const H = 60 * MIN
/**
 * The wait after the n-th failed attempt (index n-1): 10 s, 30 s, 2 min, 10 min, 30 min, 1 h, 3 h,
 * 6 h, 12 h, 24 h: eleven attempts over about 46 hours, so an endpoint that is down for a day still
 * gets everything. The attempt after the last wait is the last one.
 */
export const RETRY_SCHEDULE_MS = [10 * S, 30 * S, 2 * MIN, 10 * MIN, 30 * MIN, H, 3 * H, 6 * H, 12 * H, 24 * H] as const
/**
 * Each wait is RETRY_SCHEDULE_MS ± this fraction, at random: endpoints that failed together (one
 * outage) are not all retried in the same second. At -20% the schedule still spans 37 hours.
 */
export const RETRY_JITTER = 0.2
/** Attempts before a delivery is dead. */
export const MAX_ATTEMPTS = RETRY_SCHEDULE_MS.length + 1
/** An attempt that has no answer after this long failed. */
export const TIMEOUT_MS = 10 * S
/**
 * Added to the time a claimed batch can take (its attempts one after another per worker, each up to
 * the timeout): until then nobody else sees the rows as due, so a live holder always records first;
 * the rows of a holder that died are retried after it. Processes' clocks must agree within this.
 */
export const LEASE_MARGIN_MS = 60 * S
/** Bytes of an endpoint's answer kept in `last_response`. */
export const RESPONSE_KEEP = 1024
/** Deliveries per claim. */
const BATCH = 50
/** POSTs in flight at once per dispatcher. */
const CONCURRENCY = 8
/** Claims per run at most: a run ends even if deliveries keep arriving. */
const MAX_BATCHES_PER_RUN = 100

export interface DispatcherDeps {
  store: Store
  /** Epoch ms: due times, leases, `webhook-timestamp`. Default Date.now. */
  clock?: () => number
  /**
   * Sends one request. Default: createWebhookTransport (node:http, with the private-address check
   * at the socket's DNS lookup). An injected one (globalThis.fetch, a fake) gets no address check.
   */
  fetch?: WebhookPost
  /** true: deliver to private and reserved addresses too (node.ts: JORNADA_WEBHOOK_ALLOW_PRIVATE=1). Default false. */
  allowPrivate?: boolean
  /** The default transport's DNS lookup (tests inject one). Default: ssrf.ts resolveHost. */
  resolve?: Resolve
  /** Uniform in [0, 1): the retry jitter (tests pin it; 0.5 is the schedule itself). Default Math.random. */
  random?: () => number
  /** Failures, dead deliveries and run errors (never throws from a timer). Default: console.error. */
  log?: (line: Record<string, unknown>) => void
  /** Per-attempt timeout, ms (default TIMEOUT_MS). */
  timeoutMs?: number
  /** Deliveries per claim (default 50). */
  batchSize?: number
}

export interface RunResult {
  /** Attempts made. */
  attempted: number
  delivered: number
  /** Failed attempts that will be retried. */
  retrying: number
  dead: number
}

export interface Dispatcher {
  /** Delivers everything due now (claim by claim, until none is due); resolves when the results are recorded. */
  runOnce(): Promise<RunResult>
  /** Runs every `intervalMs` (default 1000) until stop(). */
  start(opts?: { intervalMs?: number }): void
  /** Stops the timer; resolves once a run in progress has finished. */
  stop(): Promise<void>
}

/** The POSTed body of one delivery: the WebhookBody, or the Slack message for `slack` endpoints. */
export function deliveryBody(
  d: Pick<ClaimedDelivery, 'eventId' | 'type' | 'accountId' | 'payload' | 'occurredAt' | 'format'>,
): string {
  const body: WebhookBody = {
    id: d.eventId,
    type: d.type,
    timestamp: new Date(d.occurredAt).toISOString(),
    accountId: d.accountId,
    data: JSON.parse(d.payload) as Record<string, unknown>,
  }
  return JSON.stringify(d.format === 'slack' ? slackMessage(body) : body)
}

/**
 * The wait after `attempts` failed attempts, or null when the delivery is dead: the schedule's
 * wait scaled by 1 ± RETRY_JITTER, `random()` (uniform in [0, 1)) choosing where (0.5: no change).
 */
export function retryDelay(attempts: number, random: () => number = Math.random): number | null {
  if (attempts >= MAX_ATTEMPTS) return null
  const base = RETRY_SCHEDULE_MS[Math.max(0, attempts - 1)]!
  const r = Math.min(1, Math.max(0, random()))
  return Math.round(base * (1 + RETRY_JITTER * (2 * r - 1)))
}

/** At most `max` characters of the answer, read without holding a large body. */
async function readCapped(res: WebhookAnswer, max: number): Promise<string> {
  if (!res.body) return ''
  const reader = res.body.getReader()
  const decoder = new TextDecoder()
  let text = ''
  try {
    while (text.length < max) {
      const { done, value } = await reader.read()
      if (done) break
      text += decoder.decode(value, { stream: true })
    }
  } finally {
    reader.cancel().catch(() => undefined)
  }
  return text.slice(0, max)
}

/** Creates a dispatcher over the store's webhook tables (migration 004). */
export function createDispatcher(deps: DispatcherDeps): Dispatcher {
  const { store } = deps
  const clock = deps.clock ?? (() => Date.now())
  const doFetch = deps.fetch ?? createWebhookTransport({ allowPrivate: deps.allowPrivate, resolve: deps.resolve })
  const random = deps.random ?? Math.random
  const log = deps.log ?? ((line) => console.error(JSON.stringify(line)))
  const timeoutMs = deps.timeoutMs ?? TIMEOUT_MS
  const batchSize = deps.batchSize ?? BATCH

  /** One attempt; never throws. */
  async function attempt(d: ClaimedDelivery): Promise<AttemptResult> {
    let lastStatus: number | null = null
    let lastResponse: string | null = null
    let lastError: string | null = null
    const ac = new AbortController()
    const timer = setTimeout(() => ac.abort(), timeoutMs)
    try {
      const body = deliveryBody(d)
      const headers = signedHeaders(d.secret, d.eventId, Math.floor(clock() / 1000), body)
      // No redirects: a 3xx is an answer (retried), and the signed body never goes to a host nobody registered.
      const res = await doFetch(d.url, {
        method: 'POST',
        headers: { ...headers, 'user-agent': 'Jornada-Webhooks/1' },
        body,
        signal: ac.signal,
        redirect: 'manual',
      })
      lastStatus = res.status
      lastResponse = await readCapped(res, RESPONSE_KEEP)
    } catch (err) {
      lastError = ac.signal.aborted
        ? `timeout after ${timeoutMs} ms`
        : err instanceof BlockedAddressError
          ? err.message
          : err instanceof Error
            ? `${err.name}: ${err.message}`.slice(0, 500)
            : String(err).slice(0, 500)
    } finally {
      clearTimeout(timer)
    }
    const at = clock()
    if (lastStatus !== null && lastStatus >= 200 && lastStatus < 300) {
      return { status: 'delivered', nextAttemptAt: null, lastStatus, lastResponse, lastError: null, at }
    }
    if (lastError === null) lastError = `HTTP ${lastStatus}`
    const delay = retryDelay(d.attempts, random)
    return delay === null
      ? { status: 'dead', nextAttemptAt: null, lastStatus, lastResponse, lastError, at }
      : { status: 'pending', nextAttemptAt: at + delay, lastStatus, lastResponse, lastError, at }
  }

  async function deliverBatch(claims: ClaimedDelivery[], leaseUntil: number, result: RunResult): Promise<void> {
    let next = 0
    const worker = async () => {
      while (next < claims.length) {
        const d = claims[next++]!
        // Never start an attempt that could outlive the lease (another dispatcher may take the row then).
        if (clock() + timeoutMs > leaseUntil - LEASE_MARGIN_MS / 2) continue
        const r = await attempt(d)
        result.attempted++
        const held = await store.webhooks.recordAttempt(d, r)
        if (!held) continue // replayed or deleted meanwhile: the newer state wins
        if (r.status === 'delivered') result.delivered++
        else if (r.status === 'dead') {
          result.dead++
          log({
            t: new Date(r.at).toISOString(),
            webhook: 'dead',
            workspace: d.workspaceId,
            delivery: d.id,
            event: d.eventId,
            attempts: d.attempts,
            lastStatus: r.lastStatus,
            error: r.lastError,
          })
        } else result.retrying++
      }
    }
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, claims.length) }, worker))
  }

  async function run(): Promise<RunResult> {
    const result: RunResult = { attempted: 0, delivered: 0, retrying: 0, dead: 0 }
    for (let i = 0; i < MAX_BATCHES_PER_RUN; i++) {
      const now = clock()
      const leaseUntil = now + Math.ceil(batchSize / CONCURRENCY) * timeoutMs + LEASE_MARGIN_MS
      const claims = await store.webhooks.claimDue({
        now,
        limit: batchSize,
        leaseUntil,
        token: randomBytes(12).toString('base64url'),
      })
      if (claims.length === 0) break
      await deliverBatch(claims, leaseUntil, result)
    }
    return result
  }

  let running: Promise<RunResult> | null = null
  let timer: ReturnType<typeof setTimeout> | null = null
  let stopped = true

  const runOnce = (): Promise<RunResult> => {
    // One run at a time per dispatcher: a second caller shares the run in progress.
    running ??= run().finally(() => {
      running = null
    })
    return running
  }

  return {
    runOnce,
    start({ intervalMs = 1000 } = {}) {
      if (!stopped) return
      stopped = false
      const tick = () => {
        runOnce()
          .catch((err: unknown) => {
            log({
              t: new Date(clock()).toISOString(),
              webhook: 'run',
              error: err instanceof Error ? err.message : String(err),
            })
          })
          .finally(() => {
            if (!stopped) timer = setTimeout(tick, intervalMs)
          })
      }
      timer = setTimeout(tick, intervalMs)
    },
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      timer = null
      await running?.catch(() => undefined)
    },
  }
}
