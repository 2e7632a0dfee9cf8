/**
 * The webhooks' part of the store (Store.webhooks; migrations 004 and 009): the outbox of typed
 * events, stored once per (workspace, cause) with one delivery per matching endpoint, in the
 * transaction of what caused them (putSnapshots); the endpoints (routes/webhooks.ts); the
 * deliveries' listing and replay; and the dispatcher's claim and result (dispatcher.ts). Every
 * query names one workspace, except the look for workspaces with something due.
 */
import { randomBytes } from 'node:crypto'
import { generateSecret } from '../webhooks/sign'
import type {
  AttemptResult,
  ClaimedDelivery,
  DeliveryStatus,
  DeliveryView,
  EndpointChange,
  WebhookEndpoint,
  WebhookEvent,
  WebhookEventType,
  WebhookFormat,
} from '../webhooks/types'
import type { Db, WebhookStore } from './types'

/** A new id with a prefix (`evt_`, `dlv_`, `whe_`): 16 random bytes, base64url. */
function newId(prefix: string): string {
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

/** WebhookStore.enqueue over `db`: a transaction's, so that the events commit with their cause (putSnapshots). */
export async function enqueueWebhookEvents(db: Db, workspaceId: string, events: WebhookEvent[]): Promise<number> {
  if (events.length === 0) return 0
  const seen = new Set<string>()
  const rows: { n: number; id: string; type: string; acc: string; cause: string; payload: string; at: number }[] = []
  for (const e of events) {
    if (seen.has(e.causeKey)) continue
    seen.add(e.causeKey)
    rows.push({
      n: rows.length,
      id: newId('evt_'),
      type: e.type,
      acc: e.accountId,
      cause: e.causeKey,
      payload: JSON.stringify(e.data ?? {}),
      at: e.occurredAt,
    })
  }
  const [row] = await db.query<{ n: number }>(ENQUEUE, [workspaceId, JSON.stringify(rows)])
  return Number(row?.n ?? 0)
}

type Row = Record<string, unknown>
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v))

function endpointOf(r: Row): WebhookEndpoint {
  return {
    id: String(r.id),
    url: String(r.url),
    events: (r.events as WebhookEventType[] | null) ?? null,
    format: r.format as WebhookFormat,
    disabled: Boolean(r.disabled),
    createdAt: Number(r.created_at),
  }
}

/** Creates an endpoint with a new `whsec_` secret; returns it with the secret (shown this once). */
async function createEndpoint(
  db: Db,
  workspaceId: string,
  input: { url: string; events: WebhookEventType[] | null; format: WebhookFormat; at: number },
): Promise<WebhookEndpoint & { secret: string }> {
  const id = newId('whe_')
  const secret = generateSecret()
  const [row] = await db.query(
    `INSERT INTO webhook_endpoints (workspace_id, id, url, events, format, secret, created_at)
     VALUES ($1, $2, $3, $4::text[], $5, $6, to_timestamp($7::float8 / 1000))
     RETURNING id, url, events, format, disabled, created_at`,
    [workspaceId, id, input.url, input.events, input.format, secret, input.at],
  )
  return { ...endpointOf(row!), secret }
}

/** The workspace's endpoints, oldest first, without secrets. */
async function listEndpoints(db: Db, workspaceId: string): Promise<WebhookEndpoint[]> {
  const rows = await db.query(
    'SELECT id, url, events, format, disabled, created_at FROM webhook_endpoints WHERE workspace_id = $1 ORDER BY created_at, id',
    [workspaceId],
  )
  return rows.map(endpointOf)
}

/** Deletes an endpoint and its deliveries (a delivery in flight finishes; its result is dropped). false: no such endpoint. */
async function deleteEndpoint(db: Db, workspaceId: string, id: string): Promise<boolean> {
  const rows = await db.query('DELETE FROM webhook_endpoints WHERE workspace_id = $1 AND id = $2 RETURNING id', [
    workspaceId,
    id,
  ])
  return rows.length > 0
}

/** Changes an endpoint (the secret stays); returns it as changed, or null: no such endpoint. */
async function updateEndpoint(
  db: Db,
  workspaceId: string,
  id: string,
  change: EndpointChange,
): Promise<WebhookEndpoint | null> {
  const [row] = await db.query(
    `UPDATE webhook_endpoints
     SET url = COALESCE($3, url),
         events = CASE WHEN $4::boolean THEN $5::text[] ELSE events END,
         format = COALESCE($6, format),
         disabled = COALESCE($7::boolean, disabled)
     WHERE workspace_id = $1 AND id = $2
     RETURNING id, url, events, format, disabled, created_at`,
    [
      workspaceId,
      id,
      change.url ?? null,
      change.events !== undefined,
      change.events ?? null,
      change.format ?? null,
      change.disabled ?? null,
    ],
  )
  return row ? endpointOf(row) : null
}

/** true when the workspace has this endpoint. */
async function endpointExists(db: Db, workspaceId: string, id: string): Promise<boolean> {
  const rows = await db.query('SELECT 1 FROM webhook_endpoints WHERE workspace_id = $1 AND id = $2', [workspaceId, id])
  return rows.length > 0
}

/** The cursor after a delivery: its `seq`, opaque to callers. */
const encodeCursor = (seq: string) => Buffer.from(`dlv:${seq}`, 'utf8').toString('base64url')

/** A cursor's `seq`; RangeError for anything encodeCursor did not make. */
function decodeCursor(cursor: string): string {
  const m = /^dlv:(\d{1,18})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'))
  if (!m) throw new RangeError('invalid cursor')
  return m[1]!
}

/**
 * An endpoint's deliveries, newest first (creation order, `seq`), optionally of one status
 * (`dead`: the dead letters), one page of `limit` at a time. The cursor is the last row's `seq`:
 * deliveries created meanwhile are newer, so they never shift a page being read (a delivery whose
 * status changes between two pages of a `status` filter can be missed or seen on both, though).
 * A cursor this function did not make: RangeError.
 */
async function listDeliveries(
  db: Db,
  workspaceId: string,
  endpointId: string,
  query: { status?: DeliveryStatus; limit?: number; cursor?: string } = {},
): Promise<{ items: DeliveryView[]; nextCursor: string | null }> {
  const limit = query.limit ?? 100
  const before = query.cursor === undefined ? null : decodeCursor(query.cursor)
  const rows = await db.query(
    `SELECT d.id, d.event_id, ev.type, d.status, d.attempts, d.last_status, d.last_response, d.last_error,
            CASE WHEN d.status = 'pending' THEN d.next_attempt_at END AS next_attempt_at, d.updated_at, d.seq::text AS seq
     FROM webhook_deliveries d
     JOIN webhook_events ev ON ev.workspace_id = d.workspace_id AND ev.id = d.event_id
     WHERE d.workspace_id = $1 AND d.endpoint_id = $2 AND ($3::text IS NULL OR d.status = $3)
       ${before === null ? '' : 'AND d.seq < $5::bigint'}
     ORDER BY d.seq DESC
     LIMIT $4`,
    // The bound only when there is one: a plain range on webhook_deliveries_endpoint (workspace, endpoint, seq DESC).
    [workspaceId, endpointId, query.status ?? null, limit + 1, ...(before === null ? [] : [before])],
  )
  const page = rows.slice(0, limit)
  const nextCursor = rows.length > limit ? encodeCursor(String(page[page.length - 1]!.seq)) : null
  const items = page.map((r) => ({
    id: String(r.id),
    eventId: String(r.event_id),
    type: r.type as WebhookEventType,
    status: r.status as DeliveryStatus,
    attempts: Number(r.attempts),
    lastStatus: num(r.last_status),
    lastResponse: (r.last_response as string | null) ?? null,
    lastError: (r.last_error as string | null) ?? null,
    nextAttemptAt: num(r.next_attempt_at),
    updatedAt: Number(r.updated_at),
  }))
  return { items, nextCursor }
}

/**
 * Puts one delivery back in the queue, due now: status pending, attempts kept, any claim on it
 * void (a result still in flight is dropped). false: no such delivery of that endpoint.
 */
async function replayDelivery(
  db: Db,
  workspaceId: string,
  endpointId: string,
  deliveryId: string,
  at: number,
): Promise<boolean> {
  const rows = await db.query(
    `UPDATE webhook_deliveries
     SET status = 'pending', next_attempt_at = NULL, claim_token = NULL, updated_at = to_timestamp($4::float8 / 1000)
     WHERE workspace_id = $1 AND endpoint_id = $2 AND id = $3
     RETURNING id`,
    [workspaceId, endpointId, deliveryId, at],
  )
  return rows.length > 0
}

/**
 * Claims up to `limit` due deliveries for one dispatcher, in one transaction: `FOR UPDATE SKIP
 * LOCKED` so that concurrent claims (other processes on one PostgreSQL) never take the same row,
 * and a lease written in the same statement (`next_attempt_at = leaseUntil`, a new `claim_token`)
 * so that once this commits, nobody else sees the row as due until the lease ends (the holder
 * crashed: the row is retried, at-least-once). The attempt is counted here.
 */
async function claimDue(
  db: Db,
  opts: { now: number; limit: number; leaseUntil: number; token: string },
): Promise<ClaimedDelivery[]> {
  // Which workspaces have something due: a read that may span shards once the tables are
  // distributed by workspace (Citus runs those); each claim below, which locks, stays on one.
  const due = await db.query<{ workspace_id: string }>(
    `SELECT DISTINCT workspace_id FROM webhook_deliveries
     WHERE status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= to_timestamp($1::float8 / 1000))`,
    [opts.now],
  )
  // In a random order: a workspace with a long backlog does not keep the others waiting.
  for (let i = due.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[due[i], due[j]] = [due[j]!, due[i]!]
  }
  const out: ClaimedDelivery[] = []
  for (const { workspace_id: ws } of due) {
    if (out.length >= opts.limit) break
    out.push(...(await claimDueIn(db, ws, { ...opts, limit: opts.limit - out.length })))
  }
  return out
}

/**
 * claimDue for one workspace: every table of its statement is named with that workspace ($5), the
 * update as well as the claim it joins (on Citus, an update joined only through `due` runs on
 * every shard).
 */
async function claimDueIn(
  db: Db,
  workspaceId: string,
  opts: { now: number; limit: number; leaseUntil: number; token: string },
): Promise<ClaimedDelivery[]> {
  return db.transaction(async (tx) => {
    const rows = await tx.query(
      `WITH due AS (
         SELECT d.workspace_id, d.id
         FROM webhook_deliveries d
         JOIN webhook_endpoints e ON e.workspace_id = d.workspace_id AND e.id = d.endpoint_id
         WHERE d.workspace_id = $5 AND d.status = 'pending' AND NOT e.disabled
           AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= to_timestamp($1::float8 / 1000))
         ORDER BY d.next_attempt_at NULLS FIRST, d.seq
         LIMIT $2
         FOR UPDATE OF d SKIP LOCKED
       )
       UPDATE webhook_deliveries d
       SET next_attempt_at = to_timestamp($3::float8 / 1000), claim_token = $4, attempts = d.attempts + 1,
           updated_at = to_timestamp($1::float8 / 1000)
       FROM due, webhook_events ev, webhook_endpoints e
       WHERE d.workspace_id = $5 AND d.id = due.id
         AND ev.workspace_id = $5 AND ev.id = d.event_id
         AND e.workspace_id = $5 AND e.id = d.endpoint_id
       RETURNING d.workspace_id, d.id, d.attempts, ev.id AS event_id, ev.type, ev.account_id, ev.payload, ev.occurred_at,
                 e.url, e.secret, e.format`,
      [opts.now, opts.limit, opts.leaseUntil, opts.token, workspaceId],
    )
    return rows.map((r) => ({
      workspaceId: String(r.workspace_id),
      id: String(r.id),
      token: opts.token,
      attempts: Number(r.attempts),
      eventId: String(r.event_id),
      type: r.type as WebhookEventType,
      accountId: String(r.account_id),
      payload: String(r.payload),
      occurredAt: Number(r.occurred_at),
      url: String(r.url),
      secret: String(r.secret),
      format: r.format as WebhookFormat,
    }))
  })
}

/**
 * Records an attempt's result, only while the claim still holds the row (a replay, a deletion or a
 * newer claim after the lease ran out make it void). Returns false when it no longer held.
 */
async function recordAttempt(
  db: Db,
  claim: Pick<ClaimedDelivery, 'workspaceId' | 'id' | 'token'>,
  r: AttemptResult,
): Promise<boolean> {
  const rows = await db.query(
    `UPDATE webhook_deliveries
     SET status = $4, next_attempt_at = to_timestamp($5::float8 / 1000), claim_token = NULL,
         last_status = $6::int, last_response = $7, last_error = $8, updated_at = to_timestamp($9::float8 / 1000)
     WHERE workspace_id = $1 AND id = $2 AND claim_token = $3
     RETURNING id`,
    [
      claim.workspaceId,
      claim.id,
      claim.token,
      r.status,
      r.nextAttemptAt,
      r.lastStatus,
      r.lastResponse,
      r.lastError,
      r.at,
    ],
  )
  return rows.length > 0
}

export function createWebhookStore(db: Db): WebhookStore {
  return {
    createEndpoint: (workspaceId, input) => createEndpoint(db, workspaceId, input),
    listEndpoints: (workspaceId) => listEndpoints(db, workspaceId),
    updateEndpoint: (workspaceId, id, change) => updateEndpoint(db, workspaceId, id, change),
    deleteEndpoint: (workspaceId, id) => deleteEndpoint(db, workspaceId, id),
    endpointExists: (workspaceId, id) => endpointExists(db, workspaceId, id),
    enqueue: (workspaceId, events) => enqueueWebhookEvents(db, workspaceId, events),
    listDeliveries: (workspaceId, endpointId, query) => listDeliveries(db, workspaceId, endpointId, query),
    replayDelivery: (workspaceId, endpointId, deliveryId, at) =>
      replayDelivery(db, workspaceId, endpointId, deliveryId, at),
    claimDue: (opts) => claimDue(db, opts),
    recordAttempt: (claim, result) => recordAttempt(db, claim, result),
  }
}
