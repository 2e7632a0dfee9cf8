/**
 * The webhook outbox: typed events (types.ts) stored once per (workspace, causeKey), each with one
 * delivery row per matching endpoint, in the caller's transaction. The dispatcher (dispatcher.ts)
 * delivers them later; a cause written twice (re-evaluation, a restart, two processes) is one event.
 */
import { randomBytes } from 'node:crypto'
import type { Db } from '../store/types'
import type { WebhookEvent } from './types'

/** A new id with a prefix (`evt_`, `dlv_`, `whe_`): 16 random bytes, base64url. */
export function newId(prefix: string): string {
  return prefix + randomBytes(16).toString('base64url')
}

/**
 * One statement: the events that are new for their (workspace, cause) are inserted, and a pending
 * delivery is created for each of them and each endpoint whose filter takes its type (no filter:
 * every type). A paused endpoint gets its deliveries too: they wait, pending, until it is enabled
 * again (the dispatcher does not claim them meanwhile), so nothing that happened meanwhile is lost.
 * A cause already stored inserts nothing and creates no delivery.
 */
const ENQUEUE = `
WITH fresh AS (
  INSERT INTO webhook_events (workspace_id, id, type, account_id, cause_key, payload, occurred_at)
  SELECT $1, x.id, x.type, x.acc, x.cause, x.payload, to_timestamp(x.at / 1000)
  FROM jsonb_to_recordset($2::text::jsonb) AS x(n int, id text, type text, acc text, cause text, payload text, at float8)
  ORDER BY x.n
  ON CONFLICT (workspace_id, cause_key) DO NOTHING
  RETURNING id, type
), deliveries AS (
  INSERT INTO webhook_deliveries (workspace_id, id, event_id, endpoint_id)
  SELECT $1, 'dlv_' || replace(gen_random_uuid()::text, '-', ''), fresh.id, e.id
  FROM fresh JOIN webhook_endpoints e
    ON e.workspace_id = $1 AND (e.events IS NULL OR fresh.type = ANY (e.events))
  ON CONFLICT DO NOTHING
)
SELECT count(*)::int AS n FROM fresh`

/**
 * Puts `events` in the workspace's outbox: each is stored once per (workspaceId, causeKey) (a cause
 * already stored is skipped: ON CONFLICT DO NOTHING), and gets one pending delivery per endpoint,
 * paused ones included, whose `events` filter takes its type (no filter: all types). Pass the transaction that
 * writes the cause (`tx` of `db.transaction`) so that both commit or neither. Returns how many
 * events were new.
 */
export async function enqueue(db: Db, workspaceId: string, events: WebhookEvent[]): Promise<number> {
  if (events.length === 0) return 0
  const seen = new Set<string>()
  const rows: { n: number; id: string; type: string; acc: string; cause: string; payload: string; at: number }[] = []
  for (const e of events) {
    if (seen.has(e.causeKey)) continue
    seen.add(e.causeKey)
    rows.push({
      n: rows.length, id: newId('evt_'), type: e.type, acc: e.accountId, cause: e.causeKey,
      payload: JSON.stringify(e.data ?? {}), at: e.occurredAt,
    })
  }
  const [row] = await db.query<{ n: number }>(ENQUEUE, [workspaceId, JSON.stringify(rows)])
  return Number(row?.n ?? 0)
}
