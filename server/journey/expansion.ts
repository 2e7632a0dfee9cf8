/**
 * Expansion readiness (journey.md, "Expansion readiness"; seed "Sinais de Prontidao" and
 * "Oportunidades de Expansion"). Ready = no blocker and at least 3 of the 5 signals (default).
 * Health thresholds use the rounded score.
 */
import type { AdoptionLevel } from './vocabulary'
import type { Ctx } from './context'
import { eventsNamed } from './context'
import { advocacyScore } from './advocacy'
import { openTickets, stakeholderActive } from './health'
import { fmt, toNumber } from './time'

export type SignalId = 'health_over_80' | 'nps_9_10' | 'near_usage_limit' | 'premium_requested' | 'referring'
export type BlockerId = 'health_under_60' | 'open_ticket' | 'low_usage' | 'stakeholder_disengaged'
export type OpportunityId = 'upsell' | 'more_users' | 'new_teams' | 'cross_sell'

export interface Check<Id extends string> {
  id: Id
  met: boolean
  reason: string
}

export interface ExpansionState {
  ready: boolean
  reason: string
  signals: Check<SignalId>[]
  blockers: Check<BlockerId>[]
  opportunities: { id: OpportunityId; reason: string }[]
}

export interface ExpansionInputs {
  health: number
  adoptionLevel: AdoptionLevel
  activeUsers: number
}

/** Signals, blockers, readiness and opportunities at `ctx.at` (seed "Sinais de Prontidao"). */
export function computeExpansion(ctx: Ctx, inputs: ExpansionInputs): ExpansionState {
  const x = ctx.cfg.expansion
  const ev = ctx.cfg.events
  const d = ctx.day
  const adv = advocacyScore(ctx)

  const limits = eventsNamed(ctx, [ev.usageLimit])
  const latest = limits[limits.length - 1]
  const used = latest ? toNumber(latest.properties.used) : null
  const limit = latest ? toNumber(latest.properties.limit) : null
  const usage = used !== null && limit !== null && limit > 0 ? used / limit : null
  const nearLimit = usage !== null && Math.round(usage * 1e9) >= Math.round(x.nearLimitShare * 1e9)
  const premium = eventsNamed(ctx, [ev.premiumRequested], d - x.premiumDays + 1, d)
  const referrals = eventsNamed(ctx, [ev.referral], d - x.referralDays + 1, d)

  const signals: Check<SignalId>[] = [
    {
      id: 'health_over_80',
      met: inputs.health > x.healthOver,
      reason: `health ${inputs.health} (needs > ${x.healthOver})`,
    },
    {
      id: 'nps_9_10',
      met: adv.score !== null && adv.score >= x.minAdvocacyScore,
      reason:
        adv.score === null
          ? 'no NPS answer in the window'
          : `advocacy score ${adv.score} (needs ${x.minAdvocacyScore}-10)`,
    },
    {
      id: 'near_usage_limit',
      met: nearLimit,
      reason:
        usage === null
          ? `no ${ev.usageLimit} with a used/limit`
          : `latest ${ev.usageLimit}: ${used}/${limit} = ${fmt(usage * 100)}% (needs ${fmt(x.nearLimitShare * 100)}%)`,
    },
    {
      id: 'premium_requested',
      met: premium.length > 0,
      reason: `${premium.length} ${ev.premiumRequested} in the last ${x.premiumDays} days`,
    },
    {
      id: 'referring',
      met: referrals.length > 0,
      reason: `${referrals.length} ${ev.referral} in the last ${x.referralDays} days`,
    },
  ]

  const open = openTickets(ctx)
  const hasStakeholder = ctx.stakeholders.size > 0
  const engaged = hasStakeholder && stakeholderActive(ctx, x.stakeholderDays)
  const blockers: Check<BlockerId>[] = [
    {
      id: 'health_under_60',
      met: inputs.health < x.healthUnder,
      reason: `health ${inputs.health} (blocks below ${x.healthUnder})`,
    },
    { id: 'open_ticket', met: open > 0, reason: `${open} open tickets` },
    {
      id: 'low_usage',
      met: x.lowUsageLevels.includes(inputs.adoptionLevel),
      reason: `adoption ${inputs.adoptionLevel}`,
    },
    {
      id: 'stakeholder_disengaged',
      met: hasStakeholder && !engaged,
      reason: !hasStakeholder
        ? 'no user marked stakeholder'
        : engaged
          ? `a stakeholder active in the last ${x.stakeholderDays} days`
          : `no stakeholder active in the last ${x.stakeholderDays} days`,
    },
  ]

  const opportunities: ExpansionState['opportunities'] = []
  const premiumOrLimit = signals.filter((s) => (s.id === 'near_usage_limit' || s.id === 'premium_requested') && s.met)
  if (premiumOrLimit.length > 0)
    opportunities.push({ id: 'upsell', reason: premiumOrLimit.map((s) => s.reason).join('; ') })
  if (
    ctx.seats !== null &&
    Math.round((inputs.activeUsers / ctx.seats) * 1e9) >= Math.round(x.moreUsersSeatShare * 1e9)
  ) {
    opportunities.push({
      id: 'more_users',
      reason: `${inputs.activeUsers} active users of ${ctx.seats} seats (≥ ${fmt(x.moreUsersSeatShare * 100)}%)`,
    })
  }
  if (inputs.health > x.newTeamsHealthOver && inputs.adoptionLevel === x.newTeamsLevel) {
    opportunities.push({
      id: 'new_teams',
      reason: `health ${inputs.health} > ${x.newTeamsHealthOver} and adoption ${inputs.adoptionLevel}`,
    })
  }
  const cross = eventsNamed(ctx, [ev.crossSell])
  if (cross.length > 0) {
    const products = [
      ...new Set(cross.map((e) => e.properties.product).filter((p): p is string => typeof p === 'string')),
    ]
    opportunities.push({
      id: 'cross_sell',
      reason: `${ev.crossSell}${products.length > 0 ? `: ${products.join(', ')}` : ''}`,
    })
  }

  const met = signals.filter((s) => s.met)
  const blocking = blockers.filter((b) => b.met)
  const ready = blocking.length === 0 && met.length >= x.minSignals
  const reason = ready
    ? `ready: ${met.length} of ${signals.length} signals (${met.map((s) => s.id).join(', ')}), no blocker`
    : `not ready: ${met.length} of ${signals.length} signals (needs ${x.minSignals})` +
      (blocking.length > 0 ? `; blocked by ${blocking.map((b) => b.id).join(', ')}` : '')
  return { ready, reason, signals, blockers, opportunities }
}
