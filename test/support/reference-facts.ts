/**
 * The slow, obvious path to AccountFacts (server/journey/facts.ts): straight from the raw stored
 * events, with no rollup, no SQL and nothing shared with server/store/history-load.ts but the trait merge
 * rule (server/store/traits.ts) and which names are facts (server/store/fact-names.ts `isFactName`).
 * test/store/facts-property.test.ts checks that Store.loadFacts gives exactly this.
 *
 * Rules, as the store documents them:
 * - only events with `timestamp <= at` exist;
 * - an event belongs to the account its sender gave; an event of a user sent without one (the
 *   store marks those `accountResolved`, or left them with none) belongs to the account of the
 *   user's latest `group` call at or before its time, ties to the greatest account id, whatever the
 *   order in which they arrived (journey.md, "Entities");
 * - days are UTC days; a day appears when it has a `track` event or an event of a user;
 * - traits merge in (timestamp, event id) order;
 * - workspaceFeatures: `feature_used` features of the workspace's accounts (events that belong to
 *   none count for none) in the last 90 days: the 90 UTC days ending with at's (journey.md, "The
 *   last N days"), at or before `at`;
 * - the override in force is the latest change at or before `at` (ties: the later in the list);
 * - facts: `track` events whose name `isFactName` accepts, given the event names the workspace's
 *   config refers to (`configured`: fact-names.ts `configEventNames` of it; none without a config).
 */
import type { AccountFacts, DayActivity, FactEvent, PhaseOverride, UserFacts } from '../../server/journey/facts'
import { isFactName } from '../../server/store/fact-names'
import { mergeTraits, plainTraits, type StampedTraits } from '../../server/store/traits'
import type { OverrideChange, StoredEvent } from '../../server/store/types'

const DAY = 24 * 60 * 60 * 1000

const utcMidnight = (t: number) => {
  const d = new Date(t)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())
}

const compareStrings = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
const chronological = (a: StoredEvent, b: StoredEvent) => a.timestamp - b.timestamp || compareStrings(a.id, b.id)

function stamped(events: StoredEvent[]): StampedTraits {
  let traits: StampedTraits = {}
  for (const e of [...events].sort(chronological)) {
    if (e.traits && typeof e.traits === 'object' && !Array.isArray(e.traits))
      traits = mergeTraits(traits, e.traits, e.timestamp)
  }
  return traits
}

const merged = (events: StoredEvent[]): Record<string, unknown> => plainTraits(stamped(events))

/** When each trait got its value. */
function timesOf(traits: StampedTraits): Record<string, number> {
  const out: Record<string, number> = {}
  for (const k of Object.keys(traits))
    Object.defineProperty(out, k, { value: traits[k]!.t, enumerable: true, writable: true, configurable: true })
  return out
}

function featureOf(e: StoredEvent): string | null {
  if (e.type !== 'track' || e.name !== 'feature_used') return null
  return typeof e.properties.feature === 'string' ? e.properties.feature : null
}

/** Each event with the account journey.md gives it, from the given accounts and the group calls alone. */
export function withAccounts(events: StoredEvent[]): StoredEvent[] {
  const groupCalls = new Map<string, StoredEvent[]>()
  for (const e of events) {
    if (e.type === 'group' && e.userId !== null && e.accountId !== null)
      groupCalls.set(e.userId, [...(groupCalls.get(e.userId) ?? []), e])
  }
  return events.map((e) => {
    const given = e.accountId !== null && !e.accountResolved
    if (e.type === 'group' || e.userId === null || given) return e
    let latest: StoredEvent | null = null
    for (const g of groupCalls.get(e.userId) ?? []) {
      if (g.timestamp > e.timestamp) continue
      if (
        latest === null ||
        g.timestamp > latest.timestamp ||
        (g.timestamp === latest.timestamp && g.accountId! > latest.accountId!)
      )
        latest = g
    }
    return { ...e, accountId: latest?.accountId ?? null }
  })
}

export function referenceFacts(
  events: StoredEvent[],
  overrides: OverrideChange[],
  accountId: string,
  at: number,
  configured?: ReadonlySet<string>,
): AccountFacts | null {
  const known = withAccounts(events).filter((e) => e.timestamp <= at)
  const mine = known.filter((e) => e.accountId === accountId)
  if (mine.length === 0) return null

  const userIds = [...new Set(mine.flatMap((e) => (e.userId === null ? [] : [e.userId])))].sort(compareStrings)
  const users: UserFacts[] = userIds.map((userId) => ({
    userId,
    traits: merged(known.filter((e) => e.type === 'identify' && e.userId === userId)),
  }))

  const byDay = new Map<number, StoredEvent[]>()
  for (const e of mine) {
    if (e.type !== 'track' && e.type !== 'page') continue
    const d = utcMidnight(e.timestamp)
    byDay.set(d, [...(byDay.get(d) ?? []), e])
  }
  const days: DayActivity[] = []
  for (const date of [...byDay.keys()].sort((a, b) => a - b)) {
    const dayEvents = byDay.get(date)!
    const perUser = new Map<string, { logins: number; events: number }>()
    const counts = new Map<string, number>()
    const features = new Set<string>()
    for (const e of dayEvents) {
      if (e.userId !== null) {
        const u = perUser.get(e.userId) ?? { logins: 0, events: 0 }
        perUser.set(e.userId, {
          logins: u.logins + (e.type === 'track' && e.name === '$login' ? 1 : 0),
          events: u.events + 1,
        })
      }
      if (e.type === 'track' && e.name !== null) counts.set(e.name, (counts.get(e.name) ?? 0) + 1)
      const f = featureOf(e)
      if (f !== null) features.add(f)
    }
    if (perUser.size === 0 && counts.size === 0) continue
    days.push({
      date,
      users: [...perUser.keys()].sort(compareStrings).map((userId) => ({ userId, ...perUser.get(userId)! })),
      features: [...features].sort(compareStrings),
      counts: Object.fromEntries(counts),
    })
  }

  const facts: FactEvent[] = mine
    .filter((e) => e.type === 'track' && e.name !== null && isFactName(e.name, configured))
    .sort(chronological)
    .map((e) => ({ id: e.id, name: e.name!, at: e.timestamp, userId: e.userId, properties: e.properties }))

  const since = utcMidnight(at) - 89 * DAY
  const workspaceFeatures = [
    ...new Set(
      known
        .filter((e) => e.timestamp >= since && e.accountId !== null)
        .map(featureOf)
        .filter((f) => f !== null),
    ),
  ].sort(compareStrings)

  let inForce: OverrideChange | null = null
  for (const c of overrides) if (c.at <= at && (inForce === null || c.at >= inForce.at)) inForce = c
  const override: PhaseOverride | null =
    inForce?.action === 'set' && inForce.override !== null && inForce.override.expiresAt > at ? inForce.override : null

  return {
    accountId,
    traits: merged(mine.filter((e) => e.type === 'group')),
    traitTimes: timesOf(stamped(mine.filter((e) => e.type === 'group'))),
    firstEventAt: mine.reduce((t, e) => Math.min(t, e.timestamp), Number.POSITIVE_INFINITY),
    users,
    days,
    facts,
    workspaceFeatures,
    override,
  }
}
