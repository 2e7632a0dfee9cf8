/**
 * A `group` call that arrives after events of its user that it dates before. journey.md
 * ("Entities"): an event without accountId belongs to the account of its user's latest group call
 * at the event's time, "whatever the order in which the two arrive (a group call that arrives after
 * the events it dates before re-assigns them)". So the user's stored events whose account the store
 * resolved, from the group call's time on, are resolved again against every membership; those whose
 * account changes move, and the caller moves their rollups with them (rollup-writes.ts).
 *
 * Only a group call dated at or before a stored event of its user that the store resolves costs
 * this: event-inserts.ts finds those with one index probe in the insert of the group call itself.
 */
import { toResolve, type Row } from './event-inserts'
import { toMs } from './sql-values'
import type { Db, NewEvent } from './types'

/** A stored event whose account a late group call changed. */
export interface MovedEvent {
  ws: string
  /** As stored; `accountId` is the new account. */
  e: NewEvent
  /** The account it was stored under: null when none was found then. */
  from: string | null
  /** `e.properties` as JSON text. */
  props: string
}

/**
 * The events of each user from their earliest new group call on (the users locked: event-inserts.ts
 * lockUsers), re-resolved; those that change are updated in the same statement. Group calls never
 * lose a membership, so a moved event always lands under an account (the late call's or a later one).
 * $1 is the group's workspace, named by every table's condition: one shard on Citus.
 */
const REASSIGN = `
WITH since AS (
  SELECT uid, min(ts) AS ts FROM unnest($2::text[], $3::float8[]) AS x(uid, ts) GROUP BY uid
), moved AS (
  SELECT e.event_id, e.account_id AS old_account, r.account_id AS new_account
  FROM since s
  JOIN events e ON e.workspace_id = $1 AND e.user_id = s.uid AND e.ts >= to_timestamp(s.ts / 1000) AND ${toResolve('e')}
  CROSS JOIN LATERAL (
    SELECT m.account_id FROM memberships m
    WHERE m.workspace_id = $1 AND m.user_id = e.user_id AND m.ts <= e.ts
    ORDER BY m.ts DESC, m.account_id DESC LIMIT 1
  ) r
  WHERE e.account_id IS DISTINCT FROM r.account_id
)
UPDATE events e SET account_id = moved.new_account, account_resolved = true
FROM moved
WHERE e.workspace_id = $1 AND e.event_id = moved.event_id
RETURNING e.workspace_id, e.event_id, e.type, e.name, e.user_id, e.anonymous_id, moved.old_account, e.account_id,
          e.ts, e.received_at, e.properties::text AS props`

interface MovedRow {
  workspace_id: string
  event_id: string
  type: NewEvent['type']
  name: string | null
  user_id: string
  anonymous_id: string | null
  old_account: string | null
  account_id: string
  ts: unknown
  received_at: unknown
  props: string
}

/** Re-assigns the stored events of `ws` that its late group calls `late` date before; returns those that moved. */
export async function reassignLateEvents(tx: Db, ws: string, late: Row[]): Promise<MovedEvent[]> {
  if (late.length === 0) return []
  const rows = await tx.query<MovedRow>(REASSIGN, [ws, late.map((r) => r.e.userId), late.map((r) => r.e.timestamp)])
  return rows.map((r) => ({
    ws: r.workspace_id,
    e: {
      id: r.event_id,
      type: r.type,
      name: r.name,
      userId: r.user_id,
      anonymousId: r.anonymous_id,
      accountId: r.account_id,
      timestamp: toMs(r.ts),
      receivedAt: toMs(r.received_at),
      properties: JSON.parse(r.props) as Record<string, unknown>,
      traits: null,
      context: null,
    },
    from: r.old_account,
    props: r.props,
  }))
}
