import { describe, expect, it } from 'vitest'
import { decideExperiences } from '../../server/journey/decide-experiences'
import { journeyState } from '../../server/journey'
import type { ExperienceDecision } from '../../server/journey/decide-experiences'
import type { Experience } from '../../sdk/wire'
import { account, at, config, DAY } from './builders'
import type { AccountBuilder } from './builders'

const cfgDoc = {
  features: [{ id: 'reports', core: true }, { id: 'alerts' }],
  value: {
    minutesSaved: { report_generated: 15 },
    metrics: [{ id: 'conversion_rate', label: 'conversion rate', better: 'higher' }],
    hourlyRate: 40,
    pricePerMonth: 300,
  },
  guides: [
    {
      id: 'reports-tour',
      feature: 'reports',
      steps: [
        { selector: '#new-report', title: 'New report', body: 'Click **here**' },
        { title: 'Done', body: 'That is all' },
      ],
    },
  ],
  experiences: { checklist: { cta: { setup: { url: '/setup' }, first_value: { guide: 'reports-tour' } } } },
}
const cfg = config(cfgDoc)

const decide = (
  b: AccountBuilder,
  t: number,
  input: { userId?: string; sessionId?: string; locale?: string } = {},
): ExperienceDecision => decideExperiences(cfg, b.buildAt(t), t, { userId: 'u1', ...input })
const kinds = (d: ExperienceDecision) => d.experiences.map((e) => e.kind)
const find = <K extends Experience['kind']>(d: ExperienceDecision, kind: K) =>
  d.experiences.find((e) => e.kind === kind) as Extract<Experience, { kind: K }> | undefined

/** An account used every day by u1 (logins and a report), so that no intervention fires unless a test wants it. */
const busy = (days: number) => {
  const b = account().traits({ seats: 1 }).user('u1')
  for (let d = 0; d <= days; d++) b.login(d).feature(d, 'reports').feature(d, 'alerts')
  return b
}
/** `experience_shown` of `id` by u1 at time `t`. */
const shown = (b: AccountBuilder, id: string, kind: string, t: number, sessionId = 's-old') =>
  b.factAt('experience_shown', t, { experienceId: id, kind, sessionId }, 'u1')
/** u1's answer in the in-app survey on day `d` (its follow-up made any advocacy ask). */
const surveyed = (b: AccountBuilder, d: number, score: number) =>
  b.fact('nps_response', d, { experienceId: 'nps:survey', kind: 'nps', score }, 'u1')

describe('experience decision (api.md "Experiences", journey.md)', () => {
  it('EX01 checklist: the onboarding milestones, account-level, with due days and calls to action', () => {
    const b = account()
      .user('u1')
      .user('u2')
      .login(0)
      .fact('welcome_email_sent', 0)
      .fact('setup_completed', 4, {}, 'u2')
    const d = decide(b, at(5))
    const c = find(d, 'checklist')!
    expect(c.lane).toBe('inline')
    expect(c.items.map((i) => [i.id, i.status, i.dueDay])).toEqual([
      ['welcome', 'done', 0],
      ['kickoff', 'overdue', 3],
      ['setup', 'done', 7],
      ['first_value', 'upcoming', 14],
      ['training', 'upcoming', 21],
      ['health_check', 'upcoming', 30],
    ])
    // Done by a teammate (u2) is done for u1.
    expect(c.items.find((i) => i.id === 'setup')).toMatchObject({
      events: ['setup_completed'],
      cta: { url: '/setup' },
      dueDate: '2026-01-12',
    })
    expect(c.items.find((i) => i.id === 'first_value')!.cta).toEqual({ guide: 'reports-tour' })
    expect(d.launcher.map((e) => e.id)).toContain('checklist')
  })

  it('EX02 checklist: not after onboarding, and not once this user dismissed it (still in the launcher)', () => {
    const b = account().user('u1').login(0)
    expect(kinds(decide(b, at(31)))).not.toContain('checklist')
    b.fact('experience_dismissed', 2, { experienceId: 'checklist', kind: 'checklist', reason: 'close' }, 'u1')
    const d = decide(b, at(3))
    expect(kinds(d)).not.toContain('checklist')
    expect(d.launcher.map((e) => e.id)).toContain('checklist')
    // Another user of the account still sees it.
    expect(kinds(decide(b.user('u2').login(3, 'u2'), at(3), { userId: 'u2' }))).toContain('checklist')
  })

  it('EX03 nothing for a user who has no event in the account (ids guessed from another account)', () => {
    const d = decide(account().user('u1').login(0), at(2), { userId: 'stranger' })
    expect(d.experiences).toEqual([])
    expect(d.launcher).toEqual([])
  })

  it('EX04 guide: started by the feature_ignored intervention for its feature (tech-touch), from day 45', () => {
    const b = account().traits({ seats: 1 }).user('u1')
    for (let d = 0; d <= 50; d++) b.login(d).feature(d, 'alerts')
    // Answered the day-30 NPS, which would otherwise come first (priority 60 > 40).
    surveyed(b, 31, 9)
    const d = decide(b, at(50))
    const g = find(d, 'guide')!
    expect(g).toMatchObject({
      id: 'guide:reports-tour',
      trigger: 'feature_ignored',
      feature: 'reports',
      missingTarget: 'modal',
      waitMs: 5000,
    })
    expect(g.steps.map((s) => s.kind)).toEqual(['tooltip', 'modal'])
    expect(g.reason).toMatch(/feature_ignored: core feature reports unused/)
    expect(find(decide(b, at(44)), 'guide')).toBeUndefined()
    // High-touch: the intervention is a CSM task, not an in-app guide.
    expect(find(decide(b.traits({ segment: 'enterprise' }), at(50)), 'guide')).toBeUndefined()
  })

  it('EX05 guide: in the launcher once offered to this user; a completed guide is not started again', () => {
    const b = account().traits({ seats: 1 }).user('u1')
    for (let d = 0; d <= 50; d++) b.login(d).feature(d, 'alerts')
    b.fact('experience_completed', 49, { experienceId: 'guide:reports-tour', kind: 'guide' }, 'u1')
    const d = decide(b, at(50))
    expect(find(d, 'guide')).toBeUndefined()
    expect(d.launcher.find((e) => e.id === 'guide:reports-tour')).toMatchObject({ trigger: 'on_demand' })
    expect(d.notes.join('\n')).toMatch(/completed by this user/)
  })

  it('EX05b guide: selector lists and text reach the wire as configured', () => {
    const c = config({
      guides: [
        {
          id: 'g',
          steps: [
            { selector: ['#old-id', '.new-class'], text: 'Export', title: 'T', body: 'B' },
            { title: 'M', body: 'B' },
          ],
        },
      ],
    })
    const d = decideExperiences(c, busy(10).buildAt(at(10)), at(10), { userId: 'u1' })
    const g = d.guides!.find((e) => e.id === 'guide:g')!
    expect(g.steps).toEqual([
      { kind: 'tooltip', selector: ['#old-id', '.new-class'], text: 'Export', title: 'T', body: 'B' },
      { kind: 'modal', title: 'M', body: 'B' },
    ])
  })

  it("EX05c guide: on demand only, listed once offered to this user (a teammate's show does not count)", () => {
    const c = config({
      guides: [
        { id: 'g1', steps: [{ title: 'T', body: 'B' }] },
        { id: 'g2', steps: [{ title: 'T', body: 'B' }] },
        { id: 'g3', steps: [{ title: 'T', body: 'B' }] },
      ],
    })
    const b = busy(10).user('u2').login(9, 'u2')
    b.fact('experience_shown', 8, { experienceId: 'guide:g1', kind: 'guide' }, 'u1')
    b.fact('experience_dismissed', 8, { experienceId: 'guide:g2', kind: 'guide', reason: 'escape' }, 'u1')
    b.fact('experience_shown', 8, { experienceId: 'guide:g3', kind: 'guide' }, 'u2')
    const d = decideExperiences(c, b.buildAt(at(10)), at(10), { userId: 'u1' })
    expect(d.launcher.filter((e) => e.kind === 'guide').map((e) => e.id)).toEqual(['guide:g1', 'guide:g2'])
    expect(d.guides!.map((g) => [g.id, g.trigger])).toEqual([
      ['guide:g1', 'on_demand'],
      ['guide:g2', 'on_demand'],
      ['guide:g3', 'on_demand'],
    ])
    const u2 = decideExperiences(c, b.buildAt(at(10)), at(10), { userId: 'u2' })
    expect(u2.launcher.filter((e) => e.kind === 'guide').map((e) => e.id)).toEqual(['guide:g3'])
    // No guide configured: no `guides` at all.
    expect(decideExperiences(config(), b.buildAt(at(10)), at(10), { userId: 'u1' })).not.toHaveProperty('guides')
  })

  it('EX05d guides configured, nothing to show: experiences and launcher empty (no UI download)', () => {
    // Day 35 (adoption): two active users of two seats, both core features used, the day-30 NPS
    // answered, no value event or metric, no renewal date: no checklist, survey, message, value,
    // banner or guide offered yet. The two guides of `cfg` wait in `guides`, on demand.
    const b = account().traits({ seats: 2 }).user('u1').user('u2')
    for (let d = 0; d <= 35; d++) b.login(d).login(d, 'u2').feature(d, 'reports').feature(d, 'alerts')
    b.nps(31, 'u1', 8)
    const d = decide(b, at(35))
    expect(d.experiences).toEqual([])
    expect(d.launcher).toEqual([])
    expect(d.guides!.map((g) => g.id)).toEqual(['guide:reports-tour'])
    expect(d.notes.join('\n')).toMatch(/value: nothing to say/)
  })

  it('EX06 value: from the value phase on, with the statement; in the launcher before', () => {
    const b = busy(100)
    for (let d = 71; d <= 100; d++) b.track(d, 'report_generated')
    b.fact('value_metric', 60, { metric: 'conversion_rate', value: 2 }).fact('value_metric', 95, {
      metric: 'conversion_rate',
      value: 2.5,
    })
    surveyed(b, 95, 9) // the NPS survey would come first otherwise
    const d = decide(b, at(100))
    const v = find(d, 'value')!
    expect(v.reason).toMatch(/phase value/)
    expect(v.statement).toMatchObject({
      hoursSaved: 7.5,
      periodDays: 30,
      metrics: [{ id: 'conversion_rate', previous: 2, current: 2.5, change: 0.25 }],
    })
    expect(v.statement.text).toBe(
      'In the last 30 days, you:\n- saved 7.5 hours of manual work\n- increased conversion rate by 25%\n- estimated ROI: 1x',
    )
    const early = busy(70)
    for (let d2 = 60; d2 <= 70; d2++) early.track(d2, 'report_generated')
    const e = decide(early, at(70))
    expect(kinds(e)).not.toContain('value')
    expect(e.launcher.map((x) => x.kind)).toContain('value')
  })

  it('EX07 value: once per 30 days (cap), whatever the statement date', () => {
    const b = busy(115)
    for (let d = 71; d <= 115; d++) b.track(d, 'report_generated')
    surveyed(b, 95, 9)
    shown(b, 'value:2026-03-20', 'value', at(80))
    expect(kinds(decide(b, at(100)))).not.toContain('value')
    expect(kinds(decide(b, at(111)))).toContain('value')
  })

  it('EX08 message: single_user invite, low_usage re-engagement, usage_declining diagnosis options', () => {
    const b = account().traits({ seats: 5 }).user('u1')
    for (let d = 0; d <= 40; d++) b.login(d).feature(d, 'reports').feature(d, 'alerts')
    surveyed(b, 31, 9)
    expect(find(decide(b, at(40)), 'message')).toMatchObject({ id: 'message:single_user', situation: 'single_user' })
    const idle = surveyed(account().user('u1').login(0), 31, 9)
    expect(find(decide(idle, at(40)), 'message')).toMatchObject({ situation: 'low_usage' })
    const declining = account().traits({ seats: 1 }).user('u1')
    for (let d = 13; d <= 26; d++) declining.login(d).feature(d, 'reports')
    surveyed(declining.login(27).login(35).feature(35, 'reports').feature(35, 'alerts'), 31, 9)
    const m = find(decide(declining, at(40)), 'message')!
    expect(m).toMatchObject({
      situation: 'usage_declining',
      options: ['too_complex', 'missing_feature', 'no_time', 'switched_tool', 'other'],
    })
  })

  it('EX09 banner: tech-touch renewal notice 30 days before; not enterprise; snoozed 7 days', () => {
    const b = busy(300).traits({ renewalDate: '2027-01-05' })
    // Renewal day 365 (2027-01-05); at day 335 there are 30 days left.
    const d = decide(b, at(335))
    expect(find(d, 'banner')).toMatchObject({ id: 'banner:renewal:2027-01-05', lane: 'inline', daysToRenewal: 30 })
    expect(find(decide(b, at(334)), 'banner')).toBeUndefined()
    expect(find(decide(b.traits({ segment: 'enterprise' }), at(335)), 'banner')).toBeUndefined()
    b.traits({ segment: 'smb' }).fact(
      'experience_dismissed',
      336,
      { experienceId: 'banner:renewal:2027-01-05', kind: 'banner', reason: 'close' },
      'u1',
    )
    expect(find(decide(b, at(340)), 'banner')).toBeUndefined()
    expect(find(decide(b, at(344)), 'banner')).toBeDefined()
  })

  it('EX10 churned account: nothing', () => {
    const b = busy(100).fact('churned', 99)
    expect(decide(b, at(100)).experiences).toEqual([])
  })
})

describe('NPS timing (journey.md "NPS": "ask a user at most once per 90 days; never in the first 14 days of an account; ask at the day-30 health check (tech-touch), at `day >= 90` and 30 days after a renewal; a dismissed survey may return after 7 days, at most twice"; "Advocacy levels" for the follow-ups)', () => {
  const nps = (b: AccountBuilder, t: number) => find(decide(b, t), 'nps')

  it('NP01 never in the first 14 days of an account', () => {
    expect(nps(busy(13), at(13))).toBeUndefined()
  })

  it('NP02 first ask at the day-30 health check for tech-touch; enterprise waits for day 90', () => {
    expect(nps(busy(29), at(29))).toBeUndefined()
    expect(nps(busy(30), at(30))).toMatchObject({ trigger: 'health_check', lane: 'modal' })
    expect(nps(busy(30).traits({ segment: 'enterprise' }), at(30))).toBeUndefined()
    expect(nps(busy(90).traits({ segment: 'enterprise' }), at(90))).toMatchObject({ trigger: 'periodic' })
  })

  it('NP03 at most once per 90 days: no survey within 90 days of the last answer', () => {
    const b = busy(200).nps(100, 'u1', 8)
    expect(nps(b, at(189))).toBeUndefined()
    expect(nps(b, at(190))).toMatchObject({ trigger: 'periodic' })
  })

  it('NP04 an unanswered ask returns after 7 days, at most twice, then 90 days from the first ask', () => {
    const b = busy(300)
    shown(b, 'nps:x', 'nps', at(100)).fact(
      'experience_dismissed',
      100,
      { experienceId: 'nps:x', kind: 'nps', reason: 'later' },
      'u1',
      1,
    )
    expect(nps(b, at(106))).toBeUndefined()
    expect(nps(b, at(107))).toMatchObject({ trigger: 'retry' })
    shown(b, 'nps:x', 'nps', at(107))
    expect(nps(b, at(114))).toMatchObject({ trigger: 'retry' })
    shown(b, 'nps:x', 'nps', at(114))
    expect(nps(b, at(121))).toBeUndefined()
    expect(nps(b, at(189))).toBeUndefined()
    expect(nps(b, at(190))).toMatchObject({ trigger: 'periodic' })
  })

  it('NP05 30 days after a renewal, for a user who has not answered since', () => {
    const b = busy(400).nps(300, 'u1', 9).fact('renewed', 365)
    expect(nps(b, at(380))).toBeUndefined()
    // At 395: 95 days since the last answer, 30 since the renewal.
    expect(nps(b, at(395))).toMatchObject({ trigger: 'after_renewal' })
  })

  it('NP07 30 days after a renewal in account days: renewed day 40 23:00, asked day 70 01:00', () => {
    const b = busy(80)
      .traits({ segment: 'enterprise' })
      .fact('renewed', 40, {}, null, 11 * 60)
    expect(nps(b, at(69, 23))).toBeUndefined()
    expect(nps(b, at(70, 1))).toMatchObject({ trigger: 'after_renewal' })
  })

  it('NP06 follow-ups: 0-6 recovery, 7-8 thanks, 9 loyal programs, 10 promoter programs', () => {
    const f = nps(busy(30), at(30))!.followUps
    expect(f.map((x) => [x.min, x.band, x.recovery, x.programs.map((p) => p.id)])).toEqual([
      [0, 'detractor', true, []],
      [7, 'passive', false, []],
      [9, 'promoter', false, ['review', 'beta_program']],
      [10, 'promoter', false, ['referral', 'case_study']],
    ])
  })
})

describe('attention budget and priorities (config experiences.budget, priority, lanes)', () => {
  /** Day 100, tech-touch: NPS (periodic), value and invite-your-team all want to show. */
  const crowded = () => {
    const b = account().traits({ seats: 5 }).user('u1')
    for (let d = 0; d <= 100; d++) b.login(d).feature(d, 'reports').feature(d, 'alerts')
    for (let d = 71; d <= 100; d++) b.track(d, 'report_generated')
    return b
  }

  it('BU01 one modal at a time, the highest priority (nps 60 > message 30 > value 20), inline beside', () => {
    const b = crowded().traits({ renewalDate: '2026-05-05' })
    const d = decide(b, at(100))
    expect(d.experiences.filter((e) => e.lane === 'modal').map((e) => e.kind)).toEqual(['nps'])
    expect(kinds(d)).toContain('banner')
    expect(d.notes.join('\n')).toMatch(/one modal experience at a time; waiting: message:single_user, value:/)
  })

  it('BU02 at most one modal per session: a second request in the same session gets none', () => {
    const b = shown(crowded(), 'nps:2026-04-15', 'nps', at(99), 's1')
    const d = decide(b, at(100), { sessionId: 's1' })
    expect(d.experiences.filter((e) => e.lane === 'modal')).toEqual([])
    expect(d.notes.join('\n')).toMatch(/already this session/)
  })

  it('BU03 at most one modal per 24 hours, across sessions and kinds', () => {
    const b = shown(crowded(), 'message:low_usage', 'message', at(100) - 23 * 3_600_000)
    expect(decide(b, at(100), { sessionId: 's2' }).experiences.filter((e) => e.lane === 'modal')).toEqual([])
    expect(
      decide(b, at(100) + 1 * 3_600_000, { sessionId: 's2' }).experiences.filter((e) => e.lane === 'modal').length,
    ).toBe(1)
  })

  it('BU04 none within 10 minutes of another (gap), even when the daily budget allows more', () => {
    const c = config({
      experiences: { budget: { perDay: 5, perSession: 5 } },
      value: { minutesSaved: { report_generated: 15 } },
    })
    const b = shown(crowded(), 'message:single_user', 'message', at(100) - 9 * 60_000)
    const d1 = decideExperiences(c, b.buildAt(at(100)), at(100), { userId: 'u1', sessionId: 's1' })
    expect(d1.experiences.filter((e) => e.lane === 'modal')).toEqual([])
    expect(d1.notes.join('\n')).toMatch(/gap 10/)
    const d2 = decideExperiences(c, b.buildAt(at(100) + 60_000), at(100) + 60_000, { userId: 'u1', sessionId: 's1' })
    expect(d2.experiences.filter((e) => e.lane === 'modal').length).toBe(1)
  })

  it('BU05 checklists and banners are never counted or held back by the budget', () => {
    const b = account().user('u1').login(0)
    shown(b, 'message:low_usage', 'message', at(2) - 60_000, 's1')
    const d = decide(b, at(2), { sessionId: 's1' })
    expect(kinds(d)).toEqual(['checklist'])
  })

  it('BU06 frequency caps per kind: a message is shown at most once per 7 days', () => {
    const b = shown(crowded(), 'message:single_user', 'message', at(100) - 3 * DAY)
    const c = config({ experiences: { priority: { message: 100 } }, value: { minutesSaved: { report_generated: 15 } } })
    const d = decideExperiences(c, b.buildAt(at(100)), at(100), { userId: 'u1' })
    expect(d.experiences.map((e) => e.id)).not.toContain('message:single_user')
    expect(d.notes.join('\n')).toMatch(/message:single_user: shown 1 times in the last 7 days \(cap 1\)/)
  })

  it('BU08 caps: a feature_ignored guide at most once per 7 days while not completed; cap is config', () => {
    const b = account().traits({ seats: 1 }).user('u1')
    for (let d = 0; d <= 60; d++) b.login(d).feature(d, 'alerts')
    surveyed(b, 31, 9)
    shown(b, 'guide:reports-tour', 'guide', at(47))
    const d = decide(b, at(50))
    expect(find(d, 'guide')).toBeUndefined()
    expect(d.notes.join('\n')).toMatch(/guide:reports-tour: shown 1 times in the last 7 days \(cap 1\)/)
    // Shown and neither completed nor dismissed for good: offered again once the week has passed.
    expect(find(decide(b, at(54) + 60_000), 'guide')).toMatchObject({
      id: 'guide:reports-tour',
      trigger: 'feature_ignored',
    })
    const twice = config({ ...cfgDoc, experiences: { ...cfgDoc.experiences, caps: { guide: { max: 2, days: 7 } } } })
    expect(
      decideExperiences(twice, b.buildAt(at(50)), at(50), { userId: 'u1' }).experiences.map((e) => e.id),
    ).toContain('guide:reports-tour')
  })

  it('BU09 frequency caps per kind: an advocacy ask at most once per 30 days', () => {
    const b = busy(420).fact('renewed', 366).nps(370, 'u1', 10)
    shown(b, 'advocacy:promoter', 'advocacy', at(375))
    const d = decide(b, at(380))
    expect(find(d, 'advocacy')).toBeUndefined()
    expect(d.notes.join('\n')).toMatch(/advocacy:promoter: shown 1 times in the last 30 days \(cap 1\)/)
    expect(find(decide(b, at(404)), 'advocacy')).toBeUndefined()
    expect(find(decide(b, at(405) + 60_000), 'advocacy')).toMatchObject({ id: 'advocacy:promoter', level: 'promoter' })
  })

  it('BU07 priorities come from the config: message above nps when told so', () => {
    const c = config({ experiences: { priority: { message: 100 } } })
    const b = crowded()
    const d = decideExperiences(c, b.buildAt(at(100)), at(100), { userId: 'u1' })
    expect(d.experiences.find((e) => e.lane === 'modal')!.kind).toBe('message')
  })
})

describe('advocacy (journey.md "Advocacy levels": "in the `advocacy` phase it is made to the account\'s users by the account\'s level"; benefits in the user\'s locale, not the journey\'s labels)', () => {
  const advocacyPhase = (score: number, extra?: (b: AccountBuilder) => void) => {
    const b = busy(400).fact('renewed', 366).nps(370, 'u1', score)
    extra?.(b)
    return b
  }

  it('AD01 in the advocacy phase, promoters get the promoter programs with their links', () => {
    const c = config({ experiences: { advocacy: { links: { referral: 'https://vendor.example/refer' } } } })
    const d = decideExperiences(c, advocacyPhase(10).buildAt(at(380)), at(380), { userId: 'u1' })
    const a = d.experiences.find((e) => e.kind === 'advocacy')
    expect(a).toMatchObject({
      level: 'promoter',
      recovery: false,
      programs: [
        {
          id: 'referral',
          benefit: 'A discount or credit on your plan for each friend who joins.',
          url: 'https://vendor.example/refer',
        },
        { id: 'case_study', benefit: 'Exposure for your company and your team’s results.' },
      ],
    })
  })

  it("AD05 benefits read as sentences in the user's locale, in the ask and in the NPS follow-ups", () => {
    const b = advocacyPhase(10)
    const benefits = (d: ExperienceDecision) => find(d, 'advocacy')!.programs.map((p) => p.benefit)
    expect(benefits(decide(b, at(380)))).toEqual([
      'A discount or credit on your plan for each friend who joins.',
      'Exposure for your company and your team’s results.',
    ])
    expect(benefits(decide(b, at(380), { locale: 'pt-BR' }))).toEqual([
      'Um desconto ou crédito no seu plano para cada amigo que entrar.',
      'Exposição para a sua empresa e os resultados do seu time.',
    ])
    for (const label of ['discount/credit', 'exposure', 'visibility', 'early access', 'influence'])
      expect(JSON.stringify(decide(b, at(380), { locale: 'pt-BR' }))).not.toContain(`"benefit":"${label}"`)
    // The survey's follow-ups too (a 9 gets the loyal programs).
    const f = find(decide(busy(30), at(30), { locale: 'pt-BR' }), 'nps')!.followUps.find((x) => x.min === 9)!
    expect(f.programs.map((p) => p.benefit)).toEqual([
      'Ajude times como o seu a escolher bem e dê visibilidade à sua empresa.',
      'Acesso antecipado a novos recursos, moldados pelo seu feedback.',
    ])
    // The journey state (for CSMs, GET /v1/accounts/:id/journey) keeps the seed's labels.
    expect(journeyState(cfg, b.buildAt(at(380)), at(380)).advocacy.programs.map((p) => p.benefit)).toEqual([
      'discount/credit',
      'exposure',
    ])
  })

  it('AD06 a benefit for every locale or per locale; a program without one shows its own benefit', () => {
    const c = config({
      advocacy: {
        programs: {
          promoter: [
            { id: 'referral', benefit: 'discount/credit' },
            { id: 'podcast', benefit: 'Be a guest on our podcast' },
          ],
        },
      },
      experiences: {
        advocacy: {
          benefits: { referral: { en: 'One month free per referral', 'pt-BR': 'Um mês grátis por indicação' } },
        },
      },
    })
    const of = (locale: string) =>
      (
        decideExperiences(c, advocacyPhase(10).buildAt(at(380)), at(380), { userId: 'u1', locale }).experiences.find(
          (e) => e.kind === 'advocacy',
        ) as Extract<Experience, { kind: 'advocacy' }>
      ).programs.map((p) => p.benefit)
    expect(of('en')).toEqual(['One month free per referral', 'Be a guest on our podcast'])
    expect(of('pt-BR')).toEqual(['Um mês grátis por indicação', 'Be a guest on our podcast'])
    const one = config({ experiences: { advocacy: { benefits: { referral: '20% off' } } } })
    const d = decideExperiences(one, advocacyPhase(10).buildAt(at(380)), at(380), { userId: 'u1', locale: 'pt-BR' })
    expect(
      (d.experiences.find((e) => e.kind === 'advocacy') as Extract<Experience, { kind: 'advocacy' }>).programs[0]!
        .benefit,
    ).toBe('20% off')
  })

  it('AD02 a detractor account gets the recovery message, not an ask', () => {
    const a = find(decide(advocacyPhase(3), at(380)), 'advocacy')
    expect(a).toMatchObject({ level: 'detractor', recovery: true, programs: [] })
  })

  it('AD03 satisfied (7-8): no advocacy ask', () => {
    expect(find(decide(advocacyPhase(8), at(380)), 'advocacy')).toBeUndefined()
  })

  it('AD04 evangelists get the advisory board and speaking', () => {
    const a = find(
      decide(
        advocacyPhase(9, (b) => b.fact('case_study_done', 300)),
        at(380),
      ),
      'advocacy',
    )
    expect(a).toMatchObject({ level: 'evangelist', programs: [{ id: 'advisory_board' }, { id: 'speaking' }] })
  })
})

describe('locales', () => {
  it('LO01 the request locale, else the user trait, else en; pt-* is pt-BR', () => {
    const b = busy(10).user('u1', { locale: 'pt-PT' })
    expect(decide(b, at(10)).locale).toBe('pt-BR')
    expect(decide(b, at(10), { locale: 'en-GB' }).locale).toBe('en')
    expect(decide(busy(10), at(10)).locale).toBe('en')
    expect(decide(busy(10), at(10), { locale: 'pt-BR' }).locale).toBe('pt-BR')
  })

  /** `cfgDoc` with its texts given per locale (pt-BR blank where a test wants the fallback). */
  const localized = config({
    ...cfgDoc,
    guides: [
      {
        id: 'reports-tour',
        feature: 'reports',
        steps: [
          {
            selector: '#new-report',
            title: { en: 'New report', 'pt-BR': 'Novo relatório' },
            body: { en: 'Click **here**', 'pt-BR': '   ' },
          },
        ],
      },
    ],
    experiences: {
      checklist: { titles: { setup: { en: 'Connect your data', 'pt-BR': 'Conecte seus dados' }, kickoff: 'Kickoff' } },
      messages: { single_user: { title: { 'pt-BR': 'Convide o time' }, body: { en: 'Invite them' } } },
      nps: {
        texts: {
          question: { en: 'Would you recommend Acme?', 'pt-BR': 'Você recomendaria a Acme?' },
          thanks: 'Thanks!',
        },
      },
      banner: { texts: { text: { 'pt-BR': 'Seu plano renova em {date}.' } } },
    },
  })
  const decideIn = (b: AccountBuilder, t: number, locale: string) =>
    decideExperiences(localized, b.buildAt(t), t, { userId: 'u1', locale })

  it('LO02 checklist titles and guide steps per locale; a blank or missing text falls back to English', () => {
    const b = account().user('u1').login(0)
    const title = (d: ExperienceDecision, id: string) =>
      (find(d, 'checklist')!.items.find((i) => i.id === id) ?? { title: undefined }).title
    const pt = decideIn(b, at(2), 'pt-BR')
    expect([title(pt, 'setup'), title(pt, 'kickoff'), title(pt, 'welcome')]).toEqual([
      'Conecte seus dados',
      'Kickoff',
      undefined,
    ])
    expect(title(decideIn(b, at(2), 'en'), 'setup')).toBe('Connect your data')
    expect(pt.guides![0]!.steps[0]).toMatchObject({ title: 'Novo relatório', body: 'Click **here**' })
    expect(decideIn(b, at(2), 'en-GB').guides![0]!.steps[0]).toMatchObject({ title: 'New report' })
  })

  it('LO03 intervention messages per locale: this locale, else English, else any locale given', () => {
    const b = account().traits({ seats: 5 }).user('u1')
    for (let d = 0; d <= 40; d++) b.login(d).feature(d, 'reports').feature(d, 'alerts')
    surveyed(b, 31, 9)
    expect(find(decideIn(b, at(40), 'pt-BR'), 'message')).toMatchObject({
      title: 'Convide o time',
      body: 'Invite them',
    })
    expect(find(decideIn(b, at(40), 'en'), 'message')).toMatchObject({ title: 'Convide o time', body: 'Invite them' })
  })

  it('LO04 the NPS and banner texts go to the UI by catalog key, in the locale; none configured: none sent', () => {
    const b = busy(10)
    expect(decideIn(b, at(10), 'pt-BR').texts).toEqual({
      'nps.question': 'Você recomendaria a Acme?',
      'nps.thanks_body': 'Thanks!',
      'banner.renewal': 'Seu plano renova em {date}.',
    })
    expect(decideIn(b, at(10), 'en').texts).toEqual({
      'nps.question': 'Would you recommend Acme?',
      'nps.thanks_body': 'Thanks!',
      'banner.renewal': 'Seu plano renova em {date}.',
    })
    expect(decide(b, at(10))).not.toHaveProperty('texts')
  })

  it("LO05 the advocacy ask's words and its programs' names go to the UI by catalog key, per locale", () => {
    const c = config({
      experiences: {
        advocacy: {
          texts: { title: { en: 'Join us', 'pt-BR': 'Participe' }, accepted: 'Obrigado!' },
          names: { referral: { en: 'Refer a friend', 'pt-BR': 'Indique um amigo' }, review: { en: 'Review us' } },
        },
      },
    })
    const b = busy(10)
    const textsIn = (locale: string) => decideExperiences(c, b.buildAt(at(10)), at(10), { userId: 'u1', locale }).texts
    expect(textsIn('pt-BR')).toEqual({
      'advocacy.title': 'Participe',
      'advocacy.accepted': 'Obrigado!',
      'program.referral': 'Indique um amigo',
      'program.review': 'Review us',
    })
    expect(textsIn('en')).toMatchObject({ 'advocacy.title': 'Join us', 'program.referral': 'Refer a friend' })
    expect(textsIn('en')).not.toHaveProperty('advocacy.accept')
  })
})

describe('messages by phase', () => {
  it('EX11 no intervention message during onboarding (the checklist guides a new user); configurable', () => {
    const b = account().traits({ seats: 5 }).user('u1').login(0).login(1)
    const d = decideExperiences(cfg, b.buildAt(at(2)), at(2), { userId: 'u1' })
    expect(d.experiences.map((e) => e.kind)).toEqual(['checklist'])
    expect(d.notes.join('\n')).toMatch(/no messages in phase onboarding/)
    const c = config({ experiences: { messagePhases: ['onboarding'] } })
    expect(decideExperiences(c, b.buildAt(at(2)), at(2), { userId: 'u1' }).experiences.map((e) => e.kind)).toContain(
      'message',
    )
  })
})

describe('advocacy ask after a 9-10 answer from outside the survey (journey.md "Advocacy levels": "The ask follows a user\'s own 9-10 answer in any phase, wherever the answer came from")', () => {
  /** An `nps_response` sent by a server or an import: no `experienceId`, no `kind`. */
  const imported = (b: AccountBuilder, d: number, score: number, userId = 'u1') =>
    b.fact('nps_response', d, { score, source: 'import' }, userId)

  it('AD07 a 10 imported on day 39 (adoption): the promoter ask on day 40', () => {
    const b = imported(busy(40), 39, 10)
    const d = decide(b, at(40))
    expect(journeyState(cfg, b.buildAt(at(40)), at(40)).phase.id).toBe('adoption')
    expect(find(d, 'advocacy')).toMatchObject({
      lane: 'modal',
      level: 'promoter',
      recovery: false,
      programs: [{ id: 'referral' }, { id: 'case_study' }],
    })
    expect(find(d, 'advocacy')!.reason).toMatch(/answered 10 on 2026-02-13, not in the in-app survey/)
  })

  it('AD08 a 9 gets the loyal programs; asked once: shown after the answer, not again', () => {
    const b = imported(busy(60), 39, 9)
    expect(find(decide(b, at(40)), 'advocacy')).toMatchObject({
      level: 'loyal',
      programs: [{ id: 'review' }, { id: 'beta_program' }],
    })
    shown(b, 'advocacy:loyal', 'advocacy', at(40))
    expect(find(decide(b, at(41)), 'advocacy')).toBeUndefined()
    expect(find(decide(b, at(60)), 'advocacy')).toBeUndefined()
  })

  it('AD09 an answer in the in-app survey had its follow-up: no second ask', () => {
    const b = busy(40).fact('nps_response', 39, { experienceId: 'nps:2026-02-13', kind: 'nps', score: 10 }, 'u1')
    expect(find(decide(b, at(40)), 'advocacy')).toBeUndefined()
  })

  it("AD10 only the user's own latest answer: an 8 after the 10, or a teammate's 10, asks nothing", () => {
    expect(find(decide(imported(imported(busy(40), 30, 10), 35, 8), at(40)), 'advocacy')).toBeUndefined()
    const team = imported(busy(40).user('u2').login(39, 'u2'), 39, 10, 'u2')
    expect(find(decide(team, at(40)), 'advocacy')).toBeUndefined()
    expect(find(decide(team, at(40), { userId: 'u2' }), 'advocacy')).toMatchObject({ level: 'promoter' })
  })

  it('AD11 within the attention budget: held while another modal was shown 5 minutes ago', () => {
    const b = imported(busy(40), 39, 10)
    shown(b, 'message:low_usage', 'message', at(40) - 5 * 60_000)
    const d = decide(b, at(40))
    expect(find(d, 'advocacy')).toBeUndefined()
    expect(d.notes.join('\n')).toMatch(/attention budget: .*held back: advocacy:promoter/)
    expect(find(decide(b, at(41)), 'advocacy')).toMatchObject({ level: 'promoter' })
  })

  it('AD12 not for a churned account; an evangelist also gets the evangelist programs', () => {
    expect(decide(imported(busy(40), 39, 10).fact('churned', 39, {}, null, 60), at(40)).experiences).toEqual([])
    const ev = imported(busy(40).fact('case_study_done', 20), 39, 9)
    expect(find(decide(ev, at(40)), 'advocacy')).toMatchObject({
      level: 'evangelist',
      programs: [{ id: 'advisory_board' }, { id: 'speaking' }, { id: 'review' }, { id: 'beta_program' }],
    })
  })
})
