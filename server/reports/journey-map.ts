/**
 * The journey map (journey.md, "Journey map"; seed "Mapeando Sua Jornada", template
 * "Fase | Objetivo | Touchpoints | Emocao | Gap | Acao"): one row per phase, aggregated over a
 * segment's accounts.
 *
 * Rules (chosen where the spec leaves room):
 * - **Phase at a past time.** The account's phase at the end of a day is `journeyState` at that
 *   time over the facts loaded now (the engine drops everything after its `at`; traits are today's,
 *   and the override counts only from when it was set). Memoised per account day.
 * - **Planned vs delivered.** Each plan item of the segment's touch model (touchpoints.ts, with the
 *   same level/tech rule and the same delivery rules) yields occurrences: one-time items every day
 *   due up to today, plus any delivered early; recurring items every due day up to today (delivered
 *   by an event within half a period); renewal tasks of every cycle (`renewalCycles`: the current
 *   one's due up to today or done, each past one's due by its `renewed` or done); triggered items
 *   (expansion call, in-app guides, advocacy ask) one per delivering event, plus the one owed now.
 *   An occurrence belongs to the phase the account was in on its due day (a delivery event's day for
 *   triggered items; today for anything due later and for the triggered item owed now), except
 *   renewal tasks: they are the renewal phase's plan (journey.md, touch model) and all fall due in
 *   its window, so they count in the renewal row even when the `renewed` that closed the cycle moved
 *   the account on (to advocacy) that same day.
 * - **Emotion.** Every valid `nps_response` (not only each user's latest) belongs to the phase the
 *   account was in on the answer's day; NPS = % promoters − % detractors, rounded half up.
 * - **NPS gaps.** "No NPS answer" is a gap only in a phase where the survey rules (journey.md "NPS",
 *   `nps.survey`) asked an account: the day-30 health check (tech-touch), day 90 and every 90 days
 *   after it, 30 days after each renewal; never in the first 14 days. So never in onboarding by
 *   default, and not in advocacy before the after-renewal ask.
 */
import type { FactEvent, JourneyConfig, JourneyState, Phase, RenewalTask, Segment, TouchpointId } from '../journey'
import { journeyContext, phaseOf, stateOf } from '../journey'
import { TOUCHPOINTS, TOUCH_LEVELS } from '../journey/config'
import type { Ctx } from '../journey/context'
import type { AccountFacts } from '../journey/facts'
import { computeRenewal } from '../journey/renewal'
import { roundHalfUp, toIso, toNumber, DAY_MS } from '../journey/time'
import { escapeHtml, formatDate, toCsv } from './html'

/** The six phases of the map (churned accounts are counted, not mapped). */
export const MAP_PHASES = ['onboarding', 'adoption', 'value', 'growth', 'renewal', 'advocacy'] as const
export type MapPhase = (typeof MAP_PHASES)[number]

/** Seed, "Objetivo" of each phase. */
export const OBJECTIVES: Record<MapPhase, string> = {
  onboarding: 'Bring the customer to first value quickly',
  adoption: 'Establish regular use and a workflow',
  value: 'Make sure the customer achieves ROI',
  growth: 'Expand usage and revenue',
  renewal: 'Secure the continuity of the relationship',
  advocacy: 'Turn the customer into a promoter',
}

/** Seed "Mapa de Touchpoints": what each phase should hold (for a phase with no touchpoint). */
const TOUCH_MAP_HINT: Record<MapPhase, string> = {
  onboarding: 'kickoff, trainings and health check (high touch); 5 emails (mid); automated welcome (tech)',
  adoption: 'monthly check-in (mid); in-app guides (tech)',
  value: 'QBR (high); value email (mid); dashboard (tech)',
  growth: 'expansion call (mid); in-app prompts (tech)',
  renewal: 'renewal QBR and proposal (high); email (mid); auto-renewal notice (tech)',
  advocacy: 'advocacy ask after a 9-10 answer (referral, review, case study)',
}

export interface MapTouchpoint {
  id: TouchpointId
  /** The renewal task (`renewal_tasks` only: one item per task). */
  ref: string | null
  label: string
  owner: string
  channel: string
  /** The events that deliver it. */
  events: string[]
  planned: number
  delivered: number
}

export interface MapEmotion {
  nps: number | null
  responses: number
  promoters: number
  passives: number
  detractors: number
}

export interface JourneyMapRow {
  phase: MapPhase
  objective: string
  /** Accounts in this phase now. */
  accounts: number
  touchpoints: { planned: number; delivered: number; items: MapTouchpoint[] }
  emotion: MapEmotion
  gaps: string[]
  actions: string[]
}

export interface JourneyMap {
  segment: Segment | null
  at: string
  /** Accounts mapped (of the segment), churned ones included. */
  accounts: number
  churned: number
  rows: JourneyMapRow[]
  /**
   * Where the accounts' parts came from (GET /v1/journey-map): the summaries stored with their
   * snapshots (the oldest one's time), or computed for this answer.
   */
  sources?: { stored: number; computed: number; oldestStored: string | null }
}

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

  // The survey's ask days (journey.md "NPS"; decide-experiences.ts npsDecision): the health check
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

/**
 * What one account adds to the map, as plain JSON: the evaluator stores it beside the account's
 * snapshot (so that the map of now reads stored summaries instead of every account's facts), and
 * the map at a past time computes it on the fly. Items and answers are already counted per phase.
 */
export interface AccountMapSummary {
  accountId: string
  segment: Segment
  /** The account's phase at `at` (churned included). */
  phase: Phase
  items: (Omit<MapTouchpoint, 'planned' | 'delivered'> & { phase: Phase; planned: number; delivered: number })[]
  /** NPS answers given in each phase: promoters, detractors, all. */
  answers: { phase: Phase; p: number; d: number; n: number }[]
  /** Phases in which the NPS survey rules asked this account (absent from summaries stored before it: read as none). */
  surveyPhases?: Phase[]
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

/** The journey map over these accounts' summaries (already filtered to the segment), as of `at`. */
export function buildJourneyMap(
  summaries: Iterable<AccountMapSummary>,
  at: number,
  segment: Segment | null,
): JourneyMap {
  const rows = new Map<
    MapPhase,
    {
      accounts: number
      reached: Set<string>
      surveyed: number
      items: Map<string, MapTouchpoint>
      scores: { p: number; d: number; n: number }
    }
  >()
  for (const p of MAP_PHASES)
    rows.set(p, { accounts: 0, reached: new Set(), surveyed: 0, items: new Map(), scores: { p: 0, d: 0, n: 0 } })
  let accounts = 0
  let churned = 0

  for (const s of summaries) {
    accounts++
    if (s.phase === 'churned') churned++
    else {
      const row = rows.get(s.phase as MapPhase)!
      row.accounts++
      row.reached.add(s.accountId)
    }
    for (const o of s.items) {
      const row = rows.get(o.phase as MapPhase)
      if (!row) continue
      row.reached.add(s.accountId)
      const key = o.ref === null ? o.id : `${o.id}:${o.ref}`
      let item = row.items.get(key)
      if (!item)
        row.items.set(
          key,
          (item = {
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
      item.planned += o.planned
      item.delivered += o.delivered
    }
    for (const a of s.answers) {
      const row = rows.get(a.phase as MapPhase)
      if (!row) continue
      row.reached.add(s.accountId)
      row.scores.n += a.n
      row.scores.p += a.p
      row.scores.d += a.d
    }
    for (const p of s.surveyPhases ?? []) {
      const row = rows.get(p as MapPhase)
      if (!row) continue
      row.reached.add(s.accountId)
      row.surveyed++
    }
  }

  return {
    segment,
    at: new Date(at).toISOString(),
    accounts,
    churned,
    rows: MAP_PHASES.map((phase) => {
      const r = rows.get(phase)!
      // Plan order (TOUCHPOINTS; renewal tasks as they come), as a CSM reads the journey.
      const items = [...r.items.values()].sort((a, b) => TOUCHPOINTS.indexOf(a.id) - TOUCHPOINTS.indexOf(b.id))
      const planned = items.reduce((s, i) => s + i.planned, 0)
      const delivered = items.reduce((s, i) => s + i.delivered, 0)
      const { p, d, n } = r.scores
      const emotion: MapEmotion = {
        nps: n === 0 ? null : roundHalfUp(((p - d) * 100) / n),
        responses: n,
        promoters: p,
        passives: n - p - d,
        detractors: d,
      }
      const { gaps, actions } = gapsOf(phase, r.reached.size, r.surveyed, items, emotion)
      return {
        phase,
        objective: OBJECTIVES[phase],
        accounts: r.accounts,
        touchpoints: { planned, delivered, items },
        emotion,
        gaps,
        actions,
      }
    }),
  }
}

/**
 * Gaps (journey.md: planned touchpoints not delivered, phases with no touchpoint) and a suggested
 * action for each; "no NPS answer" only where the survey rules asked (`surveyed` accounts here).
 */
function gapsOf(
  phase: MapPhase,
  reached: number,
  surveyed: number,
  items: MapTouchpoint[],
  emotion: MapEmotion,
): { gaps: string[]; actions: string[] } {
  const gaps: string[] = []
  const actions: string[] = []
  if (reached === 0) return { gaps: ['no account has reached this phase'], actions: [] }
  if (items.length === 0) {
    gaps.push('no touchpoint in this phase')
    actions.push(`plan one (seed touch map: ${TOUCH_MAP_HINT[phase]})`)
  }
  const missed = items
    .filter((i) => i.planned > i.delivered)
    .sort((a, b) => b.planned - b.delivered - (a.planned - a.delivered))
  for (const i of missed.slice(0, 3)) {
    gaps.push(`${i.label}: ${i.planned - i.delivered} of ${i.planned} not delivered`)
    actions.push(
      i.owner === 'csm'
        ? `schedule the missed ${i.label}s (${i.channel}, CSM) and record them`
        : i.channel === 'in_app'
          ? `check that the ${i.label} is configured and shown (experience_shown with touchpoint ${i.id})`
          : `check the ${i.label} automation (${i.owner}) and that it reports ${i.events.join(' or ') || 'its event'}`,
    )
  }
  if (emotion.nps !== null && emotion.nps < 0) {
    gaps.push(
      `NPS ${emotion.nps}: ${emotion.detractors} detractor answer${emotion.detractors === 1 ? '' : 's'} of ${emotion.responses}`,
    )
    actions.push(`call this phase's detractors; compare what the ${phase} phase promised with what they got`)
  } else if (emotion.responses === 0 && surveyed > 0) {
    gaps.push(`no NPS answer in this phase, where the survey asked ${plural(surveyed, 'account')}`)
    actions.push(
      'check that the NPS survey is shown at its asks here (experience_shown with kind nps) and that answers arrive (nps_response)',
    )
  }
  return { gaps, actions }
}

// ------------------------------------------------------------------------------------ CSV, HTML

const pctOf = (delivered: number, planned: number) =>
  planned === 0 ? '' : `${Math.round((delivered * 100) / planned)}%`
const touchText = (r: JourneyMapRow) =>
  r.touchpoints.items.map((i) => `${i.label} ${i.delivered}/${i.planned}`).join('; ')

/** The map as RFC 4180 CSV (CRLF records, a header row; gaps and actions joined by "; "). */
export function journeyMapCsv(m: JourneyMap): string {
  const rows: unknown[][] = [
    [
      'phase',
      'objective',
      'accounts',
      'touchpoints_planned',
      'touchpoints_delivered',
      'delivered_share',
      'touchpoints',
      'emotion_nps',
      'nps_answers',
      'gap',
      'action',
    ],
  ]
  for (const r of m.rows) {
    rows.push([
      r.phase,
      r.objective,
      r.accounts,
      r.touchpoints.planned,
      r.touchpoints.delivered,
      pctOf(r.touchpoints.delivered, r.touchpoints.planned),
      touchText(r),
      r.emotion.nps ?? '',
      r.emotion.responses,
      r.gaps.join('; '),
      r.actions.join('; '),
    ])
  }
  return toCsv(rows)
}

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:13px/1.45 Arial,Helvetica,sans-serif;color:#14201c;background:#fff}
main{padding:24px 28px}
h1{font-size:22px;margin:0 0 4px}
.meta{color:#5b6b65;margin-bottom:14px}
table{border-collapse:collapse;width:100%}
th{text-align:left;font-size:11px;text-transform:uppercase;letter-spacing:.04em;color:#5b6b65;border-bottom:2px solid #cfdad6;padding:6px 8px}
td{border-bottom:1px solid #e3e8e6;padding:8px;vertical-align:top}
td.phase{font-weight:bold;white-space:nowrap}
td.phase .n{display:block;font-weight:normal;color:#5b6b65;font-size:12px}
.bar{height:6px;background:#e3e8e6;border-radius:3px;margin:4px 0 6px;width:120px}
.bar i{display:block;height:6px;border-radius:3px;background:#0b6e4f}
.items{font-size:12px;color:#3d4a45}
.nps{font-size:18px;font-weight:bold}
.nps.neg{color:#9b1c10}.nps.pos{color:#0b6e4f}.nps.none{color:#7a8a84;font-size:13px;font-weight:normal}
ul{margin:0;padding-left:16px}
li{margin:1px 0}
.muted{color:#7a8a84}
@page{size:A4 landscape;margin:12mm}
@media print{main{padding:0}tr{break-inside:avoid}}
`

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

/** The map as an HTML table (the seed's template columns), no scripts, every datum escaped. */
export function renderJourneyMapHtml(m: JourneyMap): string {
  const e = escapeHtml
  const title = `Journey map · ${m.segment ?? 'all segments'}`
  const list = (xs: string[]) =>
    xs.length === 0 ? '<span class="muted">—</span>' : `<ul>${xs.map((x) => `<li>${e(x)}</li>`).join('')}</ul>`
  const body = m.rows
    .map((r) => {
      const t = r.touchpoints
      const share = t.planned === 0 ? 0 : Math.round((t.delivered * 100) / t.planned)
      const touch =
        t.planned === 0
          ? '<span class="muted">none</span>'
          : `<b>${e(t.delivered)} of ${e(t.planned)}</b> delivered (${e(share)}%)<div class="bar"><i style="width:${share}%"></i></div>` +
            `<div class="items">${t.items.map((i) => `${e(i.label)} ${e(i.delivered)}/${e(i.planned)}`).join('<br>')}</div>`
      const em = r.emotion
      const emotion =
        em.nps === null
          ? '<span class="nps none">no answers</span>'
          : `<span class="nps ${em.nps < 0 ? 'neg' : 'pos'}">${e(em.nps > 0 ? `+${em.nps}` : em.nps)}</span><div class="items">${e(plural(em.responses, 'answer'))}: ${e(plural(em.promoters, 'promoter'))}, ${e(plural(em.passives, 'passive'))}, ${e(plural(em.detractors, 'detractor'))}</div>`
      return (
        `<tr><td class="phase">${e(r.phase)}<span class="n">${e(r.accounts)} account${r.accounts === 1 ? '' : 's'} now</span></td>` +
        `<td>${e(r.objective)}</td><td>${touch}</td><td>${emotion}</td><td>${list(r.gaps)}</td><td>${list(r.actions)}</td></tr>`
      )
    })
    .join('\n')
  return [
    '<!DOCTYPE html>',
    `<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${e(title)}</title><style>${CSS}</style></head><body><main>`,
    `<h1>${e(title)}</h1>`,
    `<div class="meta">${e(m.accounts)} account${m.accounts === 1 ? '' : 's'} (${e(m.churned)} churned) · as of ${e(formatDate(m.at, 'en'))} · emotion: NPS of the answers given in each phase</div>`,
    `<table><thead><tr><th>Phase</th><th>Objective</th><th>Touchpoints (delivered of planned)</th><th>Emotion (NPS)</th><th>Gap</th><th>Action</th></tr></thead><tbody>`,
    body,
    '</tbody></table></main></body></html>',
  ].join('\n')
}
