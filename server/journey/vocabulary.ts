/**
 * The journey's vocabulary (journey.md): the ids of segments, phases, levels, milestones, components,
 * health bands, red flags, situations, touchpoints, experiences and moments, as `as const` lists
 * with their union types. The same ids everywhere: code, API, tests, UI strings' keys. No code
 * here, so the engine's rules (and the console) import these names without importing zod.
 */
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

export const BANDS = ['green', 'yellow', 'red'] as const
export type Band = (typeof BANDS)[number]

export const RED_FLAGS = [
  'setup_late',
  'no_login',
  'kickoff_rescheduled',
  'training_no_show',
  'usage_declining',
] as const
export type RedFlagId = (typeof RED_FLAGS)[number]

export const SITUATIONS = ['low_usage', 'feature_ignored', 'single_user', 'usage_declining'] as const
export type SituationId = (typeof SITUATIONS)[number]

export const TOUCHPOINTS = [
  'welcome_email',
  'access_granted',
  'kickoff_call',
  'setup_help',
  'training',
  'onboarding_emails',
  'check_in',
  'health_check',
  'monthly_check_in',
  'in_app_guides',
  'value_email',
  'qbr',
  'expansion_call',
  'renewal_tasks',
  'advocacy_ask',
] as const
export type TouchpointId = (typeof TOUCHPOINTS)[number]

export const GUIDE_STEP_KINDS = ['tooltip', 'modal', 'hotspot'] as const
export const EXPERIENCE_KINDS = ['checklist', 'guide', 'value', 'nps', 'advocacy', 'message', 'banner'] as const
export type ExperienceKind = (typeof EXPERIENCE_KINDS)[number]

export const MOMENTS = ['kickoff', 'first_value', 'first_bug', 'qbr', 'renewal'] as const
export type MomentId = (typeof MOMENTS)[number]

/** `interval` of `GET /v1/results/nps` (docs/http-api.md, "Results"): the default first. */
export const NPS_INTERVALS = ['week', 'month'] as const
export type NpsInterval = (typeof NPS_INTERVALS)[number]
