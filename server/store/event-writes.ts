/**
 * What one group-commit transaction writes (group-commit.ts runs it): the events, the memberships of
 * their `group` calls, the accounts of events sent without one, the users and accounts they name,
 * and their journey rollups (rollup-writes.ts), all in the caller's transaction.
 */
import { collectRollups, writeRollups } from './rollup-writes'
import { chunks } from './sql-values'
import { mergeTraits, type StampedTraits } from './traits'
import type { Db, IngestResult, NewEvent } from './types'

/** An event of one caller, checked and serialised before it joins a group. */
export interface Row {
  ws: string
  e: NewEvent
  props: string
  traits: string | null
  ctx: string | null
  key: string
}

/** The callers of one group: each gets its own counts once the group's transaction commits. */
export interface Pending {
  workspaceId: string
  rows: Row[]
  count: number
  resolve(r: IngestResult): void
  reject(err: unknown): void
}

export const rowKey = (ws: string, a: string) => `${ws.length}:${ws}${a}`
const byKey = <T extends { key: string }>(a: T, b: T) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)

/**
 * The events of a group as ONE JSON document (`eventsDocument`), one statement per ~5,000 rows:
 * cheaper than twelve array parameters, whose JSON columns both drivers would escape element by
 * element into array literals. `::text::jsonb` because postgres.js JSON-encodes a string sent as
 * jsonb. The benchmark's raw-insert ceiling uses this same statement.
 */
export const INSERT_EVENTS = `
INSERT INTO events (workspace_id, event_id, type, name, user_id, anonymous_id, account_id, ts, received_at, properties, traits, context)
SELECT ws, id, type, name, uid, anon, acc, to_timestamp(ts / 1000), to_timestamp(rcv / 1000), props, traits, ctx
FROM jsonb_to_recordset($1::text::jsonb) AS x(ws text, id text, type text, name text, uid text, anon text, acc text, ts float8, rcv float8,
                                        props jsonb, traits jsonb, ctx jsonb)
ON CONFLICT (workspace_id, event_id) DO NOTHING
RETURNING workspace_id, event_id`

/** One row of INSERT_EVENTS's document; the JSON columns come already serialised. */
export interface EventDocRow {
  ws: string
  e: NewEvent
  accountId: string | null
  props: string
  traits: string | null
  ctx: string | null
}

/** INSERT_EVENTS's parameter: the rows as one JSON array, built from the pre-serialised parts. */
export function eventsDocument(rows: EventDocRow[]): string {
  const q = JSON.stringify
  let out = '['
  for (let i = 0; i < rows.length; i++) {
    const { ws, e, accountId, props, traits, ctx } = rows[i]!
    out += `${i ? ',' : ''}{"ws":${q(ws)},"id":${q(e.id)},"type":${q(e.type)},"name":${q(e.name)},"uid":${q(e.userId)},"anon":${q(e.anonymousId)},"acc":${q(accountId)},"ts":${e.timestamp},"rcv":${e.receivedAt},"props":${props},"traits":${traits ?? 'null'},"ctx":${ctx ?? 'null'}}`
  }
  return out + ']'
}

const INSERT_MEMBERSHIPS = `
INSERT INTO memberships (workspace_id, user_id, ts, account_id)
SELECT ws, uid, to_timestamp(ts / 1000), acc FROM unnest($1::text[], $2::text[], $3::float8[], $4::text[]) AS x(ws, uid, ts, acc)
ON CONFLICT DO NOTHING`

// The user's latest `group` call at or before each event (ties: the greatest account id, to be deterministic).
const RESOLVE_ACCOUNTS = `
SELECT x.i, m.account_id
FROM unnest($1::text[], $2::text[], $3::float8[]) WITH ORDINALITY AS x(ws, uid, ts, i)
CROSS JOIN LATERAL (
  SELECT account_id FROM memberships
  WHERE workspace_id = x.ws AND user_id = x.uid AND ts <= to_timestamp(x.ts / 1000)
  ORDER BY ts DESC, account_id DESC LIMIT 1
) m`

// DO UPDATE ... WHERE: a track event of a known user changes nothing, so it rewrites nothing.
const UPSERT_USERS = `
INSERT INTO users AS u (workspace_id, user_id, traits, account_id, account_at, first_seen)
SELECT ws, uid, tr::jsonb, acc, to_timestamp(acc_at / 1000), to_timestamp(fs / 1000)
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[]) AS x(ws, uid, tr, acc, acc_at, fs)
ON CONFLICT (workspace_id, user_id) DO UPDATE SET
  traits = jornada_merge_traits(u.traits, excluded.traits),
  account_id = CASE WHEN excluded.account_at IS NOT NULL AND (u.account_at IS NULL OR excluded.account_at >= u.account_at)
                    THEN excluded.account_id ELSE u.account_id END,
  account_at = CASE WHEN excluded.account_at IS NOT NULL AND (u.account_at IS NULL OR excluded.account_at >= u.account_at)
                    THEN excluded.account_at ELSE u.account_at END,
  first_seen = least(u.first_seen, excluded.first_seen)
WHERE excluded.traits <> '{}'::jsonb OR excluded.first_seen < u.first_seen
   OR (excluded.account_at IS NOT NULL AND (u.account_at IS NULL OR excluded.account_at >= u.account_at))`

const UPSERT_ACCOUNTS = `
INSERT INTO accounts AS a (workspace_id, account_id, traits, first_seen)
SELECT ws, acc, tr::jsonb, to_timestamp(fs / 1000)
FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[]) AS x(ws, acc, tr, fs)
ON CONFLICT (workspace_id, account_id) DO UPDATE SET
  traits = jornada_merge_traits(a.traits, excluded.traits),
  first_seen = least(a.first_seen, excluded.first_seen)
WHERE excluded.traits <> '{}'::jsonb OR excluded.first_seen < a.first_seen`

interface UserAcc {
  key: string
  ws: string
  id: string
  traits: StampedTraits
  accountId: string | null
  accountAt: number | null
  firstSeen: number
}

/** Inserts `rows` (already sorted by key), returns the keys actually inserted. */
async function insertEvents(tx: Db, rows: Row[], accountOf: (r: Row, i: number) => string | null): Promise<Set<string>> {
  const inserted = new Set<string>()
  let offset = 0
  for (const part of chunks(rows)) {
    const doc = eventsDocument(part.map((r, j) => ({ ws: r.ws, e: r.e, accountId: accountOf(r, offset + j), props: r.props, traits: r.traits, ctx: r.ctx })))
    offset += part.length
    const res = await tx.query<{ workspace_id: string; event_id: string }>(INSERT_EVENTS, [doc])
    for (const x of res) inserted.add(rowKey(x.workspace_id, x.event_id))
  }
  return inserted
}

/**
 * first_seen values this process has committed, by `rowKey(ws, kind + id)`. first_seen only ever
 * decreases, so the stored value is at most the one cached here: an event no earlier than it, with
 * no traits and no account change, would change nothing, and its upsert is skipped. This keeps the
 * users and accounts tables off the hot path of ordinary track and page events.
 */
export type FirstSeenCache = Map<string, number>
export const FIRST_SEEN_CACHE_MAX = 100_000

/**
 * First uses this process has committed, by rollup-writes.ts `featureKey` (a workspace's feature on a day)
 * and `memberKey` (a user of an account): like first_seen, they only ever decrease, so a row no
 * earlier than the cached one would change nothing and is not written.
 */
export type FirstUseCache = Map<string, number>

export interface GroupResult {
  accepted: number[]
  seen: [string, number][]
  /** Feature-day and member rows written, with their first use: FirstUseCache entries once committed. */
  firstUses: [string, number][]
  touched: Map<string, { workspaceId: string; accountId: string }>
}

/**
 * Writes one group of callers in the current transaction; returns each caller's accepted count.
 * Order matters: events that need no account resolution go first, so the memberships of this
 * batch's new `group` events exist before the others resolve their account.
 */
export async function writeGroup(
  tx: Db, group: Pending[], firstSeen: FirstSeenCache, firstUse: FirstUseCache, now: number,
  configured: (ws: string) => ReadonlySet<string> | null,
): Promise<GroupResult> {
  // Dedupe across callers and within a call: the first occurrence wins.
  const seen = new Set<string>()
  const rows: Row[] = []
  for (const p of group) {
    for (const r of p.rows) {
      if (seen.has(r.key)) continue
      seen.add(r.key)
      rows.push(r)
    }
  }
  // Sorted by key, so that two processes writing overlapping rows take their locks in one order.
  const needsAccount = (r: Row) => r.e.type !== 'group' && r.e.accountId === null && r.e.userId !== null
  const direct = rows.filter((r) => !needsAccount(r)).sort(byKey)
  const resolve = rows.filter(needsAccount).sort(byKey)
  const finalAccount = new Map<string, string | null>()

  const inserted = await insertEvents(tx, direct, (r) => r.e.accountId)
  for (const r of direct) if (inserted.has(r.key)) finalAccount.set(r.key, r.e.accountId)

  const members = new Map<string, [string, string, number, string]>()
  for (const r of direct) {
    const e = r.e
    if (e.type === 'group' && e.userId !== null && e.accountId !== null && inserted.has(r.key)) {
      members.set(rowKey(r.ws, `${e.userId}\u0000${e.timestamp}\u0000${e.accountId}`), [r.ws, e.userId, e.timestamp, e.accountId])
    }
  }
  const memberRows = [...members.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map((x) => x[1])
  for (const part of chunks(memberRows)) {
    await tx.query(INSERT_MEMBERSHIPS, [part.map((m) => m[0]), part.map((m) => m[1]), part.map((m) => m[2]), part.map((m) => m[3])])
  }

  if (resolve.length) {
    const resolved: (string | null)[] = new Array(resolve.length).fill(null)
    let offset = 0
    for (const part of chunks(resolve)) {
      const res = await tx.query<{ i: number | string; account_id: string }>(RESOLVE_ACCOUNTS, [
        part.map((r) => r.ws),
        part.map((r) => r.e.userId),
        part.map((r) => r.e.timestamp),
      ])
      for (const x of res) resolved[offset + Number(x.i) - 1] = x.account_id
      offset += part.length
    }
    const ins = await insertEvents(tx, resolve, (_r, i) => resolved[i] ?? null)
    resolve.forEach((r, i) => {
      if (ins.has(r.key)) {
        inserted.add(r.key)
        finalAccount.set(r.key, resolved[i] ?? null)
      }
    })
  }

  // Entities from the new events only, in caller order (ties in timestamp go to the later event).
  const users = new Map<string, UserAcc>()
  const accounts = new Map<string, UserAcc>()
  for (const r of rows) {
    if (!inserted.has(r.key)) continue
    const e = r.e
    if (e.userId !== null) {
      const k = rowKey(r.ws, e.userId)
      let u = users.get(k)
      if (!u) users.set(k, (u = { key: k, ws: r.ws, id: e.userId, traits: {}, accountId: null, accountAt: null, firstSeen: e.timestamp }))
      u.firstSeen = Math.min(u.firstSeen, e.timestamp)
      if (e.type === 'identify' && e.traits) u.traits = mergeTraits(u.traits, e.traits, e.timestamp)
      if (e.type === 'group' && e.accountId !== null && (u.accountAt === null || e.timestamp >= u.accountAt)) {
        u.accountId = e.accountId
        u.accountAt = e.timestamp
      }
    }
    const accountId = finalAccount.get(r.key) ?? null
    if (accountId !== null) {
      const k = rowKey(r.ws, accountId)
      let a = accounts.get(k)
      if (!a) accounts.set(k, (a = { key: k, ws: r.ws, id: accountId, traits: {}, accountId: null, accountAt: null, firstSeen: e.timestamp }))
      a.firstSeen = Math.min(a.firstSeen, e.timestamp)
      if (e.type === 'group' && e.traits) a.traits = mergeTraits(a.traits, e.traits, e.timestamp)
    }
  }
  const known = (k: string, t: number) => { const c = firstSeen.get(k); return c !== undefined && c <= t }
  const userRows = [...users.values()].filter((u) => Object.keys(u.traits).length > 0 || u.accountAt !== null || !known('u' + u.key, u.firstSeen))
  const accountRows = [...accounts.values()].filter((a) => Object.keys(a.traits).length > 0 || !known('a' + a.key, a.firstSeen))
  for (const part of chunks(userRows.sort(byKey))) {
    await tx.query(UPSERT_USERS, [
      part.map((u) => u.ws),
      part.map((u) => u.id),
      part.map((u) => JSON.stringify(u.traits)),
      part.map((u) => u.accountId),
      part.map((u) => u.accountAt),
      part.map((u) => u.firstSeen),
    ])
  }
  for (const part of chunks(accountRows.sort(byKey))) {
    await tx.query(UPSERT_ACCOUNTS, [
      part.map((a) => a.ws),
      part.map((a) => a.id),
      part.map((a) => JSON.stringify(a.traits)),
      part.map((a) => a.firstSeen),
    ])
  }

  // Journey rollups, from the new events only, in this same transaction (rollup-writes.ts).
  const rollups = collectRollups(
    rows.filter((r) => inserted.has(r.key)).map((r) => ({ ws: r.ws, e: r.e, accountId: finalAccount.get(r.key) ?? null, props: r.props })),
    now,
    configured,
  )
  const firstUses = await writeRollups(tx, rollups, (k, t) => {
    const c = firstUse.get(k)
    return c !== undefined && c <= t
  })

  const accepted = group.map(() => 0)
  const counted = new Set<string>()
  group.forEach((p, i) => {
    for (const r of p.rows) {
      if (inserted.has(r.key) && !counted.has(r.key)) {
        counted.add(r.key)
        accepted[i]!++
      }
    }
  })
  // After the commit, the stored first_seen of each row written here is at most this.
  const committedFirstSeen: [string, number][] = [
    ...userRows.map((u): [string, number] => ['u' + u.key, u.firstSeen]),
    ...accountRows.map((a): [string, number] => ['a' + a.key, a.firstSeen]),
  ]
  return { accepted, seen: committedFirstSeen, firstUses, touched: rollups.touched }
}
