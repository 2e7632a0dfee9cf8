import { describe, expect, it } from 'vitest'
import type { AccountFacts } from '../../server/journey'
import { journeyState } from '../../server/journey'
import { account, at, config, DAY, defaultConfig, prng, START } from './builders'
import { randomFacts } from './random'

const cfg = defaultConfig

describe('robustness (style.md "The journey engine is pure")', () => {
  it('X01 days and fact events after `at` are ignored even when the facts carry them', () => {
    const b = account().logins([1, 2, 3]).login(20).fact('setup_completed', 20).fact('churned', 25).nps(21, 'u1', 0)
    const all = journeyState(cfg, b.build(), at(10))
    const cut = journeyState(cfg, b.buildAt(at(10)), at(10))
    expect(all).toEqual(cut)
    expect(all.phase.id).toBe('onboarding')
    expect(all.redFlags.map((f) => f.id)).toContain('setup_late')
  })

  it('X02 the same inputs give the same output (pure), and the input is not changed', () => {
    const f = account().logins([1, 5]).nps(4, 'u1', 9).build()
    const copy = structuredClone(f)
    expect(journeyState(cfg, f, at(9))).toEqual(journeyState(cfg, f, at(9)))
    expect(f).toEqual(copy)
  })

  it.each([
    ['enterprise', 'enterprise'],
    ['Mid-Market', 'mid_market'],
    ['MID_MARKET', 'mid_market'],
    ['galactic', 'smb'],
    [undefined, 'smb'],
    [42, 'smb'],
  ])('X03 segment trait %j → %s (unknown → smb)', (v, segment) => {
    expect(journeyState(cfg, account().traits({ segment: v }).build(), at(3)).segment).toBe(segment)
  })

  it('X04 the engine uses `traits` as given (the store merged them in timestamp order)', () => {
    const f = account().traits({ segment: 'enterprise', seats: 3, renewalDate: '2027-01-01' }).build()
    const s = journeyState(cfg, f, at(3))
    expect(s.segment).toBe('enterprise')
    expect(s.renewal.renewalDate).toBe('2027-01-01T00:00:00.000Z')
  })

  it('X05 odd facts never throw: wrong types everywhere', () => {
    const odd = {
      accountId: 7,
      traits: { contractStart: {}, seats: 'NaN', segment: null, renewalDate: Number.NaN },
      firstEventAt: 'yesterday',
      users: [null, { userId: 3 }, { userId: 'u1', traits: null }, 'x'],
      days: [null, { date: 'x' }, { date: START + DAY, users: 'all', features: [1, 'a'], counts: null }, { date: START + 2 * DAY, users: [{ userId: 'u1', logins: '2', events: Number.NaN }] }],
      facts: [null, { name: 3 }, { name: 'nps_response', at: 'x' }, { name: 'nps_response', at: START, userId: 'u1', properties: null }, { name: 'usage_limit', at: START, properties: { used: 'lots', limit: 0 } }],
      workspaceFeatures: 'all',
      override: { phase: 5 },
    } as unknown as AccountFacts
    const s = journeyState(cfg, odd, START + 5 * DAY)
    expect(s.segment).toBe('smb')
    expect(s.health.score).toBeGreaterThanOrEqual(0)
    expect(() => journeyState(cfg, {} as AccountFacts, START)).not.toThrow()
    expect(() => journeyState(cfg, null as unknown as AccountFacts, START)).not.toThrow()
    expect(() => journeyState(cfg, odd, Number.NaN)).not.toThrow()
  })

  it('X06 property: for 500 random accounts (seeded), journeyState never throws, health is 0..100 and the contributions sum to it', () => {
    const rnd = prng(42)
    const configs = [cfg, config({ features: [{ id: 'a', core: true }, { id: 'b' }] }), config({ health: { weights: { adoption: 0.9, trend: 0, milestones: 0.01, nps: 0.03, support: 0.05, sponsor: 0.01 } } })]
    for (let i = 0; i < 500; i++) {
      const f = randomFacts(rnd)
      const t = START + Math.floor(rnd() * 450) * DAY + Math.floor(rnd() * DAY)
      const s = journeyState(configs[i % configs.length]!, f, t)
      expect(s.health.score).toBeGreaterThanOrEqual(0)
      expect(s.health.score).toBeLessThanOrEqual(100)
      expect(Number.isInteger(s.health.score)).toBe(true)
      expect(s.health.components.reduce((a, c) => a + c.contribution, 0)).toBe(s.health.score)
      for (const c of s.health.components) expect(Number.isInteger(c.contribution)).toBe(true)
      expect(JSON.parse(JSON.stringify(s))).toEqual(JSON.parse(JSON.stringify(s))) // serialisable
    }
  })

  it('X07 property: random weights and component values, the largest-remainder contributions sum to the rounded score', async () => {
    const { largestRemainder } = await import('../../server/journey/health')
    const { roundHalfUp } = await import('../../server/journey/time')
    const rnd = prng(7)
    for (let i = 0; i < 2000; i++) {
      const n = 1 + Math.floor(rnd() * 6)
      const w = Array.from({ length: n }, () => rnd())
      const total = w.reduce((a, b) => a + b, 0) || 1
      const exact = w.map((x) => Math.round(rnd() * 100) * (x / total))
      const score = roundHalfUp(exact.reduce((a, b) => a + b, 0))
      const parts = largestRemainder(exact, score)
      expect(parts.reduce((a, b) => a + b, 0)).toBe(score)
      parts.forEach((p, k) => expect(Math.abs(p - exact[k]!)).toBeLessThan(1 + 1e-9))
    }
  })

  it('X08 property: phaseOf (the phase alone, as the journey map asks it for past days) equals the full state\'s phase', async () => {
    const { journeyContext, phaseOf } = await import('../../server/journey')
    const rnd = prng(8)
    for (let i = 0; i < 300; i++) {
      const f = randomFacts(rnd)
      const t = START + Math.floor(rnd() * 500 - 20) * DAY + Math.floor(rnd() * DAY)
      expect(phaseOf(journeyContext(cfg, f, t))).toEqual(journeyState(cfg, f, t).phase)
    }
  })
})
