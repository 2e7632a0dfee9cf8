/**
 * One user's engagement history (the `experience_*` and NPS answer facts carrying their userId),
 * and the limits read from it: a kind's cap, and the attention budget over every modal kind
 * (journey config `experiences.caps`, `experiences.budget`). Windows are rolling hours from `at`.
 */
import type { ExperienceKind } from '../../sdk/wire'
import type { Ctx } from './context'
import type { FactEvent } from './facts'
import { DAY_MS } from './time'

const MIN = 60_000
const ENGAGEMENT = new Set([
  'experience_shown',
  'experience_completed',
  'experience_dismissed',
  'nps_response',
  'advocacy_accepted',
])

/** One user's engagement history, oldest first. */
export interface History {
  events: FactEvent[]
  /** Events named `name` (about experience `id` when given). */
  of(name: string, id?: string): FactEvent[]
}

/** The engagement history of `userId` in the account of `ctx`. */
export function historyOf(ctx: Ctx, userId: string): History {
  // The config may name the NPS answer otherwise (`events.nps`).
  const events = ctx.facts.filter(
    (e) => e.userId === userId && (ENGAGEMENT.has(e.name) || e.name === ctx.cfg.events.nps),
  )
  return {
    events,
    of: (name, id) => events.filter((e) => e.name === name && (id === undefined || e.properties.experienceId === id)),
  }
}

/** The events after `t`. */
export const since = (events: FactEvent[], t: number) => events.filter((e) => e.at > t)
/** The last item, if any. */
export const last = <T>(xs: T[]): T | undefined => xs[xs.length - 1]

/** Every shown experience of `kind` since `from` counts against one cap (the value statement's id changes with its date). */
export function cappedKind(h: History, kind: ExperienceKind, from: number, max: number, notes: string[]): boolean {
  const n = since(h.of('experience_shown'), from).filter((e) => e.properties.kind === kind).length
  if (n < max) return false
  notes.push(`${kind}: shown ${n} times in the cap window (cap ${max})`)
  return true
}

/** Why no modal experience may be shown now, or null (journey config `experiences.budget`). */
export function budgetHold(ctx: Ctx, h: History, sessionId: string | undefined): string | null {
  const b = ctx.cfg.experiences.budget
  const modalKinds = new Set(
    Object.entries(ctx.cfg.experiences.lanes)
      .filter(([, l]) => l === 'modal')
      .map(([k]) => k),
  )
  const shown = h.of('experience_shown').filter((e) => modalKinds.has(String(e.properties.kind)))
  if (sessionId !== undefined) {
    const n = shown.filter((e) => e.properties.sessionId === sessionId).length
    if (n >= b.perSession) return `${n} modal experience(s) already this session (at most ${b.perSession})`
  }
  const day = since(shown, ctx.at - DAY_MS).length
  if (day >= b.perDay) return `${day} modal experience(s) in the last 24 hours (at most ${b.perDay})`
  const prev = last(shown)
  if (prev && ctx.at - prev.at < b.gapMinutes * MIN)
    return `the last one was ${Math.floor((ctx.at - prev.at) / MIN)} minutes ago (gap ${b.gapMinutes})`
  return null
}
