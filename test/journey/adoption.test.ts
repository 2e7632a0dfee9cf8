import { describe, expect, it } from 'vitest'
import { journeyState } from '../../server/journey'
import type { AccountBuilder } from './builders'
import { account, at, config, defaultConfig } from './builders'

const D = 60 // every case is computed at day 60; the last 7 days are 54..60, the 7 before 47..53.
const four = config({ features: [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }, { id: 'e' }] })
const state = (b: AccountBuilder, c = four) => journeyState(c, b.build(), at(D))
const crit = (s: ReturnType<typeof journeyState>, level: string, id: string) =>
  s.adoption.checks.find((c) => c.level === level)!.criteria.find((c) => c.id === id)!.met

// Seed "Indicadores de Adocao", lines 79-94.
describe('adoption level (journey.md "Adoption level": "Each level\'s criteria are tested on their own", "`none` when none holds"; with no features configured, "of the distinct features the workspace has seen in the last 90 days")', () => {
  describe('basic (journey.md: "a $login in each of the last two 7-day periods", "at least 1", "at least 1"; seed lines 80-83 "Nivel 1 - Basico: Login semanal; 1-2 features usadas; 1 usuario ativo")', () => {
    it.each([
      ['a $login in each of the last two 7-day periods', [50, 58], true],
      ['only in the last 7 days', [55, 58], false],
      ['only in the 7 before', [47, 53], false],
      ['borders: day 47 and day 54', [47, 54], true],
      ['day 46 is outside both periods', [46, 54], false],
    ] as const)('AL01 basic logins: %s', (_, days, met) => {
      expect(crit(state(account().logins([...days])), 'basic', 'logins')).toBe(met)
    })
    it('AL02 basic features: 1 of the list in the last 30 days (day 31 counts, day 30 does not)', () => {
      expect(crit(state(account().feature(31, 'a')), 'basic', 'features')).toBe(true)
      expect(crit(state(account().feature(30, 'a')), 'basic', 'features')).toBe(false)
      expect(crit(state(account().feature(40, 'not-listed')), 'basic', 'features')).toBe(false)
    })
    it('AL03 basic active users: 1 in the last 30 days (day 31 counts, day 30 does not)', () => {
      expect(crit(state(account().active(31)), 'basic', 'active_users')).toBe(true)
      expect(crit(state(account().active(30)), 'basic', 'active_users')).toBe(false)
    })
    it('AL04 basic: all three criteria → level basic', () => {
      const s = state(account().logins([50, 58]).feature(58, 'a'))
      expect(s.adoption.level).toBe('basic')
      expect(s.adoption.reason).toMatch(/^basic: /)
    })
  })

  describe('regular (journey.md: "$login on 5 or more of the last 7 days", "50% or more", "3 or more"; seed lines 85-88 "Nivel 2 - Regular: Login diario; 50%+ features; 3+ usuarios ativos")', () => {
    it.each([
      [[54, 55, 56, 57, 58], true],
      [[54, 55, 56, 57], false],
      [[53, 54, 55, 56, 57], false],
    ] as const)('AL05 regular logins: $login on 5 or more of the last 7 days: %j → %s', (days, met) => {
      expect(crit(state(account().logins([...days])), 'regular', 'logins')).toBe(met)
    })
    it('AL06 regular features: 50% or more (3 of 5 yes, 2 of 5 no, 1 of 2 is exactly 50%: yes)', () => {
      expect(crit(state(account().feature(50, 'a').feature(50, 'b').feature(50, 'c')), 'regular', 'features')).toBe(
        true,
      )
      expect(crit(state(account().feature(50, 'a').feature(50, 'b')), 'regular', 'features')).toBe(false)
      const two = config({ features: [{ id: 'a' }, { id: 'b' }] })
      expect(crit(state(account().feature(50, 'a'), two), 'regular', 'features')).toBe(true) // exactly 50%
    })
    it('AL07 regular active users: 3 or more (2 is not)', () => {
      expect(crit(state(account().active(50, 'u1').active(50, 'u2').active(50, 'u3')), 'regular', 'active_users')).toBe(
        true,
      )
      expect(crit(state(account().active(50, 'u1').active(50, 'u2')), 'regular', 'active_users')).toBe(false)
    })
  })

  it('AL08 regular: all three criteria → level regular', () => {
    const b = account().login(50).logins([54, 55, 56, 57, 58]).active(50, 'u2').active(50, 'u3')
    for (const f of ['a', 'b', 'c']) b.feature(52, f)
    const s = state(b)
    expect(s.adoption.checks.find((c) => c.level === 'regular')!.met).toBe(true)
    expect(s.adoption.checks.find((c) => c.level === 'power')!.met).toBe(false)
    expect(s.adoption.level).toBe('regular')
    expect(s.adoption.reason).toMatch(/^regular: /)
  })

  describe('power (journey.md: "2 or more $login per active user-day", "80% or more", "80% or more of seats (at least 5 users)"; seed lines 90-93 "Multiplos logins/dia; 80%+ features; Departamento inteiro")', () => {
    it('AL09 power logins: 2+ $login per active user-day over the last 7 days (1.5 no, 2.0 yes)', () => {
      expect(crit(state(account().login(55, 'u1', 2).login(56, 'u2', 2)), 'power', 'logins')).toBe(true)
      expect(crit(state(account().login(55, 'u1', 2).login(56, 'u2', 1)), 'power', 'logins')).toBe(false) // 1.5
      expect(crit(state(account().login(55, 'u1', 3).login(56, 'u2', 1)), 'power', 'logins')).toBe(true) // 2.0
      expect(crit(state(account().login(50, 'u1', 5)), 'power', 'logins')).toBe(false) // outside the 7 days
    })
    it('AL10 power features: 80% or more (4 of 5 yes, 3 of 5 no)', () => {
      const b = account().feature(50, 'a').feature(50, 'b').feature(50, 'c')
      expect(crit(state(b), 'power', 'features')).toBe(false)
      expect(crit(state(b.feature(51, 'd')), 'power', 'features')).toBe(true)
    })
    const users = (n: number) => {
      const b = account()
      for (let i = 1; i <= n; i++) b.active(50, `u${i}`)
      return b
    }
    it.each([
      ['exactly 80% of seats: 8 of 10', 10, 8, true],
      ['70%: 7 of 10 seats', 10, 7, false],
      ['28 of 35 seats (80%, float-safe)', 35, 28, true],
      ['4 of 4 seats is 100% but fewer than 5 users', 4, 4, false],
      ['seats unset: 5 users', null, 5, true],
      ['seats unset: 4 users', null, 4, false],
      ['seats "10" as a string: 8 users', '10', 8, true],
      ['seats "lots" (not a number) → unset: 5 users', 'lots', 5, true],
    ] as const)('AL11 power active users, 80% of seats and 5+: %s', (_, seats, n, met) => {
      const b = users(n)
      if (seats !== null) b.traits({ seats })
      expect(crit(state(b), 'power', 'active_users')).toBe(met)
    })
  })

  it('AL12 levels are not nested: power holds while basic does not (no $login in the 7 before)', () => {
    const b = account().traits({ seats: 5 })
    for (const u of ['u1', 'u2', 'u3', 'u4', 'u5'])
      b.login(56, u, 2).login(57, u, 2).login(58, u, 2).login(59, u, 2).login(60, u, 2)
    for (const f of ['a', 'b', 'c', 'd']) b.feature(58, f)
    const s = state(b)
    expect(crit(s, 'basic', 'logins')).toBe(false)
    expect(s.adoption.checks.find((c) => c.level === 'power')!.met).toBe(true)
    expect(s.adoption.level).toBe('power')
  })

  it('AL13 none: no level holds, with the reason', () => {
    const s = state(account())
    expect(s.adoption.level).toBe('none')
    expect(s.adoption.reason).toMatch(/^none: basic not met/)
  })

  it('AL14 no features configured: the denominator is what the workspace has seen in 90 days', () => {
    const b = account().workspaceFeatures(['a', 'b', 'c', 'd']).feature(50, 'a').feature(50, 'b')
    const s = journeyState(defaultConfig, b.build(), at(D))
    expect(s.adoption.featureCount).toBe(4)
    expect(crit(s, 'regular', 'features')).toBe(true)
    expect(crit(s, 'power', 'features')).toBe(false)
  })
})
