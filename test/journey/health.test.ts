import { describe, expect, it } from 'vitest'
import type { JourneyState } from '../../server/journey'
import { journeyState } from '../../server/journey'
import type { AccountBuilder } from './builders'
import { account, at, config, defaultConfig } from './builders'

const cfg = defaultConfig
const comp = (s: JourneyState, id: string) => s.health.components.find((c) => c.id === id)
const sum = (s: JourneyState) => s.health.components.reduce((a, c) => a + c.contribution, 0)

/** A day-60 account with every component present: adoption regular, trend 1.0, milestones all on time, NPS 100, no ticket, sponsor active. */
function healthy(): AccountBuilder {
  const b = account().traits({ seats: 10 }).user('u1', { stakeholder: true })
  const c = [
    ['welcome_email_sent', 0],
    ['kickoff_held', 2],
    ['setup_completed', 5],
    ['first_value', 10],
    ['training_attended', 15],
    ['health_check_done', 30],
  ] as const
  for (const [name, d] of c) b.fact(name, d)
  b.logins([30, 37]) // weekly_use done on day 37
  for (let d = 33; d <= 46; d += 2) b.active(d, 'u1') // 7 active days before
  for (let d = 54; d <= 60; d++) if (d !== 55 && d !== 57) b.login(d, 'u1') // 5 login days, last 14: 54..60 → 5 active
  b.active(47, 'u2').active(49, 'u3') // last 14 days: 47, 49, 54, 56, 58, 59, 60 = 7 active days
  b.feature(54, 'a').feature(54, 'b')
  b.nps(50, 'u1', 10)
  return b
}
const four = config({ features: [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }] })

describe('health score (journey.md "Health score": "A component with no data is left out and the remaining weights are scaled to sum to 1; the state lists what was missing", "No data means … trend no active day in the previous 14 days", trend "ratio ≤ 0.5 → 0, 1.0 → 70, ≥ 1.5 → 100, linear between", support "0 → 100, 1 → 70, 2 → 40, 3+ → 10", nps "mapped from [-100, 100] to [0, 100]", "The score and the account NPS are rounded half up to integers", "bands, signals and blockers use the rounded score"; "Only events with timestamp <= at exist"; seed lines 169-179 "Health Score >80 … <60", "NPS 9-10", "Tickets abertos", "Stakeholder desengajado", 209-210 "Health Score", "Uso e adocao")', () => {
  it("H01 the spec's weights, contributions summing exactly to the score, reasons a person can read", () => {
    const s = journeyState(four, healthy().build(), at(60))
    expect(s.adoption.level).toBe('regular')
    expect(s.health.missing).toEqual([])
    expect(s.health.components.map((c) => [c.id, c.value, c.weight])).toEqual([
      ['adoption', 75, 0.35],
      ['trend', 70, 0.15],
      ['milestones', 100, 0.15],
      ['nps', 100, 0.2],
      ['support', 100, 0.1],
      ['sponsor', 100, 0.05],
    ])
    // 26.25 + 10.5 + 15 + 20 + 10 + 5 = 86.75 → 87; floors 86, the unit left goes to trend (.5 > .25).
    expect(s.health.score).toBe(87)
    expect(comp(s, 'adoption')!.reason).toBe('adoption regular (75) × 0.35 = 26')
    expect(comp(s, 'trend')!.contribution).toBe(11)
    expect(sum(s)).toBe(87)
    expect(s.health.band).toBe('green')
    expect(s.health.reason).toMatch(/^health 87 \(green\): adoption regular \(\+26\)/)
  })

  it('H02 missing components left out, weights rescaled: day 0 has adoption and support only', () => {
    const s = journeyState(cfg, account().build(), at(0))
    expect(s.health.missing).toEqual(['trend', 'milestones', 'nps', 'sponsor'])
    expect(s.health.components.map((c) => [c.id, c.weight])).toEqual([
      ['adoption', 0.7778],
      ['support', 0.2222],
    ])
    expect(s.health.score).toBe(22) // 0 × 0.7778 + 100 × 0.2222
    expect(sum(s)).toBe(22)
    expect(s.health.missingReasons.nps).toBe('no NPS response in the last 180 days')
  })

  it.each([
    [4, 1, 0], // ratio 0.25 → 0
    [4, 2, 0], // 0.5 → 0
    [4, 3, 35], // 0.75 → 35
    [4, 4, 70], // 1.0 → 70
    [4, 5, 85], // 1.25 → 85
    [4, 6, 100], // 1.5 → 100
    [4, 8, 100], // 2.0 → 100
    [3, 4, 90], // 1.333 → 90
  ])('H03 trend: %i active days in the 14 before, %i in the last 14 → %i', (prev, last, value) => {
    const days = [...Array.from({ length: prev }, (_, i) => 80 + i), ...Array.from({ length: last }, (_, i) => 94 + i)]
    const s = journeyState(cfg, account().activeDays(days).build(), at(107))
    expect(comp(s, 'trend')!.value).toBe(value)
  })

  it('H03b trend: no active day in the previous 14 days → missing', () => {
    const s = journeyState(cfg, account().activeDays([100, 101]).build(), at(107))
    expect(s.health.missing).toContain('trend')
  })

  it.each([
    [0, 100],
    [1, 70],
    [2, 40],
    [3, 10],
    [5, 10],
  ])('H04 support: %i open tickets → %i', (n, value) => {
    const b = account()
    for (let i = 0; i < n; i++) b.fact('ticket_opened', 10, { ticketId: `t${i}` })
    b.fact('ticket_opened', 11, { ticketId: 'closed' }).fact('ticket_closed', 12, { ticketId: 'closed' })
    expect(comp(journeyState(cfg, b.build(), at(20)), 'support')!.value).toBe(value)
  })

  it('H04b support: a ticket closed after `at` is still open at `at`', () => {
    const b = account().fact('ticket_opened', 10, { ticketId: 7 }).fact('ticket_closed', 15, { ticketId: 7 })
    expect(comp(journeyState(cfg, b.build(), at(12)), 'support')!.value).toBe(70)
    expect(comp(journeyState(cfg, b.build(), at(16)), 'support')!.value).toBe(100)
  })

  it.each([
    [[10], 100],
    [[0], 0],
    [[9, 7], 75], // NPS 50
    [[9, 9, 9, 9, 9, 9, 9, 0], 87.5], // NPS 75 → 87.5 (the component is not rounded: journey.md rounds the score and the NPS only)
  ])('H05 nps: answers %j → value (NPS+100)/2 = %i', (scores, value) => {
    const b = account()
    scores.forEach((sc, i) => b.nps(10, `u${i}`, sc))
    expect(comp(journeyState(cfg, b.build(), at(20)), 'nps')!.value).toBe(value)
  })

  it('H06 milestones: share of ended windows done on time (done_late is not); none ended → missing', () => {
    // day 8: ended welcome (0-0), kickoff (1-3), setup (3-7); welcome on time, kickoff late, setup missing → 33
    const s = journeyState(cfg, account().fact('welcome_email_sent', 0).fact('kickoff_held', 4).build(), at(8))
    expect(comp(s, 'milestones')!.value).toBe(33.33)
    expect(comp(s, 'milestones')!.reason).toMatch(/milestones 1 of 3 on time/)
    // day 0: no window has ended yet
    expect(journeyState(cfg, account().build(), at(0)).health.missing).toContain('milestones')
  })

  it('H10 components are weighted unrounded; only the score is rounded half up', () => {
    // Day 0: adoption none (0) and support (100) present; 13 detractors and 1 passive: NPS -92.86 → -93, value 3.5.
    const b = account()
    for (let i = 0; i < 14; i++) b.nps(0, `u${i}`, i === 0 ? 7 : 0)
    const s = journeyState(cfg, b.build(), at(0))
    expect(s.nps.score).toBe(-93)
    expect(s.health.components.map((c) => [c.id, c.value])).toEqual([
      ['adoption', 0],
      ['nps', 3.5],
      ['support', 100],
    ])
    // (0 × 0.35 + 3.5 × 0.20 + 100 × 0.10) / 0.65 = 16.46 → 16 (rounding 3.5 to 4 first would give 16.62 → 17).
    expect(s.health.score).toBe(16)
    expect(sum(s)).toBe(16)
  })

  it('H07 sponsor: stakeholder active in 30 days → 100, inactive → 0, none (true, not "true") → missing', () => {
    const active = account().user('boss', { stakeholder: true }).active(71, 'boss')
    expect(comp(journeyState(cfg, active.build(), at(100)), 'sponsor')!.value).toBe(100)
    const idle = account().user('boss', { stakeholder: true }).active(70, 'boss')
    expect(comp(journeyState(cfg, idle.build(), at(100)), 'sponsor')!.value).toBe(0)
    const none = account().user('boss', { stakeholder: 'true' }).active(90, 'boss')
    expect(journeyState(cfg, none.build(), at(100)).health.missing).toContain('sponsor')
  })

  it.each([
    [80, 'green'],
    [79, 'yellow'],
    [60, 'yellow'],
    [59, 'red'],
  ])('H08 bands green ≥ 80, yellow 60-79, red < 60: score %i → %s', (score, band) => {
    const only = config({
      health: { weights: { adoption: 0, trend: 0, milestones: 0, nps: 0, support: 1, sponsor: 0 }, support: [score] },
    })
    const s = journeyState(only, account().build(), at(10))
    expect(s.health.score).toBe(score)
    expect(s.health.band).toBe(band)
  })
  it('H11 adoption component: level none 0, basic 40, regular 75, power 100', () => {
    const none = account()
    const basic = account().logins([50, 58]).feature(58, 'a')
    const regular = account()
      .login(50)
      .logins([54, 55, 56, 57, 58])
      .active(50, 'u2')
      .active(50, 'u3')
      .feature(52, 'a')
      .feature(52, 'b')
    const power = account().traits({ seats: 5 })
    for (const u of ['u1', 'u2', 'u3', 'u4', 'u5']) for (let d = 54; d <= 60; d++) power.login(d, u, 2)
    for (const f of ['a', 'b', 'c', 'd']) power.feature(58, f)
    const got = [none, basic, regular, power].map((b) => {
      const s = journeyState(four, b.build(), at(60))
      return [s.adoption.level, comp(s, 'adoption')!.value, comp(s, 'adoption')!.weight > 0]
    })
    expect(got).toEqual([
      ['none', 0, true],
      ['basic', 40, true],
      ['regular', 75, true],
      ['power', 100, true],
    ])
  })

  it.each([
    [79.5, 80, 'green'],
    [79.49, 79, 'yellow'],
    [59.5, 60, 'yellow'],
    [59.49, 59, 'red'],
  ])('H12 bands use the rounded score: exact %d → score %i → %s', (exact, score, band) => {
    const only = config({
      health: { weights: { adoption: 0, trend: 0, milestones: 0, nps: 0, support: 1, sponsor: 0 }, support: [exact] },
    })
    const s = journeyState(only, account().build(), at(10))
    expect(s.health.score).toBe(score)
    expect(s.health.band).toBe(band)
  })

  it('H13 each component is weighted or listed missing; the scaled weights sum to 1', () => {
    const s = journeyState(four, healthy().build(), at(60))
    const t = journeyState(cfg, account().build(), at(0))
    for (const x of [s, t]) {
      expect([...x.health.components.map((c) => c.id), ...x.health.missing].sort()).toEqual([
        'adoption',
        'milestones',
        'nps',
        'sponsor',
        'support',
        'trend',
      ])
      expect(x.health.components.reduce((a, c) => a + c.weight, 0)).toBeCloseTo(1, 3)
    }
  })
})

describe('rounded figures (journey.md "Health score": "rounded half up … on the exact decimal value … whatever binary floating point makes of it")', () => {
  it('H14 a component value is shown half up to 2 decimals: 1.005 is 1.01, not 1', () => {
    const c = config({ health: { trend: { points: [[0, 1.005]] } } })
    const s = journeyState(
      c,
      account()
        .activeDays(Array.from({ length: 21 }, (_, i) => i))
        .build(),
      at(20),
    )
    expect(comp(s, 'trend')!.value).toBe(1.01)
    expect(comp(s, 'trend')!.reason).toMatch(/\(1\.01\) ×/)
  })
})
