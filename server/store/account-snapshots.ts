/**
 * Account snapshots: what the accounts listing shows and filters on (phase, health, flags), as the
 * evaluator last computed it, and each account's journey-map summary.
 */
import { chunks, stringify, toMs } from './sql-values'
import type { WebhookEvent } from '../webhooks/types'
import type { AccountSnapshot, Db, SnapshotQuery, SnapshotSort, Store } from './types'
import { enqueueWebhookEvents } from './webhook-deliveries'

// A snapshot computed for an earlier time never replaces a later one (a slow sweep behind a fresher evaluation).
const UPSERT_SNAPSHOTS = `
INSERT INTO account_snapshots AS s (workspace_id, account_id, segment, phase, health, band, flags, computed_at, map_summary, map_at, phase_since,
  name, renewal_at, nps, last_active_at)
SELECT $1, acc, segment, phase, health, band, flags, to_timestamp(at / 1000), map, CASE WHEN map IS NOT NULL THEN to_timestamp(at / 1000) END, to_timestamp(at / 1000),
  name, to_timestamp(renewal / 1000), nps, to_timestamp(active / 1000)
FROM jsonb_to_recordset($2::text::jsonb) AS x(acc text, segment text, phase text, health float8, band text, flags text[], at float8, map text,
  name text, renewal float8, nps float8, active float8)
ON CONFLICT (workspace_id, account_id) DO UPDATE SET
  phase_since = CASE WHEN s.phase = excluded.phase THEN coalesce(s.phase_since, s.computed_at) ELSE excluded.computed_at END,
  segment = excluded.segment, phase = excluded.phase, health = excluded.health, band = excluded.band,
  flags = excluded.flags, computed_at = excluded.computed_at,
  map_summary = coalesce(excluded.map_summary, s.map_summary), map_at = coalesce(excluded.map_at, s.map_at),
  name = excluded.name, renewal_at = excluded.renewal_at, nps = excluded.nps, last_active_at = excluded.last_active_at
WHERE s.computed_at <= excluded.computed_at`

/**
 * The changes the snapshots of $2 bring against the stored ones, recorded before the upsert, in its
 * transaction: a band that goes from one band to another (not to or from "no health data"), a phase
 * change, and each flag that was not in the stored snapshot. An account without a stored snapshot
 * (its first evaluation) brings none: its history is not news. The stored rows are locked first, in
 * account order (the upsert's), so two processes evaluating one account record its change once.
 */
const RECORD_CHANGES = `
WITH x AS (
  SELECT * FROM jsonb_to_recordset($2::text::jsonb) AS x(acc text, phase text, band text, flags text[], at float8)
), old AS (
  SELECT s.account_id, s.phase, s.band, s.flags, s.computed_at FROM account_snapshots s
  WHERE s.workspace_id = $1 AND s.account_id IN (SELECT acc FROM x)
  ORDER BY s.account_id FOR UPDATE
)
INSERT INTO account_changes (workspace_id, at, account_id, kind, to_value, from_value)
SELECT $1, to_timestamp(x.at / 1000), x.acc, c.kind, c.to_value, c.from_value
FROM x JOIN old ON old.account_id = x.acc AND old.computed_at <= to_timestamp(x.at / 1000)
CROSS JOIN LATERAL (
  SELECT 'band' AS kind, x.band AS to_value, old.band AS from_value
  WHERE x.band IS NOT NULL AND old.band IS NOT NULL AND x.band <> old.band
  UNION ALL
  SELECT 'phase', x.phase, old.phase WHERE x.phase <> old.phase
  UNION ALL
  SELECT 'red_flag', f, NULL FROM unnest(x.flags) AS f WHERE NOT (f = ANY (old.flags))
) AS c
ON CONFLICT DO NOTHING`

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
    name: s.name ?? null,
    renewal: finiteOrNull(s.renewalAt),
    nps: finiteOrNull(s.nps),
    active: finiteOrNull(s.lastActiveAt),
  }
}

const finiteOrNull = (v: number | null | undefined): number | null => (Number.isFinite(v) ? (v as number) : null)

export const SNAPSHOT_LIMIT_DEFAULT = 50
export const SNAPSHOT_LIMIT_MAX = 500

const PHASE_ORDER = `ARRAY['onboarding', 'adoption', 'value', 'growth', 'renewal', 'advocacy', 'churned']`

/**
 * Each order of the listing: the SQL value sorted on (then account_id), the SQL type a cursor's
 * value is read back as, and whether the value can be missing (those rows come last in both
 * directions). Phases in the journey's order; bands riskiest first (red, yellow, green), as
 * health ascending puts them; names without regard to case; daysToRenewal by renewal date.
 */
const SORTS: Record<SnapshotSort, { expr: string; type: 'text' | 'int' | 'float8' | 'time'; nullable: boolean }> = {
  name: { expr: 'lower(name)', type: 'text', nullable: true },
  accountId: { expr: 'account_id', type: 'text', nullable: false },
  segment: { expr: 'segment COLLATE "C"', type: 'text', nullable: false },
  phase: { expr: `coalesce(array_position(${PHASE_ORDER}, phase), 99)`, type: 'int', nullable: false },
  health: { expr: 'health', type: 'float8', nullable: true },
  band: { expr: "array_position(ARRAY['red', 'yellow', 'green'], band)", type: 'int', nullable: true },
  flags: { expr: 'cardinality(flags)', type: 'int', nullable: false },
  daysToRenewal: { expr: 'renewal_at', type: 'time', nullable: true },
  nps: { expr: 'nps', type: 'float8', nullable: true },
  lastActiveAt: { expr: 'last_active_at', type: 'time', nullable: true },
}

type CursorValue = string | number | null

/** The listing position after a row: [value or null, accountId], plus the order's name for an explicit sort, as base64url JSON. */
function encodeCursor(value: CursorValue, accountId: string, order?: string): string {
  return Buffer.from(JSON.stringify(order === undefined ? [value, accountId] : [value, accountId, order])).toString(
    'base64url',
  )
}

/** A cursor of the order `order` (undefined: the default one) whose value has type `type`, or a RangeError. */
function decodeCursor(cursor: string, order: string | undefined, type: string): [CursorValue, string] {
  let v: unknown
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    // refused below
  }
  if (Array.isArray(v) && v.length === (order === undefined ? 2 : 3) && typeof v[1] === 'string') {
    const okValue = v[0] === null || (type === 'text' ? typeof v[0] === 'string' : Number.isFinite(v[0]))
    if (okValue && (order === undefined || v[2] === order) && !`${v[0]}${v[1]}`.includes('\u0000'))
      return [v[0] as CursorValue, v[1]]
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
  name?: string | null
  renewal_at?: unknown
  nps?: number | null
  last_active_at?: unknown
  sort_value?: unknown
}

const msOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : toMs(v))

function toSnapshot(r: SnapshotRow): AccountSnapshot {
  return {
    accountId: r.account_id,
    segment: r.segment,
    phase: r.phase,
    health: r.health === null ? null : Number(r.health),
    band: r.band,
    flags: r.flags ?? [],
    computedAt: toMs(r.computed_at),
    name: r.name ?? null,
    renewalAt: msOrNull(r.renewal_at),
    nps: r.nps === null || r.nps === undefined ? null : Number(r.nps),
    lastActiveAt: msOrNull(r.last_active_at),
  }
}

const COLUMNS = 'account_id, segment, phase, health, band, flags, computed_at, name, renewal_at, nps, last_active_at'
const DAY = 86_400_000

/**
 * Snapshots riskiest first: health ascending, no health last, then account id (byte order), as
 * one range of account_snapshots_order; or in the query's sort: its value, then account id, both
 * descending for `desc`, rows without the value last. The cursor is the last row's (value,
 * account_id), so a page is a row comparison, however deep; filters narrow the same range. Ten
 * thousand accounts of a workspace sort in a few milliseconds, so the explicit orders have no index
 * of their own (each would cost every snapshot write).
 */
async function listSnapshots(
  db: Db,
  workspaceId: string,
  query: SnapshotQuery,
): Promise<{ items: AccountSnapshot[]; nextCursor: string | null; total?: number }> {
  const asked = Math.floor(query.limit ?? SNAPSHOT_LIMIT_DEFAULT)
  const limit = Number.isNaN(asked) ? SNAPSHOT_LIMIT_DEFAULT : Math.min(SNAPSHOT_LIMIT_MAX, Math.max(1, asked))
  const params: unknown[] = [workspaceId]
  let where = 'workspace_id = $1'
  if (query.phase !== undefined) where += ` AND phase = $${params.push(query.phase)}`
  if (query.band !== undefined) where += ` AND band = $${params.push(query.band)}`
  if (query.segment !== undefined) where += ` AND segment = $${params.push(query.segment)}`
  if (query.flag !== undefined) where += ` AND flags @> ARRAY[$${params.push(query.flag)}::text]`
  if (query.q !== undefined && query.q !== '') {
    const q = `lower($${params.push(query.q)}::text)`
    where += ` AND (strpos(lower(account_id), ${q}) > 0 OR strpos(lower(name), ${q}) > 0)`
  }
  if (query.renewalWithin !== undefined) {
    const today = Math.floor((query.now ?? Date.now()) / DAY) * DAY
    const from = params.push(today)
    const to = params.push(today + (Math.max(0, Math.floor(query.renewalWithin)) + 1) * DAY)
    where += ` AND renewal_at >= to_timestamp($${from}::float8 / 1000) AND renewal_at < to_timestamp($${to}::float8 / 1000)`
  }
  const filters = where
  const filterParams = [...params]

  const sort = query.sort === undefined ? null : SORTS[query.sort]
  const desc = sort !== null && query.order === 'desc'
  const orderName = query.sort === undefined ? undefined : `${query.sort}:${desc ? 'desc' : 'asc'}`
  // The default order reads sort_health (no health: +Infinity), the index's own column.
  const expr = sort?.expr ?? 'sort_health'
  const type = sort?.type ?? 'float8'
  const dir = desc ? 'DESC' : 'ASC'
  const cmp = desc ? '<' : '>'
  if (query.cursor !== undefined) {
    const [value, accountId] = decodeCursor(query.cursor, orderName, type)
    const id = `$${params.push(accountId)}::text COLLATE "C"`
    if (sort === null) {
      where += ` AND (sort_health, account_id) > ($${params.push(value ?? Number.POSITIVE_INFINITY)}::float8, ${id})`
    } else if (value === null) {
      where += ` AND ${expr} IS NULL AND account_id ${cmp} ${id}`
    } else {
      const p = `$${params.push(value)}`
      const v =
        type === 'time'
          ? `to_timestamp(${p}::float8 / 1000)`
          : type === 'text'
            ? `${p}::text COLLATE "C"`
            : `${p}::${type}`
      where += ` AND (${expr} IS NULL OR (${expr}, account_id) ${cmp} (${v}, ${id}))`
    }
  }
  const orderBy =
    sort === null
      ? 'sort_health, account_id'
      : `${sort.nullable ? `(${expr}) IS NULL, ` : ''}${expr} ${dir}, account_id ${dir}`
  const [rows, counted] = await Promise.all([
    db.query<SnapshotRow>(
      `SELECT ${COLUMNS}, ${expr} AS sort_value FROM account_snapshots
       WHERE ${where} ORDER BY ${orderBy} LIMIT $${params.push(limit + 1)}`,
      params,
    ),
    query.withTotal === false
      ? null
      : db.query<{ n: number }>(`SELECT count(*)::int AS n FROM account_snapshots WHERE ${filters}`, filterParams),
  ])
  const page = rows.slice(0, limit)
  const items = page.map(toSnapshot)
  const last = page[page.length - 1]
  let nextCursor: string | null = null
  if (rows.length > limit && last) {
    const raw = last.sort_value
    const value =
      raw === null || raw === undefined
        ? null
        : type === 'time'
          ? toMs(raw)
          : type === 'text'
            ? String(raw)
            : Number(raw)
    // The default order's cursor keeps its first form: [health or null, accountId].
    nextCursor =
      sort === null
        ? encodeCursor(last.health === null ? null : Number(last.health), last.account_id)
        : encodeCursor(value, last.account_id, orderName)
  }
  return { items, nextCursor, ...(counted ? { total: Number(counted[0]?.n ?? 0) } : {}) }
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
          const doc = stringify(part.map(snapshotDoc), 'snapshots')
          await q.query(RECORD_CHANGES, [workspaceId, doc])
          await q.query(UPSERT_SNAPSHOTS, [workspaceId, doc])
        }
        if (webhookEvents.length > 0) await enqueueWebhookEvents(q, workspaceId, webhookEvents)
      }
      // One transaction: the changes are recorded with the snapshots that bring them, or not at all.
      if (rows.length > 0 || webhookEvents.length > 0) await db.transaction(write)
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
        `SELECT ${COLUMNS}, phase_since FROM account_snapshots
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
