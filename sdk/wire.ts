/**
 * What travels between the SDK and the server. Type-only: the browser never validates with zod,
 * the server does (server/routes/batch.ts), and its schemas must accept every shape written here.
 */

/**
 * Account-level facts (journey.md, "Reserved events") that only a server holding the secret key
 * may send: a CRM, calendar, helpdesk or billing system. A write key sending one gets a 403; the SDK
 * refuses them in `track` so that one wrong call cannot block the queue. The only value in this
 * otherwise type-only file, so that both sides read one list.
 */
export const ACCOUNT_FACTS = [
  'welcome_email_sent',
  'access_granted',
  'kickoff_scheduled',
  'kickoff_rescheduled',
  'kickoff_held',
  'training_scheduled',
  'training_attended',
  'training_no_show',
  'health_check_done',
  'ticket_opened',
  'ticket_closed',
  'usage_limit',
  'value_metric',
  'case_study_done',
  'advisory_board_joined',
  'speaking_done',
  'qbr_held',
  'renewal_started',
  'renewal_proposal_sent',
  'negotiation_started',
  'contract_sent',
  'renewal_follow_up',
  'renewal_notice_sent',
  'renewed',
  'churned',
] as const

export type EventType = 'track' | 'identify' | 'group' | 'page'

export interface WireContext {
  library?: { name: string; version: string }
  page?: { url?: string; path?: string; referrer?: string; title?: string; search?: string }
  locale?: string
  userAgent?: string
  sessionId?: string
  /** Segment's way to name the account on non-`group` calls. */
  groupId?: string
  [key: string]: unknown
}

export interface WireEvent {
  /** Made by the sender (a UUIDv7 in the SDK); makes ingestion idempotent. Segment's `messageId` is accepted too. */
  id: string
  type: EventType
  /** The event name, for `track`. */
  event?: string
  /** The page name, for `page`. */
  name?: string
  userId?: string
  anonymousId?: string
  accountId?: string
  /** ISO-8601. */
  timestamp: string
  properties?: Record<string, unknown>
  traits?: Record<string, unknown>
  context?: WireContext
  /** Hex HMAC-SHA256 of `userId` with the workspace's identity secret (every event of an identified user, when `identify` was given one). */
  userHash?: string
  /** A JWT (HS256, the identity secret) naming the user and their accounts, when `identify` was given one: it proves the accounts too. */
  userToken?: string
}

export interface BatchRequest {
  batch: WireEvent[]
  /** For `navigator.sendBeacon`, which cannot set an Authorization header. */
  writeKey?: string
  sentAt?: string
}

export interface Issue {
  path: string
  message: string
}

export interface BatchResponse {
  accepted: number
  duplicates: number
  rejected: { index: number; issues: Issue[] }[]
}

export interface ErrorBody {
  error: { code: string; message: string; issues?: Issue[] }
}

// ---------------------------------------------------------------- experiences (POST /v1/experience)

/** What the SDK asks: who is looking, where, in which language. */
export interface ExperienceRequest {
  userId: string
  accountId: string
  /** Hex HMAC-SHA256 of `userId` with the workspace's identity secret, when identity verification is on. */
  userHash?: string
  /** The user's signed token (user and accounts), when identity verification is on; preferred to userHash. */
  userToken?: string
  /** The page's URL (guides may be limited to paths). */
  url?: string
  /** BCP 47 tag from `identify` traits (`locale`), the page's `lang` or the browser. */
  locale?: string
  /** The SDK's session id: the attention budget counts modal experiences per session. */
  sessionId?: string
}

export const EXPERIENCE_KINDS = ['checklist', 'guide', 'value', 'nps', 'advocacy', 'message', 'banner'] as const
export type ExperienceKind = (typeof EXPERIENCE_KINDS)[number]

/**
 * `modal`: takes the user's attention (a dialog, a tour, a survey); counted by the attention budget.
 * `inline`: stays out of the way (the checklist panel, the renewal banner); never counted.
 */
export type ExperienceLane = 'modal' | 'inline'

interface ExperienceBase {
  /** Stable for one cause (`checklist`, `guide:reports-tour`, `nps:2026-11-24`…): engagement events carry it. */
  id: string
  kind: ExperienceKind
  lane: ExperienceLane
  /** Why the server chose it, in English, for CSMs and for debug mode. */
  reason: string
}

/** A call to action: a URL to open, or a guide to start. */
export interface Cta {
  url?: string
  guide?: string
}

export interface ChecklistItem {
  /** A milestone id of journey.md (`welcome`, `kickoff`, `setup`, `first_value`, `training`, `health_check`). */
  id: string
  status: 'done' | 'done_late' | 'upcoming' | 'due' | 'overdue'
  /** The account day by which it should be done (the window's last day), and that date (ISO). */
  dueDay: number
  dueDate: string
  /** Event names that complete it: when this user tracks one, every tab marks the item done at once. */
  events: string[]
  /** Title from the config; the UI's catalog has one per milestone id otherwise. */
  title?: string
  cta?: Cta
}

export interface ChecklistExperience extends ExperienceBase {
  kind: 'checklist'
  /** The account's day number now. */
  day: number
  items: ChecklistItem[]
}

export type GuideStepKind = 'tooltip' | 'modal' | 'hotspot'

export interface GuideStep {
  kind: GuideStepKind
  /**
   * CSS selector of the element a tooltip or hotspot points at, or several in order of preference
   * (the first with a rendered match wins); searched in the document, then in open shadow roots.
   * None for a modal step.
   */
  selector?: string | string[]
  /** The target must contain this text, in either case (trimmed by the server): one of several `.btn` buttons. */
  text?: string
  /** Plain text. */
  title: string
  /** Plain text or the small markdown subset the UI renders itself: `**bold**`, `*italic*`, `[text](https://…)`, line breaks, `- ` lists. */
  body: string
  /** Only on pages whose path starts with this. */
  path?: string
}

export interface GuideExperience extends ExperienceBase {
  kind: 'guide'
  guideId: string
  feature?: string
  trigger: 'feature_ignored' | 'checklist' | 'on_demand'
  steps: GuideStep[]
  /** When a target is still missing after `waitMs`: `skip` the step, or show it as a `modal`. */
  missingTarget: 'skip' | 'modal'
  waitMs: number
}

export interface ValueMetricLine {
  id: string
  label: string
  better: 'higher' | 'lower'
  previous: number
  current: number
  /** (current − previous) ÷ previous: 0.12 is +12%. */
  change: number
}

export interface ValueStatement {
  periodDays: number
  /** ISO: the UTC midnight starting the period's first day, and the time it was computed for. */
  from: string
  to: string
  /** Hours of manual work saved; null when no configured event happened. */
  hoursSaved: number | null
  /** Improvements only (a metric that got worse is left out of a value statement). */
  metrics: ValueMetricLine[]
  /** Hours saved × hourly rate ÷ the price for the period; null without those settings. */
  roi: number | null
  /** Hours saved × hourly rate, in `currency`. */
  moneySaved: number | null
  currency: string
  /** The statement in plain text, in the locale asked for. */
  text: string
  locale: string
}

export interface ValueExperience extends ExperienceBase {
  kind: 'value'
  statement: ValueStatement
}

export interface AdvocacyProgramOffer {
  /** `review`, `beta_program`, `referral`, `case_study`, `advisory_board`, `speaking` (journey.md) or the config's own. */
  id: string
  benefit: string
  url?: string
}

/** What follows an NPS answer, decided beforehand so that it shows at once, offline included. */
export interface NpsFollowUp {
  /** Lowest score of this band. */
  min: number
  band: 'detractor' | 'passive' | 'promoter'
  /** Programs to offer right after the answer (9: loyal's, 10: promoter's; evangelists get theirs). */
  programs: AdvocacyProgramOffer[]
  /** A detractor gets a recovery message (and the server records a `detractor` fact for the CSM). */
  recovery: boolean
}

export interface NpsExperience extends ExperienceBase {
  kind: 'nps'
  /** Which rule asked: `health_check` (day 30, tech-touch), `periodic` (day ≥ 90), `after_renewal`, `retry` (after a dismissal). */
  trigger: 'health_check' | 'periodic' | 'after_renewal' | 'retry'
  followUps: NpsFollowUp[]
}

export interface AdvocacyExperience extends ExperienceBase {
  kind: 'advocacy'
  level: 'detractor' | 'satisfied' | 'loyal' | 'promoter' | 'evangelist'
  programs: AdvocacyProgramOffer[]
  /** true: the recovery message instead of an ask. */
  recovery: boolean
}

export interface MessageExperience extends ExperienceBase {
  kind: 'message'
  /** The intervention's situation (journey.md, "Interventions"): the UI's catalog has its text. */
  situation: 'low_usage' | 'single_user' | 'usage_declining'
  /** Custom text from the config, plain or the markdown subset; the catalog's otherwise. */
  title?: string
  body?: string
  cta?: Cta
  /** `usage_declining`: a one-question diagnosis; the answer's id is sent with `experience_completed`. */
  options?: string[]
}

export interface BannerExperience extends ExperienceBase {
  kind: 'banner'
  /** ISO date of the renewal and the days left. */
  renewalDate: string
  daysToRenewal: number
  cta?: Cta
}

export type Experience =
  | ChecklistExperience
  | GuideExperience
  | ValueExperience
  | NpsExperience
  | AdvocacyExperience
  | MessageExperience
  | BannerExperience

export interface ExperienceResponse {
  /** What to show now, highest priority first; the UI shows every `inline` one and the first `modal` one. */
  experiences: Experience[]
  /** What the launcher (resource center) offers on demand: the checklist after dismissal, the value statement, the guides this user was offered. */
  launcher: Experience[]
  /** Every configured guide, for `show(id)` and checklist calls to action only: alone they show (and download) nothing. */
  guides?: GuideExperience[]
  /**
   * The workspace's own words for the UI's texts in `locale` (`experiences.nps.texts`,
   * `experiences.banner.texts`), by the UI catalog's key: `{ "nps.question": "…" }`. Absent: the UI's own.
   */
  texts?: Record<string, string>
  /** The locale the server used for texts (`en` or `pt-BR`). */
  locale: string
}

/**
 * Engagement events the UI sends back (all `track`, all carrying `experienceId` and `kind`):
 * - `experience_shown`    { experienceId, kind, sessionId }
 * - `experience_completed` { experienceId, kind, answer? }          a guide's last step, a message's answer…
 * - `experience_dismissed` { experienceId, kind, reason }           reason: `close` | `escape` | `later` | `target_missing`
 * - `checklist_item_clicked` { experienceId, kind, item }
 * - `guide_step_viewed`   { experienceId, kind, guideId, step }     step counts from 0
 * - `guide_target_missing` { experienceId, kind, guideId, step, selector }
 * - `nps_response`        { experienceId, kind, score, comment? }
 * - `advocacy_accepted`   { experienceId, kind, program }
 */
export type EngagementEvent =
  | 'experience_shown'
  | 'experience_completed'
  | 'experience_dismissed'
  | 'checklist_item_clicked'
  | 'guide_step_viewed'
  | 'guide_target_missing'
  | 'nps_response'
  | 'advocacy_accepted'
