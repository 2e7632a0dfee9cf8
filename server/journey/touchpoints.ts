/**
 * Next touchpoints (journey.md, "Touch model by segment"; seed "Touchpoints", "Mapa de Touchpoints",
 * "Personalizacao por Segmento"), from the config's plan.
 *
 * A plan item reaches a segment whose touch level (enterprise high, mid_market mid, smb tech) is at
 * least the item's level; a segment below it gets the item's `tech` version (an in-app checklist item
 * instead of a kickoff call), or nothing when it has none.
 *
 * Listed: occurrences due today or later that are not delivered (one-time items: every future one;
 * recurring items: the next one), plus undelivered occurrences that became due in the last
 * `overdueDays` days (recurring: only the latest). Nothing for a churned account.
 *
 * Delivered (chosen rules): an event of the item's `deliveredBy` list; the engagement event
 * (`experience_shown`) only when its `properties.touchpoint` names the item. One-time occurrences are
 * delivered in order by the events, counted (the 2nd `training_attended` delivers the 2nd training);
 * a recurring occurrence by an event within half a period of its due day; a triggered one by an event
 * after the trigger (expansion, in-app guides: in the last `overdueDays` days).
 */
import type { Channel, Owner, Phase, TouchLevel, TouchpointId } from './vocabulary'
import { TOUCHPOINTS, TOUCH_LEVELS } from './vocabulary'
import type { Ctx } from './context'
import type { FactEvent } from './facts'
import type { Intervention } from './interventions'
import { latestResponses } from './nps'
import type { RenewalState } from './renewal'
import { toIso } from './time'

export interface Touchpoint {
  id: TouchpointId
  label: string
  channel: Channel
  owner: Owner
  /** UTC midnight of the due day, ISO. */
  due: string
  dueDay: number
  status: 'overdue' | 'due' | 'upcoming'
  /** The renewal task or intervention it carries out, when any. */
  ref?: string
  reason: string
}

export interface TouchpointInputs {
  phase: Phase
  expansionReady: boolean
  interventions: Intervention[]
  renewal: RenewalState
}

const rank = (l: TouchLevel) => TOUCH_LEVELS.indexOf(l)

/** The next (and recently missed) touchpoints of the segment's plan at `ctx.at`, by due day. */
export function computeTouchpoints(ctx: Ctx, inputs: TouchpointInputs): Touchpoint[] {
  if (inputs.phase === 'churned') return []
  const plan = ctx.cfg.touchpoints.plan
  const lookback = ctx.cfg.touchpoints.overdueDays
  const d = ctx.day
  const out: Touchpoint[] = []

  for (const id of TOUCHPOINTS) {
    const spec = plan[id]
    const main = rank(ctx.cfg.touch) >= rank(spec.level)
    const look = main ? { label: spec.label, channel: spec.channel, owner: spec.owner } : spec.tech
    if (look === null) continue
    const delivered: FactEvent[] = ctx.facts.filter(
      (e) =>
        spec.deliveredBy.includes(e.name) && (e.name !== ctx.cfg.events.engagement || e.properties.touchpoint === id),
    )
    const push = (dueDay: number, reason: string, extra: Partial<Touchpoint> = {}) => {
      if (dueDay < d - lookback) return
      out.push({
        id,
        label: look.label,
        channel: look.channel,
        owner: look.owner,
        due: toIso(ctx.dateOf(dueDay)),
        dueDay,
        status: dueDay < d ? 'overdue' : dueDay === d ? 'due' : 'upcoming',
        reason,
        ...extra,
      })
    }
    const level = main ? `${spec.level}-touch` : `tech version for ${ctx.segment}`

    if (spec.trigger === null && spec.every === null) {
      const days = [...spec.days].sort((a, b) => a - b)
      days.forEach((day, i) => {
        if (i < delivered.length) return
        push(day, `planned for day ${day} (${level}); ${delivered.length} of ${days.length} delivered`)
      })
    } else if (spec.trigger === null && spec.every !== null) {
      const every = spec.every
      const half = every / 2
      const isDelivered = (day: number) =>
        delivered.some((e) => ctx.dayOf(e.at) >= day - half && ctx.dayOf(e.at) < day + half)
      const until = spec.until ?? Infinity
      // The latest occurrence before today, and the first at or after today.
      const prev = d > spec.from ? spec.from + Math.floor((d - 1 - spec.from) / every) * every : null
      const next = d <= spec.from ? spec.from : spec.from + Math.ceil((d - spec.from) / every) * every
      if (prev !== null && prev <= until && !isDelivered(prev))
        push(prev, `every ${every} days from day ${spec.from} (${level}); not delivered`)
      if (next <= until && !isDelivered(next)) push(next, `every ${every} days from day ${spec.from} (${level})`)
    } else if (spec.trigger === 'expansion_ready') {
      const recent = delivered.some((e) => ctx.dayOf(e.at) >= d - lookback + 1)
      if (inputs.expansionReady && !recent) push(d, `expansion-ready (${level})`)
    } else if (spec.trigger === 'interventions') {
      if (inputs.phase === 'adoption' && !delivered.some((e) => ctx.dayOf(e.at) >= d - lookback + 1)) {
        for (const iv of inputs.interventions) {
          push(d, `intervention ${iv.situation} in adoption (${level})`, {
            ref: iv.feature ? `${iv.situation}:${iv.feature}` : iv.situation,
          })
        }
      }
    } else if (spec.trigger === 'renewal_tasks') {
      for (const t of inputs.renewal.tasks) {
        if (t.status === 'done' || t.status === 'done_late') continue
        out.push({
          id,
          label: t.label,
          channel: t.channel,
          owner: t.owner,
          due: t.due,
          dueDay: t.dueDay,
          status: t.dueDay < d ? 'overdue' : t.dueDay === d ? 'due' : 'upcoming',
          ref: t.id,
          reason: `renewal task ${t.id}: ${t.reason}`,
        })
        if (t.dueDay < d - lookback) out.pop()
      }
    } else if (spec.trigger === 'advocacy') {
      const promoters = latestResponses(ctx, ctx.cfg.nps.windowDays).filter((r) => r.score >= ctx.cfg.nps.promoterMin)
      const triggers: { at: number; why: string }[] = promoters.map((r) => ({
        at: r.at,
        why: `NPS ${r.score} from ${r.userId}`,
      }))
      if (inputs.phase === 'advocacy') {
        // Asked once per entry into advocacy: from the renewal that opened it (an override: from now).
        const renewed = ctx.facts.filter((e) => e.name === ctx.cfg.events.renewed).pop()
        triggers.push({ at: renewed?.at ?? ctx.at, why: 'phase advocacy' })
      }
      triggers.sort((a, b) => a.at - b.at)
      const open = triggers.find((t) => !delivered.some((e) => e.at >= t.at))
      // An ask never answered stays listed (due clamped into the look-back) until it is delivered.
      if (open) push(Math.max(ctx.dayOf(open.at), d - lookback), `after ${open.why} (${level})`)
    }
  }
  return out.sort((a, b) => a.dueDay - b.dueDay || TOUCHPOINTS.indexOf(a.id) - TOUCHPOINTS.indexOf(b.id))
}
