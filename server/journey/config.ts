/**
 * The journey config (journey.md, "The config document"): every number and list of the journey
 * model, with the spec's defaults. A workspace document is validated by a zod schema (the only zod in
 * server/journey/), every key optional, merged over the defaults; a segment's block is merged over the
 * workspace's (`configFor`).
 *
 * Merge rule: objects merge key by key, recursively; arrays and scalars replace. So
 * `{ "segments": { "enterprise": { "touchpoints": { "plan": { "training": { "days": [14, 21] } } } } }`
 * changes one list, while `{ "features": [...] }` replaces the whole feature list.
 *
 * The root of the defaults is the tech-touch (smb) configuration, the segment of an account without
 * one; `segments.enterprise` and `segments.mid_market` hold what differs for them. Changing a value in
 * the root does not reach a segment whose block sets that value: set it in the segment's block.
 *
 * The schema is built lazily (`schemas()`), so importing `defaultConfig` or `configFor` alone costs
 * no zod at run time and tree-shakes out of any bundle that does not validate documents.
 */
import { z } from 'zod'

/** The locales of the texts the server writes (value statements, emails, the QBR). */
export const LOCALES = ['en', 'pt-BR'] as const

export const SEGMENTS = ['enterprise', 'mid_market', 'smb'] as const
export type Segment = (typeof SEGMENTS)[number]

export const PHASES = ['onboarding', 'adoption', 'value', 'growth', 'renewal', 'advocacy', 'churned'] as const
export type Phase = (typeof PHASES)[number]

export const ADOPTION_LEVELS = ['none', 'basic', 'regular', 'power'] as const
export type AdoptionLevel = (typeof ADOPTION_LEVELS)[number]

export const TOUCH_LEVELS = ['tech', 'mid', 'high'] as const
export type TouchLevel = (typeof TOUCH_LEVELS)[number]

export const CHANNELS = ['in_app', 'email', 'meeting', 'call', 'task'] as const
export type Channel = (typeof CHANNELS)[number]

export const OWNERS = ['product', 'csm', 'marketing', 'system'] as const
export type Owner = (typeof OWNERS)[number]

export const ONBOARDING_MILESTONES = ['welcome', 'kickoff', 'setup', 'first_value', 'training', 'health_check'] as const
export const ADOPTION_MILESTONES = ['weekly_use', 'core_feature', 'workflow', 'engaged_team'] as const
export type OnboardingMilestoneId = (typeof ONBOARDING_MILESTONES)[number]
export type AdoptionMilestoneId = (typeof ADOPTION_MILESTONES)[number]
export type MilestoneId = OnboardingMilestoneId | AdoptionMilestoneId

export const HEALTH_COMPONENTS = ['adoption', 'trend', 'milestones', 'nps', 'support', 'sponsor'] as const
export type HealthComponentId = (typeof HEALTH_COMPONENTS)[number]

export const SITUATIONS = ['low_usage', 'feature_ignored', 'single_user', 'usage_declining'] as const
export type SituationId = (typeof SITUATIONS)[number]

export const TOUCHPOINTS = [
  'welcome_email', 'access_granted', 'kickoff_call', 'setup_help', 'training', 'onboarding_emails', 'check_in',
  'health_check', 'monthly_check_in', 'in_app_guides', 'value_email', 'qbr', 'expansion_call', 'renewal_tasks',
  'advocacy_ask',
] as const
export type TouchpointId = (typeof TOUCHPOINTS)[number]

export const GUIDE_STEP_KINDS = ['tooltip', 'modal', 'hotspot'] as const
export const EXPERIENCE_KINDS = ['checklist', 'guide', 'value', 'nps', 'advocacy', 'message', 'banner'] as const
export type ExperienceKind = (typeof EXPERIENCE_KINDS)[number]

export const MOMENTS = ['kickoff', 'first_value', 'first_bug', 'qbr', 'renewal'] as const
export type MomentId = (typeof MOMENTS)[number]

// ---------------------------------------------------------------- schema

function buildSchemas() {
  const nonNeg = z.number().min(0)
  const int = z.number().int()
  const nonNegInt = z.number().int().min(0)
  const posInt = z.number().int().min(1)
  const share = z.number().min(0).max(1)
  const name = z.string().min(1).max(200)
  const selector = z.string().trim().min(1).max(500)
  const names = z.array(name)
  const window = z.tuple([int, int])
  const eventMilestone = z.object({ window, events: names })
  const channel = z.enum(CHANNELS)
  const owner = z.enum(OWNERS)
  const program = z.object({ id: name, benefit: z.string() })
  // Links shown to end users: http(s) or a path on the host app, never `javascript:`.
  const link = z.string().max(2000).regex(/^(https?:\/\/|\/)/, 'expected an http(s) URL or a path starting with /')
  const cta = z.object({ url: link.optional(), guide: name.optional() })
  const cap = z.object({ max: nonNegInt, days: posInt })
  const message = z.object({ title: z.string().max(200).optional(), body: z.string().max(4000).optional(), cta: cta.optional(), options: z.array(name).optional() })

  const touchpoint = z.object({
    label: z.string(),
    level: z.enum(TOUCH_LEVELS),
    channel,
    owner,
    /** One-time occurrences, account day numbers. */
    days: z.array(int),
    /** Recurring occurrences: `from`, `from + every`, … up to `until` (inclusive; null: no end). */
    every: posInt.nullable(),
    from: int,
    until: int.nullable(),
    /** Condition-driven instead of day-driven. */
    trigger: z.enum(['expansion_ready', 'interventions', 'renewal_tasks', 'advocacy']).nullable(),
    /** What a segment below `level` gets instead (the seed's tech-touch version); null: nothing. */
    tech: z.object({ label: z.string(), channel, owner }).nullable(),
    deliveredBy: names,
  })

  const base = z.object({
    features: z.array(z.object({ id: name, name: z.string().optional(), core: z.boolean().optional() })),
    value: z.object({
      minutesSaved: z.record(name, nonNeg),
      // A label for every locale ({ "en": "conversion rate", "pt-BR": "taxa de conversão" }) or one for all.
      metrics: z.array(z.object({ id: name, label: z.union([z.string().min(1), z.partialRecord(z.enum(LOCALES), z.string().min(1))]).optional(), better: z.enum(['higher', 'lower']) })),
      hourlyRate: nonNeg.nullable(),
      pricePerMonth: nonNeg.nullable(),
      currency: z.string().min(3).max(3),
    }),
    guides: z.array(
      z.object({
        id: name,
        feature: name.optional(),
        steps: z
          .array(
            z.object({
              /** tooltip and hotspot point at `selector`; a modal step has none. Default: tooltip with a selector, else modal. */
              kind: z.enum(GUIDE_STEP_KINDS).optional(),
              /** A CSS selector, or several in order of preference (the first with a rendered match wins). */
              selector: z.union([selector, z.array(selector).min(1).max(10)], { error: 'expected a CSS selector or a list of 1 to 10' }).optional(),
              /** The target must contain this text (trimmed, either case). */
              text: z.string().trim().min(1).max(200).optional(),
              title: z.string().max(200),
              /** Plain text or the UI's small markdown subset (bold, italic, links, lists). */
              body: z.string().max(4000),
              /** Only on pages whose path starts with this. */
              path: z.string().startsWith('/').max(500).optional(),
            }),
          )
          .min(1),
      }),
    ),
    experiences: z.object({
      /** The attention budget for modal experiences, per user (checklists and banners excepted). */
      budget: z.object({ perSession: nonNegInt, perDay: nonNegInt, gapMinutes: nonNeg }),
      /** Higher first. */
      priority: z.object(Object.fromEntries(EXPERIENCE_KINDS.map((k) => [k, z.number()])) as Record<ExperienceKind, z.ZodNumber>),
      lanes: z.object(Object.fromEntries(EXPERIENCE_KINDS.map((k) => [k, z.enum(['modal', 'inline'])])) as Record<ExperienceKind, z.ZodEnum<{ modal: 'modal'; inline: 'inline' }>>),
      /** Frequency caps of modal kinds: at most `max` shows of one experience per user in `days` days. */
      caps: z.object({ guide: cap, value: cap, advocacy: cap, message: cap }),
      checklist: z.object({
        phases: z.array(z.enum(PHASES)),
        /** Onboarding milestone ids shown as items, in order. */
        items: z.array(z.enum(ONBOARDING_MILESTONES)),
        titles: z.record(name, z.string().max(200)),
        cta: z.record(name, cta),
      }),
      value: z.object({ periodDays: posInt, phases: z.array(z.enum(PHASES)) }),
      advocacy: z.object({
        phases: z.array(z.enum(PHASES)),
        links: z.record(name, link),
        /**
         * What the in-app ask says each program gives, by program id: one text for every locale or one
         * per locale (`{ "en": "…", "pt-BR": "…" }`, merged over the defaults). A program without one
         * shows its `advocacy.programs` benefit as written.
         */
        benefits: z.record(name, z.union([z.string().min(1).max(300), z.partialRecord(z.enum(LOCALES), z.string().min(1).max(300))])),
      }),
      /** Renewal notice for tech-touch (auto-renewing) accounts, from `daysBefore` days before the renewal; a dismissal hides it `snoozeDays`. */
      banner: z.object({ daysBefore: nonNegInt, snoozeDays: nonNegInt, cta: cta.optional() }),
      messages: z.object({ low_usage: message, single_user: message, usage_declining: message }),
      /** Phases in which intervention messages show (onboarding has the checklist instead). */
      messagePhases: z.array(z.enum(PHASES)),
      guides: z.object({ waitMs: nonNegInt.max(60_000), missingTarget: z.enum(['skip', 'modal']) }),
    }),
    events: z.object({
      nps: name, ticketOpened: name, ticketClosed: name, usageLimit: name, premiumRequested: name,
      crossSell: name, referral: name, renewed: name, churned: name, engagement: name,
    }),
    touch: z.enum(TOUCH_LEVELS),
    renewalWindowDays: nonNegInt,
    phases: z.object({ onboardingDays: nonNegInt, adoptionDays: nonNegInt, advocacyAfterRenewalDays: posInt }),
    milestones: z.object({
      welcome: eventMilestone, kickoff: eventMilestone, setup: eventMilestone,
      first_value: eventMilestone, training: eventMilestone, health_check: eventMilestone,
      weekly_use: z.object({ window, weeks: posInt }),
      core_feature: z.object({ window }),
      workflow: z.object({ window, weeks: posInt, minWeeks: posInt }),
      engaged_team: z.object({ window, users: posInt, periodDays: posInt }),
    }),
    redFlags: z.object({
      setup_late: z.object({ afterDay: int, events: names }),
      no_login: z.object({ days: posInt, fromDay: int }),
      kickoff_rescheduled: z.object({ min: posInt, events: names }),
      training_no_show: z.object({ min: posInt, events: names }),
      usage_declining: z.object({ fromDay: int, periodDays: posInt, ratio: nonNeg, minActiveDaysBefore: nonNegInt }),
    }),
    adoption: z.object({
      periodDays: posInt,
      basic: z.object({ loginPeriods: posInt, loginPeriodDays: posInt, minFeatures: nonNegInt, minActiveUsers: nonNegInt }),
      regular: z.object({ loginDays: nonNegInt, loginOfDays: posInt, minFeatureShare: share, minActiveUsers: nonNegInt }),
      power: z.object({
        loginsPerUserDay: nonNeg, loginOfDays: posInt, minFeatureShare: share, minActiveUsers: nonNegInt, minSeatShare: share,
      }),
    }),
    interventions: z.object({
      channel, owner, periodDays: posInt, featureIgnoredFromDay: int,
      actions: z.object({ low_usage: name, feature_ignored: name, single_user: name, usage_declining: name }),
      messages: z.object({ low_usage: z.string(), feature_ignored: z.string(), single_user: z.string(), usage_declining: z.string() }),
    }),
    health: z.object({
      weights: z.object({ adoption: nonNeg, trend: nonNeg, milestones: nonNeg, nps: nonNeg, support: nonNeg, sponsor: nonNeg }),
      adoption: z.object({ none: z.number().min(0).max(100), basic: z.number().min(0).max(100), regular: z.number().min(0).max(100), power: z.number().min(0).max(100) }),
      trend: z.object({ periodDays: posInt, points: z.array(z.tuple([nonNeg, z.number().min(0).max(100)])).min(1) }),
      support: z.array(z.number().min(0).max(100)).min(1),
      sponsorDays: posInt,
      bands: z.object({ green: z.number().min(0).max(100), yellow: z.number().min(0).max(100) }),
    }),
    nps: z.object({
      windowDays: posInt, promoterMin: z.number().int().min(0).max(10), passiveMin: z.number().int().min(0).max(10),
      survey: z.object({
        everyDays: posInt, notBeforeDay: nonNegInt, healthCheckDay: nonNegInt, fromDay: nonNegInt,
        afterRenewalDays: nonNegInt, dismissRetryDays: nonNegInt, maxDismissals: nonNegInt,
      }),
    }),
    expansion: z.object({
      minSignals: nonNegInt, healthOver: nonNeg, healthUnder: nonNeg, minAdvocacyScore: z.number().min(0).max(10),
      nearLimitShare: nonNeg, premiumDays: posInt, referralDays: posInt, stakeholderDays: posInt,
      lowUsageLevels: z.array(z.enum(ADOPTION_LEVELS)), moreUsersSeatShare: nonNeg,
      newTeamsHealthOver: nonNeg, newTeamsLevel: z.enum(ADOPTION_LEVELS),
    }),
    renewal: z.object({
      tasks: z.array(z.object({ id: name, offset: z.number().int().max(0), events: names, channel, owner, label: z.string() })),
    }),
    advocacy: z.object({
      windowDays: posInt, satisfiedMin: z.number().int().min(0).max(10), loyalMin: z.number().int().min(0).max(10),
      promoterMin: z.number().int().min(0).max(10), marketingEvents: names,
      programs: z.object({ satisfied: z.array(program), loyal: z.array(program), promoter: z.array(program), evangelist: z.array(program) }),
    }),
    touchpoints: z.object({
      overdueDays: nonNegInt,
      plan: z.object(Object.fromEntries(TOUCHPOINTS.map((id) => [id, touchpoint])) as Record<TouchpointId, typeof touchpoint>),
    }),
    /** The renewal QBR pack's "future" part (seed "Visao de Futuro"): the customer's goals for the next period. */
    qbr: z.object({ goals: z.array(z.string().min(1).max(500)).max(50) }),
    moments: z.object(
      Object.fromEntries(MOMENTS.map((id) => [id, z.object({ events: names, risk: z.string(), opportunity: z.string() })])) as Record<
        MomentId,
        z.ZodObject<{ events: typeof names; risk: z.ZodString; opportunity: z.ZodString }>
      >,
    ),
  })

  const partialBase = deepPartial(base)
  const doc = z.strictObject({
    ...(partialBase as z.ZodObject).shape,
    segments: z.strictObject({ enterprise: partialBase.optional(), mid_market: partialBase.optional(), smb: partialBase.optional() }).optional(),
  })
  return { base, doc }
}

/** Every object becomes strict and all-optional, recursively; arrays, tuples, records and nullables stay whole. */
function deepPartial(s: z.ZodType): z.ZodType {
  if (s instanceof z.ZodObject) {
    const shape: Record<string, z.ZodType> = {}
    for (const [k, v] of Object.entries(s.shape as Record<string, z.ZodType>)) shape[k] = deepPartial(v).optional()
    return z.strictObject(shape)
  }
  return s
}

let cached: ReturnType<typeof buildSchemas> | undefined
/** The zod schema of a config document as `PUT /v1/config` takes it (server/openapi.ts documents it). */
export function configDocumentSchema(): z.ZodType {
  return schemas().doc
}

function schemas(): ReturnType<typeof buildSchemas> {
  return (cached ??= buildSchemas())
}

/** A resolved config: the workspace's values (root) or one segment's (after `configFor`). */
export type BaseConfig = z.infer<ReturnType<typeof buildSchemas>['base']>
export type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T
/** The workspace's journey config: root values plus per-segment blocks merged over them. */
export interface JourneyConfig extends BaseConfig {
  segments: Partial<Record<Segment, DeepPartial<BaseConfig>>>
}

// ---------------------------------------------------------------- defaults

const eventTp = (
  label: string, level: TouchLevel, channel: Channel, owner: Owner, when: { days?: number[]; every?: number; from?: number; until?: number; trigger?: BaseConfig['touchpoints']['plan']['qbr']['trigger'] },
  deliveredBy: string[], tech: { label: string; channel: Channel; owner: Owner } | null = null,
): BaseConfig['touchpoints']['plan']['qbr'] => ({
  label, level, channel, owner, days: when.days ?? [], every: when.every ?? null, from: when.from ?? 0,
  until: when.until ?? null, trigger: when.trigger ?? null, tech, deliveredBy,
})

const FULL_RENEWAL_TASKS: BaseConfig['renewal']['tasks'] = [
  // Seed, "Timeline de Renovacao".
  { id: 'start_renewal', offset: -90, events: ['renewal_started'], channel: 'task', owner: 'csm', label: 'start the renewal process' },
  { id: 'renewal_qbr', offset: -60, events: ['qbr_held'], channel: 'meeting', owner: 'csm', label: 'renewal QBR' },
  { id: 'proposal_sent', offset: -45, events: ['renewal_proposal_sent'], channel: 'email', owner: 'csm', label: 'send the proposal' },
  { id: 'negotiation', offset: -30, events: ['negotiation_started'], channel: 'call', owner: 'csm', label: 'negotiation' },
  { id: 'contract_sent', offset: -14, events: ['contract_sent'], channel: 'email', owner: 'csm', label: 'contract for signature' },
  { id: 'final_follow_up', offset: -7, events: ['renewal_follow_up'], channel: 'call', owner: 'csm', label: 'final follow-up' },
  { id: 'renewal_or_churn', offset: 0, events: ['renewed', 'churned'], channel: 'task', owner: 'csm', label: 'renewal or churn' },
]

/** The spec's defaults (journey.md). The root is the tech-touch (smb) configuration. */
/** High- and mid-touch segments: every intervention is a CSM task (journey.md, "Interventions"). */
const HIGH_TOUCH_INTERVENTIONS = {
  channel: 'task', owner: 'csm',
  messages: { low_usage: 'CSM task: engagement call', feature_ignored: 'CSM task: focused training', single_user: 'CSM task: user expansion', usage_declining: 'CSM task: diagnosis' },
} as const

export const defaultConfig: JourneyConfig = {
  features: [],
  value: { minutesSaved: {}, metrics: [], hourlyRate: null, pricePerMonth: null, currency: 'USD' },
  guides: [],
  experiences: {
    budget: { perSession: 1, perDay: 1, gapMinutes: 10 },
    priority: { nps: 60, advocacy: 50, guide: 40, message: 30, value: 20, checklist: 10, banner: 10 },
    lanes: { checklist: 'inline', banner: 'inline', guide: 'modal', value: 'modal', nps: 'modal', advocacy: 'modal', message: 'modal' },
    caps: { guide: { max: 1, days: 7 }, value: { max: 1, days: 30 }, advocacy: { max: 1, days: 30 }, message: { max: 1, days: 7 } },
    checklist: { phases: ['onboarding'], items: ['welcome', 'kickoff', 'setup', 'first_value', 'training', 'health_check'], titles: {}, cta: {} },
    value: { periodDays: 30, phases: ['value', 'growth', 'renewal', 'advocacy'] },
    advocacy: {
      phases: ['advocacy'],
      links: {},
      // The end user's words for the seed's benefits (`advocacy.programs`: visibility, early access,
      // discount/credit, exposure, influence), which stay the CSM's labels in the journey state.
      benefits: {
        review: { en: 'Help teams like yours choose well, and get your company seen.', 'pt-BR': 'Ajude times como o seu a escolher bem e dê visibilidade à sua empresa.' },
        beta_program: { en: 'Early access to new features, shaped by your feedback.', 'pt-BR': 'Acesso antecipado a novos recursos, moldados pelo seu feedback.' },
        referral: { en: 'A discount or credit on your plan for each friend who joins.', 'pt-BR': 'Um desconto ou crédito no seu plano para cada amigo que entrar.' },
        case_study: { en: 'Exposure for your company and your team’s results.', 'pt-BR': 'Exposição para a sua empresa e os resultados do seu time.' },
        advisory_board: { en: 'Influence over what we build next.', 'pt-BR': 'Influência sobre o que vamos construir a seguir.' },
        speaking: { en: 'Visibility on stage at our events.', 'pt-BR': 'Visibilidade no palco dos nossos eventos.' },
      },
    },
    banner: { daysBefore: 30, snoozeDays: 7 },
    messages: { low_usage: {}, single_user: {}, usage_declining: { options: ['too_complex', 'missing_feature', 'no_time', 'switched_tool', 'other'] } },
    messagePhases: ['adoption', 'value', 'growth', 'renewal', 'advocacy'],
    guides: { waitMs: 5000, missingTarget: 'modal' },
  },
  events: {
    nps: 'nps_response', ticketOpened: 'ticket_opened', ticketClosed: 'ticket_closed', usageLimit: 'usage_limit',
    premiumRequested: 'premium_feature_requested', crossSell: 'cross_sell_interest', referral: 'referral_sent',
    renewed: 'renewed', churned: 'churned', engagement: 'experience_shown',
  },
  touch: 'tech',
  // smb is auto-renewal: a 30-day window (default; the seed gives 90 enterprise, 60 mid_market).
  renewalWindowDays: 30,
  phases: { onboardingDays: 30, adoptionDays: 90, advocacyAfterRenewalDays: 90 },
  milestones: {
    welcome: { window: [0, 0], events: ['welcome_email_sent'] },
    kickoff: { window: [1, 3], events: ['kickoff_held'] },
    setup: { window: [3, 7], events: ['setup_completed'] },
    first_value: { window: [7, 14], events: ['first_value'] },
    training: { window: [14, 21], events: ['training_attended'] },
    health_check: { window: [30, 30], events: ['health_check_done'] },
    weekly_use: { window: [30, 45], weeks: 2 },
    core_feature: { window: [45, 60] },
    workflow: { window: [60, 75], weeks: 4, minWeeks: 3 },
    engaged_team: { window: [75, 90], users: 3, periodDays: 30 },
  },
  redFlags: {
    setup_late: { afterDay: 7, events: ['setup_completed'] },
    no_login: { days: 3, fromDay: 3 },
    kickoff_rescheduled: { min: 2, events: ['kickoff_rescheduled'] },
    training_no_show: { min: 1, events: ['training_no_show'] },
    usage_declining: { fromDay: 28, periodDays: 14, ratio: 0.7, minActiveDaysBefore: 4 },
  },
  adoption: {
    periodDays: 30,
    basic: { loginPeriods: 2, loginPeriodDays: 7, minFeatures: 1, minActiveUsers: 1 },
    regular: { loginDays: 5, loginOfDays: 7, minFeatureShare: 0.5, minActiveUsers: 3 },
    power: { loginsPerUserDay: 2, loginOfDays: 7, minFeatureShare: 0.8, minActiveUsers: 5, minSeatShare: 0.8 },
  },
  interventions: {
    channel: 'in_app',
    owner: 'product',
    periodDays: 30,
    featureIgnoredFromDay: 45,
    actions: { low_usage: 'engagement_call', feature_ignored: 'focused_training', single_user: 'user_expansion', usage_declining: 'diagnosis' },
    messages: {
      low_usage: 'in-app re-engagement message', feature_ignored: 'in-app guide for the feature',
      single_user: 'in-app "invite your team" prompt', usage_declining: 'in-app feedback question',
    },
  },
  health: {
    weights: { adoption: 0.35, trend: 0.15, milestones: 0.15, nps: 0.2, support: 0.1, sponsor: 0.05 },
    adoption: { none: 0, basic: 40, regular: 75, power: 100 },
    trend: { periodDays: 14, points: [[0.5, 0], [1, 70], [1.5, 100]] },
    support: [100, 70, 40, 10],
    sponsorDays: 30,
    bands: { green: 80, yellow: 60 },
  },
  nps: {
    windowDays: 180, promoterMin: 9, passiveMin: 7,
    survey: { everyDays: 90, notBeforeDay: 14, healthCheckDay: 30, fromDay: 90, afterRenewalDays: 30, dismissRetryDays: 7, maxDismissals: 2 },
  },
  expansion: {
    minSignals: 3, healthOver: 80, healthUnder: 60, minAdvocacyScore: 9, nearLimitShare: 0.8, premiumDays: 30,
    referralDays: 90, stakeholderDays: 30, lowUsageLevels: ['none', 'basic'], moreUsersSeatShare: 0.9,
    newTeamsHealthOver: 80, newTeamsLevel: 'power',
  },
  renewal: {
    tasks: [
      { id: 'renewal_notice', offset: -30, events: ['renewal_notice_sent'], channel: 'email', owner: 'system', label: 'auto-renewal notice' },
      { id: 'renewal_or_churn', offset: 0, events: ['renewed', 'churned'], channel: 'task', owner: 'system', label: 'auto-renewal or churn' },
    ],
  },
  advocacy: {
    windowDays: 180, satisfiedMin: 7, loyalMin: 9, promoterMin: 10,
    marketingEvents: ['case_study_done', 'speaking_done', 'advisory_board_joined'],
    // Seed, "Programas de Advocacy" (benefits); `review` is the spec's addition.
    programs: {
      satisfied: [],
      loyal: [{ id: 'review', benefit: 'visibility' }, { id: 'beta_program', benefit: 'early access' }],
      promoter: [{ id: 'referral', benefit: 'discount/credit' }, { id: 'case_study', benefit: 'exposure' }],
      evangelist: [{ id: 'advisory_board', benefit: 'influence' }, { id: 'speaking', benefit: 'visibility' }],
    },
  },
  touchpoints: {
    overdueDays: 30,
    plan: {
      welcome_email: eventTp('welcome email', 'tech', 'email', 'system', { days: [0] }, ['welcome_email_sent']),
      access_granted: eventTp('access granted', 'tech', 'in_app', 'product', { days: [0] }, ['access_granted']),
      kickoff_call: eventTp('kickoff call', 'mid', 'meeting', 'csm', { days: [1] }, ['kickoff_held', 'experience_shown'], { label: 'in-app kickoff checklist item', channel: 'in_app', owner: 'product' }),
      setup_help: eventTp('setup help', 'mid', 'call', 'csm', { days: [3] }, ['setup_help_done', 'experience_shown'], { label: 'in-app setup guide', channel: 'in_app', owner: 'product' }),
      training: eventTp('training', 'mid', 'meeting', 'csm', { days: [14] }, ['training_attended', 'experience_shown'], { label: 'in-app training guide', channel: 'in_app', owner: 'product' }),
      onboarding_emails: eventTp('onboarding email', 'tech', 'email', 'marketing', { days: [1, 3, 7, 14, 21] }, ['onboarding_email_sent']),
      check_in: eventTp('check-in', 'mid', 'call', 'csm', { days: [21] }, ['check_in_held', 'experience_shown'], { label: 'in-app check-in message', channel: 'in_app', owner: 'product' }),
      health_check: eventTp('health check', 'mid', 'meeting', 'csm', { days: [30] }, ['health_check_done', 'experience_shown'], { label: 'automated NPS + health check', channel: 'in_app', owner: 'product' }),
      monthly_check_in: eventTp('monthly check-in', 'mid', 'call', 'csm', { every: 30, from: 30, until: 89 }, ['check_in_held']),
      in_app_guides: eventTp('in-app guide', 'tech', 'in_app', 'product', { trigger: 'interventions' }, ['experience_shown']),
      value_email: eventTp('value email', 'tech', 'email', 'marketing', { every: 30, from: 90 }, ['value_email_sent']),
      qbr: eventTp('QBR', 'mid', 'meeting', 'csm', { every: 90, from: 90 }, ['qbr_held']),
      expansion_call: eventTp('expansion call', 'mid', 'call', 'csm', { trigger: 'expansion_ready' }, ['expansion_call_held', 'experience_shown'], { label: 'in-app expansion prompt', channel: 'in_app', owner: 'product' }),
      renewal_tasks: eventTp('renewal task', 'tech', 'task', 'csm', { trigger: 'renewal_tasks' }, []),
      advocacy_ask: eventTp('advocacy ask', 'tech', 'in_app', 'product', { trigger: 'advocacy' }, ['experience_shown', 'referral_sent', 'review_written']),
    },
  },
  qbr: { goals: [] },
  moments: {
    // Seed, "Momentos da Verdade": risk and opportunity of each.
    kickoff: { events: ['kickoff_held'], risk: 'wrong expectations', opportunity: 'alignment' },
    first_value: { events: ['first_value'], risk: 'giving up', opportunity: 'engagement' },
    first_bug: { events: ['ticket_opened'], risk: 'frustration', opportunity: 'excellent support' },
    qbr: { events: ['qbr_held'], risk: 'losing the sponsor', opportunity: 'early renewal' },
    renewal: { events: ['renewed', 'churned'], risk: 'churn', opportunity: 'expansion' },
  },
  segments: {
    enterprise: {
      touch: 'high',
      renewalWindowDays: 90,
      interventions: HIGH_TOUCH_INTERVENTIONS,
      renewal: { tasks: FULL_RENEWAL_TASKS },
      // Seed: enterprise onboarding trains twice ("Train x2").
      touchpoints: { plan: { training: { days: [14, 21] } } },
    },
    mid_market: {
      touch: 'mid',
      renewalWindowDays: 60,
      interventions: HIGH_TOUCH_INTERVENTIONS,
      renewal: { tasks: FULL_RENEWAL_TASKS },
      // Seed: mid-market adoption check-ins are bimonthly, QBRs half-yearly.
      touchpoints: { plan: { monthly_check_in: { every: 60 }, qbr: { every: 180 } } },
    },
  },
}

// ---------------------------------------------------------------- merge and parse

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** `over` merged over `base`: objects recursively, everything else (arrays included) replaces; undefined leaves. */
export function deepMerge<T>(base: T, over: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(over)) return (over === undefined ? base : over) as T
  const out: Record<string, unknown> = { ...base }
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue
    out[k] = k in out ? deepMerge(out[k], v) : v
  }
  return out as T
}

/** The segment's block merged over the workspace's values. */
export function configFor(config: JourneyConfig, segment: Segment): BaseConfig {
  const { segments, ...root } = config
  return deepMerge<BaseConfig>(root, segments?.[segment])
}

export interface ConfigIssue {
  path: string
  message: string
}

function toIssues(error: z.ZodError, prefix: string): ConfigIssue[] {
  const out: ConfigIssue[] = []
  for (const issue of error.issues) {
    const path = [prefix, ...issue.path.map(String)].filter((p) => p !== '').join('.')
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: path ? `${path}.${key}` : key, message: 'unknown key' })
    } else {
      out.push({ path, message: issue.message })
    }
  }
  return out
}

/** Cross-field rules the types cannot say. */
function semanticIssues(c: BaseConfig, prefix: string): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  const at = (p: string) => (prefix ? `${prefix}.${p}` : p)
  for (const [id, m] of Object.entries(c.milestones)) {
    if (m.window[0] > m.window[1]) issues.push({ path: at(`milestones.${id}.window`), message: 'the window must end on or after its start' })
  }
  if (c.milestones.workflow.minWeeks > c.milestones.workflow.weeks) {
    issues.push({ path: at('milestones.workflow.minWeeks'), message: 'minWeeks must not exceed weeks' })
  }
  const weights = Object.values(c.health.weights).reduce((a, b) => a + b, 0)
  if (!(weights > 0)) issues.push({ path: at('health.weights'), message: 'the weights must not all be 0' })
  if (c.health.bands.yellow > c.health.bands.green) issues.push({ path: at('health.bands.yellow'), message: 'yellow must not be above green' })
  const pts = c.health.trend.points
  for (let i = 1; i < pts.length; i++) {
    if (pts[i]![0] <= pts[i - 1]![0]) issues.push({ path: at(`health.trend.points.${i}`), message: 'ratios must increase' })
  }
  if (c.nps.passiveMin > c.nps.promoterMin) issues.push({ path: at('nps.passiveMin'), message: 'passiveMin must not exceed promoterMin' })
  const a = c.advocacy
  if (!(a.satisfiedMin <= a.loyalMin && a.loyalMin <= a.promoterMin)) {
    issues.push({ path: at('advocacy'), message: 'satisfiedMin <= loyalMin <= promoterMin' })
  }
  const seen = new Set<string>()
  c.features.forEach((f, i) => {
    if (seen.has(f.id)) issues.push({ path: at(`features.${i}.id`), message: `duplicate feature id "${f.id}"` })
    seen.add(f.id)
  })
  const tasks = new Set<string>()
  c.renewal.tasks.forEach((t, i) => {
    if (tasks.has(t.id)) issues.push({ path: at(`renewal.tasks.${i}.id`), message: `duplicate task id "${t.id}"` })
    tasks.add(t.id)
  })
  const guides = new Set<string>()
  c.guides.forEach((g, i) => {
    if (guides.has(g.id)) issues.push({ path: at(`guides.${i}.id`), message: `duplicate guide id "${g.id}"` })
    guides.add(g.id)
    g.steps.forEach((st, j) => {
      if (st.kind !== undefined && st.kind !== 'modal' && st.selector === undefined) {
        issues.push({ path: at(`guides.${i}.steps.${j}.selector`), message: `a ${st.kind} step needs a selector` })
      }
    })
  })
  const ctas: [string, { guide?: string } | undefined][] = [
    ...Object.entries(c.experiences.checklist.cta).map(([k, v]) => [`experiences.checklist.cta.${k}.guide`, v] as [string, { guide?: string }]),
    ...Object.entries(c.experiences.messages).map(([k, v]) => [`experiences.messages.${k}.cta.guide`, v.cta] as [string, { guide?: string } | undefined]),
    ['experiences.banner.cta.guide', c.experiences.banner.cta],
  ]
  for (const [path, v] of ctas) {
    if (v?.guide !== undefined && !guides.has(v.guide)) issues.push({ path: at(path), message: `no guide "${v.guide}" in guides` })
  }
  return issues
}

/**
 * Validates a workspace's config document and merges it over the defaults. Every key is optional;
 * every wrong field is named with a dotted path (`health.weights.nps`, `segments.smb.renewalWindowDays`).
 */
export function parseConfig(doc: unknown): { ok: true; config: JourneyConfig } | { ok: false; issues: ConfigIssue[] } {
  const { base, doc: docSchema } = schemas()
  const issues: ConfigIssue[] = []
  let parsed = docSchema.safeParse(doc ?? {})
  if (!parsed.success) {
    // Every wrong field is named: the cross-field checks below still run on what is left once the
    // wrong values are taken out (their defaults stand in).
    issues.push(...toIssues(parsed.error, ''))
    parsed = docSchema.safeParse(withoutPaths(doc, parsed.error.issues))
    if (!parsed.success) return { ok: false, issues }
  }
  const config = deepMerge(defaultConfig, parsed.data)
  const { segments: _segments, ...root } = config
  const rootIssues = checkBlock(base, root, '')
  issues.push(...rootIssues)
  // A segment's merged block repeats the workspace's problems where it does not override them: named once.
  const named = new Set(rootIssues.map((i) => `${i.path}\u0000${i.message}`))
  for (const seg of SEGMENTS) {
    for (const i of checkBlock(base, configFor(config, seg), `segments.${seg}`)) {
      if (!named.has(`${i.path.slice(`segments.${seg}.`.length)}\u0000${i.message}`)) issues.push(i)
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, config }
}

function checkBlock(base: z.ZodType<BaseConfig>, block: unknown, prefix: string): ConfigIssue[] {
  const check = base.safeParse(block)
  return check.success ? semanticIssues(check.data, prefix) : toIssues(check.error, prefix)
}

/** A copy of `doc` without the values at the issues' paths (and without the unknown keys they name). */
function withoutPaths(doc: unknown, found: readonly z.core.$ZodIssue[]): unknown {
  const copy: unknown = structuredClone(doc)
  for (const issue of found) {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k]) : [issue.path]
    for (const path of keys) {
      if (path.length === 0) return copy
      let node: unknown = copy
      for (const k of path.slice(0, -1)) node = isPlainObject(node) || Array.isArray(node) ? (node as Record<PropertyKey, unknown>)[k as PropertyKey] : undefined
      if (isPlainObject(node)) delete node[path[path.length - 1] as string]
      else if (Array.isArray(node)) return copy
    }
  }
  return copy
}
