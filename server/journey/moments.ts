/**
 * Moments of truth (journey.md, "Moments of truth"; seed "Momentos da Verdade"): kickoff, first value,
 * first bug (the first ticket), each QBR, each renewal or churn, with date, outcome, and the seed's
 * risk and opportunity. Moments that have not happened are not listed.
 */
import type { MomentId } from './vocabulary'
import type { Ctx } from './context'
import { toIso } from './time'

export interface Moment {
  id: MomentId
  at: string
  day: number
  outcome: string
  risk: string
  opportunity: string
}

/** The moments of truth that happened by `ctx.at`, oldest first. */
export function computeMoments(ctx: Ctx): Moment[] {
  const m = ctx.cfg.moments
  const out: Moment[] = []
  const add = (id: MomentId, at: number, outcome: string) =>
    out.push({ id, at: toIso(at), day: ctx.dayOf(at), outcome, risk: m[id].risk, opportunity: m[id].opportunity })
  const first = (names: readonly string[]) => ctx.facts.find((e) => names.includes(e.name))

  const kickoff = first(m.kickoff.events)
  if (kickoff) {
    const rescheduled = ctx.facts.filter(
      (e) => ctx.cfg.redFlags.kickoff_rescheduled.events.includes(e.name) && e.at <= kickoff.at,
    ).length
    add(
      'kickoff',
      kickoff.at,
      rescheduled > 0 ? `held after ${rescheduled} reschedule${rescheduled === 1 ? '' : 's'}` : 'held',
    )
  }
  const fv = first(m.first_value.events)
  if (fv) {
    const [, last] = ctx.cfg.milestones.first_value.window
    const day = ctx.dayOf(fv.at)
    add('first_value', fv.at, `time to first value ${day} days (${day <= last ? 'on time' : 'late'})`)
  }
  const bug = first(m.first_bug.events)
  if (bug) {
    const id = bug.properties.ticketId
    const closed =
      id === undefined
        ? undefined
        : ctx.facts.find(
            (e) => e.name === ctx.cfg.events.ticketClosed && e.at >= bug.at && e.properties.ticketId === id,
          )
    add('first_bug', bug.at, closed ? `closed after ${ctx.dayOf(closed.at) - ctx.dayOf(bug.at)} days` : 'open')
  }
  for (const e of ctx.facts.filter((x) => m.qbr.events.includes(x.name))) add('qbr', e.at, 'held')
  for (const e of ctx.facts.filter((x) => m.renewal.events.includes(x.name)))
    add('renewal', e.at, e.name === ctx.cfg.events.churned ? 'churned' : 'renewed')
  return out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
}
