/**
 * Where a workspace's journey config comes from, for every route and the evaluator.
 */
import { defaultConfig, parseConfig } from './journey'
import type { JourneyConfig } from './journey'
import type { Store } from './store/types'

/** The effective journey config of a workspace. */
export type ConfigSource = (workspaceId: string) => Promise<JourneyConfig>

/**
 * Where a workspace's effective config comes from: its published revision's document (merged over
 * the defaults by parseConfig), else `startConfig` (JORNADA_CONFIG), else the defaults. Parsed
 * documents are kept by their JSON text, so a request costs one read and no re-validation. The
 * document itself is read at every call, never kept: a publish through another process sharing
 * the store is in force here at the next request.
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
      console.error(
        JSON.stringify({
          t: new Date().toISOString(),
          workspace: workspaceId,
          error: 'stored journey config no longer valid; using the start config',
          issues: result.issues,
        }),
      )
      return startConfig
    }
    if (parsed.size >= 64) parsed.delete(parsed.keys().next().value!)
    parsed.set(key, result.config)
    return result.config
  }
}
