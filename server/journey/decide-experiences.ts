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
 * - nps (modal): journey.md "NPS" survey rules, see `npsDecision` (nps-and-advocacy-asks.ts).
 * - advocacy (modal): in the advocacy phase, the programs of the account's level; a detractor
 *   account gets the recovery message instead. In any phase, this user's own 9-10 answer given
 *   outside the in-app survey (an import, another tool) is followed once by the programs of that
 *   answer's level, see `answerAsk` (an answer in the survey had them as its follow-up).
 * - message (modal): the in-app interventions low_usage, single_user, usage_declining, in the
 *   phases of `messagePhases` (not onboarding by default: a new user has the checklist).
 * - banner (inline): the renewal notice of tech-touch (auto-renewing) accounts.
 *
 * One attention budget over every modal kind (default: one per session, one per 24 hours, none
 * within 10 minutes of another; experience-history.ts): at most one modal experience is returned,
 * the highest priority. User-history windows (caps, budget, re-ask intervals) are rolling hours
 * from `at`; the account's own rules (the first 14 days, day 30, day 90) are account days, as
 * everywhere in the engine.
 */
import type {
  ChecklistExperience,
  Experience,
  ExperienceKind,
  ExperienceResponse,
  GuideExperience,
  MessageExperience,
} from '../../sdk/wire'
import type { BaseConfig, JourneyConfig } from './config-schema'
import type { Ctx } from './context'
import { budgetHold, cappedKind, historyOf, since } from './experience-history'
import type { History } from './experience-history'
import type { AccountFacts } from './facts'
import { journeyContext, stateOf } from './index'
import type { JourneyState } from './index'
import { answerAsk, npsDecision, offers } from './nps-and-advocacy-asks'
import { DAY_MS, toIso } from './time'
import { inLocale } from './texts'
import type { Localized } from './texts'
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

export const MESSAGE_SITUATIONS = ['low_usage', 'single_user', 'usage_declining'] as const

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

/**
 * The decisions of several users of one account, from the account's context and state at one time
 * (journeyContext, stateOf): the same as one decideExperiences call each, with the account's part
 * computed once (the dry run of a draft config asks every user of every account).
 */
export function decideExperiencesOfUsers(
  ctx: Ctx,
  state: JourneyState,
  inputs: readonly ExperienceInput[],
): ExperienceDecision[] {
  return inputs.map((input) => {
    const user = ctx.users.find((u) => u.userId === input.userId)
    const locale = localeOf(input.locale ?? user?.traits.locale)
    if (!user)
      return {
        experiences: [],
        launcher: [],
        locale,
        notes: [`user ${input.userId} has no event in account ${ctx.accountId}`],
      }
    return decide(ctx, state, historyOf(ctx, input.userId), input, locale)
  })
}

function decide(ctx: Ctx, state: JourneyState, h: History, input: ExperienceInput, locale: Locale): ExperienceDecision {
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
    const c = checklistOf(ctx, state, locale)
    launcher.push(c)
    const done = c.items.filter((i) => i.status === 'done' || i.status === 'done_late').length
    if (h.of('experience_dismissed', c.id).length > 0) notes.push('checklist: dismissed by this user (in the launcher)')
    else if (done === c.items.length) notes.push('checklist: every item done')
    else now.push(c)
  }

  // ---- guides: every one on demand; in the launcher once offered to this user; the feature_ignored intervention's one now
  const guides = ctx.cfg.guides.map((g) =>
    guideOf(ctx, locale, g.id, 'on_demand', 'on demand (checklist or jornada("show"))'),
  )
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
      now.push(guideOf(ctx, locale, g.id, 'feature_ignored', `intervention feature_ignored: ${iv.reason}`))
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
    now.push(messageOf(x, situation, locale, `intervention ${situation}: ${iv.reason}`))
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
  const texts = uiTexts(x, locale)
  return { experiences, launcher, ...(guides.length > 0 && { guides }), ...(texts && { texts }), locale, notes }
}

/** The UI catalog keys the config's NPS, banner and advocacy texts replace (sdk/ui/nps/texts.ts, sdk/ui/banner/texts.ts). */
const UI_TEXT_KEYS = {
  nps: {
    title: 'nps.title',
    question: 'nps.question',
    low: 'nps.low',
    high: 'nps.high',
    comment: 'nps.comment',
    submit: 'nps.submit',
    thanks: 'nps.thanks_body',
  },
  banner: { text: 'banner.renewal', cta: 'banner.cta' },
  advocacy: { title: 'advocacy.title', accept: 'advocacy.accept', accepted: 'advocacy.accepted' },
} as const

/**
 * The workspace's own words for the UI's texts in `locale`, by catalog key (the advocacy programs'
 * names as `program.<id>`); undefined when it has none.
 */
export function uiTexts(x: BaseConfig['experiences'], locale: Locale): Record<string, string> | undefined {
  const out: Record<string, string> = {}
  for (const part of ['nps', 'banner', 'advocacy'] as const)
    for (const [field, key] of Object.entries(UI_TEXT_KEYS[part])) {
      const t = inLocale((x[part].texts as Record<string, Localized | undefined>)[field], locale)
      if (t !== undefined) out[key] = t
    }
  for (const [program, name] of Object.entries(x.advocacy.names)) {
    const t = inLocale(name, locale)
    if (t !== undefined) out[`program.${program}`] = t
  }
  return Object.keys(out).length > 0 ? out : undefined
}

/** The in-app message of an intervention's situation, its texts in `locale`. */
export function messageOf(
  x: BaseConfig['experiences'],
  situation: MessageExperience['situation'],
  locale: Locale,
  reason: string,
): MessageExperience {
  const m = x.messages[situation]
  const msg: MessageExperience = {
    id: `message:${situation}`,
    kind: 'message',
    lane: x.lanes.message,
    reason,
    situation,
  }
  const title = inLocale(m.title, locale)
  const body = inLocale(m.body, locale)
  if (title !== undefined) msg.title = title
  if (body !== undefined) msg.body = body
  if (m.cta !== undefined) msg.cta = m.cta
  if (m.options !== undefined) msg.options = m.options
  return msg
}

export function checklistOf(ctx: Ctx, state: JourneyState, locale: Locale): ChecklistExperience {
  const c = ctx.cfg.experiences.checklist
  const items = c.items.flatMap((id) => {
    const m = state.milestones.find((ms) => ms.id === id)
    if (!m) return []
    const title = inLocale(c.titles[id], locale)
    return [
      {
        id,
        status: m.status,
        dueDay: m.window[1],
        dueDate: toIso(ctx.dateOf(m.window[1])).slice(0, 10),
        events: ctx.cfg.milestones[id].events,
        ...(title !== undefined && { title }),
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

export function guideOf(
  ctx: Ctx,
  locale: Locale,
  guideId: string,
  trigger: GuideExperience['trigger'],
  reason: string,
): GuideExperience {
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
      title: inLocale(s.title, locale) ?? '',
      body: inLocale(s.body, locale) ?? '',
      ...(s.path !== undefined && { path: s.path }),
    })),
    missingTarget: x.guides.missingTarget,
    waitMs: x.guides.waitMs,
  }
}
