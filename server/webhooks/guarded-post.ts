/**
 * The dispatcher's POST, over node:http / node:https rather than fetch: only they let the socket's
 * own DNS lookup be replaced (ssrf.ts, guardedLookup), which is what makes the private-address
 * check hold against DNS rebinding. No redirects are followed (a 3xx is an answer).
 */
import http from 'node:http'
import https from 'node:https'
import { isIP } from 'node:net'
import { Readable } from 'node:stream'
import { BlockedAddressError, guardedLookup, hostOf, isPrivateAddress } from './ssrf'
import type { WebhookUrlPolicy } from './ssrf'

/** What the dispatcher reads of an answer; a fetch Response is one. */
export interface WebhookAnswer {
  status: number
  body: ReadableStream<Uint8Array> | null
}

export interface WebhookRequest {
  method: 'POST'
  headers: Record<string, string>
  body: string
  signal: AbortSignal
  redirect: 'manual'
}

/** Sends one webhook request; `globalThis.fetch` is one too (without the address check). */
export type WebhookPost = (url: string, init: WebhookRequest) => Promise<WebhookAnswer>

/** Statuses whose answers have no body. */
const NO_BODY = new Set([204, 205, 304])

/**
 * A WebhookPost that refuses private addresses unless `policy.allowPrivate`: a literal address is
 * checked before connecting, a name at the socket's lookup. Keep-alive connections are pooled per
 * transport (a pooled socket stays connected to the address checked when it was opened).
 */
export function createWebhookTransport(policy: WebhookUrlPolicy = {}): WebhookPost {
  const lookup = policy.allowPrivate ? undefined : guardedLookup(policy.resolve)
  const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) }
  return (url, init) =>
    new Promise<WebhookAnswer>((resolve, reject) => {
      const u = new URL(url)
      if (u.protocol !== 'http:' && u.protocol !== 'https:')
        return reject(new Error(`unsupported scheme ${u.protocol}`))
      const host = hostOf(u)
      // net.connect does not call `lookup` for a literal address: check it here.
      if (!policy.allowPrivate && isIP(host) !== 0 && isPrivateAddress(host))
        return reject(new BlockedAddressError(host, host))
      const request = u.protocol === 'https:' ? https.request : http.request
      const req = request(
        u,
        {
          method: init.method,
          headers: { ...init.headers, 'content-length': String(Buffer.byteLength(init.body)) },
          agent: agents[u.protocol],
          signal: init.signal,
          ...(lookup && { lookup }),
        },
        (res) => {
          const status = res.statusCode ?? 0
          if (NO_BODY.has(status)) res.resume()
          resolve({ status, body: NO_BODY.has(status) ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>) })
        },
      )
      req.on('error', reject)
      req.end(init.body)
    })
}
