/** The overview's data: one call, `GET /v1/overview` (docs/console.md). */
import type { Api } from '../../api'
import { createResource } from '../../resource'
import type { Overview } from '../../types'

export function createOverviewModel(api: Api) {
  const overview = createResource(() => api.get<Overview>('/v1/overview'))
  return { overview, load: () => overview.load() }
}
export type OverviewModel = ReturnType<typeof createOverviewModel>
