/**
 * A webhook receiver for the tests: a real HTTP server on 127.0.0.1 that checks every request the
 * way a customer's endpoint would, with its OWN implementation of the Standard Webhooks scheme
 * (written from the spec, https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md,
 * "Verifying webhook authenticity"; it does not import server/webhooks/sign.ts):
 *
 *   signed content = `${webhook-id}.${webhook-timestamp}.${raw body}`
 *   key            = base64-decode(secret without its `whsec_` prefix)
 *   signature      = base64(HMAC-SHA256(key, signed content)), sent as `v1,<signature>`; the
 *                    header may hold several space-separated `version,signature` pairs, any v1 one
 *                    matching is enough; compare in constant time
 *   timestamp      = unix seconds, refused when further than the tolerance from now (replays)
 *
 * A bad request gets a 401 and is counted in `rejected`; a good one is recorded in `attempts`, and
 * answered 500 while `failNext` is above zero (then recorded as failed), else 200 and recorded in
 * `received`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ReceivedWebhook {
  id: string
  timestamp: number
  signature: string
  body: string
  json: unknown
  /** The HTTP status the receiver answered. */
  answered: number
}

export interface WebhookReceiver {
  url: string
  /** The endpoint's secret (`whsec_…`); set it once the endpoint is created. */
  secret: string
  /** Answer this many more well-signed requests with `failStatus` (default 500). */
  failNext: number
  failStatus: number
  /** Milliseconds to wait before answering (timeouts). */
  delayMs: number
  /** Every well-signed request, in arrival order, failed ones included. */
  attempts: ReceivedWebhook[]
  /** The well-signed requests answered 2xx. */
  received: ReceivedWebhook[]
  /** Requests refused for a missing or bad signature or timestamp, with the reason. */
  rejected: string[]
  /** How many 2xx deliveries each webhook-id got. */
  countsById(): Map<string, number>
  close(): Promise<void>
}

/** Verifies one request by the Standard Webhooks scheme; returns the reason it fails, or null. */
export function verifyStandardWebhook(
  secret: string,
  headers: { id?: string; timestamp?: string; signature?: string },
  body: string,
  nowSec: number,
  toleranceSec = 300,
): string | null {
  const { id, timestamp, signature } = headers
  if (!id || !timestamp || !signature) return 'missing webhook-id, webhook-timestamp or webhook-signature'
  if (!/^\d+$/.test(timestamp)) return 'webhook-timestamp is not unix seconds'
  if (Math.abs(nowSec - Number(timestamp)) > toleranceSec) return 'webhook-timestamp outside the tolerance'
  if (!secret.startsWith('whsec_')) return 'secret without whsec_'
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64')
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest()
  for (const part of signature.split(' ')) {
    const [version, sig] = part.split(',', 2)
    if (version !== 'v1' || !sig) continue
    const given = Buffer.from(sig, 'base64')
    if (given.length === expected.length && timingSafeEqual(given, expected)) return null
  }
  return 'no v1 signature matches'
}

/** Starts a receiver on 127.0.0.1 (a free port). `clock`: epoch ms for the timestamp tolerance. */
export async function startWebhookReceiver(
  opts: { clock?: () => number; toleranceSec?: number } = {},
): Promise<WebhookReceiver> {
  const clock = opts.clock ?? (() => Date.now())
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const h = (name: string) => {
        const v = req.headers[name]
        return Array.isArray(v) ? v[0] : v
      }
      const headers = { id: h('webhook-id'), timestamp: h('webhook-timestamp'), signature: h('webhook-signature') }
      const reason =
        req.method !== 'POST'
          ? `method ${req.method}`
          : verifyStandardWebhook(receiver.secret, headers, body, Math.floor(clock() / 1000), opts.toleranceSec)
      if (reason !== null) {
        receiver.rejected.push(reason)
        res.writeHead(401, { 'content-type': 'text/plain' }).end(reason)
        return
      }
      let json: unknown = null
      try {
        json = JSON.parse(body)
      } catch {
        json = null
      }
      const answer = () => {
        const failing = receiver.failNext > 0
        if (failing) receiver.failNext--
        const status = failing ? receiver.failStatus : 200
        const record = {
          id: headers.id!,
          timestamp: Number(headers.timestamp),
          signature: headers.signature!,
          body,
          json,
          answered: status,
        }
        receiver.attempts.push(record)
        if (!failing) receiver.received.push(record)
        res
          .writeHead(status, { 'content-type': 'text/plain' })
          .end(failing ? 'receiver says no: ' + 'x'.repeat(3000) : 'ok')
      }
      if (receiver.delayMs > 0) setTimeout(answer, receiver.delayMs)
      else answer()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const receiver: WebhookReceiver = {
    url: `http://127.0.0.1:${port}/hooks`,
    secret: '',
    failNext: 0,
    failStatus: 500,
    delayMs: 0,
    attempts: [],
    received: [],
    rejected: [],
    countsById() {
      const m = new Map<string, number>()
      for (const r of receiver.received) m.set(r.id, (m.get(r.id) ?? 0) + 1)
      return m
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
  return receiver
}
