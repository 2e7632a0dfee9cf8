/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com, "Signature scheme"): the secret is
 * `whsec_` + base64 of the key bytes; the signature is `v1,` + base64 HMAC-SHA256 of
 * `${webhook-id}.${webhook-timestamp}.${body}` under those bytes.
 */
import { createHmac, randomBytes } from 'node:crypto'

const SECRET_PREFIX = 'whsec_'

/** A new endpoint secret: `whsec_` + base64 of 24 random bytes (the size Svix and the spec's examples use). */
export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(24).toString('base64')
}

/** The signature of one message: `v1,<base64 HMAC-SHA256>` under the secret's key bytes. */
export function sign(secret: string, id: string, timestampSec: number, body: string): string {
  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64')
  return 'v1,' + createHmac('sha256', key).update(`${id}.${timestampSec}.${body}`).digest('base64')
}

/** The headers of one delivery attempt: `webhook-id`, `webhook-timestamp` (unix seconds), `webhook-signature`. */
export function signedHeaders(secret: string, id: string, timestampSec: number, body: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(timestampSec),
    'webhook-signature': sign(secret, id, timestampSec, body),
  }
}
