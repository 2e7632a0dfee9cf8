/**
 * The engine's working view of one account at `at`: the facts cleaned of odd data (wrong types,
 * NaN, anything dated after `at`), indexed by account day number, with the few queries every rule
 * needs ("active users in days a…b"). Built once per `journeyState` call; every rule reads it.
 */
import type { AccountFacts, DayActivity, FactEvent, PhaseOverride, UserFacts } from './facts'
import type { BaseConfig } from './config-schema'
import type { Segment } from './vocabulary'
import { SEGMENTS } from './vocabulary'
import { DAY_MS, parseTime, toNumber, utcMidnight } from './time'

export interface Ctx {
  cfg: BaseConfig
  accountId: string
  traits: Record<string, unknown>
  /** When each trait got its value (AccountFacts.traitTimes); a key without one: before every event. */
  traitTimes: Record<string, number>
  segment: Segment
  at: number
  /** UTC midnight of the contract start. */
  start: number
  startSource: 'contractStart' | 'firstEventAt' | 'at'
  /** The account day of `at`. */
  day: number
  users: UserFacts[]
  /** Activity by day number (days after `at` dropped, duplicates merged). */
  days: Map<number, DayActivity>
  /** Day numbers with activity, ascending. */
  dayNumbers: number[]
  /** Fact events at or before `at`, ascending by (at, id). */
  facts: FactEvent[]
  workspaceFeatures: string[]
  override: PhaseOverride | null
  /** Licensed seats, null when unset or not a positive number. */
  seats: number | null
  stakeholders: Set<string>
  dayOf(t: number): number
  /** The UTC midnight of account day `d`. */
  dateOf(d: number): number
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const arr = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : [])
const count = (v: unknown): number => {
  const n = toNumber(v)
  return n !== null && n > 0 ? n : 0
}

/** `enterprise`, `mid_market` or `smb` from a free-form trait ('Mid-Market' → mid_market); else smb. */
export function segmentOf(v: unknown): Segment {
  if (typeof v !== 'string') return 'smb'
  const s = v
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_')
  return (SEGMENTS as readonly string[]).includes(s) ? (s as Segment) : 'smb'
}

function cleanDay(d: unknown): DayActivity | null {
  if (!isRecord(d)) return null
  const date = toNumber(d.date)
  if (date === null) return null
  const users = arr<unknown>(d.users)
    .filter(isRecord)
    .filter((u) => typeof u.userId === 'string')
    .map((u) => ({ userId: u.userId as string, logins: count(u.logins), events: count(u.events) }))
  const features = arr<unknown>(d.features).filter((f): f is string => typeof f === 'string')
  const counts: Record<string, number> = {}
  if (isRecord(d.counts)) for (const [k, v] of Object.entries(d.counts)) counts[k] = count(v)
  return { date: utcMidnight(date), users, features, counts }
}

/**
 * cleanDay's results for deeply frozen days, by object identity. A frozen day cannot change, so
 * its cleaned form is a function of the object alone: a cache of a pure function keyed by
 * immutable input, so journeyState stays pure. It pays because the store hands out an account's
 * older history as the same frozen objects call after call (server/store/history-cache.ts, FactsCache):
 * cleaning a year of ~12k user-days was two thirds of journeyState's time and most of its garbage.
 * The cleaned days are frozen too (rules only read them); the WeakMap lets both go with the input.
 */
const cleanedDays = new WeakMap<object, DayActivity | null>()

const frozenDay = (d: Record<string, unknown>): boolean => {
  if (!Object.isFrozen(d) || !Object.isFrozen(d.users) || !Object.isFrozen(d.features) || !Object.isFrozen(d.counts))
    return false
  if (Array.isArray(d.users)) for (const u of d.users) if (!Object.isFrozen(u)) return false
  return true
}

function cleanDayOnce(d: unknown): DayActivity | null {
  if (!isRecord(d)) return null
  // A key was deeply frozen when stored, and freezing cannot be undone: a hit needs no check.
  let c = cleanedDays.get(d)
  if (c === undefined) {
    c = cleanDay(d)
    if (!frozenDay(d)) return c
    if (c !== null) {
      for (const u of c.users) Object.freeze(u)
      Object.freeze(c.users)
      Object.freeze(c.features)
      Object.freeze(c.counts)
      Object.freeze(c)
    }
    cleanedDays.set(d, c)
  }
  return c
}

function mergeDays(a: DayActivity, b: DayActivity): DayActivity {
  const users = new Map<string, { userId: string; logins: number; events: number }>()
  for (const u of [...a.users, ...b.users]) {
    const prev = users.get(u.userId)
    users.set(
      u.userId,
      prev ? { userId: u.userId, logins: prev.logins + u.logins, events: prev.events + u.events } : { ...u },
    )
  }
  const counts = { ...a.counts }
  for (const [k, v] of Object.entries(b.counts)) counts[k] = (counts[k] ?? 0) + v
  return {
    date: a.date,
    users: [...users.values()].sort((x, y) => (x.userId < y.userId ? -1 : x.userId > y.userId ? 1 : 0)),
    features: [...new Set([...a.features, ...b.features])].sort(),
    counts,
  }
}

/** The account's contract start: `traits.contractStart`, else the first event, else `at` itself. */
export function contractStartOf(
  traits: Record<string, unknown>,
  firstEventAt: unknown,
  at: number,
): { start: number; source: Ctx['startSource'] } {
  const trait = parseTime(traits.contractStart)
  if (trait !== null) return { start: utcMidnight(trait), source: 'contractStart' }
  const first = toNumber(firstEventAt)
  if (first !== null) return { start: utcMidnight(first), source: 'firstEventAt' }
  return { start: utcMidnight(at), source: 'at' }
}

/** Cleans `raw` for `at` (drops odd values and anything after `at`) and indexes it by account day. */
export function buildContext(cfg: BaseConfig, raw: AccountFacts, at: number): Ctx {
  const facts: Partial<AccountFacts> = isRecord(raw) ? raw : {}
  const traits = isRecord(facts.traits) ? facts.traits : {}
  const { start, source } = contractStartOf(traits, facts.firstEventAt, at)
  const dayOf = (t: number) => Math.floor((utcMidnight(t) - start) / DAY_MS)
  const dateOf = (d: number) => start + d * DAY_MS

  const days = new Map<number, DayActivity>()
  for (const d of arr<unknown>(facts.days)) {
    const c = cleanDayOnce(d)
    // Robustness: a day that starts after `at` cannot hold an event at or before `at`.
    if (c === null || c.date > at) continue
    const n = dayOf(c.date)
    const prev = days.get(n)
    days.set(n, prev ? mergeDays(prev, c) : c)
  }
  const dayNumbers = [...days.keys()].sort((a, b) => a - b)

  const events: FactEvent[] = []
  for (const e of arr<unknown>(facts.facts)) {
    if (!isRecord(e) || typeof e.name !== 'string') continue
    const t = toNumber(e.at)
    if (t === null || t > at) continue
    events.push({
      id: typeof e.id === 'string' ? e.id : '',
      name: e.name,
      at: t,
      userId: typeof e.userId === 'string' ? e.userId : null,
      properties: isRecord(e.properties) ? e.properties : {},
    })
  }
  events.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))

  const users = arr<unknown>(facts.users)
    .filter(isRecord)
    .filter((u) => typeof u.userId === 'string')
    .map((u) => ({ userId: u.userId as string, traits: isRecord(u.traits) ? u.traits : {} }))
  const stakeholders = new Set(users.filter((u) => u.traits.stakeholder === true).map((u) => u.userId))

  const seatsN = toNumber(traits.seats)
  let override: PhaseOverride | null = null
  if (isRecord(facts.override)) {
    const o = facts.override
    const expiresAt = toNumber(o.expiresAt)
    const setAt = toNumber(o.setAt)
    // facts already resolve the override for `at`; checked again so a replayed old value cannot leak.
    if (typeof o.phase === 'string' && (expiresAt === null || expiresAt > at) && (setAt === null || setAt <= at)) {
      override = {
        phase: o.phase,
        reason: typeof o.reason === 'string' ? o.reason : '',
        expiresAt: expiresAt ?? Number.NaN,
        by: typeof o.by === 'string' ? o.by : '',
        setAt: setAt ?? Number.NaN,
      }
    }
  }

  return {
    cfg,
    accountId: typeof facts.accountId === 'string' ? facts.accountId : '',
    traits,
    traitTimes: isRecord(facts.traitTimes) ? (facts.traitTimes as Record<string, number>) : {},
    segment: segmentOf(traits.segment),
    at,
    start,
    startSource: source,
    day: dayOf(at),
    users,
    days,
    dayNumbers,
    facts: events,
    workspaceFeatures: arr<unknown>(facts.workspaceFeatures).filter((f): f is string => typeof f === 'string'),
    override,
    seats: seatsN !== null && seatsN > 0 ? Math.floor(seatsN) : null,
    stakeholders,
    dayOf,
    dateOf,
  }
}

// ---------------------------------------------------------------- queries

/** The index in `ns` (ascending) of the first day >= `from`: rules ask for short windows of long histories. */
function firstDayIndex(ns: readonly number[], from: number): number {
  let lo = 0
  let hi = ns.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (ns[mid]! < from) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Days `from…to` (inclusive) that have activity. */
export function daysIn(ctx: Ctx, from: number, to: number): [number, DayActivity][] {
  const ns = ctx.dayNumbers
  const lo = firstDayIndex(ns, from)
  const out: [number, DayActivity][] = []
  for (let i = lo; i < ns.length && ns[i]! <= to; i++) out.push([ns[i]!, ctx.days.get(ns[i]!)!])
  return out
}

/** Users with `events > 0` on a day in `from…to`. */
export function activeUsersIn(ctx: Ctx, from: number, to: number): Set<string> {
  // Index loops: for-of over the (frozen) day arrays went through the generic iterator, a third
  // of journeyState's garbage on a year of 50 users (measured).
  const s = new Set<string>()
  const ns = ctx.dayNumbers
  for (let i = firstDayIndex(ns, from); i < ns.length && ns[i]! <= to; i++) {
    const users = ctx.days.get(ns[i]!)!.users
    for (let j = 0; j < users.length; j++) if (users[j]!.events > 0) s.add(users[j]!.userId)
  }
  return s
}

/** Account active days (any user with `events > 0`) in `from…to`. */
export function activeDaysIn(ctx: Ctx, from: number, to: number): number {
  return daysIn(ctx, from, to).filter(([, d]) => d.users.some((u) => u.events > 0)).length
}

/** Day numbers in `from…to` on which some user logged in. */
export function loginDaysIn(ctx: Ctx, from: number, to: number): number[] {
  return daysIn(ctx, from, to)
    .filter(([, d]) => d.users.some((u) => u.logins > 0))
    .map(([n]) => n)
}

/** Distinct features used in `from…to`. */
export function featuresIn(ctx: Ctx, from: number, to: number): Set<string> {
  const s = new Set<string>()
  const ns = ctx.dayNumbers
  for (let i = firstDayIndex(ns, from); i < ns.length && ns[i]! <= to; i++) {
    const features = ctx.days.get(ns[i]!)!.features
    for (let j = 0; j < features.length; j++) s.add(features[j]!)
  }
  return s
}

/** Fact events with one of `names`, optionally only those on days `from…to`. */
export function eventsNamed(ctx: Ctx, names: readonly string[], from = -Infinity, to = Infinity): FactEvent[] {
  return ctx.facts.filter((e) => names.includes(e.name) && ctx.dayOf(e.at) >= from && ctx.dayOf(e.at) <= to)
}

/** The features the core rules look at: `core` ones; none marked: all configured; none configured: null (any). */
export function coreFeatures(cfg: BaseConfig): string[] | null {
  const core = cfg.features.filter((f) => f.core === true).map((f) => f.id)
  if (core.length > 0) return core
  if (cfg.features.length > 0) return cfg.features.map((f) => f.id)
  return null
}
