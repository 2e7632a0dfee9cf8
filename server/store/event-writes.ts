/**
 * What one group-commit transaction writes (group-commit.ts runs it): the events with their
 * accounts and the memberships of their `group` calls (event-inserts.ts), the stored events a late
 * group call re-assigns (late-groups.ts), the users and accounts they name, and their journey
 * rollups (rollup-writes.ts), all in the caller's transaction.
 */
import { insertGivenEvents, insertResolvedEvents, lockUsers, resolvesAccount, rowKey, type Row } from './event-inserts'
import { reassignLateEvents } from './late-groups'
import { collectRollups, writeRollups, type IngestedEvent } from './rollup-writes'
import { chunks } from './sql-values'
import { mergeTraits, type StampedTraits } from './traits'
import type { Db, IngestResult } from './types'

/** The callers of one group: each gets its own counts once the group's transaction commits. */
export interface Pending {
  workspaceId: string
  rows: Row[]
  count: number
  resolve(r: IngestResult): void
  reject(err: unknown): void
}

const byKey = <T extends { key: string }>(a: T, b: T) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)

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
 * `lockUsers`: several transactions may be in flight at once (PostgreSQL; event-inserts.ts).
 * `countInserts`: the events insert answers with a count (PGlite; event-inserts.ts INSERTED_HERE).
 */
export async function writeGroup(
  tx: Db,
  group: Pending[],
  firstSeen: FirstSeenCache,
  firstUse: FirstUseCache,
  now: number,
  configured: (ws: string) => ReadonlySet<string> | null,
  opts: { lockUsers: boolean; countInserts?: boolean },
): Promise<GroupResult> {
  // One workspace per group (group-commit.ts): the statements that read a table name it.
  const ws = group[0]!.workspaceId
  if (group.some((p) => p.workspaceId !== ws)) throw new Error('a group holds the calls of one workspace')
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
  const direct = rows.filter((r) => !resolvesAccount(r.e)).sort(byKey)
  const resolve = rows.filter((r) => resolvesAccount(r.e)).sort(byKey)
  if (opts.lockUsers) await lockUsers(tx, rows)

  // First the events sent with their account, so that the memberships of this group's new group
  // calls exist when the others resolve theirs.
  const { inserted, late } = await insertGivenEvents(tx, ws, direct, { counted: opts.countInserts })
  const finalAccount = new Map<string, string | null>()
  for (const r of direct) if (inserted.has(r.key)) finalAccount.set(r.key, r.e.accountId)
  // Stored events those group calls date before, before this group's own are stored (theirs are right).
  const moved = await reassignLateEvents(tx, ws, late)
  if (resolve.length) {
    for (const [key, account] of await insertResolvedEvents(tx, ws, resolve)) {
      inserted.add(key)
      finalAccount.set(key, account)
    }
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
      if (!u)
        users.set(
          k,
          (u = {
            key: k,
            ws: r.ws,
            id: e.userId,
            traits: {},
            accountId: null,
            accountAt: null,
            firstSeen: e.timestamp,
          }),
        )
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
      if (!a)
        accounts.set(
          k,
          (a = {
            key: k,
            ws: r.ws,
            id: accountId,
            traits: {},
            accountId: null,
            accountAt: null,
            firstSeen: e.timestamp,
          }),
        )
      a.firstSeen = Math.min(a.firstSeen, e.timestamp)
      if (e.type === 'group' && e.traits) a.traits = mergeTraits(a.traits, e.traits, e.timestamp)
    }
  }
  const known = (k: string, t: number) => {
    const c = firstSeen.get(k)
    return c !== undefined && c <= t
  }
  const userRows = [...users.values()].filter(
    (u) => Object.keys(u.traits).length > 0 || u.accountAt !== null || !known('u' + u.key, u.firstSeen),
  )
  const accountRows = [...accounts.values()].filter(
    (a) => Object.keys(a.traits).length > 0 || !known('a' + a.key, a.firstSeen),
  )
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

  // Journey rollups, from the new events and the moved ones, in this same transaction (rollup-writes.ts).
  const ingested: IngestedEvent[] = rows
    .filter((r) => inserted.has(r.key))
    .map((r) => ({ ws: r.ws, e: r.e, accountId: finalAccount.get(r.key) ?? null, props: r.props }))
  for (const m of moved) {
    if (m.from !== null) ingested.push({ ws: m.ws, e: m.e, accountId: m.from, props: m.props, move: 'out' })
    ingested.push({ ws: m.ws, e: m.e, accountId: m.e.accountId, props: m.props, move: 'in' })
  }
  const rollups = collectRollups(ingested, now, configured)
  const firstUses = await writeRollups(tx, ws, rollups, (k, t) => {
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
