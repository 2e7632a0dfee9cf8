/**
 * Onboarding and adoption milestones (journey.md; seed "Marcos Criticos" of Fase 1 and Fase 2).
 *
 * An event milestone is completed by its first event. A condition milestone (adoption) is completed
 * on the first account day its condition held (day granularity: `completedAt` is that day's UTC
 * midnight). Status at `at`: `done` (completed on or before the window's last day, before the window
 * opens included), `done_late` (completed after it), `upcoming` (day before the window), `due` (inside
 * the window, not done), `overdue` (past the window, not done).
 */
import type { MilestoneId } from './vocabulary'
import type { Ctx } from './context'
import { activeUsersIn, coreFeatures } from './context'
import { toIso } from './time'

export const MILESTONE_STATUSES = ['done', 'done_late', 'upcoming', 'due', 'overdue'] as const
export type MilestoneStatus = (typeof MILESTONE_STATUSES)[number]

export interface Milestone {
  id: MilestoneId
  stage: 'onboarding' | 'adoption'
  window: [number, number]
  status: MilestoneStatus
  completedAt: string | null
  /** The account day it was completed on, null when not completed. */
  completedDay: number | null
  reason: string
}

/** Status of something with a day window (milestones and renewal tasks share it). */
export function windowStatus(
  window: readonly [number, number],
  day: number,
  completedDay: number | null,
): MilestoneStatus {
  if (completedDay !== null) return completedDay <= window[1] ? 'done' : 'done_late'
  if (day < window[0]) return 'upcoming'
  if (day <= window[1]) return 'due'
  return 'overdue'
}

function describe(
  status: MilestoneStatus,
  window: readonly [number, number],
  day: number,
  what: string,
  completedDay: number | null,
): string {
  const w = `window days ${window[0]}-${window[1]}`
  switch (status) {
    case 'done':
      return `${what} on day ${completedDay} (${w})`
    case 'done_late':
      return `${what} on day ${completedDay}, after the ${w}`
    case 'upcoming':
      return `not yet: day ${day} is before the ${w}`
    case 'due':
      return `not yet ${what}: day ${day} is inside the ${w}`
    case 'overdue':
      return `not ${what}: day ${day} is past the ${w}`
  }
}

/** First day (ascending) on which `n` consecutive account weeks (week k = days 7k…7k+6) each had a $login. */
function weeklyUseDay(ctx: Ctx, n: number): number | null {
  const weeks = new Set<number>()
  for (const d of ctx.dayNumbers) {
    if (!ctx.days.get(d)!.users.some((u) => u.logins > 0)) continue
    const w = Math.floor(d / 7)
    weeks.add(w)
    let ok = true
    for (let k = w - n + 1; k <= w; k++) if (!weeks.has(k)) ok = false
    if (ok) return d
  }
  return null
}

/** First day every core feature had been used (no core: every configured one; none configured: any feature). */
function coreFeatureDay(ctx: Ctx): number | null {
  const core = coreFeatures(ctx.cfg)
  const firstUse = new Map<string, number>()
  for (const d of ctx.dayNumbers) {
    for (const f of ctx.days.get(d)!.features) {
      if (core === null) return d
      if (!firstUse.has(f)) firstUse.set(f, d)
    }
  }
  if (core === null) return null
  let last = -Infinity
  for (const f of core) {
    const d = firstUse.get(f)
    if (d === undefined) return null
    last = Math.max(last, d)
  }
  return last
}

/** First day one core feature had been used in `min` of the `weeks` account weeks ending with that day's week. */
function workflowDay(ctx: Ctx, weeks: number, min: number): number | null {
  const core = coreFeatures(ctx.cfg)
  const usedWeeks = new Map<string, Set<number>>()
  for (const d of ctx.dayNumbers) {
    const w = Math.floor(d / 7)
    for (const f of ctx.days.get(d)!.features) {
      if (core !== null && !core.includes(f)) continue
      const s = usedWeeks.get(f) ?? new Set<number>()
      s.add(w)
      usedWeeks.set(f, s)
      // It can only start to hold on a day the feature is used (an older use stays inside the window).
      let n = 0
      for (let k = w - weeks + 1; k <= w; k++) if (s.has(k)) n++
      if (n >= min) return d
    }
  }
  return null
}

/** First day `users` distinct users had been active in the `periodDays` days ending with it. */
function engagedTeamDay(ctx: Ctx, users: number, periodDays: number): number | null {
  for (const d of ctx.dayNumbers) {
    if (!ctx.days.get(d)!.users.some((u) => u.events > 0)) continue
    if (activeUsersIn(ctx, d - periodDays + 1, d).size >= users) return d
  }
  return null
}

/** The six onboarding and four adoption milestones with their status at `ctx.at`. */
export function computeMilestones(ctx: Ctx): Milestone[] {
  const m = ctx.cfg.milestones
  const out: Milestone[] = []
  const onboarding = ['welcome', 'kickoff', 'setup', 'first_value', 'training', 'health_check'] as const
  for (const id of onboarding) {
    const spec = m[id]
    const first = ctx.facts.find((e) => spec.events.includes(e.name))
    const completedDay = first ? ctx.dayOf(first.at) : null
    const status = windowStatus(spec.window, ctx.day, completedDay)
    out.push({
      id,
      stage: 'onboarding',
      window: [spec.window[0], spec.window[1]],
      status,
      completedAt: first ? toIso(first.at) : null,
      completedDay,
      reason: describe(status, spec.window, ctx.day, first ? first.name : spec.events.join(' or '), completedDay),
    })
  }
  const conditions: [MilestoneId, readonly [number, number], number | null, string][] = [
    [
      'weekly_use',
      m.weekly_use.window,
      weeklyUseDay(ctx, m.weekly_use.weeks),
      `$login in ${m.weekly_use.weeks} consecutive account weeks`,
    ],
    ['core_feature', m.core_feature.window, coreFeatureDay(ctx), 'every core feature used'],
    [
      'workflow',
      m.workflow.window,
      workflowDay(ctx, m.workflow.weeks, m.workflow.minWeeks),
      `a core feature used in ${m.workflow.minWeeks} of ${m.workflow.weeks} weeks`,
    ],
    [
      'engaged_team',
      m.engaged_team.window,
      engagedTeamDay(ctx, m.engaged_team.users, m.engaged_team.periodDays),
      `${m.engaged_team.users}+ users active in ${m.engaged_team.periodDays} days`,
    ],
  ]
  for (const [id, window, completedDay, what] of conditions) {
    const status = windowStatus(window, ctx.day, completedDay)
    out.push({
      id,
      stage: 'adoption',
      window: [window[0], window[1]],
      status,
      completedAt: completedDay === null ? null : toIso(ctx.dateOf(completedDay)),
      completedDay,
      reason: describe(status, window, ctx.day, what, completedDay),
    })
  }
  return out
}
