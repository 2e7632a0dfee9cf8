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
  return b.fact('referral_sent', to - 5).fact('premium_feature_requested', to - 4).fact('usage_limit', to - 3, { used: 90, limit: 100 })
}

describe('phases (journey.md "Phases"; seed "Modelo de 6 Fases", lines 11-22)', () => {
  it.each([
    [0, 'onboarding'],
    [29, 'onboarding'],
    [30, 'adoption'],
    [89, 'adoption'],
    [90, 'value'],
    [400, 'value'],
  ])('P4 onboarding / adoption / value (journey.md Phases rules 4-5: day < 30, 30 <= day < 90, day >= 90): day %i → %s (seed line 19 "(0-30d) (30-90d) (90d+)")', (d, phase) => {
    const s = journeyState(cfg, account().login(0).build(), at(d))
    expect(s.day).toBe(d)
    expect(s.phase.id).toBe(phase)
    expect(s.phase.override).toBeNull()
  })

  it('P1 churned (journey.md Phases rule 1, terminal): a churned event → churned, even inside the renewal window (seed line 198 "Renovacao ou churn")', () => {
    const f = account().traits({ segment: 'enterprise', renewalDate: renewalIn(10, 200) }).fact('churned', 150).build()
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
  ] as const)('P2 renewal (journey.md Phases rule 2, renewalWindow %s): %i days to renewal → %s (seed lines 192, 301, 310, 319: "-90 dias", "60 dias antes", "Auto-renewal")', (segment, days, phase) => {
    const f = account().traits({ segment, renewalDate: renewalIn(days, 200) }).login(199).build()
    const s = journeyState(cfg, f, at(200))
    expect(s.renewal.daysToRenewal).toBe(days)
    expect(s.phase.id).toBe(phase)
  })

  it.each([
    [89, 'advocacy'],
    [90, 'value'],
  ])('P3 advocacy (journey.md Phases rule 3: a renewed event within the last 90 days): renewed %i days before today → %s (seed line 225 "Fase 6: Advocacy (Pos-Renovacao)")', (ago, phase) => {
    const f = account().fact('renewed', 300 - ago).build()
    const s = journeyState(cfg, f, at(300))
    expect(s.phase.id).toBe(phase)
  })

  it('P5 growth (journey.md Phases rule 5: day >= 90 and expansion-ready) → growth (seed line 151 "Fase 4: Growth (Ongoing)", lines 168-173 "Pronto para Expansion")', () => {
    const b = expansionReady(100, 130)
    const s = journeyState(cfg, b.build(), at(130))
    expect(s.expansion.ready).toBe(true)
    expect(s.phase.id).toBe('growth')
  })

  it('P6 phaseOverride (journey.md Phases: a manual override with a reason and an expiry wins over all rules, and the state says so)', () => {
    const f = account().login(0).override({ phase: 'value', reason: 'pilot extended', by: 'ana', expiresAt: at(40) }).build()
    const s = journeyState(cfg, f, at(10))
    expect(s.phase.id).toBe('value')
    expect(s.phase.override).toEqual({ phase: 'value', reason: 'pilot extended', expiresAt: new Date(at(40)).toISOString(), by: 'ana' })
    expect(s.phase.reason).toMatch(/manual override by ana/)
    expect(s.phase.reason).toMatch(/pilot extended/)
    expect(s.phase.rules.id).toBe('onboarding')
  })

  it('P7 phaseOverride expiry: an expired override (expiresAt <= at) is ignored, as is one set after at', () => {
    const expired = account().override({ phase: 'value', expiresAt: at(5) }).build()
    expect(journeyState(cfg, expired, at(10)).phase.id).toBe('onboarding')
    const later = account().override({ phase: 'value', setAt: at(11) }).build()
    expect(journeyState(cfg, later, at(10)).phase.id).toBe('onboarding')
  })

  it('P8 phaseOverride to an unknown phase is ignored, with a reason (journey.md Phases: six phases plus churned)', () => {
    const s = journeyState(cfg, account().override({ phase: 'party' }).build(), at(10))
    expect(s.phase.id).toBe('onboarding')
    expect(s.phase.override).toBeNull()
    expect(s.phase.reason).toMatch(/unknown phase "party" ignored/)
  })

  it('P9 advocacy window from the config (journey.md "every number is a default of the journey config": phases.advocacyAfterRenewalDays)', () => {
    const f = account().fact('renewed', 250).build()
    expect(journeyState(cfg, f, at(300)).phase.id).toBe('advocacy')
    expect(journeyState(config({ phases: { advocacyAfterRenewalDays: 30 } }), f, at(300)).phase.id).toBe('value')
  })
})

describe('time (README: UTC days from the contract start)', () => {
  it('P10 day(t) (journey.md Entities: day(t) = floor((t - contractStart) / 24h), day 0 is the contract start) counts UTC days from the UTC midnight of contractStart, whatever its time of day', () => {
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
  ])('P11 contractStart (journey.md Entities: "default: first event seen") %s → the first event (facts.firstEventAt)', (_, v) => {
    const f = account().rawTraits({ contractStart: v }).firstEventAt(START + 2 * DAY + 5000).build()
    const s = journeyState(cfg, f, START + 12 * DAY)
    expect(s.day).toBe(10)
    expect(s.contractStartSource).toBe('firstEventAt')
  })

  it('P12 contractStart as epoch ms and as ISO give the same day(t); before the start the day is negative (onboarding)', () => {
    const a = journeyState(cfg, account().traits({ contractStart: START }).build(), at(5))
    const b = journeyState(cfg, account().traits({ contractStart: new Date(START).toISOString() }).build(), at(5))
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

describe('phase precedence (journey.md "Phases": first rule that matches wins)', () => {
  it('P14 renewal (rule 2) before advocacy (rule 3): a renewed event 50 days ago inside the enterprise renewal window → renewal', () => {
    const f = account().traits({ segment: 'enterprise', renewalDate: renewalIn(60, 200) }).fact('renewed', 150).build()
    const s = journeyState(cfg, f, at(200))
    expect(s.phase.id).toBe('renewal')
    // The same account without the renewal date: the renewed event gives advocacy.
    expect(journeyState(cfg, account().traits({ segment: 'enterprise' }).fact('renewed', 150).build(), at(200)).phase.id).toBe('advocacy')
  })

  it.each([
    ['smb', 10, 30, 'renewal'],
    ['smb', 10, 31, 'onboarding'],
    ['enterprise', 40, 90, 'renewal'],
    ['enterprise', 40, 91, 'adoption'],
  ] as const)('P15 renewal (rule 2) before the day rules (rule 4): %s on day %i with %i days to renewal → %s (seed line 19: "RENEWAL (Pre-renov)")', (segment, d, days, phase) => {
    const f = account().traits({ segment, renewalDate: renewalIn(days, d) }).build()
    expect(journeyState(cfg, f, at(d)).phase.id).toBe(phase)
  })

  it.each([
    [60, 40, 'advocacy'],
    [129, 40, 'advocacy'],
    [130, 40, 'value'],
    [20, 5, 'advocacy'],
  ] as const)('P16 advocacy (rule 3) before the day rules (rules 4-5): at day %i, renewed on day %i → %s', (d, renewedOn, phase) => {
    expect(journeyState(cfg, account().fact('renewed', renewedOn).build(), at(d)).phase.id).toBe(phase)
  })

  it('P17 growth (rule 5) only from day 90: an expansion-ready account is in adoption on day 89 and in growth on day 90', () => {
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
