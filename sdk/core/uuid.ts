let last = 0
let seq = 0

/**
 * A UUIDv7 (RFC 9562): 48-bit Unix ms, then a 12-bit counter in `rand_a` (RFC 9562 §6.2 method 1),
 * so ids made in the same millisecond still sort in creation order. The queue relies on it:
 * IndexedDB keys are event ids, and key order is send order.
 */
export function uuidv7(now: number): string {
  const b = crypto.getRandomValues(new Uint8Array(16))
  // The counter starts at a random value below 256 so a burst of 3,800 ids fits in one ms.
  if (now > last) (last = now), (seq = b[7])
  else if (++seq > 4095) last++, (seq = 0)
  // Uint8Array stores modulo 256, so no masking is needed for the time bytes.
  for (let i = 0; i < 6; i++) b[i] = last / 2 ** (40 - 8 * i)
  b[6] = 0x70 | (seq >> 8)
  b[7] = seq
  b[8] = (b[8] & 63) | 128
  let h = ''
  for (const x of b) h += (x + 256).toString(16).slice(1)
  return h.replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-')
}
