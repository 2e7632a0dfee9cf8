/**
 * The journey engine (journey.md): `journeyState(config, facts, at)` is a pure function of its
 * arguments. No clock, no I/O, no throwing on odd data: any `at` can be replayed.
 */
import type { AccountFacts } from './facts'
import type { JourneyConfig, Segment } from './config'
import { configFor, defaultConfig } from './config'
import { buildContext, segmentOf } from './context'
import type { Ctx } from './context'
import type { AdoptionState } from './adoption'
import { computeAdoption } from './adoption'
import type { AdvocacyState } from './advocacy'
import { computeAdvocacy } from './advocacy'
import type { ExpansionState } from './expansion'
import { computeExpansion } from './expansion'
import type { HealthState } from './health'
import { computeHealth } from './health'
import type { Intervention } from './interventions'
import { computeInterventions } from './interventions'
import type { Milestone } from './milestones'
import { computeMilestones } from './milestones'
import type { Moment } from './moments'
import { computeMoments } from './moments'
import type { NpsState } from './nps'
import { computeNps } from './nps'
import type { PhaseState } from './phase'
import { computePhase, rulesPhase } from './phase'
import type { RedFlag } from './red-flags'
import { computeRedFlags } from './red-flags'
import type { RenewalState } from './renewal'
import { computeRenewal } from './renewal'
import type { Touchpoint } from './touchpoints'
import { computeTouchpoints } from './touchpoints'
import { toIso } from './time'

export type { AccountFacts, DayActivity, FactEvent, PhaseOverride, UserDay, UserFacts } from './facts'
export type {
  AdoptionLevel,
  BaseConfig,
  Channel,
  ConfigIssue,
  DeepPartial,
  HealthComponentId,
  JourneyConfig,
  MilestoneId,
  Owner,
  Phase,
  Segment,
  SituationId,
  TouchLevel,
  TouchpointId,
} from './config'
export { ADOPTION_LEVELS, PHASES, SEGMENTS, configFor, deepMerge, defaultConfig, parseConfig } from './config'
export type { AdoptionState, LevelCheck, Criterion } from './adoption'
export type { AdvocacyLevel, AdvocacyProgram, AdvocacyState } from './advocacy'
export type { BlockerId, Check, ExpansionState, OpportunityId, SignalId } from './expansion'
export type { HealthComponent, HealthState } from './health'
export type { Band } from './vocabulary'
export type { Intervention } from './interventions'
export type { Milestone, MilestoneStatus } from './milestones'
export type { Moment } from './moments'
export type { NpsState } from './nps'
export type { PhaseOverrideState, PhaseState, Reasoned } from './phase'
export type { RedFlag } from './red-flags'
export type { RedFlagId } from './vocabulary'
export type { RenewalState, RenewalTask } from './renewal'
export type { Touchpoint } from './touchpoints'
export type { JourneyDiff } from './diff'
export { diffStates } from './diff'

/** The full journey state of one account at one time (api.md, `GET /v1/accounts/:id/journey`). */
export interface JourneyState {
  accountId: string
  /** ISO-8601 of `at`. */
  at: string
  /** Account day of `at` (day 0 = the contract start's UTC day; negative before it). */
  day: number
  segment: Segment
  /** UTC midnight of the contract start, and where it came from. */
  contractStart: string
  contractStartSource: 'contractStart' | 'firstEventAt' | 'at'
  phase: PhaseState
  milestones: Milestone[]
  /** Days from contract start to `first_value`, null before it. */
  timeToFirstValue: number | null
  redFlags: RedFlag[]
  adoption: AdoptionState
  health: HealthState
  nps: NpsState
  expansion: ExpansionState
  renewal: RenewalState
  advocacy: AdvocacyState
  interventions: Intervention[]
  touchpoints: Touchpoint[]
  moments: Moment[]
}

/**
 * The journey state of the account described by `facts` at `at` (epoch ms), under `config`
 * (a parsed workspace config; the account's segment block is merged in here). Pure and total: odd
 * facts (missing traits, strings for numbers, NaN, unknown segment → smb, days after `at`) are read
 * leniently, never thrown on. A non-finite `at` is read as 0.
 */
export function journeyState(config: JourneyConfig, facts: AccountFacts, at: number): JourneyState {
  return stateOf(journeyContext(config, facts, at))
}

/** The engine's cleaned, indexed view of `facts` at `at` under the account segment's config (context.ts). */
export function journeyContext(config: JourneyConfig, facts: AccountFacts, at: number): Ctx {
  const t = Number.isFinite(at) ? at : 0
  const cfgRoot = config ?? defaultConfig
  const rawTraits =
    facts && typeof facts === 'object' && facts.traits && typeof facts.traits === 'object' ? facts.traits : {}
  const segment = segmentOf((rawTraits as Record<string, unknown>).segment)
  return buildContext(configFor(cfgRoot, segment), facts, t)
}

/** The journey state from a context (journeyState and the experience decision share one context). */
/** What the phase depends on, and the phase: the part of the state `phaseOf` needs. */
function phaseParts(ctx: Ctx) {
  const adoption = computeAdoption(ctx)
  const milestones = computeMilestones(ctx)
  const nps = computeNps(ctx)
  const health = computeHealth(ctx, { adoptionLevel: adoption.level, milestones, nps })
  const expansion = computeExpansion(ctx, {
    health: health.score,
    adoptionLevel: adoption.level,
    activeUsers: adoption.activeUsers,
  })
  const renewal = computeRenewal(ctx)
  const rules = rulesPhase(ctx, renewal, expansion.ready)
  return { adoption, milestones, nps, health, expansion, renewal, rules, phase: computePhase(ctx, rules) }
}

/** The phase of the state at ctx's `at`, without the parts that do not decide it (flags, interventions, touchpoints…). */
export function phaseOf(ctx: Ctx): PhaseState {
  return phaseParts(ctx).phase
}

export function stateOf(ctx: Ctx): JourneyState {
  const segment = ctx.segment
  const { adoption, milestones, nps, health, expansion, renewal, rules, phase } = phaseParts(ctx)
  const redFlags = computeRedFlags(ctx, rules.id)
  const interventions = computeInterventions(ctx, {
    phase: phase.id,
    adoptionLevel: adoption.level,
    activeUsers: adoption.activeUsers,
    redFlags,
  })
  const advocacy = computeAdvocacy(ctx)
  const touchpoints = computeTouchpoints(ctx, {
    phase: phase.id,
    expansionReady: expansion.ready,
    interventions,
    renewal,
  })
  const moments = computeMoments(ctx)
  const fv = milestones.find((m) => m.id === 'first_value')

  return {
    accountId: ctx.accountId,
    at: toIso(ctx.at),
    day: ctx.day,
    segment,
    contractStart: toIso(ctx.start),
    contractStartSource: ctx.startSource,
    phase,
    milestones,
    timeToFirstValue: fv?.completedDay ?? null,
    redFlags,
    adoption,
    health,
    nps,
    expansion,
    renewal,
    advocacy,
    interventions,
    touchpoints,
    moments,
  }
}
