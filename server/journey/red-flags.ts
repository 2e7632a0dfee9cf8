/**
 * Red flags (journey.md, "Red flags"; seed "Red Flags" of Fase 1). Computed, never stored by hand.
 * The first four are checked while the phase given by the rules (not an override) is `onboarding`;
 * `usage_declining` in every phase from day 28 on. `since` is when the flag became true: the event
 * that raised it, or the UTC midnight of the first day of the current uninterrupted run.
 */
import type { Phase, RedFlagId } from './vocabulary'
import type { Ctx } from './context'
import { activeDaysIn, loginDaysIn } from './context'
import { fmt, toIso } from './time'

export interface RedFlag {
  id: RedFlagId
  since: string
  reason: string
}

/** Active days in the last `p` days and the `p` before, at account day `d`. */
export function activityTrend(ctx: Ctx, d: number, p: number): { last: number; prev: number } {
  return { last: activeDaysIn(ctx, d - p + 1, d), prev: activeDaysIn(ctx, d - 2 * p + 1, d - p) }
}

function declining(ctx: Ctx, d: number): { held: boolean; last: number; prev: number } {
  const u = ctx.cfg.redFlags.usage_declining
  const { last, prev } = activityTrend(ctx, d, u.periodDays)
  // Snapped: 0.7 × 10 is 7 exactly, as a person reads it.
  const held = d >= u.fromDay && prev >= u.minActiveDaysBefore && last < Math.round(u.ratio * prev * 1e9) / 1e9
  return { held, last, prev }
}

/** The red flags raised at `ctx.at`; `rules` is the phase given by the rules (never the override). */
export function computeRedFlags(ctx: Ctx, rules: Phase): RedFlag[] {
  const f = ctx.cfg.redFlags
  const d = ctx.day
  const flags: RedFlag[] = []

  if (rules === 'onboarding') {
    const s = f.setup_late
    if (d > s.afterDay && !ctx.facts.some((e) => s.events.includes(e.name))) {
      flags.push({
        id: 'setup_late',
        since: toIso(ctx.dateOf(s.afterDay + 1)),
        reason: `day ${d} > ${s.afterDay} and no ${s.events.join(' or ')}`,
      })
    }
    const n = f.no_login
    if (d >= n.fromDay && loginDaysIn(ctx, d - n.days + 1, d).length === 0) {
      const lastLogin = loginDaysIn(ctx, -Infinity, d).pop()
      const since = lastLogin === undefined ? n.fromDay : Math.max(n.fromDay, lastLogin + n.days)
      flags.push({
        id: 'no_login',
        since: toIso(ctx.dateOf(since)),
        reason:
          lastLogin === undefined
            ? `no $login at all by day ${d}`
            : `no $login in the last ${n.days} days (last on day ${lastLogin})`,
      })
    }
    for (const id of ['kickoff_rescheduled', 'training_no_show'] as const) {
      const spec = f[id]
      const seen = ctx.facts.filter((e) => spec.events.includes(e.name))
      if (seen.length >= spec.min) {
        flags.push({
          id,
          since: toIso(seen[spec.min - 1]!.at),
          reason: `${seen.length} ${spec.events.join(' or ')} (raised at ${spec.min})`,
        })
      }
    }
  }

  const now = declining(ctx, d)
  if (now.held) {
    let from = d
    // Walk back over the run of days on which it already held (bounded: a year is plenty for `since`).
    while (from - 1 >= d - 366 && declining(ctx, from - 1).held) from--
    const u = f.usage_declining
    flags.push({
      id: 'usage_declining',
      since: toIso(ctx.dateOf(from)),
      reason: `${now.last} active days in the last ${u.periodDays} < ${fmt(u.ratio * 100)}% of ${now.prev} in the ${u.periodDays} before`,
    })
  }
  return flags
}
