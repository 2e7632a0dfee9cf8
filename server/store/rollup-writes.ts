/**
 * The journey rollups kept at ingest, in the events' own transaction (event-writes.ts): activity
 * per account, UTC day and user, counts per account, day and key, the workspace's features per
 * day, the users of each account, the fact events and the trait history. history-load.ts reads
 * them back; schema: migrations/002_journey.sql.
 */
import { isFactName } from './fact-names'
import { MAX_ROWS } from './sql-values'
import type { Db, NewEvent } from './types'

const q = JSON.stringify

export const DAY_MS = 86_400_000

/** The UTC day number of `t` (day 0 starts at the epoch). */
export const dayOf = (t: number): number => Math.floor(t / DAY_MS)

/** The feature a `feature_used` event names: its `feature` property when that is a string. */
export function featureOf(e: Pick<NewEvent, 'type' | 'name' | 'properties'>): string | null {
  if (e.type !== 'track' || e.name !== 'feature_used') return null
  const f = e.properties?.feature
  return typeof f === 'string' ? f : null
}

/**
 * A `track` event whose name is a fact name (fact-names.ts `isFactName`; `configured`: the names
 * the workspace's config refers to): stored in full as a fact of its account.
 */
export function isFact(e: Pick<NewEvent, 'type' | 'name'>, configured?: ReadonlySet<string> | null): boolean {
  return e.type === 'track' && e.name !== null && isFactName(e.name, configured)
}

/**
 * A newly inserted event of a group, with the account it was stored under; or, with `move`, a
 * stored one that a late group call moved (late-groups.ts): `out` of the account it was under,
 * `in` to its new one. A move changes only what is kept per account: its counts, its fact.
 */
export interface IngestedEvent {
  ws: string
  e: NewEvent
  accountId: string | null
  /** `e.properties`, already serialised for the events insert. */
  props: string
  move?: 'out' | 'in'
}

/** A group's rollup rows, one per key, each list sorted by key (lock order across processes). */
export interface Rollups {
  userDays: { key: string; ws: string; acc: string; d: number; uid: string; l: number; n: number }[]
  days: { key: string; ws: string; acc: string; d: number; k: string; n: number }[]
  /** Keys: `featureKey`. */
  features: { key: string; ws: string; d: number; f: string; first: number }[]
  /** Keys: `memberKey`. */
  members: { key: string; ws: string; acc: string; uid: string; first: number }[]
  facts: { key: string; ws: string; acc: string; e: NewEvent; props: string }[]
  /** Facts of events that moved out of their account. */
  dropFacts: { key: string; ws: string; acc: string; e: NewEvent }[]
  traits: { key: string; ws: string; kind: 'u' | 'a'; sid: string; k: string; e: NewEvent; v: string }[]
  /** Accounts of the new events, by `touchKey`. */
  touched: Map<string, { workspaceId: string; accountId: string }>
  /** Accounts with activity or a fact on a day before `now`'s (moved in or out too): their account_versions is bumped. */
  late: { key: string; ws: string; acc: string }[]
}

const sep = '\u0000'
/** Keys start with the workspace's length, so no workspace id can run into the next field. */
const scoped = (ws: string, rest: string) => `${ws.length}:${ws}${sep}${rest}`
export const touchKey = (ws: string, acc: string) => scoped(ws, acc)
export const featureKey = (ws: string, d: number, f: string) => 'f' + scoped(ws, `${d}${sep}${f}`)
export const memberKey = (ws: string, acc: string, uid: string) => 'm' + scoped(ws, `${acc}${sep}${uid}`)
const byKey = <T extends { key: string }>(a: T, b: T) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)

/**
 * A group's new events aggregated into rollup rows (journey.md's activity, by UTC day):
 * per account, day and user: `$login`s and `track` + `page` events; per account and day: `track`
 * events by name and `feature_used` by feature; per workspace and day: features and their first
 * use; the account's users and their first event; the fact events; and every trait key set by an
 * `identify` (by user) or `group` (by account) event. Events without an account count only for
 * the workspace's features and the user's traits. A moved event's counts are taken off its old
 * account (negative counts: they add up with the rows and packs already there) and added to the
 * new one, both accounts are touched and, for a past day, their versions bumped; its fact moves.
 * Its feature, traits and membership stay: they are not per account, or the new account already
 * holds an earlier first use of its user (the group call that made the membership).
 */
export function collectRollups(
  events: readonly IngestedEvent[],
  now: number,
  configured?: (ws: string) => ReadonlySet<string> | null,
): Rollups {
  const today = dayOf(now)
  const late = new Map<string, Rollups['late'][number]>()
  const userDays = new Map<string, Rollups['userDays'][number]>()
  const days = new Map<string, Rollups['days'][number]>()
  const features = new Map<string, Rollups['features'][number]>()
  const members = new Map<string, Rollups['members'][number]>()
  const facts: Rollups['facts'] = []
  const dropFacts: Rollups['dropFacts'] = []
  const traits: Rollups['traits'] = []
  const touched: Rollups['touched'] = new Map()
  const count = (ws: string, acc: string, d: number, k: string, by: number) => {
    const key = scoped(ws, `${acc}${sep}${d}${sep}${k}`)
    const row = days.get(key)
    if (row) row.n += by
    else days.set(key, { key, ws, acc, d, k, n: by })
  }
  for (const { ws, e, accountId: acc, props, move } of events) {
    const activity = e.type === 'track' || e.type === 'page'
    const d = dayOf(e.timestamp)
    const feature = featureOf(e)
    const by = move === 'out' ? -1 : 1
    // The workspace's features are those its accounts used: an event that belongs to no account
    // (anonymous, or of a user no group call put in one) widens no account's adoption denominator.
    // A late group call moving an event in counts it (the row is kept once per day and feature).
    if (feature !== null && acc !== null && move !== 'out') {
      const key = featureKey(ws, d, feature)
      const row = features.get(key)
      if (!row) features.set(key, { key, ws, d, f: feature, first: e.timestamp })
      else if (e.timestamp < row.first) row.first = e.timestamp
    }
    const subject = move !== undefined ? null : e.type === 'identify' ? e.userId : e.type === 'group' ? acc : null
    if (subject !== null && e.traits && typeof e.traits === 'object' && !Array.isArray(e.traits)) {
      const kind = e.type === 'identify' ? 'u' : 'a'
      for (const [k, v] of Object.entries(e.traits)) {
        if (v !== undefined)
          traits.push({
            key: scoped(ws, `${kind}${sep}${subject}${sep}${k}${sep}${e.id}`),
            ws,
            kind,
            sid: subject,
            k,
            e,
            v: q(v),
          })
      }
    }
    if (acc === null) continue
    touched.set(touchKey(ws, acc), { workspaceId: ws, accountId: acc })
    if (e.userId !== null && move === undefined) {
      const key = memberKey(ws, acc, e.userId)
      const row = members.get(key)
      if (!row) members.set(key, { key, ws, acc, uid: e.userId, first: e.timestamp })
      else if (e.timestamp < row.first) row.first = e.timestamp
    }
    if (!activity) continue
    if (d < today) late.set(touchKey(ws, acc), { key: touchKey(ws, acc), ws, acc })
    if (e.userId !== null) {
      const key = scoped(ws, `${acc}${sep}${d}${sep}${e.userId}`)
      let row = userDays.get(key)
      if (!row) userDays.set(key, (row = { key, ws, acc, d, uid: e.userId, l: 0, n: 0 }))
      row.n += by
      if (e.type === 'track' && e.name === '$login') row.l += by
    }
    if (e.type === 'track' && e.name !== null) count(ws, acc, d, `name:${e.name}`, by)
    if (feature !== null) count(ws, acc, d, `feature:${feature}`, by)
    // Out: whatever the config named when it was stored or since, its fact row goes.
    if (move === 'out') dropFacts.push({ key: scoped(ws, `${acc}${sep}${e.id}`), ws, acc, e })
    else if (isFact(e, configured?.(ws))) facts.push({ key: scoped(ws, `${acc}${sep}${e.id}`), ws, acc, e, props })
  }
  return {
    // A key whose moves cancel out (an event in and another out) has nothing to add.
    userDays: [...userDays.values()].filter((x) => x.n !== 0 || x.l !== 0).sort(byKey),
    days: [...days.values()].filter((x) => x.n !== 0).sort(byKey),
    features: [...features.values()].sort(byKey),
    members: [...members.values()].sort(byKey),
    facts: facts.sort(byKey),
    dropFacts: dropFacts.sort(byKey),
    traits: traits.sort(byKey),
    touched,
    late: [...late.values()].sort(byKey),
  }
}

// Counters add up: rows of concurrent groups (other processes included) merge, never overwrite.
const UPSERT_USER_DAYS = `
INSERT INTO rollup_user_days AS r (workspace_id, account_id, day, user_id, logins, events)
SELECT ws, acc, DATE '1970-01-01' + d, uid, l, n
FROM jsonb_to_recordset($1::text::jsonb) AS x(ws text, acc text, d int, uid text, l int, n int)
ON CONFLICT (workspace_id, account_id, day, user_id) DO UPDATE SET logins = r.logins + excluded.logins, events = r.events + excluded.events`

const UPSERT_DAYS = `
INSERT INTO rollup_days AS r (workspace_id, account_id, day, key, count)
SELECT ws, acc, DATE '1970-01-01' + d, k, n
FROM jsonb_to_recordset($1::text::jsonb) AS x(ws text, acc text, d int, k text, n int)
ON CONFLICT (workspace_id, account_id, day, key) DO UPDATE SET count = r.count + excluded.count`

const UPSERT_FEATURES = `
INSERT INTO workspace_feature_days AS r (workspace_id, day, feature, first_ts)
SELECT ws, DATE '1970-01-01' + d, f, to_timestamp(t / 1000)
FROM jsonb_to_recordset($1::text::jsonb) AS x(ws text, d int, f text, t float8)
ON CONFLICT (workspace_id, day, feature) DO UPDATE SET first_ts = excluded.first_ts
WHERE excluded.first_ts < r.first_ts`

const UPSERT_MEMBERS = `
INSERT INTO account_users AS r (workspace_id, account_id, user_id, first_ts)
SELECT ws, acc, uid, to_timestamp(t / 1000)
FROM jsonb_to_recordset($1::text::jsonb) AS x(ws text, acc text, uid text, t float8)
ON CONFLICT (workspace_id, account_id, user_id) DO UPDATE SET first_ts = excluded.first_ts
WHERE excluded.first_ts < r.first_ts`

// doc: the FactEvent as loadFacts returns it (JSON text, parsed once per load).
const INSERT_FACTS = `
INSERT INTO account_facts (workspace_id, account_id, ts, event_id, name, user_id, doc)
SELECT ws, acc, to_timestamp(ts / 1000), id, name, uid, doc
FROM jsonb_to_recordset($1::text::jsonb) AS x(ws text, acc text, ts float8, id text, name text, uid text, doc text)
ON CONFLICT DO NOTHING`

// $2: the group's workspace. A delete joined to its rows by their workspace column would run on
// every shard on Citus; named as a parameter, it runs on one.
const DELETE_FACTS = `
DELETE FROM account_facts f
USING jsonb_to_recordset($1::text::jsonb) AS x(acc text, ts float8, id text)
WHERE f.workspace_id = $2 AND f.account_id = x.acc AND f.ts = to_timestamp(x.ts / 1000) AND f.event_id = x.id`

const BUMP_VERSIONS = `
INSERT INTO account_versions AS r (workspace_id, account_id, version)
SELECT ws, acc, 1 FROM jsonb_to_recordset($1::text::jsonb) AS x(ws text, acc text)
ON CONFLICT (workspace_id, account_id) DO UPDATE SET version = r.version + 1`

const INSERT_TRAITS = `
INSERT INTO trait_values (workspace_id, kind, subject_id, key, ts, event_id, value)
SELECT ws, kind::"char", sid, k, to_timestamp(ts / 1000), id, v
FROM jsonb_to_recordset($1::text::jsonb) AS x(ws text, kind text, sid text, k text, ts float8, id text, v jsonb)
ON CONFLICT DO NOTHING`

/** One table's rows as a JSON array document (the `$1` of its statement). */
function document<T>(rows: T[], from: number, to: number, row: (r: T) => string): string {
  let doc = '['
  for (let j = from; j < to; j++) doc += (j > from ? ',' : '') + row(rows[j]!)
  return doc + ']'
}

/**
 * Writes a group's rollups (of the workspace `ws`) in the ingest transaction, as its LAST statements (the final one goes
 * through `queryLast` when the adapter has it), tables in one fixed order and rows sorted by
 * key, so that concurrent writers lock in one order. The tables with rows go in ONE statement (one
 * data-modifying CTE each, one document parameter each): one round trip, one parse and plan. When
 * a table has more than MAX_ROWS rows, every table goes in its own statements, in parts, in that
 * order (a big table alone at the end would change the lock order). `known(key, first)` is true when a
 * feature day or member row (`featureKey`, `memberKey`) is known to hold a first use at or before
 * `first`: nothing to write. Returns the rows of those two kinds written, for that cache, once committed.
 */
export async function writeRollups(
  tx: Db,
  ws: string,
  r: Rollups,
  known: (key: string, first: number) => boolean,
): Promise<[string, number][]> {
  const parts: { sql: string; doc: string }[] = []
  let split = false
  const add = <T>(sql: string, rows: T[], row: (r: T) => string) => {
    if (rows.length > MAX_ROWS) split = true
    for (let i = 0; i < rows.length; i += MAX_ROWS)
      parts.push({ sql, doc: document(rows, i, Math.min(rows.length, i + MAX_ROWS), row) })
  }
  add(
    UPSERT_USER_DAYS,
    r.userDays,
    (x) => `{"ws":${q(x.ws)},"acc":${q(x.acc)},"d":${x.d},"uid":${q(x.uid)},"l":${x.l},"n":${x.n}}`,
  )
  add(UPSERT_DAYS, r.days, (x) => `{"ws":${q(x.ws)},"acc":${q(x.acc)},"d":${x.d},"k":${q(x.k)},"n":${x.n}}`)
  const features = r.features.filter((x) => !known(x.key, x.first))
  add(UPSERT_FEATURES, features, (x) => `{"ws":${q(x.ws)},"d":${x.d},"f":${q(x.f)},"t":${x.first}}`)
  const members = r.members.filter((x) => !known(x.key, x.first))
  add(UPSERT_MEMBERS, members, (x) => `{"ws":${q(x.ws)},"acc":${q(x.acc)},"uid":${q(x.uid)},"t":${x.first}}`)
  add(INSERT_FACTS, r.facts, (x) => {
    const doc = `{"id":${q(x.e.id)},"name":${q(x.e.name)},"at":${x.e.timestamp},"userId":${q(x.e.userId)},"properties":${x.props}}`
    return `{"ws":${q(x.ws)},"acc":${q(x.acc)},"ts":${x.e.timestamp},"id":${q(x.e.id)},"name":${q(x.e.name)},"uid":${q(x.e.userId)},"doc":${q(doc)}}`
  })
  add(DELETE_FACTS, r.dropFacts, (x) => `{"acc":${q(x.acc)},"ts":${x.e.timestamp},"id":${q(x.e.id)}}`)
  add(
    INSERT_TRAITS,
    r.traits,
    (x) =>
      `{"ws":${q(x.ws)},"kind":"${x.kind}","sid":${q(x.sid)},"k":${q(x.k)},"ts":${x.e.timestamp},"id":${q(x.e.id)},"v":${x.v}}`,
  )
  add(BUMP_VERSIONS, r.late, (x) => `{"ws":${q(x.ws)},"acc":${q(x.acc)}}`)
  // The last statement of the ingest transaction: the adapter may send COMMIT right behind it.
  const last = (sql: string, params: unknown[]) => (tx.queryLast ? tx.queryLast(sql, params) : tx.query(sql, params))
  // $1 is a statement's document; DELETE_FACTS's $2 the workspace.
  const paramsOf = (p: { sql: string; doc: string }) => (p.sql === DELETE_FACTS ? [p.doc, ws] : [p.doc])
  if (split || parts.length === 1) {
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!
      await (i === parts.length - 1 ? last(p.sql, paramsOf(p)) : tx.query(p.sql, paramsOf(p)))
    }
  } else if (parts.length > 1) {
    // Every data-modifying CTE runs to completion, referenced or not. The workspace goes last.
    const wsParam = `$${parts.length + 1}`
    const sql =
      'WITH ' +
      parts
        .map((p, i) => `w${i} AS (${p.sql.replace(/\$2(?!\d)/, wsParam).replace(/\$1(?!\d)/, `$${i + 1}`)})`)
        .join(',\n') +
      '\nSELECT 1'
    await last(sql, [...parts.map((p) => p.doc), ...(parts.some((p) => p.sql === DELETE_FACTS) ? [ws] : [])])
  }
  return [...features, ...members].map((x) => [x.key, x.first])
}
