import { describe, expect, it } from 'vitest'
import { diffStates, journeyState } from '../../server/journey'
import { account, at, defaultConfig, prng } from './builders'
import { randomFacts } from './random'

const cfg = defaultConfig

describe('diffStates (api.md "journey/diff": what changed between two dates, and why; health by component: adoption, trend, milestones, nps, support, sponsor; seed line 56 "Nao completou setup em 7 dias")', () => {
  it('D01 phase onboarding → adoption, red flags cleared, milestone statuses changed, with reasons', () => {
    const b = account().logins([0, 1, 2]).fact('setup_completed', 9)
    const from = journeyState(cfg, b.build(), at(8))
    const to = journeyState(cfg, b.build(), at(31))
    const d = diffStates(from, to)
    expect(d.phase).toMatchObject({ from: 'onboarding', to: 'adoption' })
    expect(d.redFlags.cleared.map((f) => f.id).sort()).toEqual(['no_login', 'setup_late'])
    expect(d.milestones.find((m) => m.id === 'setup')).toMatchObject({ from: 'overdue', to: 'done_late' })
    expect(d.milestones.find((m) => m.id === 'first_value')).toMatchObject({ from: 'due', to: 'overdue' })
    expect(d.summary.length).toBeGreaterThan(0)
    expect(d.changed).toBe(true)
  })

  it('D02 health: the delta split by component adds up exactly to the score change', () => {
    const b = account()
      .logins([1, 2, 3, 8, 9, 10])
      .feature(3, 'x')
      .nps(5, 'u1', 10)
      .fact('ticket_opened', 12, { ticketId: 1 })
    const from = journeyState(cfg, b.build(), at(10))
    const to = journeyState(cfg, b.build(), at(20))
    const d = diffStates(from, to)
    expect(d.health.delta).toBe(to.health.score - from.health.score)
    expect(d.health.components.reduce((a, c) => a + c.delta, 0)).toBe(d.health.delta)
    expect(d.health.components.find((c) => c.id === 'support')).toMatchObject({
      from: expect.any(Number),
      to: expect.any(Number),
    })
  })

  it('D06 a raised red flag (setup_late, no_login) carries its since and its reason', () => {
    const b = account().login(0)
    const d = diffStates(journeyState(cfg, b.build(), at(2)), journeyState(cfg, b.build(), at(8)))
    expect(d.redFlags.raised.map((f) => f.id).sort()).toEqual(['no_login', 'setup_late'])
    expect(d.redFlags.raised.find((f) => f.id === 'setup_late')!.reason).toBe('day 8 > 7 and no setup_completed')
  })

  it('D03 diff of adoption level (none → basic) and expansion readiness (no change: null)', () => {
    const b = account().logins([50, 58]).feature(58, 'x')
    const d = diffStates(journeyState(cfg, b.build(), at(40)), journeyState(cfg, b.build(), at(60)))
    expect(d.adoption).toMatchObject({ from: 'none', to: 'basic' })
    expect(d.expansion).toBeNull()
  })

  it('D04 diff of the same state: nothing changed, no summary', () => {
    const s = journeyState(cfg, account().login(3).build(), at(5))
    const d = diffStates(s, s)
    expect(d.changed).toBe(false)
    expect(d.summary).toEqual([])
  })

  it('D05 property, 300 random accounts and pairs of times: component deltas sum to the score delta', () => {
    const rnd = prng(20260105)
    for (let i = 0; i < 300; i++) {
      const f = randomFacts(rnd)
      const t1 = at(Math.floor(rnd() * 200), Math.floor(rnd() * 24))
      const t2 = t1 + Math.floor(rnd() * 200) * 86_400_000
      const d = diffStates(journeyState(cfg, f, t1), journeyState(cfg, f, t2))
      expect(d.health.components.reduce((a, c) => a + c.delta, 0)).toBe(d.health.delta)
    }
  })
})
