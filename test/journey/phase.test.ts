import { describe, expect, it } from 'vitest'
import { journeyState } from '../../server/journey'
import { account, at, config, DAY, defaultConfig, START } from './builders'
import type { AccountBuilder } from './builders'

const cfg = defaultConfig
const renewalIn = (days: number, d: number) => new Date(START + (d + days) * DAY).toISOString().slice(0, 10)

/**
 * An account expansion-ready by day `to`: power adoption from day `from` (5 users, 2 logins each
 * every day, every feature) and 3 signals in the 5 days before `to` (referral, premium, near limit).
 */
function expansionReady(from: number, to: number): AccountBuilder {
  const b = account().traits({ seats: 5 }).workspaceFeatures(['a'])
  for (let d = from; d <= to; d++) for (const u of ['u1', 'u2', 'u3', 'u4', 'u5']) b.login(d, u, 2).feature(d, 'a', u)
  return b
    .fact('referral_sent', to - 5)
    .fact('premium_feature_requested', to - 4)
    .fact('usage_limit', to - 3, { used: 90, limit: 100 })
}

describe('phases (journey.md "Phases": churned, renewal, advocacy, onboarding/adoption, growth/value, "first rule that matches wins"; "A manual override … wins over all rules, and the state says so"; every number "is a default of the journey config"; seed "Modelo de 6 Fases", lines 11-22 "(0-30d) (30-90d) (90d+)", 151 "Fase 4: Growth (Ongoing)", 168-173 "Pronto para Expansion", 192, 198 "Renovacao ou churn", 225 "Fase 6: Advocacy (Pos-Renovacao)", 301 "-90 dias", 310 "60 dias antes", 319 "Auto-renewal")', () => {
  it.each([
    [0, 'onboarding'],
    [29, 'onboarding'],
    [30, 'adoption'],
    [89, 'adoption'],
    [90, 'value'],
    [400, 'value'],
  ])('P4 rules 4-5, day < 30, 30 <= day < 90, day >= 90: day %i → %s', (d, phase) => {
    const s = journeyState(cfg, account().login(0).build(), at(d))
    expect(s.day).toBe(d)
    expect(s.phase.id).toBe(phase)
    expect(s.phase.override).toBeNull()
  })

  it('P1 rule 1: a churned event → churned (terminal), even inside the renewal window', () => {
    const f = account()
      .traits({ segment: 'enterprise', renewalDate: renewalIn(10, 200) })
      .fact('churned', 150)
      .build()
    const s = journeyState(cfg, f, at(200))
    expect(s.phase.id).toBe('churned')
    expect(s.phase.reason).toMatch(/churned event/)
  })

  // Seed "Timeline de Renovacao" -90 (enterprise), "Mid-Market: Renewal 60 dias antes", SMB auto-renewal (30, default).
  it.each([
    ['enterprise', 90, 'renewal'],
    ['enterprise', 91, 'value'],
    ['mid_market', 60, 'renewal'],
    ['mid_market', 61, 'value'],
    ['smb', 30, 'renewal'],
    ['smb', 31, 'value'],
    ['smb', 0, 'renewal'],
    ['enterprise', -1, 'value'],
  ] as const)('P2 rule 2, renewalWindow of %s: %i days to renewal → %s', (segment, days, phase) => {
    const f = account()
      .traits({ segment, renewalDate: renewalIn(days, 200) })
      .login(199)
      .build()
    const s = journeyState(cfg, f, at(200))
    expect(s.renewal.daysToRenewal).toBe(days)
    expect(s.phase.id).toBe(phase)
  })

  it.each([
    [89, 'advocacy'],
    [90, 'value'],
  ])('P3 rule 3, a renewed within the last 90 days: renewed %i days before today → %s', (ago, phase) => {
    const f = account()
      .fact('renewed', 300 - ago)
      .build()
    const s = journeyState(cfg, f, at(300))
    expect(s.phase.id).toBe(phase)
  })

  it('P5 rule 5: day >= 90 and expansion-ready → growth', () => {
    const b = expansionReady(100, 130)
    const s = journeyState(cfg, b.build(), at(130))
    expect(s.expansion.ready).toBe(true)
    expect(s.phase.id).toBe('growth')
  })

  it('P6 a manual override with a reason and an expiry wins over all rules; the state says so', () => {
    const f = account()
      .login(0)
      .override({ phase: 'value', reason: 'pilot extended', by: 'ana', expiresAt: at(40) })
      .build()
    const s = journeyState(cfg, f, at(10))
    expect(s.phase.id).toBe('value')
    expect(s.phase.override).toEqual({
      phase: 'value',
      reason: 'pilot extended',
      expiresAt: new Date(at(40)).toISOString(),
      by: 'ana',
    })
    expect(s.phase.reason).toMatch(/manual override by ana/)
    expect(s.phase.reason).toMatch(/pilot extended/)
    expect(s.phase.rules.id).toBe('onboarding')
  })

  it('P7 phaseOverride expiry: an expired override (expiresAt <= at) is ignored, as is one set after at', () => {
    const expired = account()
      .override({ phase: 'value', expiresAt: at(5) })
      .build()
    expect(journeyState(cfg, expired, at(10)).phase.id).toBe('onboarding')
    const later = account()
      .override({ phase: 'value', setAt: at(11) })
      .build()
    expect(journeyState(cfg, later, at(10)).phase.id).toBe('onboarding')
  })

  it('P8 an override to an unknown phase is ignored, with a reason', () => {
    const s = journeyState(cfg, account().override({ phase: 'party' }).build(), at(10))
    expect(s.phase.id).toBe('onboarding')
    expect(s.phase.override).toBeNull()
    expect(s.phase.reason).toMatch(/unknown phase "party" ignored/)
  })

  it('P9 advocacy window from the config (phases.advocacyAfterRenewalDays)', () => {
    const f = account().fact('renewed', 250).build()
    expect(journeyState(cfg, f, at(300)).phase.id).toBe('advocacy')
    expect(journeyState(config({ phases: { advocacyAfterRenewalDays: 30 } }), f, at(300)).phase.id).toBe('value')
  })
})

describe('time (journey.md "Entities": "Days are UTC days: the contract start is taken at its UTC midnight, and day(t) is the number of whole UTC days from it to t\'s UTC day; day 0 is the contract start"; "`contractStart` (date; default: first event seen)")', () => {
  it("P10 day(t) counts UTC days from the contract start's UTC midnight, whatever its time of day", () => {
    const f = account().traits({ contractStart: '2026-01-05T23:59:00Z' }).build()
    expect(journeyState(cfg, f, START + 3 * DAY).day).toBe(3)
    expect(journeyState(cfg, f, START + 4 * DAY - 1).day).toBe(3)
    expect(journeyState(cfg, f, START + 4 * DAY).day).toBe(4)
  })

  it.each([
    ['missing', undefined],
    ['invalid', 'not a date'],
    ['empty', ''],
    ['a bare number string (not ISO)', '7'],
    ['an object', { y: 2026 }],
  ])('P11 contractStart %s → the first event (facts.firstEventAt)', (_, v) => {
    const f = account()
      .rawTraits({ contractStart: v })
      .firstEventAt(START + 2 * DAY + 5000)
      .build()
    const s = journeyState(cfg, f, START + 12 * DAY)
    expect(s.day).toBe(10)
    expect(s.contractStartSource).toBe('firstEventAt')
  })

  it('P12 contractStart as epoch ms or ISO gives the same day(t); before the start it is negative', () => {
    const a = journeyState(cfg, account().traits({ contractStart: START }).build(), at(5))
    const b = journeyState(
      cfg,
      account()
        .traits({ contractStart: new Date(START).toISOString() })
        .build(),
      at(5),
    )
    expect(a.day).toBe(5)
    expect(b.day).toBe(5)
    expect(journeyState(cfg, account().build(), at(-2)).day).toBe(-2)
    expect(journeyState(cfg, account().build(), at(-2)).phase.id).toBe('onboarding')
  })

  it('P13 contractStart: none and no event → day 0 at `at`', () => {
    const s = journeyState(cfg, account().rawTraits({}).firstEventAt(null).build(), at(7))
    expect(s.day).toBe(0)
    expect(s.contractStartSource).toBe('at')
  })
})

describe('phase precedence (journey.md "Phases": "First rule that matches wins"; seed line 19 "RENEWAL (Pre-renov)")', () => {
  it('P14 rule 2 before rule 3: renewed 50 days ago, inside the enterprise renewal window → renewal', () => {
    const f = account()
      .traits({ segment: 'enterprise', renewalDate: renewalIn(60, 200) })
      .fact('renewed', 150)
      .build()
    const s = journeyState(cfg, f, at(200))
    expect(s.phase.id).toBe('renewal')
    // The same account without the renewal date: the renewed event gives advocacy.
    expect(
      journeyState(cfg, account().traits({ segment: 'enterprise' }).fact('renewed', 150).build(), at(200)).phase.id,
    ).toBe('advocacy')
  })

  it.each([
    ['smb', 10, 30, 'renewal'],
    ['smb', 10, 31, 'onboarding'],
    ['enterprise', 40, 90, 'renewal'],
    ['enterprise', 40, 91, 'adoption'],
  ] as const)('P15 rule 2 before rule 4: %s on day %i with %i days to renewal → %s', (segment, d, days, phase) => {
    const f = account()
      .traits({ segment, renewalDate: renewalIn(days, d) })
      .build()
    expect(journeyState(cfg, f, at(d)).phase.id).toBe(phase)
  })

  it.each([
    [60, 40, 'advocacy'],
    [129, 40, 'advocacy'],
    [130, 40, 'value'],
    [20, 5, 'advocacy'],
  ] as const)(
    'P16 advocacy (rule 3) before the day rules (rules 4-5): at day %i, renewed on day %i → %s',
    (d, renewedOn, phase) => {
      expect(journeyState(cfg, account().fact('renewed', renewedOn).build(), at(d)).phase.id).toBe(phase)
    },
  )

  it('P17 growth (rule 5) only from day 90: expansion-ready, adoption on day 89, growth on day 90', () => {
    const b = expansionReady(60, 90)
    const s89 = journeyState(cfg, b.build(), at(89))
    expect(s89.expansion.ready).toBe(true)
    expect(s89.phase.id).toBe('adoption')
    const s90 = journeyState(cfg, b.build(), at(90))
    expect(s90.expansion.ready).toBe(true)
    expect(s90.phase.id).toBe('growth')
    expect(s90.phase.reason).toBe('day 90 >= 90 and expansion-ready')
  })

  it('P18 value (rule 5): day >= 90 and not expansion-ready → value, with the reason', () => {
    const s = journeyState(cfg, account().login(100).build(), at(100))
    expect(s.phase.id).toBe('value')
    expect(s.phase.reason).toBe('day 100 >= 90, not expansion-ready')
  })
})
