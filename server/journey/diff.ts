/**
 * What changed between two journey states of one account, and why (api.md,
 * `GET /v1/accounts/:id/journey/diff`). The health delta is split by component: each component's
 * delta is its contribution's change (0 when absent), so the deltas add up exactly to the score's.
 */
import type { HealthComponentId } from './vocabulary'
import { HEALTH_COMPONENTS } from './vocabulary'
import type { JourneyState } from './index'

export interface JourneyDiff {
  fromAt: string
  toAt: string
  changed: boolean
  phase: { from: string; to: string; reason: string } | null
  redFlags: { raised: { id: string; since: string; reason: string }[]; cleared: { id: string; reason: string }[] }
  milestones: { id: string; from: string; to: string; reason: string }[]
  health: {
    from: number
    to: number
    delta: number
    band: { from: string; to: string } | null
    components: { id: HealthComponentId; from: number; to: number; delta: number; reason: string }[]
  }
  adoption: { from: string; to: string; reason: string } | null
  expansion: { from: boolean; to: boolean; reason: string } | null
  /** One line per change, for people. */
  summary: string[]
}

/** The changes from `from` to `to` (normally the same account, `from.at` <= `to.at`). */
export function diffStates(from: JourneyState, to: JourneyState): JourneyDiff {
  const summary: string[] = []

  const phase = from.phase.id !== to.phase.id ? { from: from.phase.id, to: to.phase.id, reason: to.phase.reason } : null
  if (phase) summary.push(`phase ${phase.from} → ${phase.to}: ${phase.reason}`)

  const before = new Set(from.redFlags.map((f) => f.id))
  const after = new Set(to.redFlags.map((f) => f.id))
  const raised = to.redFlags
    .filter((f) => !before.has(f.id))
    .map((f) => ({ id: f.id, since: f.since, reason: f.reason }))
  const cleared = from.redFlags
    .filter((f) => !after.has(f.id))
    .map((f) => ({ id: f.id, reason: `no longer holds (was: ${f.reason})` }))
  for (const f of raised) summary.push(`red flag ${f.id} raised: ${f.reason}`)
  for (const f of cleared) summary.push(`red flag ${f.id} cleared`)

  const milestones: JourneyDiff['milestones'] = []
  for (const m of to.milestones) {
    const old = from.milestones.find((x) => x.id === m.id)
    if (old && old.status !== m.status) {
      milestones.push({ id: m.id, from: old.status, to: m.status, reason: m.reason })
      summary.push(`milestone ${m.id} ${old.status} → ${m.status}: ${m.reason}`)
    }
  }

  const components: JourneyDiff['health']['components'] = []
  for (const id of HEALTH_COMPONENTS) {
    const a = from.health.components.find((c) => c.id === id)
    const b = to.health.components.find((c) => c.id === id)
    const fromC = a?.contribution ?? 0
    const toC = b?.contribution ?? 0
    if (fromC === toC && (a === undefined) === (b === undefined)) continue
    const reason = !a
      ? `now counted: ${b!.reason}`
      : !b
        ? `left out: ${to.health.missingReasons[id] ?? 'no data'}`
        : `${a.reason} → ${b.reason}`
    components.push({ id, from: fromC, to: toC, delta: toC - fromC, reason })
  }
  const delta = to.health.score - from.health.score
  const band = from.health.band !== to.health.band ? { from: from.health.band, to: to.health.band } : null
  if (delta !== 0)
    summary.push(
      `health ${from.health.score} → ${to.health.score} (${delta > 0 ? '+' : ''}${delta}): ${components
        .filter((c) => c.delta !== 0)
        .map((c) => `${c.id} ${c.delta > 0 ? '+' : ''}${c.delta}`)
        .join(', ')}`,
    )
  if (band) summary.push(`band ${band.from} → ${band.to}`)

  const adoption =
    from.adoption.level !== to.adoption.level
      ? { from: from.adoption.level, to: to.adoption.level, reason: to.adoption.reason }
      : null
  if (adoption) summary.push(`adoption ${adoption.from} → ${adoption.to}: ${adoption.reason}`)

  const expansion =
    from.expansion.ready !== to.expansion.ready
      ? { from: from.expansion.ready, to: to.expansion.ready, reason: to.expansion.reason }
      : null
  if (expansion) summary.push(`expansion readiness ${expansion.from} → ${expansion.to}: ${expansion.reason}`)

  return {
    fromAt: from.at,
    toAt: to.at,
    changed: summary.length > 0 || components.length > 0,
    phase,
    redFlags: { raised, cleared },
    milestones,
    health: { from: from.health.score, to: to.health.score, delta, band, components },
    adoption,
    expansion,
    summary,
  }
}
