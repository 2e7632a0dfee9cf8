import { describe, expect, it } from 'vitest'
import { journeyState } from '../../server/journey'
import { account, at, config, defaultConfig, iso, midnight } from './builders'

const cfg = defaultConfig
const flag = (s: ReturnType<typeof journeyState>, id: string) => s.redFlags.find((f) => f.id === id)
const has = (s: ReturnType<typeof journeyState>, id: string) => flag(s, id) !== undefined

// Seed "Red Flags" (Fase 1), lines 54-59.
describe('red flags (journey.md "Red flags": the first four "are checked while the phase given by the rules (not an override) is `onboarding`"; setup_late "`day > 7` and no `setup_completed`"; no_login "no `$login` in the last 3 days (or none at all by day 3), checked while `day >= 3`"; usage_declining "active days in the last 14 days < 70% of the 14 days before, with at least 4 active days before", "checked in every phase from day 28 on"; "A flag has a `since` time"; seed lines 54-59 "Red Flags": "Nao completou setup em 7 dias", "Sem login apos 3 dias", "Kickoff remarcado 2+ vezes", "Usuario nao comparece a treinamento", line 103 "Uso declinando")', () => {
  it('RF01 setup_late: day 8 raises, day 7 does not', () => {
    const b = account().logins([5, 6, 7, 8])
    expect(has(journeyState(cfg, b.build(), at(7)), 'setup_late')).toBe(false)
    const s = journeyState(cfg, b.build(), at(8))
    expect(flag(s, 'setup_late')).toEqual({
      id: 'setup_late',
      since: midnight(8),
      reason: 'day 8 > 7 and no setup_completed',
    })
    expect(has(journeyState(cfg, b.fact('setup_completed', 8).build(), at(9)), 'setup_late')).toBe(false)
    expect(has(journeyState(cfg, account().fact('setup_completed', 10).build(), at(9)), 'setup_late')).toBe(true)
  })

  it.each([
    ['logins on day 2, at day 4: days 2-4 have one', [2], 4, false, null],
    ['logins on day 2, at day 5: none in days 3-5', [2], 5, true, 5],
    ['no login at all, day 2 (checked from day 3)', [], 2, false, null],
    ['no login at all by day 3', [], 3, true, 3],
    ['login on day 0 only, at day 3: days 1-3 have none', [0], 3, true, 3],
    ['login today', [10], 10, false, null],
  ] as const)('RF02 no_login — %s', (_, days, d, raised, since) => {
    const s = journeyState(
      cfg,
      account()
        .logins([...days])
        .build(),
      at(d),
    )
    expect(has(s, 'no_login')).toBe(raised)
    if (since !== null) expect(flag(s, 'no_login')!.since).toBe(midnight(since))
  })

  it('RF02b no_login: page/track events without $login do not count', () => {
    expect(has(journeyState(cfg, account().activeDays([3, 4, 5]).build(), at(5)), 'no_login')).toBe(true)
  })

  it('RF03 kickoff_rescheduled: 1 does not raise, 2 do, since the second', () => {
    const one = account().login(4).fact('kickoff_rescheduled', 1)
    expect(has(journeyState(cfg, one.build(), at(4)), 'kickoff_rescheduled')).toBe(false)
    one.fact('kickoff_rescheduled', 2)
    const s = journeyState(cfg, one.build(), at(4))
    expect(flag(s, 'kickoff_rescheduled')!.since).toBe(iso(at(2)))
  })

  it('RF04 training_no_show: one training_no_show raises', () => {
    expect(has(journeyState(cfg, account().login(16).build(), at(16)), 'training_no_show')).toBe(false)
    const s = journeyState(cfg, account().login(16).fact('training_no_show', 15, {}, 'u1').build(), at(16))
    expect(flag(s, 'training_no_show')!.since).toBe(iso(at(15)))
  })

  it('RF06 the onboarding flags are checked only while the rules give onboarding: none on day 31', () => {
    const b = account().fact('kickoff_rescheduled', 1).fact('kickoff_rescheduled', 2).fact('training_no_show', 15)
    expect(
      journeyState(cfg, b.build(), at(29))
        .redFlags.map((f) => f.id)
        .sort(),
    ).toEqual(['kickoff_rescheduled', 'no_login', 'setup_late', 'training_no_show'])
    expect(journeyState(cfg, b.build(), at(31)).redFlags).toEqual([])
  })

  it('RF07 the onboarding flags follow the rules phase, not the phaseOverride', () => {
    const overridden = account().override({ phase: 'adoption' }).build()
    const s = journeyState(cfg, overridden, at(10))
    expect(s.phase.id).toBe('adoption')
    expect(has(s, 'setup_late')).toBe(true)
    const toOnboarding = account().override({ phase: 'onboarding' }).build()
    const t = journeyState(cfg, toOnboarding, at(40))
    expect(t.phase.id).toBe('onboarding')
    expect(has(t, 'setup_late')).toBe(false)
  })

  // 14 days before (days d-27..d-14) vs the last 14 (d-13..d); at day 40: 13..26 and 27..40.
  const before = (n: number) => Array.from({ length: n }, (_, i) => 13 + i)
  const last = (n: number) => Array.from({ length: n }, (_, i) => 27 + i)
  it.each([
    ['10 before, 6 last: 6 < 7 raises', 10, 6, 40, true],
    ['10 before, 7 last: 7 is exactly 70%, not below', 10, 7, 40, false],
    ['3 before, 0 last: fewer than 4 active days before', 3, 0, 40, false],
    ['4 before, 2 last: 2 < 2.8 raises', 4, 2, 40, true],
    ['day 27 is before day 28', 10, 0, 27, false],
    ['day 28 is the first day checked', 10, 0, 28, true],
  ] as const)('RF05 usage_declining — %s', (_, b, l, d, raised) => {
    const shift = 40 - d
    const days = [...before(b), ...last(l)].map((x) => x - shift).filter((x) => x >= 0)
    const s = journeyState(cfg, account().activeDays(days).build(), at(d))
    expect(has(s, 'usage_declining')).toBe(raised)
  })

  it('RF05b usage_declining is checked in every phase (day 200, value) and carries since', () => {
    const days = Array.from({ length: 14 }, (_, i) => 173 + i) // 173..186 active, nothing after
    const s = journeyState(cfg, account().activeDays(days).build(), at(200))
    expect(s.phase.id).toBe('value')
    const f = flag(s, 'usage_declining')!
    expect(f.reason).toBe('0 active days in the last 14 < 70% of 14 in the 14 before')
    // since = the first day of the current run: the flag holds on that day and not on the day before.
    const since = Number(new Date(f.since))
    expect(Number.isFinite(since)).toBe(true)
    const sinceDay = Math.round((since - at(0, 0)) / 86_400_000)
    expect(has(journeyState(cfg, account().activeDays(days).build(), at(sinceDay)), 'usage_declining')).toBe(true)
    expect(has(journeyState(cfg, account().activeDays(days).build(), at(sinceDay - 1)), 'usage_declining')).toBe(false)
  })
})

describe('rounded figures (journey.md "Health score": "rounded half up … on the exact decimal value")', () => {
  it('RF08 usage_declining reason states the ratio as configured: 0.575 is 57.5%, not 57%', () => {
    const days = Array.from({ length: 14 }, (_, i) => 173 + i)
    const s = journeyState(
      config({ redFlags: { usage_declining: { ratio: 0.575 } } }),
      account().activeDays(days).build(),
      at(200),
    )
    expect(flag(s, 'usage_declining')!.reason).toBe('0 active days in the last 14 < 57.5% of 14 in the 14 before')
  })
})
