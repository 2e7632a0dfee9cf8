/**
 * Renewal timeline (journey.md, "Renewal timeline"; seed "Timeline de Renovacao").
 *
 * renewalDate: the `renewalDate` trait and the `renewalDate` property of `renewed` events, merged in
 * time order like traits (journey.md: "A `renewed` event with a `renewalDate` property sets the
 * account's next renewalDate"): whichever was set last wins, the event on a tie. `daysToRenewal = day(renewalDate) − day(at)`. A task is due on
 * `day(renewalDate) + offset`; its status is a milestone's with the window [due, due]. Tasks due
 * before the segment's renewal window opens are left out (mid_market starts at −60).
 *
 * The current cycle (only its events complete tasks) starts after the latest `renewed` event that
 * happened before this renewal's window opened, else at the contract start. So a `renewed` inside the
 * window completes `renewal_or_churn` even when it carries no new `renewalDate`.
 */
import type { Channel, Owner } from './vocabulary'
import type { Ctx } from './context'
import type { MilestoneStatus } from './milestones'
import { windowStatus } from './milestones'
import { parseTime, toIso } from './time'

export interface RenewalTask {
  id: string
  label: string
  offset: number
  /** The task's due date (UTC midnight, ISO) and account day. */
  due: string
  dueDay: number
  status: MilestoneStatus
  completedAt: string | null
  channel: Channel
  owner: Owner
  reason: string
}

export interface RenewalState {
  renewalDate: string | null
  daysToRenewal: number | null
  /** Account day of the renewal date. */
  renewalDay: number | null
  windowDays: number
  cycleStart: string | null
  tasks: RenewalTask[]
  reason: string
}

/** The renewal date at `ctx.at` (epoch ms) and where it comes from. */
export function renewalDateOf(ctx: Ctx): { date: number | null; source: string } {
  let date = parseTime(ctx.traits.renewalDate)
  let source = date === null ? '' : 'trait renewalDate'
  const setAt = Object.hasOwn(ctx.traitTimes, 'renewalDate') ? Number(ctx.traitTimes.renewalDate) : -Infinity
  // facts are in time order: the last renewed event with a date set at or after the trait wins.
  for (const e of ctx.facts) {
    if (e.name !== ctx.cfg.events.renewed || e.at < setAt) continue
    const next = parseTime(e.properties.renewalDate)
    if (next !== null) {
      date = next
      source = `${e.name} event of ${toIso(e.at).slice(0, 10)}`
    }
  }
  return { date, source }
}

/** Renewal date, days to it and the segment's task timeline at `ctx.at` (seed "Timeline de Renovacao"). */
export function computeRenewal(ctx: Ctx): RenewalState {
  const windowDays = ctx.cfg.renewalWindowDays
  const { date, source } = renewalDateOf(ctx)
  if (date === null) {
    return {
      renewalDate: null,
      daysToRenewal: null,
      renewalDay: null,
      windowDays,
      cycleStart: null,
      tasks: [],
      reason: 'no renewal date',
    }
  }
  const rd = ctx.dayOf(date)
  const daysToRenewal = rd - ctx.day
  const openDay = rd - windowDays
  const previous = ctx.facts.filter((e) => e.name === ctx.cfg.events.renewed && ctx.dayOf(e.at) < openDay).pop()
  const cycleFrom = previous ? previous.at : ctx.start
  const inCycle = (t: number) => (previous ? t > cycleFrom : t >= cycleFrom)

  const tasks: RenewalTask[] = []
  for (const t of ctx.cfg.renewal.tasks) {
    if (t.offset < -windowDays) continue
    const dueDay = rd + t.offset
    const done = ctx.facts.find((e) => t.events.includes(e.name) && inCycle(e.at))
    const completedDay = done ? ctx.dayOf(done.at) : null
    const status = windowStatus([dueDay, dueDay], ctx.day, completedDay)
    const when = `due day ${dueDay} (${t.offset} days before renewal)`
    tasks.push({
      id: t.id,
      label: t.label,
      offset: t.offset,
      due: toIso(ctx.dateOf(dueDay)),
      dueDay,
      status,
      completedAt: done ? toIso(done.at) : null,
      channel: t.channel,
      owner: t.owner,
      reason: done ? `${done.name} on day ${completedDay}, ${when}` : `no ${t.events.join(' or ')} this cycle; ${when}`,
    })
  }
  return {
    renewalDate: toIso(date),
    daysToRenewal,
    renewalDay: rd,
    windowDays,
    cycleStart: toIso(cycleFrom),
    tasks,
    reason: `renewal on day ${rd} (${source}), ${daysToRenewal} days from day ${ctx.day}; ${ctx.segment} window ${windowDays} days`,
  }
}
