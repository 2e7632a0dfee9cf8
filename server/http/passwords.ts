/**
 * Members' passwords: scrypt from node:crypto, a memory-hard hash (32 MiB per hash with these
 * parameters), salted, compared in constant time. The stored form names its parameters, so they
 * can be raised later without invalidating older hashes: `scrypt$N$r$p$salt$hash` (base64url).
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'

/** The shortest password a member may set (console.md, "Members"). */
export const MIN_PASSWORD_LENGTH = 10
/** The longest: scrypt reads it all, and nobody types more. */
export const MAX_PASSWORD_LENGTH = 1024

const N = 2 ** 15
const R = 8
const P = 1
const KEY_BYTES = 32
/** Room for N × r × 128 bytes, and a little more. */
const MAX_MEM = 64 * 1024 * 1024

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, { N: n, r, p, maxmem: MAX_MEM }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  )
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, N, R, P)
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`
}

/** A hash to compare with when the email is unknown: the answer takes as long as for a known one. */
let decoy: Promise<string> | undefined

/** Makes the decoy hash now (at start), so that the first unknown email does not take twice as long. */
export function prepareDecoy(): void {
  decoy ??= hashPassword(randomBytes(16).toString('hex'))
}

/** Does `password` match `stored`? null `stored` (unknown member, or no password yet): false, after as long a wait. */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const hash = stored ?? (await (decoy ??= hashPassword(randomBytes(16).toString('hex'))))
  const [scheme, n, r, p, salt, key] = hash.split('$')
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false
  const expected = Buffer.from(key, 'base64url')
  const actual = await derive(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p))
  return stored !== null && actual.length === expected.length && timingSafeEqual(actual, expected)
}
