/**
 * Account snapshots: what the accounts listing shows and filters on (phase, health, flags), as the
 * evaluator last computed it, and each account's journey-map summary.
 */
import { chunks, stringify, toMs } from './sql-values'
import type { WebhookEvent } from '../webhooks/types'
import type { AccountSnapshot, Db, SnapshotQuery, Store } from './types'
import { enqueueWebhookEvents } from './webhook-deliveries'

// A snapshot computed for an earlier time never replaces a later one (a slow sweep behind a fresher evaluation).
const UPSERT_SNAPSHOTS = `
INSERT INTO account_snapshots AS s (workspace_id, account_id, segment, phase, health, band, flags, computed_at, map_summary, map_at, phase_since)
SELECT $1, acc, segment, phase, health, band, flags, to_timestamp(at / 1000), map, CASE WHEN map IS NOT NULL THEN to_timestamp(at / 1000) END, to_timestamp(at / 1000)
FROM jsonb_to_recordset($2::text::jsonb) AS x(acc text, segment text, phase text, health float8, band text, flags text[], at float8, map text)
ON CONFLICT (workspace_id, account_id) DO UPDATE SET
  phase_since = CASE WHEN s.phase = excluded.phase THEN coalesce(s.phase_since, s.computed_at) ELSE excluded.computed_at END,
  segment = excluded.segment, phase = excluded.phase, health = excluded.health, band = excluded.band,
  flags = excluded.flags, computed_at = excluded.computed_at,
  map_summary = coalesce(excluded.map_summary, s.map_summary), map_at = coalesce(excluded.map_at, s.map_at)
WHERE s.computed_at <= excluded.computed_at`

function snapshotDoc(s: AccountSnapshot) {
  return {
    acc: s.accountId,
    segment: s.segment,
    phase: s.phase,
    health: s.health,
    band: s.band,
    flags: s.flags,
    at: s.computedAt,
    map: s.mapSummary ?? null,
  }
}

export const SNAPSHOT_LIMIT_DEFAULT = 50
export const SNAPSHOT_LIMIT_MAX = 500

/** The listing position after a row: [health or null, accountId], as base64url JSON. */
function encodeCursor(health: number | null, accountId: string): string {
  return Buffer.from(JSON.stringify([health, accountId])).toString('base64url')
}

function decodeCursor(cursor: string): [number | null, string] {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (Array.isArray(v) && v.length === 2 && (v[0] === null || Number.isFinite(v[0])) && typeof v[1] === 'string')
      return [v[0], v[1]]
  } catch {
    // fall through
  }
  throw new RangeError('invalid cursor')
}

interface SnapshotRow {
  account_id: string
  segment: string
  phase: string
  health: number | null
  band: string | null
  flags: string[] | null
  computed_at: unknown
  phase_since?: unknown
}

function toSnapshot(r: SnapshotRow): AccountSnapshot {
  return {
    accountId: r.account_id,
    segment: r.segment,
    phase: r.phase,
    health: r.health === null ? null : Number(r.health),
    band: r.band,
    flags: r.flags ?? [],
    computedAt: toMs(r.computed_at),
  }
}

/**
 * Snapshots riskiest first: health ascending, no health last, then account id (byte order), as
 * one range of account_snapshots_order. The cursor is the last row's (sort_health, account_id),
 * so a page is a row comparison, however deep; filters narrow the same range.
 */
async function listSnapshots(
  db: Db,
  workspaceId: string,
  query: SnapshotQuery,
): Promise<{ items: AccountSnapshot[]; nextCursor: string | null }> {
  const asked = Math.floor(query.limit ?? SNAPSHOT_LIMIT_DEFAULT)
  const limit = Number.isNaN(asked) ? SNAPSHOT_LIMIT_DEFAULT : Math.min(SNAPSHOT_LIMIT_MAX, Math.max(1, asked))
  const params: unknown[] = [workspaceId]
  let where = 'workspace_id = $1'
  if (query.phase !== undefined) where += ` AND phase = $${params.push(query.phase)}`
  if (query.band !== undefined) where += ` AND band = $${params.push(query.band)}`
  if (query.segment !== undefined) where += ` AND segment = $${params.push(query.segment)}`
  if (query.flag !== undefined) where += ` AND flags @> ARRAY[$${params.push(query.flag)}::text]`
  if (query.cursor !== undefined) {
    const [health, accountId] = decodeCursor(query.cursor)
    where += ` AND (sort_health, account_id) > ($${params.push(health ?? Number.POSITIVE_INFINITY)}::float8, $${params.push(accountId)}::text COLLATE "C")`
  }
  const rows = await db.query<SnapshotRow>(
    `SELECT account_id, segment, phase, health, band, flags, computed_at FROM account_snapshots
     WHERE ${where} ORDER BY sort_health, account_id LIMIT $${params.push(limit + 1)}`,
    params,
  )
  const items = rows.slice(0, limit).map(toSnapshot)
  const last = items[items.length - 1]
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.health, last.accountId) : null }
}

export function createAccountSnapshots(
  db: Db,
): Pick<Store, 'putSnapshots' | 'listMapSummaries' | 'getSnapshots' | 'listSnapshots'> {
  return {
    async putSnapshots(workspaceId, snapshots, webhookEvents: WebhookEvent[] = []) {
      // Sorted and deduplicated (the last one wins) by account: one lock order, one row per statement.
      const byAccount = new Map<string, AccountSnapshot>()
      for (const s of snapshots) byAccount.set(s.accountId, s)
      const rows = [...byAccount.values()].sort((a, b) =>
        a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0,
      )
      const write = async (q: Db) => {
        for (const part of chunks(rows)) {
          await q.query(UPSERT_SNAPSHOTS, [workspaceId, stringify(part.map(snapshotDoc), 'snapshots')])
        }
        if (webhookEvents.length > 0) await enqueueWebhookEvents(q, workspaceId, webhookEvents)
      }
      await (webhookEvents.length > 0 ? db.transaction(write) : write(db))
    },

    async listMapSummaries(workspaceId) {
      const rows = await db.query<{ account_id: string; segment: string; map_at: unknown; map_summary: string }>(
        `SELECT account_id, segment, map_at, map_summary FROM account_snapshots
         WHERE workspace_id = $1 AND map_summary IS NOT NULL ORDER BY account_id`,
        [workspaceId],
      )
      return rows.map((r) => ({
        accountId: r.account_id,
        segment: r.segment,
        computedAt: toMs(r.map_at),
        summary: r.map_summary,
      }))
    },

    async getSnapshots(workspaceId, accountIds) {
      if (accountIds.length === 0) return []
      const rows = await db.query<SnapshotRow>(
        `SELECT account_id, segment, phase, health, band, flags, computed_at, phase_since FROM account_snapshots
         WHERE workspace_id = $1 AND account_id = ANY ($2::text[])`,
        [workspaceId, accountIds],
      )
      return rows.map((r) => ({ ...toSnapshot(r), phaseSince: toMs(r.phase_since ?? r.computed_at) }))
    },

    listSnapshots(workspaceId, query) {
      return listSnapshots(db, workspaceId, query)
    },
  }
}
