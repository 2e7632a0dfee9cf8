/**
 * `loadFactsDaily`: what loadFacts (history-load.ts) returns at the end of each of several UTC days
 * and at a last time `at`, from one loadFacts at `at` and one statement that reads the parts of the
 * facts that change with time other than by adding up: trait values, memberships, the workspace's
 * features, overrides. The rest of a day's facts is the facts at `at`, cut at that day's end.
 *
 * Why cutting gives what loadFacts would (test/store/facts-property.test.ts holds the two
 * together at many times of random histories): for `t` the end of a day D before at's day,
 * - `days`: loadFacts(t) reads the days before D from rollups and D from its raw events, all of
 *   them (t ends D); loadFacts(at) holds D and the days before from rollups. The rollups are the
 *   raw events counted the same way (history-load.ts `activityOf`), so the days up to D are equal;
 * - `facts`: the same account_facts rows, at or before `t`;
 * - `firstEventAt`: accounts.first_seen when at or before `t` (else no facts at all);
 * - traits: per key of accounts.traits / users.traits, the trait_values row latest by
 *   (ts, event_id) at or before `t`, as loadFacts's probes pick it; the rows read are those after
 *   the first day's end and, per key, the latest one at or before it;
 * - users: account_users rows with first_ts at or before `t`;
 * - workspaceFeatures: workspace_feature_days of the 90 days ending with D (all of D's first uses
 *   are at or before its end);
 * - override: the latest change at or before `t` (overrideAt, as loadFacts).
 * A day at or after at's is not cut (its rollups are not final and at's day comes from raw events).
 */
import type { AccountFacts, FactEvent, UserFacts } from '../journey/facts'
import { overrideAt, WORKSPACE_FEATURE_DAYS } from './history-load'
import { DAY_MS, dayOf } from './rollup-writes'
import type { Db, OverrideChange } from './types'

/**
 * $1 workspace, $2 account, $3 at (ms), $4 the first day's end (ms), $5 the first day of the
 * workspace features read, $6 at's day. Trait rows come ordered as loadFacts reads the keys
 * (jsonb_object_keys' order), then by (ts, event_id); event_id is COLLATE "C", as in its probes.
 */
const LOAD_HISTORY = `
WITH members AS (
  SELECT user_id, first_ts FROM account_users
  WHERE workspace_id = $1 AND account_id = $2 AND first_ts <= to_timestamp($3::float8 / 1000)
)
SELECT
  (SELECT json_agg(json_build_array(user_id, (extract(epoch FROM first_ts) * 1000)::float8)) FROM members) AS members,
  (SELECT json_agg(json_build_array(k.key, v.value, (extract(epoch FROM v.ts) * 1000)::float8) ORDER BY k.n, v.ts, v.event_id)
    FROM accounts a CROSS JOIN LATERAL jsonb_object_keys(a.traits) WITH ORDINALITY AS k(key, n)
    CROSS JOIN LATERAL (
      (SELECT value, ts, event_id FROM trait_values
        WHERE workspace_id = $1 AND kind = 'a' AND subject_id = $2 AND key = k.key
          AND ts > to_timestamp($4::float8 / 1000) AND ts <= to_timestamp($3::float8 / 1000))
      UNION ALL
      (SELECT value, ts, event_id FROM trait_values
        WHERE workspace_id = $1 AND kind = 'a' AND subject_id = $2 AND key = k.key AND ts <= to_timestamp($4::float8 / 1000)
        ORDER BY ts DESC, event_id DESC LIMIT 1)) AS v
    WHERE a.workspace_id = $1 AND a.account_id = $2) AS account_traits,
  (SELECT json_agg(json_build_array(m.user_id, k.key, v.value, (extract(epoch FROM v.ts) * 1000)::float8)
      ORDER BY m.user_id, k.n, v.ts, v.event_id)
    FROM members m CROSS JOIN LATERAL (SELECT traits FROM users WHERE workspace_id = $1 AND user_id = m.user_id OFFSET 0) AS u
    CROSS JOIN LATERAL jsonb_object_keys(u.traits) WITH ORDINALITY AS k(key, n)
    CROSS JOIN LATERAL (
      (SELECT value, ts, event_id FROM trait_values
        WHERE workspace_id = $1 AND kind = 'u' AND subject_id = m.user_id AND key = k.key
          AND ts > to_timestamp($4::float8 / 1000) AND ts <= to_timestamp($3::float8 / 1000))
      UNION ALL
      (SELECT value, ts, event_id FROM trait_values
        WHERE workspace_id = $1 AND kind = 'u' AND subject_id = m.user_id AND key = k.key AND ts <= to_timestamp($4::float8 / 1000)
        ORDER BY ts DESC, event_id DESC LIMIT 1)) AS v) AS user_traits,
  (SELECT json_agg(json_build_array(day - DATE '1970-01-01', feature)) FROM workspace_feature_days
    WHERE workspace_id = $1 AND day >= DATE '1970-01-01' + $5::int AND day < DATE '1970-01-01' + $6::int) AS workspace_features,
  (SELECT json_agg(change ORDER BY at, seq) FROM override_changes
    WHERE workspace_id = $1 AND account_id = $2 AND at <= to_timestamp($3::float8 / 1000)) AS overrides`

/** What of an account changes with time other than by adding up, from a first day's end to `at`. */
export interface FactsHistory {
  /** [userId, first_ts] of the members at `at`. */
  members: [string, number][]
  /** [key, value, ts], keys in loadFacts's order, then by (ts, event_id). */
  accountTraits: [string, unknown, number][]
  /** [userId, key, value, ts], the same per user. */
  userTraits: [string, string, unknown, number][]
  /** [day, feature] of the workspace, the days read. */
  workspaceFeatures: [number, string][]
  /** The override changes at or before `at`, in order. */
  overrides: OverrideChange[]
}

const json = <T>(v: unknown): T | null => (typeof v === 'string' ? (JSON.parse(v) as T) : ((v ?? null) as T | null))
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

// A plain assignment of `__proto__` would change the prototype instead of adding a key.
function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true })
}

/** The history of `accountId` from the end of day `firstDay` to `at` (one statement). */
async function loadHistory(db: Db, ws: string, accountId: string, at: number, firstDay: number): Promise<FactsHistory> {
  const [row] = await db.query<Record<string, unknown>>(LOAD_HISTORY, [
    ws,
    accountId,
    at,
    (firstDay + 1) * DAY_MS - 1,
    firstDay - WORKSPACE_FEATURE_DAYS + 1,
    dayOf(at),
  ])
  return {
    members: json(row?.members) ?? [],
    accountTraits: json(row?.account_traits) ?? [],
    userTraits: json(row?.user_traits) ?? [],
    workspaceFeatures: json(row?.workspace_features) ?? [],
    overrides: json(row?.overrides) ?? [],
  }
}

/**
 * The facts at the end of UTC day `day` (before at's day), cut from `latest` (loadFacts at a later
 * `at`) and `history` (read from a day's end at or before `day`'s): pure; equal to loadFacts at
 * that time (the reasons are at the top of this file). null: the account had no event by then.
 */
export function factsAtEndOf(latest: AccountFacts, history: FactsHistory, day: number): AccountFacts | null {
  const t = (day + 1) * DAY_MS - 1
  if (latest.firstEventAt === null || latest.firstEventAt > t) return null
  const traits: Record<string, unknown> = {}
  const traitTimes: Record<string, number> = {}
  // Rows come by key, then time: the last one at or before t wins.
  for (const [k, v, ts] of history.accountTraits) {
    if (ts > t) continue
    setOwn(traits, k, v)
    setOwn(traitTimes, k, ts)
  }
  const userTraits = new Map<string, Record<string, unknown>>()
  for (const [u, k, v, ts] of history.userTraits) {
    if (ts > t) continue
    let x = userTraits.get(u)
    if (!x) userTraits.set(u, (x = {}))
    setOwn(x, k, v)
  }
  const users: UserFacts[] = history.members
    .filter(([, first]) => first <= t)
    .map(([u]) => u)
    .sort(cmp)
    .map((userId) => ({ userId, traits: userTraits.get(userId) ?? {} }))
  const dayStart = day * DAY_MS
  const features = new Set<string>()
  for (const [d, f] of history.workspaceFeatures) if (d > day - WORKSPACE_FEATURE_DAYS && d <= day) features.add(f)
  return {
    accountId: latest.accountId,
    traits,
    traitTimes,
    firstEventAt: latest.firstEventAt,
    users,
    days: latest.days.filter((d) => d.date <= dayStart),
    facts: latest.facts.filter((f: FactEvent) => f.at <= t),
    workspaceFeatures: [...features].sort(cmp),
    override: overrideAt(history.overrides, t),
  }
}

/**
 * loadFacts at the end of each of the `days - 1` UTC days before at's, and at `at`, oldest first
 * (Store.loadFactsDaily): one loadFacts and one more statement, whatever `days`.
 */
export async function loadFactsDaily(
  db: Db,
  loadFacts: (at: number) => Promise<AccountFacts | null>,
  workspaceId: string,
  accountId: string,
  at: number,
  days: number,
): Promise<(AccountFacts | null)[]> {
  const last = dayOf(at)
  const first = last - days + 1
  if (days <= 1) return [await loadFacts(at)]
  // Both at once: on PostgreSQL two connections answer them together.
  const [latest, history] = await Promise.all([loadFacts(at), loadHistory(db, workspaceId, accountId, at, first)])
  if (latest === null) return new Array<null>(days).fill(null)
  const out: (AccountFacts | null)[] = []
  for (let d = first; d < last; d++) out.push(factsAtEndOf(latest, history, d))
  out.push(latest)
  return out
}
