/**
 * Inserting a group's events, each under its account: the one its sender gave, or, for an event
 * of a user sent without one, the account of the user's latest `group` call at the event's time
 * (journey.md, "Entities"), resolved in the insert itself. A group call's membership is inserted
 * with it, and says whether the user has stored events it dates before (late-groups.ts re-assigns
 * those). On PostgreSQL, transactions that resolve a user's events and those that add the user's
 * group calls take turns (lockUsers), so the order in which they arrive never matters.
 */
import { chunks } from './sql-values'
import type { Db, NewEvent } from './types'

/** An event of one caller, checked and serialised before it joins a group. */
export interface Row {
  ws: string
  e: NewEvent
  props: string
  traits: string | null
  ctx: string | null
  key: string
}

export const rowKey = (ws: string, a: string) => `${ws.length}:${ws}${a}`

/** An event whose account the store resolves: a user's, sent without an account, not a group call. */
export const resolvesAccount = (e: NewEvent) => e.type !== 'group' && e.accountId === null && e.userId !== null

/** A group call that makes a membership: a user joins an account. */
const joins = (e: NewEvent) => e.type === 'group' && e.userId !== null && e.accountId !== null

/**
 * The stored events whose account the store resolves, as SQL over the `events` row `alias`: those
 * it resolved (account_resolved), and those stored without an account before that column existed.
 * The predicate of the index events_to_resolve (migration 013), which these queries need.
 */
export const toResolve = (alias: string) =>
  `(${alias}.account_resolved OR (${alias}.account_id IS NULL AND ${alias}.user_id IS NOT NULL AND ${alias}.type <> 'group'))`

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

/**
 * INSERT_EVENTS for a part with group calls of users: their memberships go in the same statement,
 * and each says whether its user has stored events to resolve at or after it (`late`). $2 is the
 * group's workspace: the probe names it, so that on Citus it runs on that workspace's shard (a
 * probe correlated through the inserted rows' workspace is refused there). On PostgreSQL the probe
 * reads `events` as it was before the statement's insert; on Citus the insert runs first and the
 * probe sees its rows, which changes nothing: the rows inserted here are sent with their account,
 * without a user or are group calls, and none of those is an event to resolve.
 */
const INSERT_EVENTS_AND_MEMBERSHIPS = `
WITH ins AS (${INSERT_EVENTS.replace('RETURNING workspace_id, event_id', 'RETURNING workspace_id, event_id, type, user_id, account_id, ts')}
), joined AS (
  INSERT INTO memberships (workspace_id, user_id, ts, account_id)
  SELECT workspace_id, user_id, ts, account_id FROM ins WHERE type = 'group' AND user_id IS NOT NULL AND account_id IS NOT NULL
  ON CONFLICT DO NOTHING
)
SELECT i.workspace_id, i.event_id,
       (i.type = 'group' AND i.user_id IS NOT NULL AND i.account_id IS NOT NULL AND EXISTS (
         SELECT 1 FROM events e
         WHERE e.workspace_id = $2 AND e.user_id = i.user_id AND e.ts >= i.ts AND ${toResolve('e')})) AS late
FROM ins i`

/**
 * The events of users sent without an account, each under the account of its user's latest group
 * call at or before it (ties: the greatest account id, to be deterministic), or none. $2 is the
 * group's workspace: the lookup names it, so that on Citus it runs on that workspace's shard.
 */
const INSERT_RESOLVED_EVENTS = `
INSERT INTO events (workspace_id, event_id, type, name, user_id, anonymous_id, account_id, account_resolved, ts, received_at, properties, traits, context)
SELECT x.ws, x.id, x.type, x.name, x.uid, x.anon, m.account_id, true, to_timestamp(x.ts / 1000), to_timestamp(x.rcv / 1000), x.props, x.traits, x.ctx
FROM jsonb_to_recordset($1::text::jsonb) AS x(ws text, id text, type text, name text, uid text, anon text, acc text, ts float8, rcv float8,
                                        props jsonb, traits jsonb, ctx jsonb)
LEFT JOIN LATERAL (
  SELECT memberships.account_id FROM memberships
  WHERE memberships.workspace_id = $2 AND memberships.user_id = x.uid AND memberships.ts <= to_timestamp(x.ts / 1000)
  ORDER BY memberships.ts DESC, memberships.account_id DESC LIMIT 1
) m ON true
ON CONFLICT (workspace_id, event_id) DO NOTHING
RETURNING workspace_id, event_id, account_id`

const docOf = (part: Row[], account: (r: Row) => string | null) =>
  eventsDocument(
    part.map((r) => ({ ws: r.ws, e: r.e, accountId: account(r), props: r.props, traits: r.traits, ctx: r.ctx })),
  )

/**
 * INSERT_EVENTS answering with how many rows it inserted, not with each one's key: on PGlite,
 * decoding a returned row per event in JS was about a twentieth of the ingest path's CPU (measured).
 */
const INSERT_EVENTS_COUNTED = `WITH ins AS (${INSERT_EVENTS.replace('RETURNING workspace_id, event_id', 'RETURNING 1')})
SELECT count(*)::int AS n FROM ins`

/**
 * Which of these events the current transaction inserted: after INSERT_EVENTS_COUNTED found
 * duplicates among them (a retried batch). A row's xmin is the transaction that inserted it, and
 * an ingest transaction has no subtransactions. Only where a transaction's own id is the rows'
 * xmin: one PostgreSQL (PGlite), not a distributed one, whose coordinator has ids of its own.
 */
const INSERTED_HERE = `
SELECT e.workspace_id, e.event_id FROM events e
JOIN unnest($1::text[], $2::text[]) AS x(ws, id) ON e.workspace_id = x.ws AND e.event_id = x.id
WHERE e.xmin = pg_current_xact_id()::xid`

/**
 * Inserts rows of the workspace `ws` sent with their account (or with no user), already sorted by
 * key, and the memberships of their group calls. Returns the keys inserted, and the group calls
 * inserted that date before stored events of their user which the store resolves (late-groups.ts).
 * `counted`: parts without group calls learn which rows were new from a count, and from
 * INSERTED_HERE only when some were not (PGlite only, see there).
 */
export async function insertGivenEvents(
  tx: Db,
  ws: string,
  rows: Row[],
  opts: { counted?: boolean } = {},
): Promise<{ inserted: Set<string>; late: Row[] }> {
  const inserted = new Set<string>()
  const late = new Set<string>()
  for (const part of chunks(rows)) {
    const doc = docOf(part, (r) => r.e.accountId)
    if (!part.some((r) => joins(r.e))) {
      if (opts.counted) {
        const [counted] = await tx.query<{ n: number }>(INSERT_EVENTS_COUNTED, [doc])
        if (counted?.n === part.length) for (const r of part) inserted.add(r.key)
        else
          for (const x of await tx.query<{ workspace_id: string; event_id: string }>(INSERTED_HERE, [
            part.map((r) => r.ws),
            part.map((r) => r.e.id),
          ]))
            inserted.add(rowKey(x.workspace_id, x.event_id))
        continue
      }
      for (const x of await tx.query<{ workspace_id: string; event_id: string }>(INSERT_EVENTS, [doc]))
        inserted.add(rowKey(x.workspace_id, x.event_id))
      continue
    }
    for (const x of await tx.query<{ workspace_id: string; event_id: string; late: boolean }>(
      INSERT_EVENTS_AND_MEMBERSHIPS,
      [doc, ws],
    )) {
      const key = rowKey(x.workspace_id, x.event_id)
      inserted.add(key)
      if (x.late) late.add(key)
    }
  }
  return { inserted, late: rows.filter((r) => late.has(r.key)) }
}

/** Inserts rows of the workspace `ws` whose account the store resolves (sorted by key); returns each inserted key with its account. */
export async function insertResolvedEvents(tx: Db, ws: string, rows: Row[]): Promise<Map<string, string | null>> {
  const inserted = new Map<string, string | null>()
  for (const part of chunks(rows)) {
    const res = await tx.query<{ workspace_id: string; event_id: string; account_id: string | null }>(
      INSERT_RESOLVED_EVENTS,
      [docOf(part, () => null), ws],
    )
    for (const x of res) inserted.set(rowKey(x.workspace_id, x.event_id), x.account_id)
  }
  return inserted
}

/** Advisory locks on users take two int4 keys: this class, then the user's key (migrate.ts uses the bigint key space). */
const USER_LOCK_CLASS = 0x4a6f

const LOCK_USERS = `
SELECT CASE WHEN x = 1 THEN pg_advisory_xact_lock(${USER_LOCK_CLASS}, k) ELSE pg_advisory_xact_lock_shared(${USER_LOCK_CLASS}, k) END
FROM unnest($1::int[], $2::int[]) AS t(k, x)`

/** A user's lock key: FNV-1a of the workspace and user ids, as an int4 (two users may share one: they then take turns). */
function userLockKey(ws: string, userId: string): number {
  const s = `${ws}\u0000${userId}`
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  return h | 0
}

/**
 * Takes, for this transaction, an exclusive lock on each user who joins an account in `rows`
 * and a shared one on each user whose events the store resolves, in key order (so two
 * transactions never wait on each other in a cycle), before anything is written. A resolution
 * then always sees the group calls of every transaction that committed before it, and a group
 * call sees every event resolved before it: without this, two transactions in flight at once
 * could each miss the other (the event resolved without the group call, which found no event).
 */
export async function lockUsers(tx: Db, rows: Row[]): Promise<void> {
  const keys = new Map<number, boolean>()
  for (const r of rows) {
    const exclusive = joins(r.e)
    if (exclusive || resolvesAccount(r.e)) {
      const k = userLockKey(r.ws, r.e.userId!)
      keys.set(k, exclusive || (keys.get(k) ?? false))
    }
  }
  if (keys.size === 0) return
  const sorted = [...keys].sort((a, b) => a[0] - b[0])
  // Modes as 1 (exclusive) and 0 (shared): postgres.js sends no boolean arrays.
  await tx.query(LOCK_USERS, [sorted.map(([k]) => k), sorted.map(([, x]) => (x ? 1 : 0))])
}
