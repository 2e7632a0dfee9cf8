import { describe, expect, it } from 'vitest'
import { journeyState } from '../../server/journey'
import { account, at, config } from './builders'

const cfg = config({ features: [{ id: 'reports', core: true }, { id: 'alerts', core: true }, { id: 'export' }] })

// Seed "Intervencoes", lines 96-103.
describe('interventions (journey.md "Interventions")', () => {
  it.each([
    ['smb', 'in_app', 'product'],
    ['mid_market', 'task', 'csm'],
    ['enterprise', 'task', 'csm'],
  ] as const)('I01 low_usage (seed line 100 "Uso baixo | Call de engajamento"), %s: channel %s, owner %s', (segment, channel, owner) => {
    const s = journeyState(cfg, account().traits({ segment }).build(), at(40))
    expect(s.adoption.level).toBe('none')
    expect(s.interventions.find((i) => i.situation === 'low_usage')).toMatchObject({ action: 'engagement_call', channel, owner })
  })

  it('I02 feature_ignored (seed line 101 "Feature ignorada | Treinamento focado"): one per core feature unused in the last 30 days, from day 45', () => {
    const b = account().feature(40, 'reports').feature(15, 'alerts').feature(20, 'export')
    const s = journeyState(cfg, b.build(), at(45))
    expect(s.interventions.filter((i) => i.situation === 'feature_ignored').map((i) => [i.feature, i.action])).toEqual([['alerts', 'focused_training']])
    expect(journeyState(cfg, b.build(), at(44)).interventions.filter((i) => i.situation === 'feature_ignored')).toEqual([])
    const none = journeyState(cfg, account().build(), at(50)).interventions.filter((i) => i.situation === 'feature_ignored')
    expect(none.map((i) => i.feature)).toEqual(['reports', 'alerts'])
  })

  it('I03 single_user (seed line 102 "1 usuario apenas | Expansao de usuarios"): 1 active user and seats > 1', () => {
    const one = (seats: unknown) => journeyState(cfg, account().traits({ seats }).active(35, 'u1').build(), at(40)).interventions.find((i) => i.situation === 'single_user')
    expect(one(5)).toMatchObject({ action: 'user_expansion', channel: 'in_app', owner: 'product' })
    expect(one(1)).toBeUndefined()
    expect(one(undefined)).toBeUndefined()
    expect(journeyState(cfg, account().traits({ seats: 5 }).active(35, 'u1').active(35, 'u2').build(), at(40)).interventions.find((i) => i.situation === 'single_user')).toBeUndefined()
  })

  it('I04 usage_declining (seed line 103 "Uso declinando | Diagnostico"): follows the red flag', () => {
    const days = Array.from({ length: 10 }, (_, i) => 13 + i)
    const s = journeyState(cfg, account().traits({ segment: 'enterprise' }).activeDays(days).build(), at(40))
    expect(s.redFlags.map((f) => f.id)).toContain('usage_declining')
    expect(s.interventions.find((i) => i.situation === 'usage_declining')).toMatchObject({ action: 'diagnosis', channel: 'task', owner: 'csm' })
  })

  it('I05 none for a churned account', () => {
    expect(journeyState(cfg, account().fact('churned', 30).build(), at(50)).interventions).toEqual([])
  })
})
