/**
 * Small builders of `AccountFacts` for the journey engine's tests. Days are account day numbers
 * counted from START (the contract start, a UTC midnight); `at(d)` is noon of day d.
 */
import type { AccountFacts, DayActivity, FactEvent, PhaseOverride } from '../../server/journey/facts'
import type { JourneyConfig } from '../../server/journey/config'
import { defaultConfig, deepMerge, parseConfig } from '../../server/journey/config'
import { prng } from '../support/prng'
import { mergeTraits, plainTraits, type StampedTraits } from '../../server/store/traits'

export const DAY = 86_400_000
/** Contract start of every built account: Monday 5 January 2026, 00:00 UTC. */
export const START = Date.UTC(2026, 0, 5)
export const START_DATE = '2026-01-05'

/** Noon (UTC) of account day `d`, or `d` days plus `hours`. */
export const at = (d: number, hours = 12): number => START + d * DAY + hours * 3_600_000
export const iso = (t: number): string => new Date(t).toISOString()
export const midnight = (d: number): string => iso(START + d * DAY)

/** A config: the defaults with `doc` merged (validated, so a test cannot use a wrong key). */
export function config(doc: unknown = {}): JourneyConfig {
  const r = parseConfig(doc)
  if (!r.ok) throw new Error('bad test config: ' + JSON.stringify(r.issues))
  return r.config
}
export { defaultConfig, deepMerge }

let seq = 0

export class AccountBuilder {
  private traitsV: Record<string, unknown> = { contractStart: START_DATE }
  private traitTimesV: Record<string, number> = {}
  private usersV = new Map<string, Record<string, unknown>>()
  private dayMap = new Map<
    number,
    { users: Map<string, { logins: number; events: number }>; features: Set<string>; counts: Record<string, number> }
  >()
  private factsV: FactEvent[] = []
  private overrideV: PhaseOverride | null = null
  private workspaceFeaturesV: string[] = []
  private firstEventAtV: number | null | undefined

  constructor(readonly accountId = 'acme') {}

  traits(t: Record<string, unknown>): this {
    this.traitsV = { ...this.traitsV, ...t }
    return this
  }
  /** Traits set by a `group` call on account day `d` (their time matters where an event sets the same thing). */
  traitsOn(d: number, t: Record<string, unknown>): this {
    this.traitsV = { ...this.traitsV, ...t }
    for (const k of Object.keys(t)) this.traitTimesV[k] = START + d * DAY
    return this
  }
  /**
   * A `group` call setting account traits at noon of account day `d` (plus `minutes`), given in the
   * order it *arrives*: calls may come late or out of order. They merge in timestamp order by the
   * store's rule (server/store/traits.ts; journey.md "Entities": a later value overwrites that key, an
   * absent key is left as it was, an earlier value never overwrites a later one), and each key's time
   * is kept in `traitTimes` (a `renewed` event's `renewalDate` is merged with it in time order).
   * Traits set with `traits()` count as set before every event.
   */
  group(d: number, t: Record<string, unknown>, minutes = 0): this {
    const stamped: StampedTraits = {}
    for (const [k, v] of Object.entries(this.traitsV)) stamped[k] = { v, t: this.traitTimesV[k] ?? -Infinity }
    const merged = mergeTraits(stamped, t, at(d) + minutes * 60_000)
    this.traitsV = plainTraits(merged)
    for (const [k, { t: time }] of Object.entries(merged)) if (Number.isFinite(time)) this.traitTimesV[k] = time
    return this
  }
  /** Replaces the traits entirely (no contractStart unless given). */
  rawTraits(t: Record<string, unknown>): this {
    this.traitsV = t
    return this
  }
  user(userId: string, traits: Record<string, unknown> = {}): this {
    this.usersV.set(userId, { ...(this.usersV.get(userId) ?? {}), ...traits })
    return this
  }
  private slot(d: number) {
    let s = this.dayMap.get(d)
    if (!s) this.dayMap.set(d, (s = { users: new Map(), features: new Set(), counts: {} }))
    return s
  }
  private bump(d: number, user: string, logins: number, events: number) {
    if (!this.usersV.has(user)) this.usersV.set(user, {})
    const s = this.slot(d)
    const u = s.users.get(user) ?? { logins: 0, events: 0 }
    s.users.set(user, { logins: u.logins + logins, events: u.events + events })
  }
  /** `n` `$login` events by `user` on day `d` (each also counts as an event). */
  login(d: number, user = 'u1', n = 1): this {
    this.bump(d, user, n, n)
    this.slot(d).counts.$login = (this.slot(d).counts.$login ?? 0) + n
    return this
  }
  /** Logins on each of `days`. */
  logins(days: number[], user = 'u1', n = 1): this {
    for (const d of days) this.login(d, user, n)
    return this
  }
  /** `n` page/track events (not logins) by `user` on day `d`. */
  active(d: number, user = 'u1', n = 1): this {
    this.bump(d, user, 0, n)
    return this
  }
  activeDays(days: number[], user = 'u1'): this {
    for (const d of days) this.active(d, user)
    return this
  }
  /** `n` `track` events named `name` by `user` on day `d` (rolled up: counted, not a fact). */
  track(d: number, name: string, user = 'u1', n = 1): this {
    this.bump(d, user, 0, n)
    this.slot(d).counts[name] = (this.slot(d).counts[name] ?? 0) + n
    return this
  }
  /** A `feature_used` of `feature` by `user` on day `d`. */
  feature(d: number, feature: string, user = 'u1'): this {
    this.bump(d, user, 0, 1)
    this.slot(d).features.add(feature)
    return this
  }
  /** A fact event on day `d` (noon, plus `minutes`). */
  fact(
    name: string,
    d: number,
    properties: Record<string, unknown> = {},
    userId: string | null = null,
    minutes = 0,
  ): this {
    this.factsV.push({
      id: `f${String(seq++).padStart(6, '0')}`,
      name,
      at: at(d) + minutes * 60_000,
      userId,
      properties,
    })
    return this
  }
  factAt(name: string, t: number, properties: Record<string, unknown> = {}, userId: string | null = null): this {
    this.factsV.push({ id: `f${String(seq++).padStart(6, '0')}`, name, at: t, userId, properties })
    return this
  }
  nps(d: number, userId: string, score: unknown): this {
    return this.fact('nps_response', d, { score }, userId)
  }
  override(o: Partial<PhaseOverride> & { phase: string }): this {
    this.overrideV = { reason: 'test', expiresAt: at(1000), by: 'ana@vendor', setAt: at(0), ...o }
    return this
  }
  workspaceFeatures(f: string[]): this {
    this.workspaceFeaturesV = f
    return this
  }
  firstEventAt(t: number | null): this {
    this.firstEventAtV = t
    return this
  }
  build(): AccountFacts {
    const days: DayActivity[] = [...this.dayMap.entries()]
      .sort(([a], [b]) => a - b)
      .map(([d, s]) => ({
        date: START + d * DAY,
        users: [...s.users.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([userId, u]) => ({ userId, ...u })),
        features: [...s.features].sort(),
        counts: { ...s.counts, ...(s.features.size > 0 && { feature_used: s.features.size }) },
      }))
    const facts = [...this.factsV].sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1))
    const firstDay = days[0]?.date ?? null
    const firstFact = facts[0]?.at ?? null
    const first =
      this.firstEventAtV !== undefined
        ? this.firstEventAtV
        : ([firstDay, firstFact].filter((x): x is number => x !== null).sort((a, b) => a - b)[0] ?? null)
    return {
      accountId: this.accountId,
      traits: { ...this.traitsV },
      traitTimes: { ...this.traitTimesV },
      firstEventAt: first,
      users: [...this.usersV.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([userId, traits]) => ({ userId, traits })),
      days,
      facts,
      workspaceFeatures: this.workspaceFeaturesV,
      override: this.overrideV,
    }
  }
  /** Facts as the store gives them at `t`: only what happened at or before it. */
  buildAt(t: number): AccountFacts {
    const f = this.build()
    return { ...f, days: f.days.filter((d) => d.date <= t), facts: f.facts.filter((e) => e.at <= t) }
  }
}

export const account = (id?: string) => new AccountBuilder(id)

export { prng }
