/**
 * loadFacts's memory (history-load.ts): each account's decoded history of the days before
 * yesterday, and the traits of its users, kept while the store says they hold.
 */
import type { DayActivity, FactEvent } from '../journey/facts'

/** `v` and everything it holds, frozen: cached objects are shared by every result that uses them. */
export function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v)
    for (const x of Object.values(v)) deepFreeze(x)
  }
  return v
}

/**
 * An account's decoded history before the day before `at`'s (its "cut" day), kept by loadFacts
 * and reused while the account's account_versions row is unchanged: whole for an `at` after the cut,
 * its prefix for an earlier one (time travel on a hot account reads one day of rollups). Days before yesterday only
 * change through late events, which bump that version in their own ingest transaction (on
 * another process too); loadFacts reads the version in the same snapshot as the fresh part. The
 * one-day margin covers clocks of processes that disagree across midnight (by less than a day).
 * Cached objects are frozen: results share them.
 */
export interface FactsCache {
  entries: Map<
    string,
    { cut: number; version: number; days: readonly DayActivity[]; facts: readonly FactEvent[]; weight: number }
  >
  weight: number
  maxWeight: number
  /**
   * The traits of an account's users (frozen), by `touchKey`, with `stamp`: the members' users row
   * versions (xmin, ctid) when read. Ingest sets trait_values rows of a user only in a transaction
   * that also updates that user's users row (event-writes.ts UPSERT_USERS: an identify with traits
   * always updates it), so a new row version is the only sign needed. They hold for any `at` at or
   * after `latest` (the latest trait stamp of those users: no trait row lies after it).
   * Up to `maxWeight` / 5 trait values (~100 bytes each), least recently used out first.
   */
  userTraits: Map<
    string,
    { stamp: string; latest: number; traits: ReadonlyMap<string, Readonly<Record<string, unknown>>>; weight: number }
  >
  userTraitsWeight: number
}

/** A cache holding up to `maxWeight` user-days and facts (~100 bytes each). */
export function createFactsCache(maxWeight = 500_000): FactsCache {
  return { entries: new Map(), weight: 0, maxWeight, userTraits: new Map(), userTraitsWeight: 0 }
}

/** Drops an account's cached history. */
export function forget(cache: FactsCache, key: string): void {
  const old = cache.entries.get(key)
  if (old) {
    cache.weight -= old.weight
    cache.entries.delete(key)
  }
}

/** Drops the cached traits of an account's users. */
export function forgetUserTraits(cache: FactsCache, key: string): void {
  const old = cache.userTraits.get(key)
  if (old) {
    cache.userTraitsWeight -= old.weight
    cache.userTraits.delete(key)
  }
}

/** The first index of `xs` (sorted so that `past` holds from some index on) where `past` holds; xs.length if none. */
export function firstIndex<T>(xs: readonly T[], past: (x: T) => boolean): number {
  let lo = 0
  let hi = xs.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (past(xs[mid]!)) hi = mid
    else lo = mid + 1
  }
  return lo
}
