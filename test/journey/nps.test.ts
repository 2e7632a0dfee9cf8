import { describe, expect, it } from 'vitest'
import { journeyState } from '../../server/journey'
import { account, at, defaultConfig } from './builders'

const cfg = defaultConfig
const nps = (b: ReturnType<typeof account>, d = 200) => journeyState(cfg, b.build(), at(d)).nps

describe('NPS (journey.md "NPS": "promoters 9-10, passives 7-8, detractors 0-6; NPS = % promoters − % detractors", "Account NPS uses each user\'s latest response in the last 180 days", "rounded half up"; "A user is a `userId`"; "Only events with `timestamp <= at` exist"; seed lines 235, 239, 243 "NPS 7-8 / NPS 9 / NPS 10")', () => {
  it.each([
    [10, 'promoters', 100],
    [9, 'promoters', 100],
    [8, 'passives', 0],
    [7, 'passives', 0],
    [6, 'detractors', -100],
    [0, 'detractors', -100],
  ] as const)('N01 a single answer %i is one of the %s → NPS %i', (score, kind, value) => {
    const r = nps(account().nps(190, 'u1', score))
    expect(r[kind]).toBe(1)
    expect(r.responses).toBe(1)
    expect(r.score).toBe(value)
  })

  it("N02 account NPS uses each user's latest response, once", () => {
    const r = nps(account().nps(100, 'u1', 0).nps(150, 'u1', 10).nps(120, 'u2', 8))
    expect(r).toMatchObject({ responses: 2, promoters: 1, passives: 1, detractors: 0, score: 50 })
  })

  it('N03 window 180 days: an answer on day d-179 counts, on day d-180 it does not', () => {
    expect(nps(account().nps(21, 'u1', 10), 200).responses).toBe(1)
    expect(nps(account().nps(20, 'u1', 10), 200).responses).toBe(0)
    expect(nps(account().nps(20, 'u1', 10), 200).score).toBeNull()
  })

  it('N04 an answer outside the 180-day window does not count beside a later one inside it', () => {
    // u1 answered 2 on day 30 (outside) and 10 on day 100 (inside): only 10 counts.
    expect(nps(account().nps(30, 'u1', 2).nps(100, 'u1', 10), 200).score).toBe(100)
  })

  it('N05 rounded half up: 1 promoter of 8 → 12.5 → 13; 1 detractor of 8 → -12.5 → -12', () => {
    const p = account().nps(190, 'p', 9)
    const d = account().nps(190, 'd', 3)
    for (let i = 0; i < 7; i++) {
      p.nps(190, `x${i}`, 7)
      d.nps(190, `x${i}`, 8)
    }
    expect(nps(p).score).toBe(13)
    expect(nps(d).score).toBe(-12)
  })

  it.each([
    ['11', 11],
    ['-1', -1],
    ['8.5', 8.5],
    ['"x"', 'x'],
    ['null', null],
    ['NaN', Number.NaN],
  ] as const)('N06 nps_response {score 0-10}: a score of %s is ignored (0-10 integers only)', (_, score) => {
    expect(nps(account().nps(190, 'u1', score)).responses).toBe(0)
  })

  it('N06b a numeric string "9" is read as 9; an answer without a userId is ignored', () => {
    expect(nps(account().nps(190, 'u1', '9')).promoters).toBe(1)
    expect(nps(account().fact('nps_response', 190, { score: 9 }, null)).responses).toBe(0)
  })
  it('N07 an answer after `at` is not counted: day 201 at day 200, then counted at day 201', () => {
    const b = account().nps(150, 'u1', 0).nps(201, 'u1', 10)
    expect(nps(b, 200)).toMatchObject({ responses: 1, detractors: 1, score: -100 })
    expect(nps(b, 201)).toMatchObject({ responses: 1, promoters: 1, score: 100 })
  })
})
