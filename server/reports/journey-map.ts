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
import type { Phase, Segment, TouchpointId } from '../journey'
import { TOUCHPOINTS } from '../journey/config'
import { roundHalfUp } from '../journey/time'
import { plural } from './html'

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

/**
 * What one account adds to the map, as plain JSON (account-map-summary.ts computes it): the
 * evaluator stores it beside the account's snapshot (so that the map of now reads stored summaries
 * instead of every account's facts), and the map at a past time computes it on the fly. Items and
 * answers are already counted per phase.
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
