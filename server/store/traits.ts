/**
 * Traits merge in event-timestamp order (journey.md, "Entities"): a later value overwrites that key,
 * an absent key is left as it was, an earlier value never overwrites a later one. The store keeps
 * each key's timestamp beside its value; `jornada_merge_traits` (migrations/001_init.sql) is the same
 * rule in SQL, applied on upsert.
 */

/** Traits with the event timestamp (epoch ms) that set each key. */
export type StampedTraits = Record<string, { v: unknown; t: number }>

// A plain assignment of `__proto__` would change the prototype instead of adding a key.
function setOwn<T>(obj: Record<string, T>, key: string, value: NoInfer<T>): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true })
}

/**
 * Merges `incoming` traits set at time `at` into `current`, key by key: a key is taken when
 * `current` lacks it or holds a value stamped at or before `at` (ties go to the later call).
 * Returns a new object; `undefined` values count as absent.
 */
export function mergeTraits(
  current: StampedTraits | null | undefined,
  incoming: Record<string, unknown> | null | undefined,
  at: number,
): StampedTraits {
  const out: StampedTraits = {}
  if (current) for (const k of Object.keys(current)) setOwn(out, k, current[k]!)
  if (incoming) {
    for (const k of Object.keys(incoming)) {
      const v = incoming[k]
      if (v === undefined) continue
      const prev = Object.hasOwn(out, k) ? out[k] : undefined
      if (prev === undefined || prev.t <= at) setOwn(out, k, { v, t: at })
    }
  }
  return out
}

/** Merges two stamped maps with the same rule (what `jornada_merge_traits` does in SQL). */
export function mergeStamped(
  current: StampedTraits | null | undefined,
  incoming: StampedTraits | null | undefined,
): StampedTraits {
  const out: StampedTraits = {}
  if (current) for (const k of Object.keys(current)) setOwn(out, k, current[k]!)
  if (incoming) {
    for (const k of Object.keys(incoming)) {
      const inc = incoming[k]!
      const prev = Object.hasOwn(out, k) ? out[k] : undefined
      if (prev === undefined || prev.t <= inc.t) setOwn(out, k, inc)
    }
  }
  return out
}

/** The plain `{ key: value }` view of stamped traits. */
export function plainTraits(stamped: StampedTraits | null | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (stamped) for (const k of Object.keys(stamped)) setOwn(out, k, stamped[k]!.v)
  return out
}
