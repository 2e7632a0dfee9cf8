import { describe, expect, it } from 'vitest'
import { journeyState } from '../../server/journey'
import { account, at, config, DAY, defaultConfig, START } from './builders'

const cfg = defaultConfig
const renewalIn = (days: number, d: number) => new Date(START + (d + days) * DAY).toISOString().slice(0, 10)

describe('phases (journey.md "Phases"; seed "Modelo de 6 Fases", lines 11-22)', () => {
  it.each([
    [0, 'onboarding'],
    [29, 'onboarding'],
    [30, 'adoption'],
    [89, 'adoption'],
    [90, 'value'],
    [400, 'value'],
  ])('P4/P5 day %i → %s (seed "ONBOARDING (0-30d) → ADOPTION (30-90d) → VALUE (90d+)")', (d, phase) => {
    const s = journeyState(cfg, account().login(0).build(), at(d))
    expect(s.day).toBe(d)
    expect(s.phase.id).toBe(phase)
    expect(s.phase.override).toBeNull()
  })

  it('P1 churned: a churned event → churned, even inside the renewal window (terminal)', () => {
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
  ] as const)('P2 renewal window %s: %i days to renewal → %s', (segment, days, phase) => {
    const f = account().traits({ segment, renewalDate: renewalIn(days, 200) }).login(199).build()
    const s = journeyState(cfg, f, at(200))
    expect(s.renewal.daysToRenewal).toBe(days)
    expect(s.phase.id).toBe(phase)
  })

  it.each([
    [89, 'advocacy'],
    [90, 'value'],
  ])('P3 a renewed event within the last 90 days → advocacy: renewed %i days before today → %s', (ago, phase) => {
    const f = account().fact('renewed', 300 - ago).build()
    const s = journeyState(cfg, f, at(300))
    expect(s.phase.id).toBe(phase)
  })

  it('P5 day >= 90 and expansion-ready → growth (seed "Fase 4: Growth")', () => {
    const b = account().traits({ seats: 5 }).workspaceFeatures(['a'])
    // power adoption: 5 users, 2 logins each every day, every feature; 3 signals: referral, premium, near limit.
    for (let d = 100; d <= 130; d++) for (const u of ['u1', 'u2', 'u3', 'u4', 'u5']) b.login(d, u, 2).feature(d, 'a', u)
    b.fact('referral_sent', 125).fact('premium_feature_requested', 126).fact('usage_limit', 127, { used: 90, limit: 100 })
    const s = journeyState(cfg, b.build(), at(130))
    expect(s.expansion.ready).toBe(true)
    expect(s.phase.id).toBe('growth')
  })

  it('override: facts.override wins over every rule and the state says so', () => {
    const f = account().login(0).override({ phase: 'value', reason: 'pilot extended', by: 'ana', expiresAt: at(40) }).build()
    const s = journeyState(cfg, f, at(10))
    expect(s.phase.id).toBe('value')
    expect(s.phase.override).toEqual({ phase: 'value', reason: 'pilot extended', expiresAt: new Date(at(40)).toISOString(), by: 'ana' })
    expect(s.phase.reason).toMatch(/manual override by ana/)
    expect(s.phase.reason).toMatch(/pilot extended/)
    expect(s.phase.rules.id).toBe('onboarding')
  })

  it('override: an expired override (expiresAt <= at) is ignored, as is one set after at', () => {
    const expired = account().override({ phase: 'value', expiresAt: at(5) }).build()
    expect(journeyState(cfg, expired, at(10)).phase.id).toBe('onboarding')
    const later = account().override({ phase: 'value', setAt: at(11) }).build()
    expect(journeyState(cfg, later, at(10)).phase.id).toBe('onboarding')
  })

  it('override: an unknown phase is ignored, with a reason', () => {
    const s = journeyState(cfg, account().override({ phase: 'party' }).build(), at(10))
    expect(s.phase.id).toBe('onboarding')
    expect(s.phase.override).toBeNull()
    expect(s.phase.reason).toMatch(/unknown phase "party" ignored/)
  })

  it('phases read their numbers from the config (advocacyAfterRenewalDays)', () => {
    const f = account().fact('renewed', 250).build()
    expect(journeyState(cfg, f, at(300)).phase.id).toBe('advocacy')
    expect(journeyState(config({ phases: { advocacyAfterRenewalDays: 30 } }), f, at(300)).phase.id).toBe('value')
  })
})

describe('time (README: UTC days from the contract start)', () => {
  it('day(t) counts UTC days from the UTC midnight of contractStart, whatever its time of day', () => {
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
  ])('contractStart %s → the first event (facts.firstEventAt)', (_, v) => {
    const f = account().rawTraits({ contractStart: v }).firstEventAt(START + 2 * DAY + 5000).build()
    const s = journeyState(cfg, f, START + 12 * DAY)
    expect(s.day).toBe(10)
    expect(s.contractStartSource).toBe('firstEventAt')
  })

  it('contractStart as epoch ms and as ISO give the same days; before the start the day is negative', () => {
    const a = journeyState(cfg, account().traits({ contractStart: START }).build(), at(5))
    const b = journeyState(cfg, account().traits({ contractStart: new Date(START).toISOString() }).build(), at(5))
    expect(a.day).toBe(5)
    expect(b.day).toBe(5)
    expect(journeyState(cfg, account().build(), at(-2)).day).toBe(-2)
    expect(journeyState(cfg, account().build(), at(-2)).phase.id).toBe('onboarding')
  })

  it('no contract start and no event: day 0 at `at`', () => {
    const s = journeyState(cfg, account().rawTraits({}).firstEventAt(null).build(), at(7))
    expect(s.day).toBe(0)
    expect(s.contractStartSource).toBe('at')
  })
})
