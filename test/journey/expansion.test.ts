import { describe, expect, it } from 'vitest'
import type { JourneyState } from '../../server/journey'
import { journeyState } from '../../server/journey'
import type { AccountBuilder } from './builders'
import { account, at, config } from './builders'

const D = 130
const cfg = config({ features: [{ id: 'a' }] })
const sig = (s: JourneyState, id: string) => s.expansion.signals.find((x) => x.id === id)!.met
const blk = (s: JourneyState, id: string) => s.expansion.blockers.find((x) => x.id === id)!.met
const opp = (s: JourneyState) => s.expansion.opportunities.map((o) => o.id)

/** Power adoption, 5 of 5 seats active, NPS 10 from everyone, no ticket, stakeholder active: health high. */
function strong(): AccountBuilder {
  const b = account().traits({ seats: 5 }).user('u1', { stakeholder: true })
  for (let d = 100; d <= D; d++) for (const u of ['u1', 'u2', 'u3', 'u4', 'u5']) b.login(d, u, 2).feature(d, 'a', u)
  for (const u of ['u1', 'u2', 'u3', 'u4', 'u5']) b.nps(110, u, 10)
  return b
}

// Seed "Sinais de Prontidao", lines 167-180.
describe('expansion readiness (journey.md "Expansion readiness": "Ready = no blocker and at least 3 of the 5 signals", "more_users (active users ≥ 90% of seats)", "the latest usage_limit"; seed lines 158-179 "Upsell | Plano superior | Alto uso, limites atingidos", "Cross-sell | Produto adicional | Necessidade adjacente", "More Users | Mais licencas | Equipe crescendo", "New Teams | Outros departamentos | Sucesso demonstrado", "Pronto para Expansion": "Health Score >80", "NPS 9-10", "Uso proximo do limite", "Pedindo features premium", "Indicando para outros"; "Nao Pronto": "Health Score <60", "Tickets abertos", "Uso baixo", "Stakeholder desengajado")', () => {
  it('E01 signals health_over_80 and nps_9_10 on a strong account', () => {
    const s = journeyState(cfg, strong().build(), at(D))
    expect(s.health.score).toBeGreaterThan(80)
    expect(sig(s, 'health_over_80')).toBe(true)
    expect(sig(s, 'nps_9_10')).toBe(true)
  })

  it('E01b health_over_80 border: health exactly 80 is not > 80; 81 is', () => {
    const only = (score: number) =>
      config({
        health: { weights: { adoption: 0, trend: 0, milestones: 0, nps: 0, support: 1, sponsor: 0 }, support: [score] },
      })
    expect(sig(journeyState(only(80), account().build(), at(D)), 'health_over_80')).toBe(false)
    expect(sig(journeyState(only(81), account().build(), at(D)), 'health_over_80')).toBe(true)
  })

  it.each([
    [[9, 9], true],
    [[10, 8], true], // mean 9
    [[9, 8], true], // mean 8.5 → 9 (half up)
    [[8, 8, 9], false], // 8.33 → 8
  ])('E02 nps_9_10: the advocacy score (mean of latest answers, half up) of %j is 9-10 → %s', (scores, met) => {
    const b = account()
    scores.forEach((sc, i) => b.nps(120, `u${i}`, sc))
    expect(sig(journeyState(cfg, b.build(), at(D)), 'nps_9_10')).toBe(met)
  })

  it.each([
    [80, 100, true],
    [79, 100, false],
    [8, 10, true],
    [5, 0, false],
  ])('E03 near_usage_limit: latest usage_limit used/limit >= 0.8 — %i/%i → %s', (used, limit, met) => {
    expect(
      sig(journeyState(cfg, account().fact('usage_limit', 120, { used, limit }).build(), at(D)), 'near_usage_limit'),
    ).toBe(met)
  })

  it('E03b near_usage_limit: only the latest usage_limit counts (journey.md "the latest usage_limit")', () => {
    const b = account()
      .fact('usage_limit', 100, { used: 95, limit: 100 })
      .fact('usage_limit', 120, { used: 10, limit: 100 })
    expect(sig(journeyState(cfg, b.build(), at(D)), 'near_usage_limit')).toBe(false)
  })

  it('E04 premium_requested: a premium_feature_requested in the last 30 days (d-29 yes, d-30 no)', () => {
    expect(
      sig(
        journeyState(
          cfg,
          account()
            .fact('premium_feature_requested', D - 29)
            .build(),
          at(D),
        ),
        'premium_requested',
      ),
    ).toBe(true)
    expect(
      sig(
        journeyState(
          cfg,
          account()
            .fact('premium_feature_requested', D - 30)
            .build(),
          at(D),
        ),
        'premium_requested',
      ),
    ).toBe(false)
  })

  it('E05 referring: a referral_sent in the last 90 days (d-89 yes, d-90 no)', () => {
    expect(
      sig(
        journeyState(
          cfg,
          account()
            .fact('referral_sent', D - 89)
            .build(),
          at(D),
        ),
        'referring',
      ),
    ).toBe(true)
    expect(
      sig(
        journeyState(
          cfg,
          account()
            .fact('referral_sent', D - 90)
            .build(),
          at(D),
        ),
        'referring',
      ),
    ).toBe(false)
  })

  it('E06 blockers health_under_60, open_ticket, low_usage, stakeholder_disengaged', () => {
    const weak = journeyState(
      cfg,
      account()
        .user('boss', { stakeholder: true })
        .active(90, 'boss')
        .fact('ticket_opened', 120, { ticketId: 1 })
        .build(),
      at(D),
    )
    expect(blk(weak, 'health_under_60')).toBe(true)
    expect(blk(weak, 'open_ticket')).toBe(true)
    expect(blk(weak, 'low_usage')).toBe(true)
    expect(blk(weak, 'stakeholder_disengaged')).toBe(true)
    const fine = journeyState(cfg, strong().build(), at(D))
    expect(fine.expansion.blockers.filter((b) => b.met)).toEqual([])
  })

  it('E06b low_usage: none or basic blocks; stakeholder_disengaged only with a stakeholder', () => {
    const basic = account()
      .logins([D - 10, D - 1])
      .feature(D - 1, 'a')
    const s = journeyState(cfg, basic.build(), at(D))
    expect(s.adoption.level).toBe('basic')
    expect(blk(s, 'low_usage')).toBe(true)
    expect(blk(s, 'stakeholder_disengaged')).toBe(false)
  })

  it('E07 ready: no blocker and at least 3 of the 5 signals (2 is not ready, 3 is)', () => {
    const two = journeyState(cfg, strong().build(), at(D))
    expect(two.expansion.signals.filter((x) => x.met).map((x) => x.id)).toEqual(['health_over_80', 'nps_9_10'])
    expect(two.expansion.ready).toBe(false)
    const three = journeyState(
      cfg,
      strong()
        .fact('referral_sent', D - 1)
        .build(),
      at(D),
    )
    expect(three.expansion.ready).toBe(true)
    expect(three.expansion.reason).toMatch(/^ready: 3 of 5 signals/)
  })

  it('E07b ready: one blocker (open_ticket) makes a 5-signal account not ready', () => {
    const b = strong()
      .fact('referral_sent', D - 1)
      .fact('premium_feature_requested', D - 1)
      .fact('usage_limit', D - 1, { used: 9, limit: 10 })
      .fact('ticket_opened', D - 1, { ticketId: 'x' })
    const s = journeyState(cfg, b.build(), at(D))
    expect(s.expansion.signals.filter((x) => x.met).length).toBeGreaterThanOrEqual(4)
    expect(s.expansion.ready).toBe(false)
    expect(s.expansion.reason).toMatch(/blocked by .*open_ticket/)
  })

  it('E08 opportunities upsell, more_users, new_teams (health > 80 and power), cross_sell', () => {
    const s = journeyState(
      cfg,
      strong()
        .fact('premium_feature_requested', D - 1)
        .fact('cross_sell_interest', 50, { product: 'payroll' })
        .build(),
      at(D),
    )
    expect(opp(s)).toEqual(['upsell', 'more_users', 'new_teams', 'cross_sell'])
    expect(s.expansion.opportunities.find((o) => o.id === 'cross_sell')!.reason).toMatch(/payroll/)
    const tenSeats = journeyState(cfg, strong().traits({ seats: 6 }).build(), at(D)) // 5 of 6 = 83% < 90%
    expect(opp(tenSeats)).not.toContain('more_users')
  })
  it.each([
    [10, 9, true],
    [10, 8, false],
    [30, 27, true],
    [30, 26, false],
    [10, 10, true],
  ])('E09 more_users, active users ≥ 90% of seats: seats %i, %i active users → %s', (seats, users, met) => {
    const b = account().traits({ seats })
    for (let i = 1; i <= users; i++) b.active(D - 1, `u${i}`)
    const s = journeyState(cfg, b.build(), at(D))
    expect(s.adoption.activeUsers).toBe(users)
    expect(opp(s).includes('more_users')).toBe(met)
    if (met)
      expect(s.expansion.opportunities.find((o) => o.id === 'more_users')!.reason).toBe(
        `${users} active users of ${seats} seats (≥ 90%)`,
      )
  })

  it('E09b more_users: seats unset → never (no share to compare)', () => {
    const b = account()
    for (let i = 1; i <= 12; i++) b.active(D - 1, `u${i}`)
    expect(opp(journeyState(cfg, b.build(), at(D)))).not.toContain('more_users')
  })

  const supportOnly = (score: number) =>
    config({
      features: [{ id: 'a' }],
      health: { weights: { adoption: 0, trend: 0, milestones: 0, nps: 0, support: 1, sponsor: 0 }, support: [score] },
    })
  it.each([
    [60, false],
    [59, true],
  ])('E10 health_under_60 border: health %i → blocks %s', (score, met) => {
    const s = journeyState(supportOnly(score), account().build(), at(D))
    expect(s.health.score).toBe(score)
    expect(blk(s, 'health_under_60')).toBe(met)
  })

  it('E11 upsell: near_usage_limit alone, premium_requested alone, neither → none', () => {
    expect(
      opp(
        journeyState(
          cfg,
          account()
            .fact('usage_limit', D - 1, { used: 8, limit: 10 })
            .build(),
          at(D),
        ),
      ),
    ).toEqual(['upsell'])
    expect(
      opp(
        journeyState(
          cfg,
          account()
            .fact('premium_feature_requested', D - 1)
            .build(),
          at(D),
        ),
      ),
    ).toEqual(['upsell'])
    expect(
      opp(
        journeyState(
          cfg,
          account()
            .fact('usage_limit', D - 1, { used: 7, limit: 10 })
            .fact('premium_feature_requested', D - 30)
            .build(),
          at(D),
        ),
      ),
    ).toEqual([])
  })

  it.each([
    [81, true],
    [80, false],
  ])('E12 new_teams: adoption power and health %i (needs > 80) → %s', (score, met) => {
    const s = journeyState(supportOnly(score), strong().build(), at(D))
    expect(s.adoption.level).toBe('power')
    expect(s.health.score).toBe(score)
    expect(opp(s).includes('new_teams')).toBe(met)
  })

  it('E12b new_teams needs adoption power: health 81 with adoption none → no new_teams', () => {
    const s = journeyState(supportOnly(81), account().build(), at(D))
    expect(s.adoption.level).toBe('none')
    expect(opp(s)).not.toContain('new_teams')
  })

  it('E13 cross_sell: any cross_sell_interest, with its product; none without', () => {
    const s = journeyState(
      cfg,
      account()
        .fact('cross_sell_interest', 5, { product: 'payroll' })
        .fact('cross_sell_interest', 6, { product: 'crm' })
        .build(),
      at(D),
    )
    expect(opp(s)).toEqual(['cross_sell'])
    expect(s.expansion.opportunities[0]!.reason).toBe('cross_sell_interest: payroll, crm')
    expect(opp(journeyState(cfg, account().build(), at(D)))).toEqual([])
  })

  it.each([
    [D - 29, false],
    [D - 30, true],
  ])('E14 stakeholder_disengaged border: stakeholder last active on day %i (at day 130) → %s', (d, met) => {
    const s = journeyState(cfg, account().user('boss', { stakeholder: true }).active(d, 'boss').build(), at(D))
    expect(blk(s, 'stakeholder_disengaged')).toBe(met)
  })

  it('E15 open_ticket: a ticket opened and closed does not block; one opened and not closed does', () => {
    const closed = account().fact('ticket_opened', 100, { ticketId: 't' }).fact('ticket_closed', 101, { ticketId: 't' })
    expect(blk(journeyState(cfg, closed.build(), at(D)), 'open_ticket')).toBe(false)
    expect(
      blk(journeyState(cfg, closed.fact('ticket_opened', 102, { ticketId: 'u' }).build(), at(D)), 'open_ticket'),
    ).toBe(true)
  })
})
