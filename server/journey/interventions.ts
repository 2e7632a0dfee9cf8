/**
 * Interventions (journey.md, "Interventions"; seed "Intervencoes": situation → action). The channel
 * and owner come from the segment: tech-touch (smb) `in_app` by `product`, high/mid-touch `task` by
 * `csm`. Not proposed for a churned account. `feature_ignored` looks at `core` features only (none
 * marked core: no such intervention).
 */
import type { AdoptionLevel, Channel, Owner, Phase, SituationId } from './vocabulary'
import type { Ctx } from './context'
import { featuresIn } from './context'
import type { RedFlag } from './red-flags'

export interface Intervention {
  situation: SituationId
  action: string
  channel: Channel
  owner: Owner
  /** The feature, for `feature_ignored`. */
  feature?: string
  message: string
  reason: string
}

export interface InterventionInputs {
  phase: Phase
  adoptionLevel: AdoptionLevel
  activeUsers: number
  redFlags: RedFlag[]
}

/** Situation → action pairs at `ctx.at`, in the segment's channel (seed "Intervencoes"). */
export function computeInterventions(ctx: Ctx, inputs: InterventionInputs): Intervention[] {
  if (inputs.phase === 'churned') return []
  const c = ctx.cfg.interventions
  const d = ctx.day
  const out: Intervention[] = []
  const add = (situation: SituationId, reason: string, feature?: string) =>
    out.push({
      situation,
      action: c.actions[situation],
      channel: c.channel,
      owner: c.owner,
      ...(feature !== undefined && { feature }),
      message: c.messages[situation],
      reason,
    })

  if (inputs.adoptionLevel === 'none') add('low_usage', 'adoption level none')
  if (d >= c.featureIgnoredFromDay) {
    const used = featuresIn(ctx, d - c.periodDays + 1, d)
    for (const f of ctx.cfg.features.filter((x) => x.core === true)) {
      if (!used.has(f.id))
        add(
          'feature_ignored',
          `core feature ${f.id} unused in the last ${c.periodDays} days (day ${d} >= ${c.featureIgnoredFromDay})`,
          f.id,
        )
    }
  }
  if (inputs.activeUsers === 1 && ctx.seats !== null && ctx.seats > 1) {
    add('single_user', `1 active user in the last ${ctx.cfg.adoption.periodDays} days, ${ctx.seats} seats`)
  }
  const declining = inputs.redFlags.find((f) => f.id === 'usage_declining')
  if (declining) add('usage_declining', `red flag usage_declining: ${declining.reason}`)
  return out
}
