import { Hono } from 'hono'
import type { MiddlewareHandler } from 'hono'
import type { ConfigSource } from '../config-source'
import { callerOf } from '../http/access'
import { maxBody, readJson } from '../http/body'
import type { AppEnv } from '../http/app-env'
import { recordChange } from '../http/audit'
import { ApiError } from '../http/errors'
import { parseConfig } from '../journey'
import type { Store } from '../store/types'

/** Largest `PUT /v1/config` body, bytes: a config with guides is a few KB; this leaves room. */
export const MAX_CONFIG_BYTES = 256 * 1024

export interface ConfigDeps {
  store: Store
  clock: () => number
  configOf: ConfigSource
  guard: MiddlewareHandler<AppEnv>
  /** Called after a workspace's config changed (node.ts: re-evaluate its snapshots). */
  onConfigChange?: (workspaceId: string) => void
}

/** `GET /v1/config`, `PUT /v1/config` (api.md, "Journey"), to be mounted under `/v1`. */
export function configRoute({ store, clock, configOf, guard, onConfigChange }: ConfigDeps): Hono<AppEnv> {
  const route = new Hono<AppEnv>()

  route.get('/config', guard, async (c) => c.json(await configOf(callerOf(c).workspace.id), 200))

  route.put('/config', maxBody(MAX_CONFIG_BYTES), guard, readJson(), async (c) => {
    const ws = callerOf(c).workspace.id
    const doc = c.get('json')
    const result = parseConfig(doc)
    // Nothing is stored on failure: the config in force stays.
    if (!result.ok)
      throw new ApiError(
        400,
        'invalid_config',
        `the config has ${result.issues.length} invalid field(s); the previous config stays in force`,
        result.issues,
      )
    // The document as sent is stored, not the merged result: keys it leaves out keep following
    // the defaults of later versions.
    const before = await store.getConfig(ws)
    await store.setConfig(ws, doc)
    await recordChange(c, store, clock(), {
      action: 'config.update',
      target: 'config',
      before: before ?? null,
      after: doc,
    })
    onConfigChange?.(ws)
    return c.json(result.config, 200)
  })

  return route
}
