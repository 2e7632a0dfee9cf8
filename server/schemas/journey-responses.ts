/** What the journey routes answer (server/journey): an account's state, its diff, its override, the accounts' list. */
import { z } from 'zod'
import type { JourneyDiff, JourneyState } from '../journey'
import {
  ADOPTION_LEVELS,
  ADOPTION_MILESTONES,
  BANDS,
  CHANNELS,
  HEALTH_COMPONENTS,
  MOMENTS,
  ONBOARDING_MILESTONES,
  OWNERS,
  PHASES,
  RED_FLAGS,
  SEGMENTS,
  SITUATIONS,
  TOUCHPOINTS,
} from '../journey/config'
import { MILESTONE_STATUSES } from '../journey/milestones'
import { count, int, iso } from './response-parts'
import type { Agree } from './response-parts'

const phase = z.enum(PHASES)
const channel = z.enum(CHANNELS)
const owner = z.enum(OWNERS)
const milestoneStatus = z.enum(MILESTONE_STATUSES)
const check = <T extends readonly [string, ...string[]]>(ids: T) =>
  z.strictObject({ id: z.enum(ids), met: z.boolean(), reason: z.string() })

export const HealthSchema = z.strictObject({
  score: z.number(),
  band: z.enum(BANDS),
  components: z.array(
    z.strictObject({
      id: z.enum(HEALTH_COMPONENTS),
      value: z.number(),
      weight: z.number(),
      contribution: z.number(),
      reason: z.string(),
    }),
  ),
  missing: z.array(z.enum(HEALTH_COMPONENTS)),
  missingReasons: z.partialRecord(z.enum(HEALTH_COMPONENTS), z.string()),
  reason: z.string(),
})
export const NpsStateSchema = z.strictObject({
  score: z.number().nullable(),
  responses: count,
  promoters: count,
  passives: count,
  detractors: count,
  reason: z.string(),
})
export const MomentSchema = z.strictObject({
  id: z.enum(MOMENTS),
  at: iso,
  day: int,
  outcome: z.string(),
  risk: z.string(),
  opportunity: z.string(),
})

/** `GET /v1/accounts/:id/journey` (api.md, "Journey"): server/journey `JourneyState`. */
export const JourneyStateSchema = z.strictObject({
  accountId: z.string(),
  at: iso,
  day: int.describe('account day of `at` (day 0: the contract start)'),
  segment: z.enum(SEGMENTS),
  contractStart: iso,
  contractStartSource: z.enum(['contractStart', 'firstEventAt', 'at']),
  phase: z.strictObject({
    id: phase,
    reason: z.string(),
    override: z.strictObject({ phase, reason: z.string(), expiresAt: iso.nullable(), by: z.string() }).nullable(),
    rules: z.strictObject({ id: phase, reason: z.string() }).describe('the phase the rules give, override or not'),
  }),
  milestones: z.array(
    z.strictObject({
      id: z.enum([...ONBOARDING_MILESTONES, ...ADOPTION_MILESTONES]),
      stage: z.enum(['onboarding', 'adoption']),
      window: z.tuple([int, int]),
      status: milestoneStatus,
      completedAt: iso.nullable(),
      completedDay: int.nullable(),
      reason: z.string(),
    }),
  ),
  timeToFirstValue: int.nullable(),
  redFlags: z.array(z.strictObject({ id: z.enum(RED_FLAGS), since: iso, reason: z.string() })),
  adoption: z.strictObject({
    level: z.enum(ADOPTION_LEVELS),
    reason: z.string(),
    checks: z.array(
      z.strictObject({
        level: z.enum(['basic', 'regular', 'power']),
        met: z.boolean(),
        criteria: z.array(check(['logins', 'features', 'active_users'] as const)),
      }),
    ),
    featuresUsed: z.array(z.string()),
    featureCount: count,
    activeUsers: count,
  }),
  health: HealthSchema,
  nps: NpsStateSchema,
  expansion: z.strictObject({
    ready: z.boolean(),
    reason: z.string(),
    signals: z.array(
      check(['health_over_80', 'nps_9_10', 'near_usage_limit', 'premium_requested', 'referring'] as const),
    ),
    blockers: z.array(check(['health_under_60', 'open_ticket', 'low_usage', 'stakeholder_disengaged'] as const)),
    opportunities: z.array(
      z.strictObject({ id: z.enum(['upsell', 'more_users', 'new_teams', 'cross_sell']), reason: z.string() }),
    ),
  }),
  renewal: z.strictObject({
    renewalDate: iso.nullable(),
    daysToRenewal: int.nullable(),
    renewalDay: int.nullable(),
    windowDays: int,
    cycleStart: iso.nullable(),
    tasks: z.array(
      z.strictObject({
        id: z.string(),
        label: z.string(),
        offset: int,
        due: iso,
        dueDay: int,
        status: milestoneStatus,
        completedAt: iso.nullable(),
        channel,
        owner,
        reason: z.string(),
      }),
    ),
    reason: z.string(),
  }),
  advocacy: z.strictObject({
    level: z.enum(['detractor', 'satisfied', 'loyal', 'promoter', 'evangelist']).nullable(),
    score: z.number().nullable(),
    programs: z.array(z.strictObject({ id: z.string(), benefit: z.string() })),
    recovery: z.boolean(),
    reason: z.string(),
  }),
  interventions: z.array(
    z.strictObject({
      situation: z.enum(SITUATIONS),
      action: z.string(),
      channel,
      owner,
      feature: z.string().optional(),
      message: z.string(),
      reason: z.string(),
    }),
  ),
  touchpoints: z.array(
    z.strictObject({
      id: z.enum(TOUCHPOINTS),
      label: z.string(),
      channel,
      owner,
      due: iso,
      dueDay: int,
      status: z.enum(['overdue', 'due', 'upcoming']),
      ref: z.string().optional(),
      reason: z.string(),
    }),
  ),
  moments: z.array(MomentSchema),
})

/** `GET /v1/accounts/:id/journey/diff`: the account, the two times asked for, and server/journey `JourneyDiff`. */
export const JourneyDiffResponseSchema = z.strictObject({
  accountId: z.string(),
  from: iso,
  to: iso,
  fromAt: iso,
  toAt: iso,
  changed: z.boolean(),
  phase: z.strictObject({ from: z.string(), to: z.string(), reason: z.string() }).nullable(),
  redFlags: z.strictObject({
    raised: z.array(z.strictObject({ id: z.string(), since: iso, reason: z.string() })),
    cleared: z.array(z.strictObject({ id: z.string(), reason: z.string() })),
  }),
  milestones: z.array(z.strictObject({ id: z.string(), from: z.string(), to: z.string(), reason: z.string() })),
  health: z.strictObject({
    from: z.number(),
    to: z.number(),
    delta: z.number(),
    band: z.strictObject({ from: z.string(), to: z.string() }).nullable(),
    components: z.array(
      z.strictObject({
        id: z.enum(HEALTH_COMPONENTS),
        from: z.number(),
        to: z.number(),
        delta: z.number(),
        reason: z.string(),
      }),
    ),
  }),
  adoption: z.strictObject({ from: z.string(), to: z.string(), reason: z.string() }).nullable(),
  expansion: z.strictObject({ from: z.boolean(), to: z.boolean(), reason: z.string() }).nullable(),
  summary: z.array(z.string()).describe('one line per change, for people'),
})

const OverrideSchema = z.strictObject({ phase, reason: z.string(), expiresAt: iso, by: z.string(), setAt: iso })

/** `GET /v1/accounts/:id/override`: the override in force and the audit list of changes. */
export const OverrideResponseSchema = z.strictObject({
  accountId: z.string(),
  current: OverrideSchema.nullable(),
  changes: z.array(
    z.strictObject({
      action: z.enum(['set', 'lift']),
      override: OverrideSchema.nullable(),
      by: z.string(),
      reason: z.string(),
      at: iso,
    }),
  ),
})

/** `GET /v1/accounts`: a page of the accounts' stored snapshots, riskiest first. */
export const AccountsPageSchema = z.strictObject({
  items: z.array(
    z.strictObject({
      accountId: z.string(),
      segment: z.string(),
      phase: z.string(),
      health: z.number().nullable().describe('null when no health component has data'),
      band: z.string().nullable(),
      flags: z.array(z.string()),
      computedAt: iso,
    }),
  ),
  nextCursor: z.string().nullable().describe('`cursor` of the next page; null on the last'),
})

// ---------------------------------------------------------------- the TS types and the schemas agree

const agree = {
  journeyState: true satisfies Agree<z.output<typeof JourneyStateSchema>, JourneyState>,
  journeyDiff: true satisfies Agree<
    Omit<z.output<typeof JourneyDiffResponseSchema>, 'accountId' | 'from' | 'to'>,
    JourneyDiff
  >,
}
void agree
