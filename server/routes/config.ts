import { Hono } from 'hono'
import type { Context } from 'hono'
import { authenticate, presentedKey } from '../auth'
import { ApiError, maxBody } from '../http'
import type { AppEnv } from '../http'
import { defaultConfig, parseConfig } from '../journey'
import type { JourneyConfig } from '../journey'
import type { Store } from '../store/types'

/** Largest `PUT /v1/config` body, bytes: a config with guides is a few KB; this leaves room. */
export const MAX_CONFIG_BYTES = 256 * 1024

/**
 * The journey routes are secret-key only (api.md, "Journey"): a write key is public (it sits in the
 * page), so it is a 403 here, and no key or an unknown one a 401. The key comes from the
 * Authorization header only: a secret key never travels in a body. Returns the workspace id.
 */
export async function requireSecretKey(c: Context<AppEnv>, store: Store): Promise<string> {
  const principal = await authenticate(store, presentedKey(c.req.header('authorization'), undefined))
  c.set('workspace', principal.workspace.id)
  if (principal.kind !== 'secret') throw new ApiError(403, 'forbidden_key', 'this endpoint needs the secret key; write keys are public')
  return principal.workspace.id
}

/** Reads a JSON body: 400 invalid_json when it is not JSON. An empty body is `empty`. */
export async function jsonBody(c: Context<AppEnv>, empty?: unknown): Promise<unknown> {
  let text: string
  try {
    text = await c.req.text()
  } catch {
    throw new ApiError(400, 'invalid_body', 'the body could not be read')
  }
  if (text.trim() === '' && empty !== undefined) return empty
  try {
    return JSON.parse(text)
  } catch {
    throw new ApiError(400, 'invalid_json', 'the body is not valid JSON')
  }
}

/** The effective journey config of a workspace. */
export type ConfigSource = (workspaceId: string) => Promise<JourneyConfig>

/**
 * Where a workspace's effective config comes from: its stored document (merged over the defaults
 * by parseConfig), else `startConfig` (JORNADA_CONFIG), else the defaults. Parsed documents are
 * kept by their JSON text, so a request costs one read and no re-validation.
 */
export function configSource(store: Store, startConfig: JourneyConfig = defaultConfig): ConfigSource {
  const parsed = new Map<string, JourneyConfig>()
  return async (workspaceId) => {
    const doc = await store.getConfig(workspaceId)
    if (doc === null || doc === undefined) return startConfig
    const key = JSON.stringify(doc)
    const cached = parsed.get(key)
    if (cached) return cached
    const result = parseConfig(doc)
    // Only a document that passed parseConfig is ever stored; one that no longer does (a later
    // version narrowed the schema) must not take the journey routes down: the start config serves.
    if (!result.ok) {
      console.error(JSON.stringify({ t: new Date().toISOString(), workspace: workspaceId, error: 'stored journey config no longer valid; using the start config', issues: result.issues }))
      return startConfig
    }
    if (parsed.size >= 64) parsed.delete(parsed.keys().next().value!)
    parsed.set(key, result.config)
    return result.config
  }
}

export interface ConfigDeps {
  store: Store
  configOf: ConfigSource
  /** Called after a workspace's config changed (node.ts: re-evaluate its snapshots). */
  onConfigChange?: (workspaceId: string) => void
}

/** `GET /v1/config`, `PUT /v1/config` (api.md, "Journey"), to be mounted under `/v1`. */
export function configRoute({ store, configOf, onConfigChange }: ConfigDeps): Hono<AppEnv> {
  const route = new Hono<AppEnv>()

  route.get('/config', async (c) => {
    const ws = await requireSecretKey(c, store)
    return c.json(await configOf(ws), 200)
  })

  route.put(
    '/config',
    maxBody(MAX_CONFIG_BYTES),
    async (c) => {
      const ws = await requireSecretKey(c, store)
      const doc = await jsonBody(c)
      const result = parseConfig(doc)
      // Nothing is stored on failure: the config in force stays.
      if (!result.ok) throw new ApiError(400, 'invalid_config', `the config has ${result.issues.length} invalid field(s); the previous config stays in force`, result.issues)
      // The document as sent is stored, not the merged result: keys it leaves out keep following
      // the defaults of later versions.
      await store.setConfig(ws, doc)
      onConfigChange?.(ws)
      return c.json(result.config, 200)
    },
  )

  return route
}
