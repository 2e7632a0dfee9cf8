/**
 * Reading back what ingest stored: events, users and accounts (the API reads the journey through
 * loadFacts; these serve tests, benchmarks and tools).
 */
import { plainTraits, type StampedTraits } from './traits'
import { toJson, toMs } from './sql-values'
import type { AccountRecord, Db, EventQuery, EventType, Store, StoredEvent, UserRecord } from './types'

interface EventRow {
  event_id: string
  type: EventType
  name: string | null
  user_id: string | null
  anonymous_id: string | null
  account_id: string | null
  account_resolved: boolean | null
  ts: unknown
  received_at: unknown
  properties: unknown
  traits: unknown
  context: unknown
}

function toEvent(r: EventRow): StoredEvent {
  return {
    id: r.event_id,
    type: r.type,
    name: r.name,
    userId: r.user_id,
    anonymousId: r.anonymous_id,
    accountId: r.account_id,
    timestamp: toMs(r.ts),
    receivedAt: toMs(r.received_at),
    properties: toJson<Record<string, unknown>>(r.properties) ?? {},
    traits: toJson<Record<string, unknown> | null>(r.traits),
    context: toJson<Record<string, unknown> | null>(r.context),
    ...(r.account_resolved ? { accountResolved: true as const } : {}),
  }
}

export function createEventReads(db: Db): Pick<Store, 'listEvents' | 'countEvents' | 'getUser' | 'getAccount'> {
  return {
    async listEvents(workspaceId, query: EventQuery = {}) {
      const params: unknown[] = [workspaceId]
      let where = 'workspace_id = $1'
      if (query.userId !== undefined) where += ` AND user_id = $${params.push(query.userId)}`
      if (query.accountId !== undefined) where += ` AND account_id = $${params.push(query.accountId)}`
      if (query.name !== undefined) where += ` AND name = $${params.push(query.name)}`
      const limit = query.limit !== undefined ? ` LIMIT $${params.push(Math.max(0, Math.floor(query.limit)))}` : ''
      const rows = await db.query<EventRow>(
        `SELECT event_id, type, name, user_id, anonymous_id, account_id, account_resolved, ts, received_at, properties, traits, context
         FROM events WHERE ${where} ORDER BY ts, event_id${limit}`,
        params,
      )
      return rows.map(toEvent)
    },

    async countEvents(workspaceId) {
      const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE workspace_id = $1', [
        workspaceId,
      ])
      return Number(row?.n ?? 0)
    },

    async getUser(workspaceId, userId): Promise<UserRecord | null> {
      const [row] = await db.query<{
        user_id: string
        traits: unknown
        account_id: string | null
        first_seen: unknown
      }>('SELECT user_id, traits, account_id, first_seen FROM users WHERE workspace_id = $1 AND user_id = $2', [
        workspaceId,
        userId,
      ])
      if (!row) return null
      return {
        userId: row.user_id,
        traits: plainTraits(toJson<StampedTraits>(row.traits)),
        accountId: row.account_id,
        firstSeen: toMs(row.first_seen),
      }
    },

    async getAccount(workspaceId, accountId): Promise<AccountRecord | null> {
      const [row] = await db.query<{ account_id: string; traits: unknown; first_seen: unknown }>(
        'SELECT account_id, traits, first_seen FROM accounts WHERE workspace_id = $1 AND account_id = $2',
        [workspaceId, accountId],
      )
      if (!row) return null
      return {
        accountId: row.account_id,
        traits: plainTraits(toJson<StampedTraits>(row.traits)),
        firstSeen: toMs(row.first_seen),
      }
    },
  }
}
