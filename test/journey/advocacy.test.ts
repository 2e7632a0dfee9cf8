import { describe, expect, it } from 'vitest'
import { journeyState } from '../../server/journey'
import { account, at, defaultConfig } from './builders'

const cfg = defaultConfig
const adv = (scores: number[], extra?: (b: ReturnType<typeof account>) => void) => {
  const b = account()
  scores.forEach((s, i) => b.nps(100, `u${i}`, s))
  extra?.(b)
  return journeyState(cfg, b.build(), at(120)).advocacy
}

// Seed "Niveis de Advocacy" lines 232-248, "Programas de Advocacy" lines 250-258.
describe('advocacy (journey.md "Advocacy levels": "satisfied (7-8), loyal (9), promoter (10)", "0-6 is detractor: no advocacy ask, a recovery action instead", "the 180-day window"; seed lines 233-257 "Satisfeito NPS 7-8, Leal NPS 9, Promotor NPS 10", "Evangelista: Participa de marketing; Case study, palestras", "Referencias | Indicar prospects | Desconto/credito")', () => {
  it.each([
    [[7], 'satisfied', []],
    [[8], 'satisfied', []],
    [[9], 'loyal', ['review', 'beta_program']],
    [[10], 'promoter', ['referral', 'case_study']],
    [[10, 9], 'promoter', ['referral', 'case_study']], // 9.5 → 10
    [[10, 8], 'loyal', ['review', 'beta_program']], // 9
    [[6], 'detractor', []],
  ] as const)('A01 answers %j → %s, programs %j', (scores, level, programs) => {
    const a = adv([...scores])
    expect(a.level).toBe(level)
    expect(a.programs.map((p) => p.id)).toEqual(programs)
  })

  it('A02 evangelist: 9-10 and a case study, talk or advisory board → advisory_board, speaking', () => {
    for (const ev of ['case_study_done', 'speaking_done', 'advisory_board_joined']) {
      const a = adv([9], (b) => b.fact(ev, 1))
      expect(a.level).toBe('evangelist')
      expect(a.programs.map((p) => p.id)).toEqual(['advisory_board', 'speaking'])
    }
    expect(adv([8], (b) => b.fact('case_study_done', 1)).level).toBe('satisfied')
  })

  it('A03 detractor: no advocacy ask, a recovery action instead', () => {
    const a = adv([3, 5])
    expect(a).toMatchObject({ level: 'detractor', programs: [], recovery: true })
    expect(a.reason).toMatch(/recovery/)
  })

  it('A04 advocacy score with no answer in the 180-day window: level null, no programs', () => {
    expect(adv([])).toMatchObject({ level: null, programs: [] })
  })

  it('A05 the referral program carries its benefit (discount/credit)', () => {
    expect(adv([10]).programs[0]).toEqual({ id: 'referral', benefit: 'discount/credit' })
  })
  it.each([
    [301, 'promoter'],
    [300, null],
  ] as const)('A06 180-day window: a 10 on day %i, at day 480 → %s', (d, level) => {
    const b = account().nps(d, 'u1', 10)
    expect(journeyState(cfg, b.build(), at(480)).advocacy.level).toBe(level)
  })

  it('A07 evangelist: a 10 counts as 9-10; marketing on day 1 counts for an answer on day 350', () => {
    const b = account().fact('case_study_done', 1).nps(350, 'u1', 10)
    const a = journeyState(cfg, b.build(), at(360)).advocacy
    expect(a.level).toBe('evangelist')
    expect(a.reason).toMatch(/case_study_done/)
    expect(adv([10], (x) => x.fact('speaking_done', 5)).level).toBe('evangelist')
  })

  it.each([
    [[9, 8], 9, 'loyal'],
    [[7, 6], 7, 'satisfied'],
    [[6, 6, 7], 6, 'detractor'],
    [[10, 10, 9, 8], 9, 'loyal'],
  ] as const)(
    "A08 advocacy score = mean of the users' latest answers, rounded half up: %j → %i → %s",
    (scores, score, level) => {
      const a = adv([...scores])
      expect(a.score).toBe(score)
      expect(a.level).toBe(level)
    },
  )

  it("A09 advocacy score uses each user's latest answer: u0 answered 3 then 10 → promoter", () => {
    const b = account().nps(50, 'u0', 3).nps(100, 'u0', 10)
    expect(journeyState(cfg, b.build(), at(120)).advocacy).toMatchObject({ score: 10, level: 'promoter' })
  })
})
