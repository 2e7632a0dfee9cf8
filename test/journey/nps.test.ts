import { describe, expect, it } from 'vitest'
import { journeyState } from '../../server/journey'
import { account, at, defaultConfig } from './builders'

const cfg = defaultConfig
const nps = (b: ReturnType<typeof account>, d = 200) => journeyState(cfg, b.build(), at(d)).nps

describe('NPS (journey.md "NPS": promoters 9-10, passives 7-8, detractors 0-6)', () => {
  it.each([
    [10, 'promoters', 100],
    [9, 'promoters', 100],
    [8, 'passives', 0],
    [7, 'passives', 0],
    [6, 'detractors', -100],
    [0, 'detractors', -100],
  ] as const)('N01 a single answer %i is one of the %s → NPS %i (9 is a promoter, 6 a detractor)', (score, kind, value) => {
    const r = nps(account().nps(190, 'u1', score))
    expect(r[kind]).toBe(1)
    expect(r.responses).toBe(1)
    expect(r.score).toBe(value)
  })

  it("N02 each user's latest answer counts, once", () => {
    const r = nps(account().nps(100, 'u1', 0).nps(150, 'u1', 10).nps(120, 'u2', 8))
    expect(r).toMatchObject({ responses: 2, promoters: 1, passives: 1, detractors: 0, score: 50 })
  })

  it('N03 window: the last 180 days — an answer on day d-179 counts, on day d-180 it does not', () => {
    expect(nps(account().nps(21, 'u1', 10), 200).responses).toBe(1)
    expect(nps(account().nps(20, 'u1', 10), 200).responses).toBe(0)
    expect(nps(account().nps(20, 'u1', 10), 200).score).toBeNull()
  })

  it('N04 a later answer outside the window does not resurrect an older one; an older one in the window is replaced', () => {
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
  ] as const)('N06 a score of %s is ignored (0-10 integers only)', (_, score) => {
    expect(nps(account().nps(190, 'u1', score)).responses).toBe(0)
  })

  it('N06 a numeric string "9" is read as 9; an answer without a user is ignored', () => {
    expect(nps(account().nps(190, 'u1', '9')).promoters).toBe(1)
    expect(nps(account().fact('nps_response', 190, { score: 9 }, null)).responses).toBe(0)
  })
})
