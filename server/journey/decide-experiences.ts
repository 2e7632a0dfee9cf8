/**
 * The experience decision (api.md, `POST /v1/experience`): what one user should see in the app now,
 * a pure function of the account's journey state, the user's own engagement history (the
 * `experience_*` and `nps_response` facts carrying their userId) and the config's `experiences`
 * block. Every experience carries a reason; what is held back is said in `notes`.
 *
 * - checklist (inline): the onboarding milestones as items, account-level (a teammate's done is
 *   done), while the phase is in `checklist.phases`, until this user dismisses it or all are done.
 * - guide (modal): the `feature_ignored` intervention's guide for that feature (in-app channel).
 *   The launcher lists a guide once it was offered to this user (shown, dismissed or completed);
 *   every configured guide comes in `guides`, for `jornada('show', id)` and checklist calls to
 *   action only: alone it is nothing to show, so a workspace's guides download nothing by themselves.
 * - value (modal): the value statement, from the value phase on, capped (default once per 30 days);
 *   in the launcher whenever it has something to say.
 * - nps (modal): journey.md "NPS" survey rules, see `npsDecision`.
 * - advocacy (modal): in the advocacy phase, the programs of the account's level; a detractor
 *   account gets the recovery message instead. In any phase, this user's own 9-10 answer given
 *   outside the in-app survey (an import, another tool) is followed once by the programs of that
 *   answer's level, see `answerAsk` (an answer in the survey had them as its follow-up).
 * - message (modal): the in-app interventions low_usage, single_user, usage_declining, in the
 *   phases of `messagePhases` (not onboarding by default: a new user has the checklist).
 * - banner (inline): the renewal notice of tech-touch (auto-renewing) accounts.
 *
 * One attention budget over every modal kind (default: one per session, one per 24 hours, none
 * within 10 minutes of another): at most one modal experience is returned, the highest priority.
 * User-history windows (caps, budget, re-ask intervals) are rolling hours from `at`; the account's
 * own rules (the first 14 days, day 30, day 90) are account days, as everywhere in the engine.
 */
import type {
  AdvocacyExperience,
  AdvocacyProgramOffer,
  ChecklistExperience,
  Experience,
  ExperienceKind,
  ExperienceResponse,
  GuideExperience,
  MessageExperience,
  NpsExperience,
  NpsFollowUp,
} from '../../sdk/wire'
import type { BaseConfig, JourneyConfig } from './config-schema'
import type { Ctx } from './context'
import type { AccountFacts, FactEvent } from './facts'
import { journeyContext, stateOf } from './index'
import type { JourneyState } from './index'
import { DAY_MS, toIso, toNumber } from './time'
import { computeValue, hasValue, localeOf } from './value'
import type { Locale } from './value'

export interface ExperienceInput {
  userId: string
  sessionId?: string
  /** BCP 47; the user's `locale` trait when absent. */
  locale?: string
}

export interface ExperienceDecision extends ExperienceResponse {
  /**
   * Every configured guide, on demand (`jornada('show', id)`, a checklist item's call to action):
   * never shown or listed by itself. Absent when the workspace has none.
   */
  guides?: GuideExperience[]
  /** What was held back and why (budget, caps, rules), for debug mode and tests. */
  notes: string[]
}

const MIN = 60_000
const ENGAGEMENT = new Set([
  'experience_shown',
  'experience_completed',
  'experience_dismissed',
  'nps_response',
  'advocacy_accepted',
])
const MESSAGE_SITUATIONS = ['low_usage', 'single_user', 'usage_declining'] as const

/** One user's engagement history, oldest first. */
interface History {
  events: FactEvent[]
  /** Events named `name` (about experience `id` when given). */
  of(name: string, id?: string): FactEvent[]
}

function historyOf(ctx: Ctx, userId: string): History {
  // The config may name the NPS answer otherwise (`events.nps`).
  const events = ctx.facts.filter(
    (e) => e.userId === userId && (ENGAGEMENT.has(e.name) || e.name === ctx.cfg.events.nps),
  )
  return {
    events,
    of: (name, id) => events.filter((e) => e.name === name && (id === undefined || e.properties.experienceId === id)),
  }
}

const since = (events: FactEvent[], t: number) => events.filter((e) => e.at > t)
const last = <T>(xs: T[]): T | undefined => xs[xs.length - 1]

/** The decision for `input.userId` of the account described by `facts`, at `at`. */
export function decideExperiences(
  config: JourneyConfig,
  facts: AccountFacts,
  at: number,
  input: ExperienceInput,
): ExperienceDecision {
  const ctx = journeyContext(config, facts, at)
  const user = ctx.users.find((u) => u.userId === input.userId)
  const locale = localeOf(input.locale ?? user?.traits.locale)
  if (!user)
    return {
      experiences: [],
      launcher: [],
      locale,
      notes: [`user ${input.userId} has no event in account ${ctx.accountId}`],
    }
  return decide(ctx, stateOf(ctx), historyOf(ctx, input.userId), input, locale)
}

function decide(
  ctx: Ctx,
  state: JourneyState,
  h: History,
  input: ExperienceInput,
  locale: ReturnType<typeof localeOf>,
): ExperienceDecision {
  const x = ctx.cfg.experiences
  const phase = state.phase.id
  const notes: string[] = []
  const now: Experience[] = []
  const launcher: Experience[] = []
  if (phase === 'churned')
    return { experiences: [], launcher: [], locale, notes: ['churned account: nothing is shown'] }

  /** Shows of experience `id` in its kind's cap window reached the cap. */
  const capped = (kind: keyof BaseConfig['experiences']['caps'], id: string): boolean => {
    const c = x.caps[kind]
    const n = since(h.of('experience_shown', id), ctx.at - c.days * DAY_MS).length
    if (n < c.max) return false
    notes.push(`${id}: shown ${n} times in the last ${c.days} days (cap ${c.max})`)
    return true
  }
  const base = <K extends ExperienceKind>(kind: K, id: string, reason: string) => ({
    id,
    kind,
    lane: x.lanes[kind],
    reason,
  })

  // ---- checklist
  if (x.checklist.phases.includes(phase)) {
    const c = checklistOf(ctx, state)
    launcher.push(c)
    const done = c.items.filter((i) => i.status === 'done' || i.status === 'done_late').length
    if (h.of('experience_dismissed', c.id).length > 0) notes.push('checklist: dismissed by this user (in the launcher)')
    else if (done === c.items.length) notes.push('checklist: every item done')
    else now.push(c)
  }

  // ---- guides: every one on demand; in the launcher once offered to this user; the feature_ignored intervention's one now
  const guides = ctx.cfg.guides.map((g) => guideOf(ctx, g.id, 'on_demand', 'on demand (checklist or jornada("show"))'))
  const offered = (id: string) =>
    ['experience_shown', 'experience_dismissed', 'experience_completed'].some((n) => h.of(n, id).length > 0)
  for (const g of guides) {
    if (offered(g.id))
      launcher.push({ ...g, reason: 'offered to this user before (shown, dismissed or completed): in the launcher' })
  }
  for (const iv of state.interventions) {
    if (iv.situation !== 'feature_ignored' || iv.channel !== 'in_app' || iv.feature === undefined) continue
    const g = ctx.cfg.guides.find((gd) => gd.feature === iv.feature)
    if (!g) {
      notes.push(`feature_ignored ${iv.feature}: no guide in the config for it`)
      continue
    }
    const id = `guide:${g.id}`
    if (h.of('experience_completed', id).length > 0) notes.push(`${id}: completed by this user`)
    else if (!capped('guide', id))
      now.push(guideOf(ctx, g.id, 'feature_ignored', `intervention feature_ignored: ${iv.reason}`))
  }

  // ---- value statement
  const statement = computeValue(ctx, x.value.periodDays, locale)
  if (hasValue(statement)) {
    const v = {
      ...base(
        'value',
        `value:${statement.to.slice(0, 10)}`,
        `value statement of the last ${statement.periodDays} days`,
      ),
      statement,
    } as Experience
    launcher.push(v)
    if (!x.value.phases.includes(phase)) notes.push(`value: phase ${phase} is before ${x.value.phases.join('/')}`)
    // The id changes with the period's date: the cap counts every value experience of this user.
    else if (!cappedKind(h, 'value', ctx.at - x.caps.value.days * DAY_MS, x.caps.value.max, notes)) {
      now.push({ ...v, reason: `${v.reason}, phase ${phase}` })
    }
  } else notes.push('value: nothing to say for the period (no configured event or improved metric)')

  // ---- NPS survey
  const nps = npsDecision(ctx, h, notes, locale)
  if (nps) now.push(nps)

  // ---- advocacy: by the account's level in its phases; after this user's own 9-10 answer in any phase
  let asked = false
  if (x.advocacy.phases.includes(phase)) {
    const a = state.advocacy
    if (a.level === 'loyal' || a.level === 'promoter' || a.level === 'evangelist' || a.level === 'detractor') {
      const id = `advocacy:${a.level}`
      if (!capped('advocacy', id)) {
        asked = true
        now.push({
          ...base('advocacy', id, `phase ${phase}; ${a.reason}`),
          level: a.level,
          programs: offers(ctx, a.programs, locale),
          recovery: a.recovery,
        })
      }
    } else notes.push(`advocacy: level ${a.level ?? 'unknown'} gets no ask`)
  }
  if (!asked) {
    const ask = answerAsk(ctx, h, notes, locale)
    if (ask) now.push(ask)
  }

  // ---- messages: the in-app interventions
  for (const iv of state.interventions) {
    const situation = MESSAGE_SITUATIONS.find((s) => s === iv.situation)
    if (!situation || iv.channel !== 'in_app') continue
    const id = `message:${situation}`
    if (!x.messagePhases.includes(phase)) {
      notes.push(`${id}: no messages in phase ${phase} (messagePhases)`)
      continue
    }
    if (capped('message', id)) continue
    const m = x.messages[situation]
    const msg: MessageExperience = { ...base('message', id, `intervention ${situation}: ${iv.reason}`), situation }
    if (m.title !== undefined) msg.title = m.title
    if (m.body !== undefined) msg.body = m.body
    if (m.cta !== undefined) msg.cta = m.cta
    if (m.options !== undefined) msg.options = m.options
    now.push(msg)
  }

  // ---- renewal banner (tech-touch: auto-renewal)
  const r = state.renewal
  if (
    ctx.cfg.touch === 'tech' &&
    r.daysToRenewal !== null &&
    r.renewalDate !== null &&
    r.daysToRenewal >= 0 &&
    r.daysToRenewal <= x.banner.daysBefore
  ) {
    const id = `banner:renewal:${r.renewalDate.slice(0, 10)}`
    const snoozed = since(h.of('experience_dismissed', id), ctx.at - x.banner.snoozeDays * DAY_MS).length > 0
    if (snoozed) notes.push(`${id}: dismissed in the last ${x.banner.snoozeDays} days`)
    else
      now.push({
        ...base('banner', id, `auto-renewal in ${r.daysToRenewal} days (tech-touch)`),
        renewalDate: r.renewalDate,
        daysToRenewal: r.daysToRenewal,
        ...(x.banner.cta && { cta: x.banner.cta }),
      })
  }

  // ---- one attention budget over every modal kind; inline ones are never counted
  const byPriority = (a: Experience, b: Experience) => x.priority[b.kind] - x.priority[a.kind]
  now.sort(byPriority)
  const modal = now.filter((e) => e.lane === 'modal')
  const held = modal.length > 0 ? budgetHold(ctx, h, input.sessionId) : null
  if (held) notes.push(`attention budget: ${held}; held back: ${modal.map((e) => e.id).join(', ')}`)
  else if (modal.length > 1)
    notes.push(
      `one modal experience at a time; waiting: ${modal
        .slice(1)
        .map((e) => e.id)
        .join(', ')}`,
    )
  const experiences = now.filter((e) => e.lane === 'inline' || (!held && e === modal[0]))
  return { experiences, launcher, ...(guides.length > 0 && { guides }), locale, notes }
}

/** Every shown experience of `kind` since `from` counts against one cap (the value statement's id changes with its date). */
function cappedKind(h: History, kind: ExperienceKind, from: number, max: number, notes: string[]): boolean {
  const n = since(h.of('experience_shown'), from).filter((e) => e.properties.kind === kind).length
  if (n < max) return false
  notes.push(`${kind}: shown ${n} times in the cap window (cap ${max})`)
  return true
}

/** Why no modal experience may be shown now, or null (journey config `experiences.budget`). */
function budgetHold(ctx: Ctx, h: History, sessionId: string | undefined): string | null {
  const b = ctx.cfg.experiences.budget
  const modalKinds = new Set(
    Object.entries(ctx.cfg.experiences.lanes)
      .filter(([, l]) => l === 'modal')
      .map(([k]) => k),
  )
  const shown = h.of('experience_shown').filter((e) => modalKinds.has(String(e.properties.kind)))
  if (sessionId !== undefined) {
    const n = shown.filter((e) => e.properties.sessionId === sessionId).length
    if (n >= b.perSession) return `${n} modal experience(s) already this session (at most ${b.perSession})`
  }
  const day = since(shown, ctx.at - DAY_MS).length
  if (day >= b.perDay) return `${day} modal experience(s) in the last 24 hours (at most ${b.perDay})`
  const prev = last(shown)
  if (prev && ctx.at - prev.at < b.gapMinutes * MIN)
    return `the last one was ${Math.floor((ctx.at - prev.at) / MIN)} minutes ago (gap ${b.gapMinutes})`
  return null
}

function checklistOf(ctx: Ctx, state: JourneyState): ChecklistExperience {
  const c = ctx.cfg.experiences.checklist
  const items = c.items.flatMap((id) => {
    const m = state.milestones.find((ms) => ms.id === id)
    if (!m) return []
    return [
      {
        id,
        status: m.status,
        dueDay: m.window[1],
        dueDate: toIso(ctx.dateOf(m.window[1])).slice(0, 10),
        events: ctx.cfg.milestones[id].events,
        ...(c.titles[id] !== undefined && { title: c.titles[id] }),
        ...(c.cta[id] !== undefined && { cta: c.cta[id] }),
      },
    ]
  })
  const done = items.filter((i) => i.status === 'done' || i.status === 'done_late').length
  return {
    id: 'checklist',
    kind: 'checklist',
    lane: ctx.cfg.experiences.lanes.checklist,
    reason: `phase ${state.phase.id}, day ${ctx.day}: ${done} of ${items.length} onboarding milestones done`,
    day: ctx.day,
    items,
  }
}

function guideOf(ctx: Ctx, guideId: string, trigger: GuideExperience['trigger'], reason: string): GuideExperience {
  const g = ctx.cfg.guides.find((gd) => gd.id === guideId)!
  const x = ctx.cfg.experiences
  return {
    id: `guide:${g.id}`,
    kind: 'guide',
    lane: x.lanes.guide,
    reason,
    guideId: g.id,
    ...(g.feature !== undefined && { feature: g.feature }),
    trigger,
    steps: g.steps.map((s) => ({
      kind: s.kind ?? (s.selector !== undefined ? 'tooltip' : 'modal'),
      ...(s.selector !== undefined && { selector: s.selector }),
      ...(s.text !== undefined && { text: s.text }),
      title: s.title,
      body: s.body,
      ...(s.path !== undefined && { path: s.path }),
    })),
    missingTarget: x.guides.missingTarget,
    waitMs: x.guides.waitMs,
  }
}

/**
 * The programs as the end user reads them: the benefit in `locale` from `experiences.advocacy.benefits`
 * (one text for all, else this locale's, else English), else the program's own (the journey's label).
 */
function offers(ctx: Ctx, programs: { id: string; benefit: string }[], locale: Locale): AdvocacyProgramOffer[] {
  const { links, benefits } = ctx.cfg.experiences.advocacy
  return programs.map((p) => {
    const b = benefits[p.id]
    const benefit = (typeof b === 'string' ? b : (b?.[locale] ?? b?.en)) ?? p.benefit
    return { id: p.id, benefit, ...(links[p.id] !== undefined && { url: links[p.id] }) }
  })
}

/**
 * The NPS survey for this user now, or null (journey.md "NPS", survey rules, defaults in
 * `nps.survey`):
 * - never while the account is in its first `notBeforeDay` (14) days;
 * - a user answers at most once per `everyDays` (90): no survey within 90 days of their last answer;
 * - a new ask opens when a rule asks: `health_check` (tech-touch, from day `healthCheckDay` 30, for a
 *   user who never answered), `periodic` (from day `fromDay` 90), `after_renewal` (`afterRenewalDays`
 *   30 after a `renewed`, for a user who has not answered since it); at most one ask per 90 days;
 * - an ask shown and not answered (dismissed, "ask me later", or the page left) returns after
 *   `dismissRetryDays` (7), at most `maxDismissals` (2) times; then it waits for the next ask.
 */
export function npsDecision(ctx: Ctx, h: History, notes: string[], locale: Locale = 'en'): NpsExperience | null {
  const s = ctx.cfg.nps.survey
  if (ctx.day < s.notBeforeDay) {
    notes.push(`nps: day ${ctx.day} is in the account's first ${s.notBeforeDay} days`)
    return null
  }
  const lastAnswer = last(h.of(ctx.cfg.events.nps))
  if (lastAnswer && ctx.at - lastAnswer.at < s.everyDays * DAY_MS) {
    notes.push(
      `nps: answered ${Math.floor((ctx.at - lastAnswer.at) / DAY_MS)} days ago (at most once per ${s.everyDays} days)`,
    )
    return null
  }
  // Asks (shows) since the last answer, in cycles: a cycle opens with a show and lasts `everyDays`.
  let cycle: FactEvent[] = []
  for (const e of h.of('experience_shown')) {
    if (e.properties.kind !== 'nps' || (lastAnswer && e.at <= lastAnswer.at)) continue
    if (cycle.length === 0 || e.at - cycle[0]!.at >= s.everyDays * DAY_MS) cycle = [e]
    else cycle.push(e)
  }
  const shows = cycle.length > 0 && ctx.at - cycle[0]!.at < s.everyDays * DAY_MS ? cycle : []
  let trigger: NpsExperience['trigger'] | null = null
  let why = ''
  if (shows.length > 0) {
    const lastShow = shows[shows.length - 1]!
    if (shows.length > s.maxDismissals) {
      notes.push(
        `nps: asked ${shows.length} times since ${toIso(shows[0]!.at).slice(0, 10)} without an answer (${s.maxDismissals} returns at most); next ask ${s.everyDays} days after the first`,
      )
      return null
    }
    if (ctx.at - lastShow.at < s.dismissRetryDays * DAY_MS) {
      notes.push(
        `nps: not answered ${Math.floor((ctx.at - lastShow.at) / DAY_MS)} days ago; returns after ${s.dismissRetryDays} days`,
      )
      return null
    }
    trigger = 'retry'
    why = `return ${shows.length} of ${s.maxDismissals} after an unanswered ask ${Math.floor((ctx.at - lastShow.at) / DAY_MS)} days ago`
  } else {
    const renewed = last(ctx.facts.filter((e) => e.name === ctx.cfg.events.renewed))
    // The renewal is the account's: its 30 days are account days, like the first 14 and day 90.
    if (
      renewed &&
      ctx.day - ctx.dayOf(renewed.at) >= s.afterRenewalDays &&
      !(lastAnswer && lastAnswer.at > renewed.at)
    ) {
      trigger = 'after_renewal'
      why = `${s.afterRenewalDays}+ days after the renewal of ${toIso(renewed.at).slice(0, 10)}`
    } else if (ctx.day >= s.fromDay) {
      trigger = 'periodic'
      why = `day ${ctx.day} >= ${s.fromDay}`
    } else if (ctx.cfg.touch === 'tech' && ctx.day >= s.healthCheckDay && !lastAnswer) {
      trigger = 'health_check'
      why = `day-${s.healthCheckDay} health check (tech-touch), day ${ctx.day}`
    }
  }
  if (trigger === null) {
    notes.push(
      `nps: no rule asks on day ${ctx.day} (health check ${s.healthCheckDay} for tech-touch, periodic from ${s.fromDay}, ${s.afterRenewalDays} days after a renewal)`,
    )
    return null
  }
  const id = `nps:${toIso(shows[0]?.at ?? ctx.at).slice(0, 10)}`
  return {
    id,
    kind: 'nps',
    lane: ctx.cfg.experiences.lanes.nps,
    reason: `nps ${trigger}: ${why}`,
    trigger,
    followUps: followUps(ctx, locale),
  }
}

/**
 * The advocacy level one answer alone gives and its programs (journey.md "Advocacy levels"): 9
 * loyal, 10 promoter, either with a marketing participation evangelist (its programs first, then
 * the answer's own); null below 9 (by default).
 */
function answerLevel(
  ctx: Ctx,
  score: number,
): { level: 'loyal' | 'promoter' | 'evangelist'; programs: { id: string; benefit: string }[] } | null {
  const a = ctx.cfg.advocacy
  const own = score >= a.promoterMin ? 'promoter' : score >= a.loyalMin ? 'loyal' : null
  if (own === null) return null
  if (ctx.facts.some((e) => a.marketingEvents.includes(e.name)))
    return { level: 'evangelist', programs: [...a.programs.evangelist, ...a.programs[own]] }
  return { level: own, programs: a.programs[own] }
}

/** The survey's own answers carry the experience they answer (sdk/wire.ts, engagement events). */
const inSurvey = (e: FactEvent) => e.properties.kind === 'nps' && typeof e.properties.experienceId === 'string'

/**
 * The ask that follows this user's own 9-10 answer when it came another way (journey.md "Advocacy
 * levels": an import, another survey tool), in any phase: the programs of that answer's level, made
 * once (until an advocacy experience is shown to this user after the answer), within the advocacy
 * cap and, like every modal, the attention budget. Only the user's latest answer in the advocacy
 * window counts: a later lower answer takes the ask back. An answer given in the in-app survey had
 * its ask right after it, as the survey's follow-up.
 */
function answerAsk(ctx: Ctx, h: History, notes: string[], locale: Locale): AdvocacyExperience | null {
  const x = ctx.cfg.experiences
  const windowDays = ctx.cfg.advocacy.windowDays
  const answer = last(
    h
      .of(ctx.cfg.events.nps)
      .filter((e) => npsScore(e.properties) !== null && ctx.dayOf(e.at) >= ctx.day - windowDays + 1),
  )
  if (!answer) return null
  const score = npsScore(answer.properties)!
  const date = toIso(answer.at).slice(0, 10)
  const own = score >= ctx.cfg.nps.promoterMin ? answerLevel(ctx, score) : null
  if (own === null) return null
  if (inSurvey(answer)) {
    notes.push(`advocacy: the ${score} of ${date} was answered in the survey, whose follow-up made the ask`)
    return null
  }
  if (h.of('experience_shown').some((e) => e.properties.kind === 'advocacy' && e.at >= answer.at)) {
    notes.push(`advocacy: asked after the ${score} of ${date} already`)
    return null
  }
  if (cappedKind(h, 'advocacy', ctx.at - x.caps.advocacy.days * DAY_MS, x.caps.advocacy.max, notes)) return null
  const source = typeof answer.properties.source === 'string' ? ` (source ${answer.properties.source})` : ''
  return {
    id: `advocacy:${own.level}`,
    kind: 'advocacy',
    lane: x.lanes.advocacy,
    reason: `${own.level}: this user answered ${score} on ${date}, not in the in-app survey${source}`,
    level: own.level,
    programs: offers(ctx, own.programs, locale),
    recovery: false,
  }
}

/** What each answer leads to (journey.md "Advocacy levels"): the programs of the level the answer alone would give. */
function followUps(ctx: Ctx, locale: Locale): NpsFollowUp[] {
  const a = ctx.cfg.advocacy
  const n = ctx.cfg.nps
  const programsFor = (score: number) => offers(ctx, answerLevel(ctx, score)?.programs ?? [], locale)
  const out: NpsFollowUp[] = [
    { min: 0, band: 'detractor', programs: [], recovery: true },
    { min: n.passiveMin, band: 'passive', programs: [], recovery: false },
  ]
  // 9 and 10 lead to different programs by default (loyal: review, beta; promoter: referral, case study).
  const promoterScores = [
    ...new Set([n.promoterMin, a.loyalMin, a.promoterMin].filter((s) => s >= n.promoterMin)),
  ].sort((p, q) => p - q)
  for (const s of promoterScores) out.push({ min: s, band: 'promoter', programs: programsFor(s), recovery: false })
  return out
}

/** A numeric score 0-10 from an `nps_response`'s properties, or null. */
export function npsScore(props: Record<string, unknown>): number | null {
  const s = toNumber(props.score)
  return s !== null && Number.isInteger(s) && s >= 0 && s <= 10 ? s : null
}
