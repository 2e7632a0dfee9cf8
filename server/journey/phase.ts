/**
 * The account's phase (journey.md, "Phases"; seed "Modelo de 6 Fases"): the first rule that matches
 * wins; a manual override in force wins over every rule, and the state says so (the rules' answer is
 * kept in `rules`, and the onboarding red flags are checked against it).
 */
import type { Phase } from './vocabulary'
import { PHASES } from './vocabulary'
import type { Ctx } from './context'
import type { RenewalState } from './renewal'
import { toIso } from './time'

/** A value with the reason a person can read for it (the rules' phase). */
export interface Reasoned<T> {
  id: T
  reason: string
}

export interface PhaseOverrideState {
  phase: Phase
  reason: string
  expiresAt: string | null
  by: string
}

export interface PhaseState {
  id: Phase
  reason: string
  override: PhaseOverrideState | null
  /** The phase the rules give, override or not. */
  rules: Reasoned<Phase>
}

/** The phase given by the rules alone. */
export function rulesPhase(ctx: Ctx, renewal: RenewalState, expansionReady: boolean): Reasoned<Phase> {
  const ev = ctx.cfg.events
  const churned = ctx.facts.find((e) => e.name === ev.churned)
  if (churned) return { id: 'churned', reason: `${ev.churned} event on ${toIso(churned.at)}` }
  const w = renewal.windowDays
  if (renewal.daysToRenewal !== null && renewal.daysToRenewal >= 0 && renewal.daysToRenewal <= w) {
    return { id: 'renewal', reason: `${renewal.daysToRenewal} days to renewal (${ctx.segment} window: ${w} days)` }
  }
  const after = ctx.cfg.phases.advocacyAfterRenewalDays
  const renewed = ctx.facts.filter((e) => e.name === ev.renewed && ctx.dayOf(e.at) >= ctx.day - after + 1).pop()
  if (renewed)
    return { id: 'advocacy', reason: `${ev.renewed} on day ${ctx.dayOf(renewed.at)}, within the last ${after} days` }
  const { onboardingDays, adoptionDays } = ctx.cfg.phases
  const before = ctx.day < 0 ? ' (before the contract start)' : ''
  if (ctx.day < onboardingDays) return { id: 'onboarding', reason: `day ${ctx.day} < ${onboardingDays}${before}` }
  if (ctx.day < adoptionDays) return { id: 'adoption', reason: `${onboardingDays} <= day ${ctx.day} < ${adoptionDays}` }
  return expansionReady
    ? { id: 'growth', reason: `day ${ctx.day} >= ${adoptionDays} and expansion-ready` }
    : { id: 'value', reason: `day ${ctx.day} >= ${adoptionDays}, not expansion-ready` }
}

/** The phase shown: a manual override in force (its phase known), else the rules' phase. */
export function computePhase(ctx: Ctx, rules: Reasoned<Phase>): PhaseState {
  const o = ctx.override
  if (o === null) return { id: rules.id, reason: rules.reason, override: null, rules }
  if (!(PHASES as readonly string[]).includes(o.phase)) {
    return {
      id: rules.id,
      reason: `${rules.reason} (override to unknown phase "${o.phase}" ignored)`,
      override: null,
      rules,
    }
  }
  const override: PhaseOverrideState = {
    phase: o.phase as Phase,
    reason: o.reason,
    expiresAt: Number.isFinite(o.expiresAt) ? toIso(o.expiresAt) : null,
    by: o.by,
  }
  const until = override.expiresAt ? ` until ${override.expiresAt}` : ''
  return {
    id: override.phase,
    reason: `manual override by ${o.by || 'unknown'}${until}: ${o.reason || 'no reason given'} (rules: ${rules.id}, ${rules.reason})`,
    override,
    rules,
  }
}
