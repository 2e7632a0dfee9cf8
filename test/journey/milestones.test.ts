import { describe, expect, it } from 'vitest'
import { journeyState } from '../../server/journey'
import { account, at, config, defaultConfig, midnight } from './builders'

const cfg = defaultConfig
const ms = (s: ReturnType<typeof journeyState>, id: string) => s.milestones.find((m) => m.id === id)!

// Seed "Marcos Criticos" (Fase 1), lines 33-40.
const onboarding = [
  ['M01', 'welcome', 'welcome_email_sent', 0, 0, 'seed line 35 "Boas-vindas | Dia 0"'],
  ['M02', 'kickoff', 'kickoff_held', 1, 3, 'seed line 36 "Kickoff | Dia 1-3 | Reuniao realizada"'],
  ['M03', 'setup', 'setup_completed', 3, 7, 'seed line 37 "Setup | Dia 3-7 | Configuracao completa"'],
  ['M04', 'first_value', 'first_value', 7, 14, 'seed line 38 "First Value | Dia 7-14 | Primeiro resultado"'],
  ['M05', 'training', 'training_attended', 14, 21, 'seed line 39 "Treinamento | Dia 14-21"'],
  ['M06', 'health_check', 'health_check_done', 30, 30, 'seed line 40 "Health Check | Dia 30"'],
] as const

describe('onboarding milestones (journey.md "Onboarding milestones": "completing before the window opens counts as `done`", "`done_late` (completed after it)", the statuses at `at`, "Time to first value = days from contract start to `first_value`"; "Only events with `timestamp <= at` exist"; every number "is a default of the journey config"; seed line 29 "Levar cliente ao primeiro valor rapidamente")', () => {
  describe.each(onboarding)('%s %s (done when %s, window days %i-%i) — %s', (sid, id, event, from, to) => {
    it(`${sid}.1 ${id}: ${event} on the window's last day (day ${to}) = done, at the event's time`, () => {
      const s = journeyState(cfg, account().fact(event, to).build(), at(to + 5))
      expect(ms(s, id).status).toBe('done')
      expect(ms(s, id).completedAt).toBe(new Date(at(to)).toISOString())
      expect(ms(s, id).stage).toBe('onboarding')
      expect(ms(s, id).window).toEqual([from, to])
    })
    it(`${sid}.2 ${id}: ${event} a day later (day ${to + 1}) = done_late`, () => {
      expect(
        ms(
          journeyState(
            cfg,
            account()
              .fact(event, to + 1)
              .build(),
            at(to + 5),
          ),
          id,
        ).status,
      ).toBe('done_late')
    })
    it(`${sid}.3 ${id}: ${event} before the window opens (day ${from - 1}) = done`, () => {
      expect(
        ms(
          journeyState(
            cfg,
            account()
              .fact(event, from - 1)
              .build(),
            at(to + 5),
          ),
          id,
        ).status,
      ).toBe('done')
    })
    it(`${sid}.4 ${id} not done: upcoming on day ${from - 1}, due on days ${from} and ${to}, overdue on day ${to + 1}`, () => {
      const f = account().build()
      if (from > 0) expect(ms(journeyState(cfg, f, at(from - 1)), id).status).toBe('upcoming')
      expect(ms(journeyState(cfg, f, at(from)), id).status).toBe('due')
      expect(ms(journeyState(cfg, f, at(to)), id).status).toBe('due')
      expect(ms(journeyState(cfg, f, at(to + 1)), id).status).toBe('overdue')
    })
    it(`${sid}.5 ${id}: ${event} after \`at\` does not complete it`, () => {
      const b = account().fact(event, to + 3)
      expect(ms(journeyState(cfg, b.build(), at(to + 1)), id).status).toBe('overdue')
      expect(ms(journeyState(cfg, b.buildAt(at(to + 1)), at(to + 1)), id).status).toBe('overdue')
    })
  })

  it('M11 timeToFirstValue: days from contract start to first_value', () => {
    expect(journeyState(cfg, account().fact('first_value', 9).build(), at(20)).timeToFirstValue).toBe(9)
    expect(journeyState(cfg, account().build(), at(20)).timeToFirstValue).toBeNull()
  })

  it('M12 milestone windows come from the config (milestones.setup.window)', () => {
    const c = config({ milestones: { setup: { window: [3, 10] } } })
    expect(ms(journeyState(c, account().fact('setup_completed', 9).build(), at(12)), 'setup').status).toBe('done')
  })
})

// Seed "Marcos Criticos" (Fase 2), lines 70-75.
describe('adoption milestones (journey.md "Adoption milestones" and "completing before the window opens counts as `done`"; seed lines 72-75 "Uso semanal | Dia 30-45 | Login consistente", "Feature core | Dia 45-60 | Adocao principal", "Workflow | Dia 60-75 | Processo estabelecido", "Time engajado | Dia 75-90 | Multiplos usuarios")', () => {
  it('M07 weekly_use: a $login in each of 2 consecutive account weeks (week k = days 7k..7k+6)', () => {
    // week 4 = days 28-34, week 5 = days 35-41: completed on the first login of week 5.
    const s = journeyState(cfg, account().logins([30, 36, 37]).build(), at(50))
    expect(ms(s, 'weekly_use').status).toBe('done')
    expect(ms(s, 'weekly_use').completedAt).toBe(midnight(36))
    // weeks 4 and 6, not consecutive: due inside the window, overdue after it.
    expect(ms(journeyState(cfg, account().logins([30, 43]).build(), at(44)), 'weekly_use').status).toBe('due')
    expect(ms(journeyState(cfg, account().logins([30, 43]).build(), at(46)), 'weekly_use').status).toBe('overdue')
    // events without $login do not count
    expect(ms(journeyState(cfg, account().activeDays([30, 36]).build(), at(46)), 'weekly_use').status).toBe('overdue')
  })

  it('M07b weekly_use border: completed on day 45 = done, on day 46 = done_late', () => {
    // week 6 = days 42-48: login on 41 (week 5) and 45 → done on 45; 41 and 46 → 46.
    expect(ms(journeyState(cfg, account().logins([20, 45]).logins([41]).build(), at(50)), 'weekly_use').status).toBe(
      'done',
    )
    expect(ms(journeyState(cfg, account().logins([41, 46]).build(), at(50)), 'weekly_use').status).toBe('done_late')
  })

  it('M07c weekly_use before day 30 counts as done', () => {
    const s = journeyState(cfg, account().logins([0, 7]).build(), at(20))
    expect(ms(s, 'weekly_use').status).toBe('done')
    expect(ms(s, 'weekly_use').completedAt).toBe(midnight(7))
  })

  it('M08 core_feature: every core feature used at least once', () => {
    const c = config({ features: [{ id: 'reports', core: true }, { id: 'alerts', core: true }, { id: 'export' }] })
    const b = account().feature(40, 'reports').feature(55, 'export')
    expect(ms(journeyState(c, b.build(), at(58)), 'core_feature').status).toBe('due')
    b.feature(59, 'alerts')
    const s = journeyState(c, b.build(), at(62))
    expect(ms(s, 'core_feature').status).toBe('done')
    expect(ms(s, 'core_feature').completedAt).toBe(midnight(59))
  })

  it('M08b core_feature with no core features: every configured one; none configured: any feature', () => {
    const c = config({ features: [{ id: 'reports' }, { id: 'alerts' }] })
    expect(ms(journeyState(c, account().feature(50, 'reports').build(), at(62)), 'core_feature').status).toBe('overdue')
    expect(
      ms(journeyState(c, account().feature(50, 'reports').feature(61, 'alerts').build(), at(62)), 'core_feature')
        .status,
    ).toBe('done_late')
    expect(ms(journeyState(cfg, account().feature(50, 'anything').build(), at(62)), 'core_feature').status).toBe('done')
  })

  it('M09 workflow: one core feature used in 3 of the 4 account weeks ending with the current one', () => {
    const c = config({ features: [{ id: 'reports', core: true }, { id: 'alerts' }] })
    // weeks 8 (56-62), 9 (63-69), 10 (70-76): 3 of weeks 7-10 → done on day 70
    const s = journeyState(
      c,
      account().feature(56, 'reports').feature(63, 'reports').feature(70, 'reports').build(),
      at(80),
    )
    expect(ms(s, 'workflow').status).toBe('done')
    expect(ms(s, 'workflow').completedAt).toBe(midnight(70))
    // weeks 5, 8 and 10: at most 2 within any 4 consecutive weeks
    expect(
      ms(
        journeyState(c, account().feature(35, 'reports').feature(56, 'reports').feature(70, 'reports').build(), at(80)),
        'workflow',
      ).status,
    ).toBe('overdue')
    // a non-core feature does not count
    expect(
      ms(
        journeyState(c, account().feature(56, 'alerts').feature(63, 'alerts').feature(70, 'alerts').build(), at(80)),
        'workflow',
      ).status,
    ).toBe('overdue')
    // three weeks of one feature, not three features in a week
    expect(
      ms(
        journeyState(
          config({
            features: [
              { id: 'a', core: true },
              { id: 'b', core: true },
              { id: 'c', core: true },
            ],
          }),
          account().feature(60, 'a').feature(60, 'b').feature(60, 'c').build(),
          at(62),
        ),
        'workflow',
      ).status,
    ).toBe('due')
  })

  it('M10 engaged_team: 3 or more users active in the last 30 days (border: 30 days exactly)', () => {
    const s = journeyState(cfg, account().active(60, 'u1').active(70, 'u2').active(80, 'u3').build(), at(85))
    expect(ms(s, 'engaged_team').status).toBe('done')
    expect(ms(s, 'engaged_team').completedAt).toBe(midnight(80))
    // u1 on day 50 is 31 days before day 80: only 2 in any 30-day period
    expect(
      ms(
        journeyState(cfg, account().active(50, 'u1').active(70, 'u2').active(80, 'u3').build(), at(91)),
        'engaged_team',
      ).status,
    ).toBe('overdue')
    // exactly 30 days: days 51..80
    expect(
      ms(
        journeyState(cfg, account().active(51, 'u1').active(70, 'u2').active(80, 'u3').build(), at(91)),
        'engaged_team',
      ).status,
    ).toBe('done')
  })
})

describe('adoption milestone statuses (journey.md "Onboarding milestones": status of a milestone at `at`; a condition "is completed at the first moment its condition held", on the window\'s last day done, the day after done_late; seed lines 72-75 "Dia 30-45", "Dia 45-60", "Dia 60-75", "Dia 75-90")', () => {
  it.each([
    ['weekly_use', 30, 45, 'seed line 72 "Dia 30-45"'],
    ['core_feature', 45, 60, 'seed line 73 "Dia 45-60"'],
    ['workflow', 60, 75, 'seed line 74 "Dia 60-75"'],
    ['engaged_team', 75, 90, 'seed line 75 "Dia 75-90"'],
  ] as const)(
    'M13 %s not done: upcoming before day %i, due on its first and last day (%i), overdue after',
    (id, from, to, _seed) => {
      const f = account().build()
      expect(ms(journeyState(cfg, f, at(from - 1)), id).status).toBe('upcoming')
      expect(ms(journeyState(cfg, f, at(from)), id).status).toBe('due')
      expect(ms(journeyState(cfg, f, at(to)), id).status).toBe('due')
      expect(ms(journeyState(cfg, f, at(to + 1)), id).status).toBe('overdue')
      expect(ms(journeyState(cfg, f, at(to + 1)), id)).toMatchObject({
        stage: 'adoption',
        window: [from, to],
        completedAt: null,
      })
    },
  )

  const core = (d: number) => account().feature(d, 'x')
  const workflow = (first: number) =>
    account()
      .feature(first, 'x')
      .feature(first + 7, 'x')
      .feature(first + 14, 'x')
  const team = (last: number) => account().active(80, 'u1').active(85, 'u2').active(last, 'u3')
  it.each([
    ['core_feature (first feature_used, none configured)', 'done', 60, 'core_feature', core(60)],
    ['core_feature (first feature_used, none configured)', 'done_late', 61, 'core_feature', core(61)],
    ['workflow (a feature in weeks 8, 9, 10)', 'done', 75, 'workflow', workflow(61)],
    ['workflow (a feature in weeks 8, 9, 10)', 'done_late', 76, 'workflow', workflow(62)],
    ['engaged_team (the 3rd active user)', 'done', 90, 'engaged_team', team(90)],
    ['engaged_team (the 3rd active user)', 'done_late', 91, 'engaged_team', team(91)],
  ] as const)('M14 %s border → %s on day %i', (_, status, day, id, b) => {
    const m = ms(journeyState(cfg, b.build(), at(95)), id)
    expect(m.status).toBe(status)
    expect(m.completedDay).toBe(day)
    expect(m.completedAt).toBe(midnight(day))
  })
})
