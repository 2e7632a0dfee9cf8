/**
 * One account's part of the journey map (journey-map.ts: the rules): its touchpoint occurrences and
 * NPS answers, each in the phase it belongs to, counted per phase.
 */
import type { FactEvent, JourneyConfig, JourneyState, Phase, RenewalTask, TouchpointId } from '../journey'
import { journeyContext, phaseOf, stateOf } from '../journey'
import { TOUCHPOINTS, TOUCH_LEVELS } from '../journey/config'
import type { Ctx } from '../journey/context'
import type { AccountFacts } from '../journey/facts'
import { computeRenewal } from '../journey/renewal'
import { toIso, toNumber, DAY_MS } from '../journey/time'
import type { AccountMapSummary } from './journey-map'

interface Occurrence {
  id: TouchpointId
  ref: string | null
  events: string[]
  label: string
  owner: string
  channel: string
  day: number
  delivered: boolean
  /** The row it counts in, when not the phase of its day (renewal tasks, the triggered item owed now). */
  phase?: Phase
}

const rank = (l: string) => TOUCH_LEVELS.indexOf(l as (typeof TOUCH_LEVELS)[number])

/** The account's context and state at `at`, when the caller has computed them already (the evaluator). */
export interface Known {
  ctx: ReturnType<typeof journeyContext>
  state: JourneyState
}

/**
 * The renewal cycles up to `ctx.at`, each with its tasks (renewal.ts) and the last day they could
 * fall due: the current cycle from the state (up to today), and before it every past cycle, one per
 * `renewed` before the current cycle's window opened (up to that `renewed`, which also completes the
 * tasks it is an event of: `renewal_or_churn`). A past cycle is the engine's renewal state just
 * before its `renewed` (whose `renewalDate` moves the date on); when the date in force then is not
 * that cycle's (none, or a `renewalDate` trait a CRM already moved to the next date), the cycle's
 * renewal date is the `renewed` day itself. A `renewed` within the renewal window after the previous
 * one is the same renewal recorded twice, not a cycle.
 */
export function renewalCycles(
  config: JourneyConfig,
  facts: AccountFacts,
  ctx: Ctx,
  state: JourneyState,
): { tasks: RenewalTask[]; lastDay: number; closedBy: FactEvent | null }[] {
  const r = state.renewal
  const openDay = r.renewalDay === null ? Infinity : r.renewalDay - r.windowDays
  const out: { tasks: RenewalTask[]; lastDay: number; closedBy: FactEvent | null }[] = []
  let previous: number | null = null
  for (const e of ctx.facts) {
    if (e.name !== ctx.cfg.events.renewed) continue
    const day = ctx.dayOf(e.at)
    if (day >= openDay) break
    if (previous !== null && day - previous <= r.windowDays) continue
    previous = day
    let past = computeRenewal(journeyContext(config, facts, e.at - 1))
    if (past.renewalDay === null || day < past.renewalDay - past.windowDays) {
      past = computeRenewal(
        journeyContext(
          config,
          { ...facts, traits: { ...facts.traits, renewalDate: toIso(ctx.dateOf(day)) } },
          e.at - 1,
        ),
      )
      if (past.renewalDay !== day) continue
    }
    out.push({ tasks: past.tasks, lastDay: day, closedBy: e })
  }
  out.push({ tasks: r.tasks, lastDay: ctx.day, closedBy: null })
  return out
}

/** One account's touchpoint occurrences and NPS answers, each with the phase it belongs to; the phases the NPS survey asked in. */
export function accountLedger(
  config: JourneyConfig,
  facts: AccountFacts,
  at: number,
  known?: Known,
): {
  state: JourneyState
  occurrences: (Occurrence & { phase: Phase })[]
  answers: { score: number; phase: Phase; promoterMin: number; passiveMin: number }[]
  surveyPhases: Phase[]
} {
  const ctx = known?.ctx ?? journeyContext(config, facts, at)
  const state = known?.state ?? stateOf(ctx)
  const d = ctx.day
  const cfg = ctx.cfg

  // The phase at the end of account day `day` (today: now), memoised.
  const phases = new Map<number, Phase>()
  const phaseOn = (day: number): Phase => {
    if (day >= d) return state.phase.id
    let p = phases.get(day)
    if (p === undefined) {
      const t = Math.min(at, ctx.dateOf(day) + DAY_MS - 1)
      const override = facts.override !== null && facts.override.setAt <= t ? facts.override : null
      p = phaseOf(journeyContext(config, { ...facts, override }, t)).id
      phases.set(day, p)
    }
    return p
  }

  const occ: Occurrence[] = []
  for (const id of TOUCHPOINTS) {
    const spec = cfg.touchpoints.plan[id]
    const main = rank(cfg.touch) >= rank(spec.level)
    const look = main ? { label: spec.label, channel: spec.channel, owner: spec.owner } : spec.tech
    if (look === null) continue
    const add = (day: number, delivered: boolean, phase?: Phase) =>
      occ.push({
        id,
        ref: null,
        events: spec.deliveredBy,
        label: look.label,
        owner: look.owner,
        channel: look.channel,
        day,
        delivered,
        ...(phase && { phase }),
      })
    const delivering = ctx.facts.filter(
      (e) => spec.deliveredBy.includes(e.name) && (e.name !== cfg.events.engagement || e.properties.touchpoint === id),
    )

    if (spec.trigger === null && spec.every === null) {
      ;[...spec.days]
        .sort((a, b) => a - b)
        .forEach((day, i) => {
          const delivered = i < delivering.length
          if (day <= d || delivered) add(day, delivered)
        })
    } else if (spec.trigger === null && spec.every !== null) {
      const half = spec.every / 2
      const until = Math.min(spec.until ?? Infinity, d)
      for (let day = spec.from; day <= until; day += spec.every) {
        add(
          day,
          delivering.some((e) => ctx.dayOf(e.at) >= day - half && ctx.dayOf(e.at) < day + half),
        )
      }
    } else if (spec.trigger === 'renewal_tasks') {
      const events = new Map(cfg.renewal.tasks.map((t) => [t.id, t.events]))
      for (const cycle of renewalCycles(config, facts, ctx, state)) {
        for (const task of cycle.tasks) {
          const by = events.get(task.id) ?? []
          const done =
            task.status === 'done' ||
            task.status === 'done_late' ||
            (cycle.closedBy !== null && by.includes(cycle.closedBy.name))
          if (task.dueDay <= cycle.lastDay || done)
            occ.push({
              id,
              ref: task.id,
              events: by,
              label: task.label,
              owner: task.owner,
              channel: task.channel,
              day: task.dueDay,
              delivered: done,
              phase: 'renewal',
            })
        }
      }
    } else {
      for (const e of delivering) add(ctx.dayOf(e.at), true)
      // Owed now: in today's phase (an advocacy ask owed since a 9-10 answer in renewal is advocacy's to do).
      for (const tp of state.touchpoints) if (tp.id === id) add(tp.dueDay, false, state.phase.id)
    }
  }

  const answers: { score: number; phase: Phase; promoterMin: number; passiveMin: number }[] = []
  for (const e of ctx.facts) {
    if (e.name !== cfg.events.nps) continue
    const score = toNumber(e.properties.score)
    if (score === null || !Number.isInteger(score) || score < 0 || score > 10) continue
    answers.push({
      score,
      phase: phaseOn(ctx.dayOf(e.at)),
      promoterMin: cfg.nps.promoterMin,
      passiveMin: cfg.nps.passiveMin,
    })
  }

  // The survey's ask days (journey.md "NPS"; nps-and-advocacy-asks.ts npsDecision): the health check
  // (tech-touch), the periodic ask from `fromDay` every `everyDays` (as for a user who answers each
  // time), `afterRenewalDays` after each renewal; none before `notBeforeDay`, none after today.
  const s = cfg.nps.survey
  const asks = new Set<number>()
  if (cfg.touch === 'tech') asks.add(s.healthCheckDay)
  for (let day = s.fromDay; day <= d; day += s.everyDays) asks.add(day)
  for (const e of ctx.facts) if (e.name === cfg.events.renewed) asks.add(ctx.dayOf(e.at) + s.afterRenewalDays)
  const surveyPhases = new Set<Phase>()
  for (const day of asks) if (day >= s.notBeforeDay && day <= d) surveyPhases.add(phaseOn(day))

  return {
    state,
    occurrences: occ.map((o) => ({ ...o, phase: o.phase ?? phaseOn(Math.min(o.day, d)) })),
    answers,
    surveyPhases: [...surveyPhases],
  }
}

/** `accountLedger`, counted per phase: the account's part of the map. */
export function accountMapSummary(
  config: JourneyConfig,
  facts: AccountFacts,
  at: number,
  known?: Known,
): AccountMapSummary {
  const { state, occurrences, answers, surveyPhases } = accountLedger(config, facts, at, known)
  const items = new Map<string, AccountMapSummary['items'][number]>()
  for (const o of occurrences) {
    const key = `${o.phase}\u0000${o.id}\u0000${o.ref ?? ''}`
    let item = items.get(key)
    if (!item)
      items.set(
        key,
        (item = {
          phase: o.phase,
          id: o.id,
          ref: o.ref,
          label: o.label,
          owner: o.owner,
          channel: o.channel,
          events: o.events,
          planned: 0,
          delivered: 0,
        }),
      )
    item.planned++
    if (o.delivered) item.delivered++
  }
  const byPhase = new Map<Phase, AccountMapSummary['answers'][number]>()
  for (const a of answers) {
    let x = byPhase.get(a.phase)
    if (!x) byPhase.set(a.phase, (x = { phase: a.phase, p: 0, d: 0, n: 0 }))
    x.n++
    if (a.score >= a.promoterMin) x.p++
    else if (a.score < a.passiveMin) x.d++
  }
  return {
    accountId: state.accountId,
    segment: state.segment,
    phase: state.phase.id,
    items: [...items.values()],
    answers: [...byPhase.values()],
    surveyPhases,
  }
}
