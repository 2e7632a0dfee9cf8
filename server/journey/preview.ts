/**
 * Every kind of experience a config would show, as the SDK's UI receives it, for the console's
 * preview (docs/console.md, "Preview"). The experiences are built by the same functions the
 * experience decision uses, in the locale asked for, from the config as given (a draft), so that
 * the preview is what an end user would see; only the account is made up:
 * - the checklist: a new account on its third day, nothing done yet (every item upcoming or due);
 * - the value statement: an account whose last period had each `value.minutesSaved` event ten
 *   times and each metric 10% better than the period before (the figures say "sample" nowhere:
 *   the console says so beside the preview);
 * - the NPS survey with its follow-ups, the advocacy ask of a promoter, each intervention message,
 *   the renewal banner 30 days before a renewal; every guide on demand, as `show(id)` opens it.
 * Pure: no store, no clock (`at` is given).
 */
import type { Experience, ExperienceResponse } from '../../sdk/wire'
import type { JourneyConfig } from './config-schema'
import { checklistOf, guideOf, MESSAGE_SITUATIONS, messageOf, uiTexts } from './decide-experiences'
import type { AccountFacts, DayActivity, FactEvent } from './facts'
import { journeyContext, stateOf } from './index'
import { followUps, offers } from './nps-and-advocacy-asks'
import { DAY_MS, toIso } from './time'
import { computeValue } from './value'
import type { Locale } from './value'
import type { Segment } from './vocabulary'

const USER = 'preview-user'

/** A made-up account at `at` that started `ageDays` ago, with `days` of activity and `facts`. */
function account(segment: Segment | undefined, at: number, ageDays: number, days: DayActivity[], facts: FactEvent[]) {
  const facts_: AccountFacts = {
    accountId: 'preview',
    traits: segment === undefined ? {} : { segment },
    firstEventAt: at - ageDays * DAY_MS,
    users: [{ userId: USER, traits: {} }],
    days,
    facts,
    workspaceFeatures: [],
    override: null,
  }
  return facts_
}

const midnight = (t: number) => Math.floor(t / DAY_MS) * DAY_MS

/** The preview of every kind under `config`, for an account of `segment` (none: smb, as for any account without one). */
export function previewExperiences(
  config: JourneyConfig,
  locale: Locale,
  at: number,
  segment?: Segment,
): ExperienceResponse {
  // A new account: the checklist as it first shows.
  const fresh = journeyContext(config, account(segment, at, 2, [], []), at)
  const x = fresh.cfg.experiences
  const lane = <K extends Experience['kind']>(kind: K) => ({ kind, lane: x.lanes[kind] })

  // An account with a period of use behind it: the value statement.
  const period = x.value.periodDays
  const days: DayActivity[] = []
  const counts = Object.fromEntries(Object.keys(fresh.cfg.value.minutesSaved).map((name) => [name, 10]))
  for (let d = period - 1; d >= 0; d--)
    days.push({
      date: midnight(at) - d * DAY_MS,
      users: [{ userId: USER, logins: 1, events: 10 }],
      features: [],
      counts: d === 0 ? counts : {},
    })
  const metric = (id: string, value: number, t: number, n: number): FactEvent => ({
    id: `preview-metric-${id}-${n}`,
    name: 'value_metric',
    at: t,
    userId: USER,
    properties: { metric: id, value },
  })
  const metrics = fresh.cfg.value.metrics.flatMap((m, i) => [
    metric(m.id, 100, at - (period + 1) * DAY_MS, i * 2),
    metric(m.id, m.better === 'higher' ? 110 : 90, at - DAY_MS, i * 2 + 1),
  ])
  const used = journeyContext(config, account(segment, at, period * 3, days, metrics), at)
  const statement = computeValue(used, period, locale)

  const promoter = fresh.cfg.advocacy.programs.promoter
  const renewal = midnight(at) + 30 * DAY_MS
  const experiences: Experience[] = [
    checklistOf(fresh, stateOf(fresh), locale),
    { id: `value:${statement.to.slice(0, 10)}`, ...lane('value'), reason: 'preview', statement },
    { id: 'nps:preview', ...lane('nps'), reason: 'preview', trigger: 'periodic', followUps: followUps(fresh, locale) },
    {
      id: 'advocacy:promoter',
      ...lane('advocacy'),
      reason: 'preview',
      level: 'promoter',
      programs: offers(fresh, promoter, locale),
      recovery: false,
    },
    ...MESSAGE_SITUATIONS.map((s) => messageOf(x, s, locale, 'preview')),
    {
      id: `banner:renewal:${toIso(renewal).slice(0, 10)}`,
      ...lane('banner'),
      reason: 'preview',
      renewalDate: toIso(renewal),
      daysToRenewal: 30,
      ...(x.banner.cta && { cta: x.banner.cta }),
    },
  ]
  const guides = fresh.cfg.guides.map((g) => guideOf(fresh, locale, g.id, 'on_demand', 'preview'))
  const texts = uiTexts(x, locale)
  return { experiences, launcher: [], ...(guides.length > 0 && { guides }), ...(texts && { texts }), locale }
}
