/**
 * The asks that follow the user's own answers (journey.md "NPS" and "Advocacy levels"): the NPS
 * survey, what each of its answers leads to, and the advocacy ask after a 9-10 answer given
 * another way; with the programs as the end user reads them.
 */
import type { AdvocacyExperience, AdvocacyProgramOffer, NpsExperience, NpsFollowUp } from '../../sdk/wire'
import type { Ctx } from './context'
import { cappedKind, last } from './experience-history'
import type { History } from './experience-history'
import type { FactEvent } from './facts'
import { DAY_MS, toIso, toNumber } from './time'
import { inLocale } from './texts'
import type { Locale } from './value'

/**
 * The programs as the end user reads them: the benefit in `locale` from `experiences.advocacy.benefits`
 * (one text for all, else this locale's, else English), else the program's own (the journey's label).
 */
export function offers(ctx: Ctx, programs: { id: string; benefit: string }[], locale: Locale): AdvocacyProgramOffer[] {
  const { links, benefits } = ctx.cfg.experiences.advocacy
  return programs.map((p) => {
    const b = benefits[p.id]
    const benefit = inLocale(b, locale) ?? p.benefit
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
export function answerAsk(ctx: Ctx, h: History, notes: string[], locale: Locale): AdvocacyExperience | null {
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
export function followUps(ctx: Ctx, locale: Locale): NpsFollowUp[] {
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
