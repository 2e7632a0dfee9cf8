/**
 * An account's page model: the journey state at the page's "as of" day (or now), its health over
 * the last 90 days, its users and events, its override and the list of override changes, the NPS
 * answers with comments (the QBR's feedback part), and, when two days are asked for, what changed
 * between them. Each is its own fetch: a slow one never holds the others back.
 */
import type { Api } from '../../api'
import { createAction, createResource } from '../../resource'
import type {
  AccountsList,
  Activity,
  HealthHistory,
  JourneyDiff,
  JourneyState,
  OverrideResponse,
  Qbr,
} from '../../types'
import { day } from '../../url'
import type { Values } from '../../url'

/** The page's view in the URL: `at` (time travel), `from` and `to` (what changed). */
export const ACCOUNT_VIEW = { at: day, from: day, to: day }
export type AccountView = Values<typeof ACCOUNT_VIEW>

/** Days of health the line shows. */
export const HISTORY_DAYS = 90

export interface OverrideInput {
  phase: string
  reason: string
  /** A day: the override lasts to its end (http-api.md, "Parameters, bodies and times"). */
  expiresAt: string
}

export function createAccountModel(api: Api, id: string) {
  const base = `/v1/accounts/${encodeURIComponent(id)}`
  const journey = createResource((at?: string) => api.get<JourneyState>(`${base}/journey`, { at }))
  const history = createResource((at?: string) =>
    api.get<HealthHistory>(`${base}/health-history`, { days: HISTORY_DAYS, at }),
  )
  const activity = createResource(() => api.get<Activity>(`${base}/activity`))
  const override = createResource(() => api.get<OverrideResponse>(`${base}/override`))
  const feedback = createResource(async (at?: string) => {
    const qbr = await api.get<Qbr>(`${base}/qbr`, { at, format: 'json' })
    return qbr.currentSituation.feedback
  })
  const diff = createResource((from: string, to?: string) => api.get<JourneyDiff>(`${base}/journey/diff`, { from, to }))
  /** The journey state has no name: the listing's search by id finds it. */
  const name = createResource(async () => {
    const list = await api.get<AccountsList>('/v1/accounts', { q: id, limit: 20 })
    return list.items.find((a) => a.accountId === id)?.name ?? null
  })
  let view: AccountView = {}

  /** After an override changes: the state, the listing's snapshot and the override's list all moved. */
  const afterChange = () => Promise.all([journey.load(view.at), override.load()])

  return {
    id,
    journey,
    history,
    activity,
    override,
    feedback,
    diff,
    name,
    setOverride: createAction(async (input: OverrideInput) => {
      await api.put(`${base}/override`, input)
      await afterChange()
    }),
    liftOverride: createAction(async (reason: string) => {
      await api.del(`${base}/override`, reason.trim() ? { reason: reason.trim() } : undefined)
      await afterChange()
    }),
    /** Loads what the view changes; `first` also loads what it does not (users, name). */
    load(next: AccountView, first: boolean) {
      const atChanged = first || next.at !== view.at
      const diffChanged = first || next.from !== view.from || next.to !== view.to
      view = next
      const work: Promise<void>[] = []
      if (first) work.push(activity.load(), override.load(), name.load())
      // The health line ends on the day shown, as the rest of the page does.
      if (atChanged) work.push(journey.load(next.at), feedback.load(next.at), history.load(next.at))
      if (diffChanged && next.from) work.push(diff.load(next.from, next.to))
      return Promise.all(work).then(() => undefined)
    },
  }
}
export type AccountModel = ReturnType<typeof createAccountModel>
