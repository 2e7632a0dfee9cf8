/**
 * Health score (journey.md, "Health score"): a weighted sum of components, each 0-100. A component
 * without data is left out and the other weights are scaled to sum to 1.
 *
 * Rounding (journey.md: only the score and the account NPS are rounded): components are weighted
 * unrounded, the score is `roundHalfUp(Σ value × weight)`; a component's `value` is shown to two
 * decimals; each `contribution` is an integer and the contributions sum exactly to the score
 * (largest-remainder rounding of value × weight: floors first, the units left go to the largest
 * fractional parts, ties to the component listed first).
 */
import type { AdoptionLevel, Band, HealthComponentId } from './vocabulary'
import { HEALTH_COMPONENTS } from './vocabulary'
import type { Ctx } from './context'
import { activeDaysIn, activeUsersIn } from './context'
import type { Milestone } from './milestones'
import type { NpsState } from './nps'
import { fmt, roundHalfUp, roundTo } from './time'

export interface HealthComponent {
  id: HealthComponentId
  value: number
  /** The weight after scaling over the components with data (4 decimals). */
  weight: number
  contribution: number
  reason: string
}

export interface HealthState {
  score: number
  band: Band
  components: HealthComponent[]
  missing: HealthComponentId[]
  /** Why each missing component has no data. */
  missingReasons: Partial<Record<HealthComponentId, string>>
  reason: string
}

export interface HealthInputs {
  adoptionLevel: AdoptionLevel
  milestones: Milestone[]
  nps: NpsState
}

/** Tickets opened and not closed (`ticketId` pairs them; id-less closes pair with id-less opens). */
export function openTickets(ctx: Ctx): number {
  const open = new Set<string>()
  let anonymous = 0
  for (const e of ctx.facts) {
    const id = e.properties.ticketId
    const key = typeof id === 'string' || typeof id === 'number' ? String(id) : null
    if (e.name === ctx.cfg.events.ticketOpened) {
      if (key === null) anonymous++
      else open.add(key)
    } else if (e.name === ctx.cfg.events.ticketClosed) {
      if (key === null) anonymous = Math.max(0, anonymous - 1)
      else open.delete(key)
    }
  }
  return open.size + anonymous
}

/** A stakeholder (user trait `stakeholder === true`) active in the last `days` days. */
export function stakeholderActive(ctx: Ctx, days: number): boolean {
  const active = activeUsersIn(ctx, ctx.day - days + 1, ctx.day)
  return [...ctx.stakeholders].some((u) => active.has(u))
}

/** Piecewise-linear through `points` (ascending x), flat beyond the ends. */
export function interpolate(points: readonly (readonly [number, number])[], x: number): number {
  if (points.length === 0) return 0
  if (x <= points[0]![0]) return points[0]![1]
  for (let i = 1; i < points.length; i++) {
    const [x0, y0] = points[i - 1]!
    const [x1, y1] = points[i]!
    if (x <= x1) return y0 + ((x - x0) / (x1 - x0)) * (y1 - y0)
  }
  return points[points.length - 1]![1]
}

/** Integers that sum to `total`, each the floor or ceiling of its exact share (largest remainder). */
export function largestRemainder(exact: number[], total: number): number[] {
  const snapped = exact.map((x) => Math.round(x * 1e9) / 1e9)
  const floors = snapped.map(Math.floor)
  let left = total - floors.reduce((a, b) => a + b, 0)
  const order = snapped.map((x, i) => ({ i, frac: x - Math.floor(x) })).sort((a, b) => b.frac - a.frac || a.i - b.i)
  const out = [...floors]
  // `left` is within 0…n when total = roundHalfUp(Σ exact); the loops also settle any other total.
  for (let k = 0; left > 0; k = (k + 1) % out.length, left--) out[order[k]!.i]!++
  for (let k = out.length - 1; left < 0; k = (k - 1 + out.length) % out.length, left++) out[order[k]!.i]!--
  return out
}

/** green ≥ 80, yellow ≥ 60, red below (config `health.bands`), on the rounded score. */
export function bandOf(ctx: Ctx, score: number): Band {
  const b = ctx.cfg.health.bands
  return score >= b.green ? 'green' : score >= b.yellow ? 'yellow' : 'red'
}

/** The health score at `ctx.at`: components, scaled weights, integer contributions summing to the score. */
export function computeHealth(ctx: Ctx, inputs: HealthInputs): HealthState {
  const h = ctx.cfg.health
  const d = ctx.day
  const values: Partial<Record<HealthComponentId, { value: number; what: string }>> = {}
  const missingReasons: Partial<Record<HealthComponentId, string>> = {}

  values.adoption = { value: h.adoption[inputs.adoptionLevel], what: `adoption ${inputs.adoptionLevel}` }

  const p = h.trend.periodDays
  const last = activeDaysIn(ctx, d - p + 1, d)
  const prev = activeDaysIn(ctx, d - 2 * p + 1, d - p)
  if (prev === 0) missingReasons.trend = `no active day in the ${p} days before the last ${p}`
  else {
    const ratio = last / prev
    values.trend = {
      value: interpolate(h.trend.points, ratio),
      what: `trend ${last}/${prev} active days (ratio ${fmt(ratio)})`,
    }
  }

  const ended = inputs.milestones.filter((m) => m.window[1] < d)
  if (ended.length === 0) missingReasons.milestones = 'no milestone window has ended yet'
  else {
    const onTime = ended.filter((m) => m.status === 'done').length
    values.milestones = {
      value: (onTime * 100) / ended.length,
      what: `milestones ${onTime} of ${ended.length} on time`,
    }
  }

  if (inputs.nps.score === null) missingReasons.nps = `no NPS response in the last ${ctx.cfg.nps.windowDays} days`
  else values.nps = { value: (inputs.nps.score + 100) / 2, what: `NPS ${inputs.nps.score}` }

  const open = openTickets(ctx)
  const sup = h.support
  values.support = { value: sup[Math.min(open, sup.length - 1)]!, what: `${open} open ticket${open === 1 ? '' : 's'}` }

  if (ctx.stakeholders.size === 0) missingReasons.sponsor = 'no user marked stakeholder'
  else {
    const ok = stakeholderActive(ctx, h.sponsorDays)
    values.sponsor = {
      value: ok ? 100 : 0,
      what: ok
        ? `a stakeholder active in the last ${h.sponsorDays} days`
        : `no stakeholder active in the last ${h.sponsorDays} days`,
    }
  }

  const present = HEALTH_COMPONENTS.filter((id) => values[id] !== undefined)
  const missing = HEALTH_COMPONENTS.filter((id) => values[id] === undefined)
  const totalWeight = present.reduce((a, id) => a + h.weights[id], 0)
  // All present weights 0 (a config may do that): equal weights, so the score still means something.
  const weightOf = (id: HealthComponentId) => (totalWeight > 0 ? h.weights[id] / totalWeight : 1 / present.length)
  const exact = present.map((id) => values[id]!.value * weightOf(id))
  const score = Math.min(100, Math.max(0, roundHalfUp(exact.reduce((a, b) => a + b, 0))))
  const contributions = largestRemainder(exact, score)
  const components: HealthComponent[] = present.map((id, i) => {
    const w = roundTo(weightOf(id), 4)
    const value = roundTo(values[id]!.value, 2)
    return {
      id,
      value,
      weight: w,
      contribution: contributions[i]!,
      reason: `${values[id]!.what} (${value}) × ${fmt4(w)} = ${contributions[i]}`,
    }
  })
  const band = bandOf(ctx, score)
  const reason =
    `health ${score} (${band}): ` +
    components.map((c) => `${values[c.id]!.what} (+${c.contribution})`).join(', ') +
    (missing.length > 0 ? `; left out: ${missing.map((id) => `${id} (${missingReasons[id]})`).join(', ')}` : '')
  return { score, band, components, missing, missingReasons, reason }
}

function fmt4(n: number): string {
  return String(roundTo(n, 4))
}
