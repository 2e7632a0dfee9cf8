import { randomBytes } from 'node:crypto'
import type { KeyKind } from './store/types'

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** Random characters per key: 32 base62 characters are about 190 bits. */
export const KEY_RANDOM_CHARS = 32

/**
 * A new API key: `pk_…` for a write key (public, in the page), `sk_…` for a secret key, followed by
 * KEY_RANDOM_CHARS random base62 characters from node:crypto.
 */
export function generateKey(kind: KeyKind): string {
  let out = kind === 'write' ? 'pk_' : 'sk_'
  while (out.length < 3 + KEY_RANDOM_CHARS) {
    for (const byte of randomBytes(48)) {
      // 248 = 4 × 62: rejecting bytes above it keeps every character equally likely.
      if (byte < 248 && out.length < 3 + KEY_RANDOM_CHARS) out += BASE62[byte % 62]
    }
  }
  return out
}
