import { describe, expect, it } from 'vitest'
import { journeyState } from '../../server/journey'
import { account, at, config } from './builders'

const cfg = config({ features: [{ id: 'reports', core: true }, { id: 'alerts', core: true }, { id: 'export' }] })

// Seed "Intervencoes", lines 96-103.
describe('interventions (journey.md "Interventions": "No intervention is proposed while the phase is `churned`", tech-touch in_app by product, high/mid-touch task by csm; seed lines 100-103 "Uso baixo | Call de engajamento", "Feature ignorada | Treinamento focado", "1 usuario apenas | Expansao de usuarios", "Uso declinando | Diagnostico")', () => {
  it.each([
    ['smb', 'in_app', 'product'],
    ['mid_market', 'task', 'csm'],
    ['enterprise', 'task', 'csm'],
  ] as const)(
    'I01 low_usage → engagement_call (adoption level none), %s: channel %s, owner %s',
    (segment, channel, owner) => {
      const s = journeyState(cfg, account().traits({ segment }).build(), at(40))
      expect(s.adoption.level).toBe('none')
      expect(s.interventions.find((i) => i.situation === 'low_usage')).toMatchObject({
        action: 'engagement_call',
        channel,
        owner,
      })
    },
  )

  it('I02 feature_ignored → focused_training: per core feature unused in 30 days, from day 45', () => {
    const b = account().feature(40, 'reports').feature(15, 'alerts').feature(20, 'export')
    const s = journeyState(cfg, b.build(), at(45))
    expect(s.interventions.filter((i) => i.situation === 'feature_ignored').map((i) => [i.feature, i.action])).toEqual([
      ['alerts', 'focused_training'],
    ])
    expect(journeyState(cfg, b.build(), at(44)).interventions.filter((i) => i.situation === 'feature_ignored')).toEqual(
      [],
    )
    const none = journeyState(cfg, account().build(), at(50)).interventions.filter(
      (i) => i.situation === 'feature_ignored',
    )
    expect(none.map((i) => i.feature)).toEqual(['reports', 'alerts'])
  })

  it('I03 single_user → user_expansion: 1 active user and seats > 1 (seats 1 or unset, 2 users: none)', () => {
    const one = (seats: unknown) =>
      journeyState(cfg, account().traits({ seats }).active(35, 'u1').build(), at(40)).interventions.find(
        (i) => i.situation === 'single_user',
      )
    expect(one(5)).toMatchObject({ action: 'user_expansion', channel: 'in_app', owner: 'product' })
    expect(one(1)).toBeUndefined()
    expect(one(undefined)).toBeUndefined()
    expect(
      journeyState(
        cfg,
        account().traits({ seats: 5 }).active(35, 'u1').active(35, 'u2').build(),
        at(40),
      ).interventions.find((i) => i.situation === 'single_user'),
    ).toBeUndefined()
  })

  it('I04 usage_declining → diagnosis: follows the usage_declining red flag', () => {
    const days = Array.from({ length: 10 }, (_, i) => 13 + i)
    const s = journeyState(cfg, account().traits({ segment: 'enterprise' }).activeDays(days).build(), at(40))
    expect(s.redFlags.map((f) => f.id)).toContain('usage_declining')
    expect(s.interventions.find((i) => i.situation === 'usage_declining')).toMatchObject({
      action: 'diagnosis',
      channel: 'task',
      owner: 'csm',
    })
  })

  it('I05 none for a churned account (a churned event)', () => {
    expect(journeyState(cfg, account().fact('churned', 30).build(), at(50)).interventions).toEqual([])
  })

  it('I09 none while an override makes the phase churned; the rules alone would propose low_usage', () => {
    const idle = account()
    expect(journeyState(cfg, idle.build(), at(50)).interventions.map((i) => i.situation)).toContain('low_usage')
    const s = journeyState(cfg, idle.override({ phase: 'churned' }).build(), at(50))
    expect(s.phase.id).toBe('churned')
    expect(s.interventions).toEqual([])
  })
  /** Day 50, seats 5: no $login (level none), no core feature used, u1 the only active user, 10 active days (23-32) then 1 (45). */
  const everything = (segment: string) =>
    account().traits({ segment, seats: 5 }).activeDays([23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 45])
  it.each([
    ['smb', 'in_app', 'product'],
    ['mid_market', 'task', 'csm'],
    ['enterprise', 'task', 'csm'],
  ] as const)('I06 every situation by segment, %s: %s by %s', (segment, channel, owner) => {
    const s = journeyState(cfg, everything(segment).build(), at(50))
    expect(s.interventions.map((i) => [i.situation, i.action, i.feature ?? null])).toEqual([
      ['low_usage', 'engagement_call', null],
      ['feature_ignored', 'focused_training', 'reports'],
      ['feature_ignored', 'focused_training', 'alerts'],
      ['single_user', 'user_expansion', null],
      ['usage_declining', 'diagnosis', null],
    ])
    for (const i of s.interventions) expect([i.channel, i.owner]).toEqual([channel, owner])
  })

  it.each([
    [21, ['alerts']],
    [20, ['reports', 'alerts']],
  ] as const)('I07 feature_ignored at day 50 (window days 21-50): reports last used day %i → %j', (d, ignored) => {
    const s = journeyState(cfg, account().feature(d, 'reports').build(), at(50))
    expect(s.interventions.filter((i) => i.situation === 'feature_ignored').map((i) => i.feature)).toEqual([...ignored])
  })

  it.each([
    [2, true],
    [1, false],
  ] as const)('I08 single_user border: 1 active user and seats %i → %s', (seats, raised) => {
    const s = journeyState(cfg, account().traits({ seats }).active(35, 'u1').build(), at(40))
    expect(s.interventions.some((i) => i.situation === 'single_user')).toBe(raised)
  })
})
