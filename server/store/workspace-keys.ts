/**
 * Workspaces and their API keys. Keys are stored as their sha256 (sql-values.ts `hashKey`), never
 * in clear; findKey, which every request makes, answers from a short-lived cache.
 */
import { hashKey, toMs } from './sql-values'
import type { Db, KeyKind, Store, Workspace } from './types'

/** findKey answers are cached this long: every ingest request looks its key up. */
const KEY_CACHE_MS = 5_000
const KEY_CACHE_MAX = 10_000

interface WorkspaceRow {
  workspace_id: string
  name: string
  allowed_origins: string[] | null
  identity_secret: string | null
  created_at: unknown
}

const WORKSPACE_COLUMNS = 'workspace_id, name, allowed_origins, identity_secret, created_at'

function toWorkspace(r: WorkspaceRow): Workspace {
  return {
    id: r.workspace_id,
    name: r.name,
    allowedOrigins: r.allowed_origins ?? [],
    identitySecret: r.identity_secret ?? null,
    createdAt: toMs(r.created_at),
  }
}

export interface WorkspaceKeys {
  methods: Pick<
    Store,
    | 'createWorkspace'
    | 'getWorkspace'
    | 'setAllowedOrigins'
    | 'setWorkspaceName'
    | 'setIdentitySecret'
    | 'rotateKey'
    | 'deleteKey'
    | 'setKey'
    | 'findKey'
  >
  /** Forgets every cached findKey answer (the store is closing). */
  forget(): void
}

export function createWorkspaceKeys(db: Db): WorkspaceKeys {
  const keyCache = new Map<
    string,
    { until: number; value: { workspace: Workspace; kind: KeyKind; label: string } | null }
  >()

  const setKeyIn = async (q: Db, workspaceId: string, label: string, key: string, kind: KeyKind) => {
    await q.query(
      `INSERT INTO api_keys (workspace_id, label, kind, key_hash) VALUES ($1, $2, $3, $4)
       ON CONFLICT (workspace_id, label) DO UPDATE SET kind = excluded.kind, key_hash = excluded.key_hash, created_at = excluded.created_at, expires_at = NULL`,
      [workspaceId, label, kind, hashKey(key)],
    )
  }

  const methods: WorkspaceKeys['methods'] = {
    async createWorkspace(input) {
      const ws = await db.transaction(async (tx) => {
        const [row] = await tx.query<WorkspaceRow>(
          `INSERT INTO workspaces (workspace_id, name, allowed_origins, identity_secret) VALUES ($1, $2, $3::text[], $4)
           RETURNING ${WORKSPACE_COLUMNS}`,
          [input.id, input.name, input.allowedOrigins ?? [], input.identitySecret ?? null],
        )
        await setKeyIn(tx, input.id, 'write', input.writeKey, 'write')
        await setKeyIn(tx, input.id, 'secret', input.secretKey, 'secret')
        return toWorkspace(row!)
      })
      keyCache.clear()
      return ws
    },

    async getWorkspace(id) {
      const [row] = await db.query<WorkspaceRow>(
        `SELECT ${WORKSPACE_COLUMNS} FROM workspaces WHERE workspace_id = $1`,
        [id],
      )
      return row ? toWorkspace(row) : null
    },

    async setAllowedOrigins(workspaceId, origins) {
      await db.query('UPDATE workspaces SET allowed_origins = $2::text[] WHERE workspace_id = $1', [
        workspaceId,
        origins,
      ])
      // findKey answers carry the workspace, origins included.
      keyCache.clear()
    },

    async setWorkspaceName(workspaceId, name) {
      await db.query('UPDATE workspaces SET name = $2 WHERE workspace_id = $1', [workspaceId, name])
      keyCache.clear()
    },

    async setIdentitySecret(workspaceId, secret) {
      await db.query('UPDATE workspaces SET identity_secret = $2 WHERE workspace_id = $1', [workspaceId, secret])
      // findKey answers carry the workspace, its identity secret included.
      keyCache.clear()
    },

    async rotateKey(workspaceId, label, key, kind, previousLabel, previousExpiresAt) {
      await db.transaction(async (tx) => {
        // Two rotations at once take turns here, so each sees the other's new key as the current one.
        await tx.query('SELECT 1 FROM workspaces WHERE workspace_id = $1 FOR UPDATE', [workspaceId])
        await tx.query('DELETE FROM api_keys WHERE workspace_id = $1 AND label = $2', [workspaceId, previousLabel])
        await tx.query(
          'UPDATE api_keys SET label = $3, expires_at = to_timestamp($4::double precision / 1000) WHERE workspace_id = $1 AND label = $2',
          [workspaceId, label, previousLabel, previousExpiresAt],
        )
        await setKeyIn(tx, workspaceId, label, key, kind)
      })
      keyCache.clear()
    },

    async deleteKey(workspaceId, label) {
      const rows = await db.query('DELETE FROM api_keys WHERE workspace_id = $1 AND label = $2 RETURNING label', [
        workspaceId,
        label,
      ])
      keyCache.clear()
      return rows.length > 0
    },

    async setKey(workspaceId, label, key, kind) {
      await setKeyIn(db, workspaceId, label, key, kind)
      // Another process's setKey is seen here after at most KEY_CACHE_MS.
      keyCache.clear()
    },

    async findKey(key) {
      const hash = hashKey(key)
      const now = Date.now()
      const hit = keyCache.get(hash)
      if (hit && hit.until > now) return hit.value
      const [row] = await db.query<WorkspaceRow & { kind: KeyKind; label: string; expires_at: unknown }>(
        `SELECT k.kind, k.label, k.expires_at, w.workspace_id, w.name, w.allowed_origins, w.identity_secret, w.created_at
         FROM api_keys k JOIN workspaces w ON w.workspace_id = k.workspace_id
         WHERE k.key_hash = $1`,
        [hash],
      )
      const expiresAt = row?.expires_at == null ? Infinity : toMs(row.expires_at)
      const value = row && expiresAt > now ? { workspace: toWorkspace(row), kind: row.kind, label: row.label } : null
      if (keyCache.size >= KEY_CACHE_MAX) keyCache.clear()
      // An expiring key is not served from the cache past its expiry.
      keyCache.set(hash, { until: Math.min(now + KEY_CACHE_MS, expiresAt), value })
      return value
    },
  }
  return { methods, forget: () => keyCache.clear() }
}
