/**
 * Webhook detection (server/webhooks/detect.ts; api.md `POST /v1/webhooks`): what holds now, each with a
 * cause key that stays the same while it holds, so that the outbox fires it once, on entry.
 */
import { describe, expect, it } from 'vitest'
import type { JourneyConfig } from '../../server/journey'
import { journeyState } from '../../server/journey'
import type { PreviousSnapshot } from '../../server/webhooks/detect'
import { detectWebhookEvents } from '../../server/webhooks/detect'
import type { WebhookEvent } from '../../server/webhooks/types'
import type { AccountBuilder } from './builders'
import { account, at, config, DAY, defaultConfig, iso, midnight, prng, START } from './builders'
import { randomFacts } from './random'

/** The UTC date of account day `d` (START is 2026-01-05). */
const date = (d: number) => midnight(d).slice(0, 10)

function detect(
  b: AccountBuilder,
  t: number,
  previous?: PreviousSnapshot | null,
  cfg: JourneyConfig = defaultConfig,
): WebhookEvent[] {
  const facts = b.build()
  return detectWebhookEvents(journeyState(cfg, facts, t), facts, cfg, t, { previous })
}
/** The snapshot the evaluator would have stored at `t`. */
function snapshotAt(b: AccountBuilder, t: number, cfg: JourneyConfig = defaultConfig): PreviousSnapshot {
  const s = journeyState(cfg, b.build(), t)
  return { phase: s.phase.id, flags: s.redFlags.map((f) => f.id), computedAt: t }
}
const keys = (es: WebhookEvent[], type?: string) =>
  es.filter((e) => type === undefined || e.type === type).map((e) => e.causeKey)
const one = (es: WebhookEvent[], key: string) => {
  const e = es.find((x) => x.causeKey === key)
  if (!e) throw new Error(`no ${key} in ${JSON.stringify(keys(es))}`)
  return e
}

/** Logs in every day from 0 to `to`, never completes setup. */
const noSetup = (to: number) => account().logins(Array.from({ length: to + 1 }, (_, d) => d))

const valueCfg = config({ value: { minutesSaved: { report_generated: 60 } } })
const reporting = () => {
  const b = noSetup(130).traits({ name: 'Acme Corp' })
  for (let d = 60; d <= 130; d++) b.track(d, 'report_generated')
  return b
}

describe('webhook detection: red flags', () => {
  it('WD01 red_flag.raised setup_late: day 8 raises, keyed by its since (midnight of day 8); day 7 not', () => {
    const b = noSetup(8)
    expect(keys(detect(b, at(7)), 'red_flag.raised')).toEqual([])
    const e = one(detect(b, at(8)), `red_flag.raised:acme:setup_late:${date(8)}`)
    expect(e).toMatchObject({ type: 'red_flag.raised', accountId: 'acme', occurredAt: Date.parse(midnight(8)) })
    expect(e.data).toMatchObject({ flag: 'setup_late', since: midnight(8), reason: 'day 8 > 7 and no setup_completed' })
  })

  it('WD02 holding does not refire: the keys of days 9, 10 and 11 are the same (same causes, nothing new)', () => {
    const b = noSetup(11)
    const k9 = keys(detect(b, at(9)))
    expect(k9).toContain(`red_flag.raised:acme:setup_late:${date(8)}`)
    expect(k9).toContain('milestone.overdue:acme:setup')
    for (const d of [10, 11])
      expect(keys(detect(b, at(d), snapshotAt(b, at(d - 1))))).toEqual(k9.filter((k) => !k.startsWith('phase.changed')))
    // Without a previous snapshot the phase entry is the same too (day 0, onboarding).
    expect(keys(detect(b, at(11)))).toEqual(k9)
  })

  it("WD03 red_flag.cleared: setup_completed on day 10 clears setup_late, keyed by the raise's since", () => {
    const b = noSetup(10)
    const before = snapshotAt(b, at(9))
    b.fact('setup_completed', 10)
    const es = detect(b, at(10, 18), before)
    expect(keys(es, 'red_flag.raised')).toEqual([])
    const e = one(es, `red_flag.cleared:acme:setup_late:${date(8)}`)
    expect(e.data).toMatchObject({ flag: 'setup_late', since: midnight(8), reason: 'the condition no longer holds' })
    // Once the snapshot has no flag, nothing more.
    expect(keys(detect(b, at(11), snapshotAt(b, at(10, 18))), 'red_flag.cleared')).toEqual([])
  })

  it('WD04 red_flag.cleared when onboarding ends (day 30): the onboarding flags stop being checked', () => {
    const b = noSetup(30)
    const es = detect(b, at(30), snapshotAt(b, at(29)))
    const e = one(es, `red_flag.cleared:acme:setup_late:${date(8)}`)
    expect(e.data.reason).toBe('onboarding ended (adoption)')
  })

  it('WD05 no red_flag.cleared without a previous snapshot (nothing was raised that we know of)', () => {
    expect(keys(detect(noSetup(30).fact('setup_completed', 20), at(30)), 'red_flag.cleared')).toEqual([])
  })
})

describe('webhook detection: phase.changed', () => {
  it('WD10 phase.changed onboarding → adoption at day 30: keyed by the entry day, from and to in data', () => {
    const b = noSetup(31)
    expect(keys(detect(b, at(29, 23), snapshotAt(b, at(29))), 'phase.changed')).toEqual([])
    const e = one(detect(b, at(30, 0), snapshotAt(b, at(29, 23))), `phase.changed:acme:adoption:${date(30)}`)
    expect(e.occurredAt).toBe(Date.parse(midnight(30)))
    expect(e.data).toMatchObject({ from: 'onboarding', to: 'adoption', reason: '30 <= day 30 < 90' })
    // The snapshot now says adoption: nothing the next hour.
    expect(keys(detect(b, at(30, 1), snapshotAt(b, at(30, 0))), 'phase.changed')).toEqual([])
  })

  it('WD11 first evaluation of an old account (day 200): one phase.changed for its phase, no history', () => {
    const b = noSetup(200)
      .fact('kickoff_rescheduled', 1)
      .fact('kickoff_rescheduled', 2)
      .nps(20, 'u1', 2)
      .nps(150, 'u2', 0)
    const es = detect(b, at(200))
    expect(keys(es, 'phase.changed')).toEqual([`phase.changed:acme:value:${date(90)}`])
    expect(one(es, `phase.changed:acme:value:${date(90)}`).data.from).toBeUndefined()
    // Onboarding flags of long ago, milestones overdue for months, NPS answers of months ago: history.
    expect(keys(es, 'red_flag.raised')).toEqual([])
    expect(keys(es, 'milestone.overdue')).toEqual([])
    expect(keys(es, 'nps.detractor')).toEqual([])
  })

  it('WD12 value ↔ growth, undatable by the rules: keyed by the transition from the snapshot', () => {
    const b = noSetup(150)
    const prev: PreviousSnapshot = { phase: 'growth', flags: [], computedAt: at(140) }
    const es = detect(b, at(150, 3), prev)
    expect(keys(es, 'phase.changed')).toEqual([`phase.changed:acme:value:after:growth:${iso(at(140))}`])
    // Seen now: the change happened between the snapshot and this evaluation.
    expect(one(es, `phase.changed:acme:value:after:growth:${iso(at(140))}`).occurredAt).toBe(at(150, 3))
  })

  it('WD12b two processes reading two snapshots of one growth stretch get one key (since the snapshots)', () => {
    const b = noSetup(150)
    const first: PreviousSnapshot = { phase: 'growth', flags: [], computedAt: at(140), phaseSince: at(130) }
    const later: PreviousSnapshot = { phase: 'growth', flags: [], computedAt: at(145), phaseSince: at(130) }
    const a = keys(detect(b, at(150, 3), first), 'phase.changed')
    expect(a).toEqual([`phase.changed:acme:value:after:growth:${iso(at(130))}`])
    expect(keys(detect(b, at(150, 4), later), 'phase.changed')).toEqual(a)
  })

  it('WD13 renewal: entered when the window opened (renewal date − 30 days for smb)', () => {
    const b = noSetup(175).traits({ renewalDate: midnight(200) })
    const es = detect(b, at(175), { phase: 'value', flags: [], computedAt: at(169, 23) })
    expect(keys(es, 'phase.changed')).toEqual([`phase.changed:acme:renewal:${date(170)}`])
  })

  it('WD14 an override: entered when it was set', () => {
    const b = noSetup(20).override({ phase: 'value', setAt: at(15) })
    expect(keys(detect(b, at(20), { phase: 'onboarding', flags: [], computedAt: at(14) }), 'phase.changed')).toEqual([
      `phase.changed:acme:value:${iso(at(15))}`,
    ])
  })

  it("WD15 churned: phase.changed only (milestones, flags and asks of a churned account are no one's work)", () => {
    const b = noSetup(12).fact('churned', 12)
    const es = detect(b, at(12, 18), snapshotAt(b, at(11)))
    expect(es.map((e) => e.type)).toEqual(['phase.changed'])
    expect(es[0]!.causeKey).toBe(`phase.changed:acme:churned:${iso(at(12))}`)
  })

  it('WD16 two evaluations either side of midnight with the same previous snapshot give one key', () => {
    const b = noSetup(152)
    const lastMs = at(151, 0) - 1
    const firstMs = at(151, 0) + 1
    // A change the rules cannot date (value after a snapshot that said growth): keyed by that snapshot, not by the day.
    const prev: PreviousSnapshot = { phase: 'growth', flags: [], computedAt: at(140) }
    const before = keys(detect(b, lastMs, prev), 'phase.changed')
    expect(before).toEqual([`phase.changed:acme:value:after:growth:${iso(at(140))}`])
    expect(keys(detect(b, firstMs, prev), 'phase.changed')).toEqual(before)
    // One the rules date (the renewal window opening at day 270): the same entry on both sides of the midnight after it.
    const r = noSetup(272).traits({ renewalDate: midnight(300) })
    const seen: PreviousSnapshot = { phase: 'value', flags: [], computedAt: at(269, 23) }
    expect(keys(detect(r, at(271, 0) - 1, seen), 'phase.changed')).toEqual([`phase.changed:acme:renewal:${date(270)}`])
    expect(keys(detect(r, at(271, 0) + 1, seen), 'phase.changed')).toEqual([`phase.changed:acme:renewal:${date(270)}`])
    // Every other event of these evaluations: the same keys on both sides too (nothing is keyed by the evaluation's day).
    const rest = (t: number) => keys(detect(b, t, prev)).filter((k) => !k.startsWith('phase.changed'))
    expect(rest(firstMs)).toEqual(rest(lastMs))
  })

  it('WD17 a phase left and entered again on one day: each entry is a new key (override set twice)', () => {
    const b = noSetup(151)
    const snaps: PreviousSnapshot[] = [snapshotAt(b, at(150, 9))]
    const seen: string[] = []
    const step = (t: number) => {
      const es = keys(detect(b, t, snaps[snaps.length - 1]), 'phase.changed')
      expect(es).toHaveLength(1)
      seen.push(es[0]!)
      snaps.push(snapshotAt(b, t))
    }
    b.override({ phase: 'growth', setAt: at(150, 10), expiresAt: at(150, 11) })
    step(at(150, 10.5))
    step(at(150, 11.5))
    b.override({ phase: 'growth', setAt: at(150, 12), expiresAt: at(150, 13) })
    step(at(150, 12.5))
    step(at(150, 13.5))
    expect(seen).toEqual([
      `phase.changed:acme:growth:${iso(at(150, 10))}`,
      `phase.changed:acme:value:after:growth:${iso(at(150, 10.5))}`,
      `phase.changed:acme:growth:${iso(at(150, 12))}`,
      `phase.changed:acme:value:after:growth:${iso(at(150, 12.5))}`,
    ])
    expect(new Set(seen).size).toBe(4)
  })

  it('WD18 an entry the rules cannot date (before the contract start) is never keyed by today', () => {
    // Contract from day 20: days 5-19 are before it, onboarding with no date from the rules.
    const b = account()
      .traits({ contractStart: date(20) })
      .logins([0, 1])
    for (const t of [at(5), at(6, 0) - 1, at(6, 0) + 1, at(19)]) {
      expect(keys(detect(b, t), 'phase.changed')).toEqual(['phase.changed:acme:onboarding:first'])
      // Before the contract start, situations wait for it (a walk back to day 0 would end at today).
      expect(keys(detect(b, t), 'intervention.created')).toEqual([])
    }
    // With a snapshot that said another phase (the start moved): keyed by that snapshot.
    const prev: PreviousSnapshot = { phase: 'value', flags: [], computedAt: at(4) }
    expect(keys(detect(b, at(6, 0) - 1, prev), 'phase.changed')).toEqual([
      `phase.changed:acme:onboarding:after:value:${iso(at(4))}`,
    ])
    expect(keys(detect(b, at(6, 0) + 1, prev), 'phase.changed')).toEqual([
      `phase.changed:acme:onboarding:after:value:${iso(at(4))}`,
    ])
    // From the contract start on: keyed by it.
    expect(keys(detect(b, at(21)), 'intervention.created')).toEqual([`intervention.created:acme:low_usage:${date(20)}`])
  })
})

describe('webhook detection: milestones, renewal tasks, interventions, expansion', () => {
  it('WD20 milestone.overdue setup: from day 8 (window 3-7), keyed at the midnight it became overdue', () => {
    const b = noSetup(9).fact('welcome_email_sent', 0).fact('kickoff_held', 2)
    expect(keys(detect(b, at(7)), 'milestone.overdue')).toEqual([])
    const es = detect(b, at(8, 0))
    expect(keys(es, 'milestone.overdue')).toEqual(['milestone.overdue:acme:setup'])
    expect(one(es, 'milestone.overdue:acme:setup').occurredAt).toBe(Date.parse(midnight(8)))
    b.fact('setup_completed', 9)
    expect(keys(detect(b, at(9, 18)), 'milestone.overdue')).toEqual([])
  })

  it('WD25 milestone.overdue: news for RECENT_DAYS (30) after the window; older is history', () => {
    const b = noSetup(40)
      .fact('welcome_email_sent', 0)
      .fact('kickoff_held', 2)
      .fact('setup_completed', 4)
      .fact('first_value', 8)
    // training (14-21) overdue from day 22: still news on day 51, not on day 52.
    expect(keys(detect(b, at(51)), 'milestone.overdue')).toContain('milestone.overdue:acme:training')
    expect(keys(detect(b, at(52)), 'milestone.overdue')).not.toContain('milestone.overdue:acme:training')
  })

  it('WD21 renewal.task_due: keyed by task and renewal date from its due day; overdue is the same cause', () => {
    const b = noSetup(172).traits({ renewalDate: midnight(200) })
    expect(keys(detect(b, at(169)), 'renewal.task_due')).toEqual([])
    const es = detect(b, at(170))
    expect(keys(es, 'renewal.task_due')).toEqual([`renewal.task_due:acme:renewal_notice:${date(200)}`])
    expect(one(es, `renewal.task_due:acme:renewal_notice:${date(200)}`).data).toMatchObject({
      task: 'renewal_notice',
      due: midnight(170),
      status: 'due',
    })
    // The day after, overdue: the same key, so the outbox keeps the one event of day 170.
    expect(keys(detect(b, at(171)), 'renewal.task_due')).toEqual([`renewal.task_due:acme:renewal_notice:${date(200)}`])
    // Done: nothing.
    b.fact('renewal_notice_sent', 171)
    expect(keys(detect(b, at(172)), 'renewal.task_due')).toEqual([])
  })

  it('WD26 renewal.task_due set late or missed still fires once; older than RECENT_DAYS is history', () => {
    // renewalDate set on day 185 for day 200: renewal_notice (smb, −30) was due on day 170.
    const b = noSetup(235).traitsOn(185, { renewalDate: midnight(200) })
    const es = detect(b, at(185))
    expect(keys(es, 'renewal.task_due')).toEqual([`renewal.task_due:acme:renewal_notice:${date(200)}`])
    const e = one(es, `renewal.task_due:acme:renewal_notice:${date(200)}`)
    expect(e.occurredAt).toBe(Date.parse(midnight(170)))
    expect(e.data).toMatchObject({
      task: 'renewal_notice',
      due: midnight(170),
      status: 'overdue',
      renewalDate: midnight(200),
    })
    expect(e.data.summary).toBe(
      `acme: renewal task "auto-renewal notice" is overdue (due ${date(170)}) (email, system)`,
    )
    // An evaluator down through all of day 200 (renewal_or_churn's due day) sees it on day 201: same key as on the day.
    const onDay = keys(detect(b, at(200)), 'renewal.task_due')
    expect(onDay).toContain(`renewal.task_due:acme:renewal_or_churn:${date(200)}`)
    expect(keys(detect(b, at(201)), 'renewal.task_due')).toContain(
      `renewal.task_due:acme:renewal_or_churn:${date(200)}`,
    )
    // Overdue since day 201: news through day 230, not on day 231 (as milestone.overdue).
    expect(keys(detect(b, at(230)), 'renewal.task_due')).toEqual([
      `renewal.task_due:acme:renewal_or_churn:${date(200)}`,
    ])
    expect(keys(detect(b, at(231)), 'renewal.task_due')).toEqual([])
  })

  it.each([
    ['smb', 'in_app', 'product'],
    ['enterprise', 'task', 'csm'],
  ] as const)(
    'WD22 intervention.created single_user (%s: %s by %s), keyed by the day it began to hold',
    (segment, channel, owner) => {
      // u2 was active on day 5 only: in the last 30 days until day 34; single_user from day 35.
      const b = noSetup(40).traits({ seats: 5, segment }).active(5, 'u2')
      expect(keys(detect(b, at(34)), 'intervention.created').filter((k) => k.includes('single_user'))).toEqual([])
      for (const d of [35, 40]) {
        const es = detect(b, at(d))
        const e = one(es, `intervention.created:acme:single_user:${date(35)}`)
        expect(e.data).toMatchObject({ situation: 'single_user', channel, owner, since: midnight(35) })
      }
    },
  )

  it('WD23 intervention.created feature_ignored carries the feature in its key', () => {
    const cfg = config({ features: [{ id: 'reports', core: true }] })
    const b = noSetup(70).feature(10, 'reports')
    // Unused in the last 30 days from day 40 (last use on day 10), checked from day 45 (featureIgnoredFromDay).
    const es = detect(b, at(70), null, cfg)
    expect(keys(es, 'intervention.created')).toContain(`intervention.created:acme:feature_ignored:reports:${date(45)}`)
    b.feature(60, 'reports')
    // Used on day 60, unused again from day 90: a new occurrence, a new key.
    expect(keys(detect(b, at(95), null, cfg), 'intervention.created')).toContain(
      `intervention.created:acme:feature_ignored:reports:${date(90)}`,
    )
  })

  it('WD27 intervention.created held beyond MAX_WALK_DAYS keeps its key, then is history', () => {
    // Logins on days 0-2 only: adoption level none (low_usage) from day 0 on.
    const b = account().logins([0, 1, 2])
    for (const d of [3, 100, 366])
      expect(keys(detect(b, at(d)), 'intervention.created')).toEqual([`intervention.created:acme:low_usage:${date(0)}`])
    // Day 0 is beyond the walk from day 367 on: not listed (it fired on day 0), rather than a key that moves every day.
    for (const d of [367, 400, 401]) {
      expect(journeyState(defaultConfig, b.build(), at(d)).interventions.map((i) => i.situation)).toContain('low_usage')
      expect(keys(detect(b, at(d)), 'intervention.created')).toEqual([])
    }
  })

  it('WD24 expansion.ready: once per renewal cycle (keyed by the cycle start)', () => {
    const cfg = config({ features: [{ id: 'a' }] })
    const b = account().traits({ seats: 5 }).user('u1', { stakeholder: true })
    for (let d = 100; d <= 130; d++) for (const u of ['u1', 'u2', 'u3', 'u4', 'u5']) b.login(d, u, 2).feature(d, 'a', u)
    for (const u of ['u1', 'u2', 'u3', 'u4', 'u5']) b.nps(110, u, 10)
    b.fact('usage_limit', 120, { used: 95, limit: 100 })
    const es = detect(b, at(130), null, cfg)
    expect(keys(es, 'expansion.ready')).toEqual([`expansion.ready:acme:${date(0)}`])
    expect(keys(detect(b, at(129), null, cfg), 'expansion.ready')).toEqual([`expansion.ready:acme:${date(0)}`])
  })
})

describe('webhook detection: NPS and value', () => {
  it('WD30 nps.detractor / nps.promoter: one per answer (key: the response id), score, comment, user', () => {
    const b = noSetup(40)
    b.fact('nps_response', 35, { score: 3, comment: 'too slow' }, 'u1')
    b.fact('nps_response', 36, { score: 10 }, 'u2')
    b.fact('nps_response', 36, { score: 8 }, 'u3')
    const facts = b.build()
    const [d1, p2] = facts.facts.filter((f) => f.name === 'nps_response')
    const es = detect(b, at(40))
    expect(keys(es, 'nps.detractor')).toEqual([`nps.detractor:acme:${d1!.id}`])
    expect(keys(es, 'nps.promoter')).toEqual([`nps.promoter:acme:${p2!.id}`])
    expect(one(es, `nps.detractor:acme:${d1!.id}`).data).toMatchObject({ score: 3, comment: 'too slow', userId: 'u1' })
    expect(one(es, `nps.promoter:acme:${p2!.id}`).data).toMatchObject({ score: 10, comment: null, userId: 'u2' })
  })

  it('WD31 nps: every answer is its own cause; answers older than 30 days are history', () => {
    const b = noSetup(80).fact('nps_response', 35, { score: 2 }, 'u1')
    const first = keys(detect(b, at(38)), 'nps.detractor')
    expect(first).toHaveLength(1)
    b.fact('nps_response', 39, { score: 4 }, 'u1')
    const second = keys(detect(b, at(40)), 'nps.detractor')
    expect(second).toHaveLength(2)
    expect(second).toContain(first[0])
    // Day 35's answer is news through day 64.
    expect(keys(detect(b, at(64)), 'nps.detractor')).toEqual(second)
    expect(keys(detect(b, at(65)), 'nps.detractor')).toEqual(second.slice(1))
  })

  it.each([
    [6, 'nps.detractor'],
    [7, null],
    [8, 'nps.promoter'],
  ] as const)("WD32 nps: the config's thresholds (passiveMin 7, promoterMin 8): %i → %s", (score, type) => {
    const cfg = config({ nps: { passiveMin: 7, promoterMin: 8 } })
    const es = detect(noSetup(40).nps(39, 'u1', score), at(40), null, cfg).filter((e) => e.type.startsWith('nps.'))
    expect(es.map((e) => e.type)).toEqual(type === null ? [] : [type])
  })

  it('WD33 value.statement_ready: monthly from day 90, keyed by the period end, same key all month', () => {
    const b = reporting()
    expect(keys(detect(b, at(89), null, valueCfg), 'value.statement_ready')).toEqual([])
    for (const d of [90, 105, 119])
      expect(keys(detect(b, at(d), null, valueCfg), 'value.statement_ready')).toEqual([
        `value.statement_ready:acme:${date(90)}`,
      ])
    expect(keys(detect(b, at(120), null, valueCfg), 'value.statement_ready')).toEqual([
      `value.statement_ready:acme:${date(120)}`,
    ])
  })

  it('WD34 value.statement_ready carries the statement of the 30 days before the period end, and the email', () => {
    const es = detect(reporting(), at(100), null, valueCfg)
    const e = one(es, `value.statement_ready:acme:${date(90)}`)
    // Days 60-89: 30 reports of 60 minutes.
    expect(e.data.statement).toMatchObject({
      periodDays: 30,
      hoursSaved: 30,
      from: midnight(60),
      to: iso(Date.parse(midnight(90)) - 1),
    })
    // The same statement whenever in the month it is read.
    expect(
      one(detect(reporting(), at(119), null, valueCfg), `value.statement_ready:acme:${date(90)}`).data.statement,
    ).toEqual(e.data.statement)
    const email = e.data.email as { subject: string; html: string; text: string }
    expect(email.subject).toContain('Acme Corp')
    expect(email.text).toContain('30')
  })

  it("WD35 value.statement_ready: nothing to say, no event; pt-BR from the account's locale trait", () => {
    expect(keys(detect(noSetup(100), at(100), null, valueCfg), 'value.statement_ready')).toEqual([])
    const es = detect(reporting().traits({ locale: 'pt-BR' }), at(100), null, valueCfg)
    expect((one(es, `value.statement_ready:acme:${date(90)}`).data.statement as { locale: string }).locale).toBe(
      'pt-BR',
    )
  })
})

describe('webhook detection: every event', () => {
  it('WD40 data carries the account (id, name, segment), phase, health and band, and a summary sentence', () => {
    const b = noSetup(9).traits({ name: 'Acme Corp', segment: 'mid_market' })
    const s = journeyState(defaultConfig, b.build(), at(9))
    const es = detect(b, at(9))
    expect(es.length).toBeGreaterThan(2)
    for (const e of es) {
      expect(e.data).toMatchObject({
        accountId: 'acme',
        accountName: 'Acme Corp',
        segment: 'mid_market',
        phase: 'onboarding',
        health: s.health.score,
        band: s.health.band,
      })
      expect(typeof e.data.summary).toBe('string')
      expect(e.data.summary as string).toMatch(/^Acme Corp/)
      expect(e.causeKey.startsWith(`${e.type}:acme:`)).toBe(true)
      expect(JSON.parse(JSON.stringify(e.data))).toEqual(e.data)
    }
  })

  it('WD41 pure: same inputs, same events; no two events share a key', () => {
    const b = reporting()
    const a1 = detect(b, at(125), snapshotAt(b, at(100)), valueCfg)
    expect(detect(b, at(125), snapshotAt(b, at(100)), valueCfg)).toEqual(a1)
    expect(new Set(keys(a1)).size).toBe(a1.length)
  })

  it('WD42 property, random odd facts: never throws, keys unique, times finite, data JSON', () => {
    const rnd = prng(4242)
    for (let i = 0; i < 150; i++) {
      const f = randomFacts(rnd)
      const t = START + Math.floor(rnd() * 450) * DAY + Math.floor(rnd() * DAY)
      const s = journeyState(defaultConfig, f, t)
      const previous =
        rnd() < 0.5
          ? null
          : {
              phase: 'adoption',
              flags: ['setup_late', 'no_login', 'usage_declining'],
              computedAt: t - Math.floor(rnd() * 40) * DAY,
            }
      const es = detectWebhookEvents(s, f, defaultConfig, t, { previous })
      expect(new Set(keys(es)).size).toBe(es.length)
      for (const e of es) {
        expect(Number.isFinite(e.occurredAt)).toBe(true)
        expect(e.occurredAt).toBeLessThanOrEqual(t)
        expect(JSON.parse(JSON.stringify(e.data))).toEqual(e.data)
      }
    }
  })

  it('WD43 property, random odd facts: an event seen either side of midnight keeps its key', () => {
    const rnd = prng(4343)
    const subject = (e: WebhookEvent) => {
      const d = e.data
      switch (e.type) {
        case 'phase.changed':
          return `${d.to}`
        case 'red_flag.raised':
        case 'red_flag.cleared':
          return `${d.flag}`
        case 'milestone.overdue':
          return `${d.milestone}`
        case 'renewal.task_due':
          return `${d.task}:${d.renewalDate}`
        case 'intervention.created':
          return `${d.situation}:${d.feature ?? ''}`
        case 'expansion.ready':
          return ''
        case 'nps.detractor':
        case 'nps.promoter':
          return `${d.responseId}`
        case 'value.statement_ready':
          // A new period at a midnight is a new statement.
          return null
      }
    }
    let compared = 0
    for (let i = 0; i < 120; i++) {
      const f = randomFacts(rnd)
      const midnightMs = START + (1 + Math.floor(rnd() * 440)) * DAY
      const phase = ['onboarding', 'adoption', 'value', 'growth', 'renewal', 'advocacy'][Math.floor(rnd() * 6)]!
      const previous =
        rnd() < 0.2
          ? null
          : {
              phase,
              flags: ['setup_late', 'no_login', 'usage_declining'],
              computedAt: midnightMs - Math.floor(1 + rnd() * 40 * DAY),
            }
      const side = (t: number) => {
        const m = new Map<string, string>()
        for (const e of detectWebhookEvents(journeyState(defaultConfig, f, t), f, defaultConfig, t, { previous })) {
          const s = subject(e)
          if (s !== null) m.set(`${e.type}|${s}`, e.causeKey)
        }
        return m
      }
      const before = side(midnightMs - 1)
      const after = side(midnightMs + 1)
      for (const [k, key] of before) {
        if (!after.has(k)) continue
        expect(after.get(k), k).toBe(key)
        compared++
      }
    }
    expect(compared).toBeGreaterThan(100)
  })
})
