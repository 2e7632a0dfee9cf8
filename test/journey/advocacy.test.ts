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
describe('advocacy (journey.md "Advocacy levels")', () => {
  it.each([
    [[7], 'satisfied', []],
    [[8], 'satisfied', []],
    [[9], 'loyal', ['review', 'beta_program']],
    [[10], 'promoter', ['referral', 'case_study']],
    [[10, 9], 'promoter', ['referral', 'case_study']], // 9.5 → 10
    [[10, 8], 'loyal', ['review', 'beta_program']], // 9
    [[6], 'detractor', []],
  ] as const)('A01 answers %j → %s, programs %j (seed "Satisfeito NPS 7-8, Leal NPS 9, Promotor NPS 10")', (scores, level, programs) => {
    const a = adv([...scores])
    expect(a.level).toBe(level)
    expect(a.programs.map((p) => p.id)).toEqual(programs)
  })

  it('A02 evangelist (seed "Evangelista: Participa de marketing; Case study, palestras"): 9-10 and case_study_done, speaking_done or advisory_board_joined, at any time', () => {
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

  it('A04 no answer in the 180-day window: level null, no programs', () => {
    expect(adv([])).toMatchObject({ level: null, programs: [] })
  })

  it('A05 referral program carries its benefit (seed "Referencias | Desconto/credito")', () => {
    expect(adv([10]).programs[0]).toEqual({ id: 'referral', benefit: 'discount/credit' })
  })
})
