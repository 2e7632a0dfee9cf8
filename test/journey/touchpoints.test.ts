import { describe, expect, it } from 'vitest'
import type { JourneyState } from '../../server/journey'
import { journeyState } from '../../server/journey'
import { account, at, DAY, defaultConfig, midnight, START } from './builders'

const cfg = defaultConfig
const tp = (s: JourneyState, id: string) => s.touchpoints.filter((t) => t.id === id)
const seg = (segment: string) => account().traits({ segment })

// Seed "Touchpoints" lines 42-52, "Mapa de Touchpoints" lines 274-288, "Personalizacao por Segmento" lines 292-319.
describe('touchpoints (journey.md "Touch model by segment": the plan, "delivered when its engagement or fact event arrives"; "No intervention … while churned" and no touchpoint either; seed lines 45 "Dia 0: [Email boas-vindas] [Acesso liberado]", 49 "Dia 14: [Treinamento]", 228 "Transformar cliente em promotor", 280 "Train x2", 283-287 "Expansion call", "Tech Touch … In-app guides", "In-app prompts", 299 "Adoption | Mensal", 300 "QBR trimestral", 301 "Renewal | 90 dias antes | CSM + Renewal", 308 "Bimestral", 309 "QBR semestral", 316 "Onboarding | Automatizado | Produto", 319 "Auto-renewal | Sistema")', () => {
  it('T01 smb on day 0: welcome email by the system, access in-app, kickoff item in-app, onboarding email', () => {
    const s = journeyState(cfg, seg('smb').build(), at(0))
    expect(tp(s, 'welcome_email')).toEqual([
      expect.objectContaining({ channel: 'email', owner: 'system', due: midnight(0), status: 'due' }),
    ])
    expect(tp(s, 'access_granted')[0]).toMatchObject({ channel: 'in_app', owner: 'product' })
    expect(tp(s, 'kickoff_call')[0]).toMatchObject({
      label: 'in-app kickoff checklist item',
      channel: 'in_app',
      owner: 'product',
      dueDay: 1,
      status: 'upcoming',
    })
    expect(tp(s, 'onboarding_emails').map((t) => t.dueDay)).toEqual([1, 3, 7, 14, 21])
    expect(tp(s, 'monthly_check_in')).toEqual([])
    expect(tp(s, 'qbr')).toEqual([])
  })

  it('T02 training: enterprise trains on days 14 and 21, mid_market on day 14; meetings with the CSM', () => {
    expect(
      tp(journeyState(cfg, seg('enterprise').build(), at(0)), 'training').map((t) => [t.dueDay, t.channel, t.owner]),
    ).toEqual([
      [14, 'meeting', 'csm'],
      [21, 'meeting', 'csm'],
    ])
    expect(tp(journeyState(cfg, seg('mid_market').build(), at(0)), 'training').map((t) => t.dueDay)).toEqual([14])
  })

  it('T03 delivered by their event (welcome_email_sent, kickoff_held); experience_shown only naming it', () => {
    const s = journeyState(cfg, seg('enterprise').fact('welcome_email_sent', 0).fact('kickoff_held', 1).build(), at(2))
    expect(tp(s, 'welcome_email')).toEqual([])
    expect(tp(s, 'kickoff_call')).toEqual([])
    const other = journeyState(
      cfg,
      seg('smb').fact('experience_shown', 1, { touchpoint: 'something_else' }).build(),
      at(2),
    )
    expect(tp(other, 'kickoff_call')[0]!.status).toBe('overdue')
    const shown = journeyState(
      cfg,
      seg('smb').fact('experience_shown', 1, { touchpoint: 'kickoff_call' }).build(),
      at(2),
    )
    expect(tp(shown, 'kickoff_call')).toEqual([])
  })

  it('T03b the second training_attended delivers the second enterprise training', () => {
    const s = journeyState(cfg, seg('enterprise').fact('training_attended', 14).build(), at(22))
    expect(tp(s, 'training').map((t) => [t.dueDay, t.status])).toEqual([[21, 'overdue']])
  })

  it('T04 welcome_email overdue for 30 days: due day 0, listed on day 30, gone on day 31', () => {
    expect(tp(journeyState(cfg, seg('smb').build(), at(30)), 'welcome_email')[0]!.status).toBe('overdue')
    expect(tp(journeyState(cfg, seg('smb').build(), at(31)), 'welcome_email')).toEqual([])
  })

  it('T05 qbr every 90 days from day 90 for enterprise, every 180 for mid_market, none for smb', () => {
    const e = journeyState(cfg, seg('enterprise').build(), at(100))
    expect(tp(e, 'qbr').map((t) => [t.dueDay, t.status, t.channel])).toEqual([
      [90, 'overdue', 'meeting'],
      [180, 'upcoming', 'meeting'],
    ])
    const held = journeyState(cfg, seg('enterprise').fact('qbr_held', 92).build(), at(100))
    expect(tp(held, 'qbr').map((t) => t.dueDay)).toEqual([180])
    expect(tp(journeyState(cfg, seg('mid_market').build(), at(100)), 'qbr').map((t) => t.dueDay)).toEqual([90, 270])
    expect(tp(journeyState(cfg, seg('smb').build(), at(100)), 'qbr')).toEqual([])
  })

  it('T06 monthly_check_in in adoption: enterprise days 30 and 60, mid_market day 30 only', () => {
    expect(tp(journeyState(cfg, seg('enterprise').build(), at(25)), 'monthly_check_in').map((t) => t.dueDay)).toEqual([
      30,
    ])
    expect(tp(journeyState(cfg, seg('enterprise').build(), at(45)), 'monthly_check_in').map((t) => t.dueDay)).toEqual([
      30, 60,
    ])
    expect(tp(journeyState(cfg, seg('mid_market').build(), at(45)), 'monthly_check_in').map((t) => t.dueDay)).toEqual([
      30,
    ])
  })

  it('T07 renewal_tasks become touchpoints with their channel and owner; smb the auto-renewal notice', () => {
    const rd = new Date(START + 400 * DAY).toISOString().slice(0, 10)
    const e = journeyState(
      cfg,
      seg('enterprise').traits({ renewalDate: rd }).fact('renewal_started', 311).build(),
      at(330),
    )
    expect(tp(e, 'renewal_tasks').map((t) => t.ref)).toEqual([
      'renewal_qbr',
      'proposal_sent',
      'negotiation',
      'contract_sent',
      'final_follow_up',
      'renewal_or_churn',
    ])
    expect(tp(e, 'renewal_tasks')[0]).toMatchObject({ channel: 'meeting', owner: 'csm', dueDay: 340 })
    const s = journeyState(cfg, seg('smb').traits({ renewalDate: rd }).build(), at(330))
    expect(tp(s, 'renewal_tasks').map((t) => [t.ref, t.channel, t.owner])).toEqual([
      ['renewal_notice', 'email', 'system'],
      ['renewal_or_churn', 'task', 'system'],
    ])
  })

  it('T08 advocacy_ask after a 9-10 answer, until delivered', () => {
    const s = journeyState(cfg, seg('smb').nps(100, 'u1', 10).build(), at(105))
    expect(tp(s, 'advocacy_ask')[0]).toMatchObject({ dueDay: 100, status: 'overdue', channel: 'in_app' })
    const asked = journeyState(
      cfg,
      seg('smb').nps(100, 'u1', 10).fact('experience_shown', 101, { touchpoint: 'advocacy_ask' }).build(),
      at(105),
    )
    expect(tp(asked, 'advocacy_ask')).toEqual([])
  })

  it('T09 next touchpoints sorted by due day; nothing for a churned account', () => {
    const s = journeyState(cfg, seg('enterprise').build(), at(10))
    const days = s.touchpoints.map((t) => t.dueDay)
    expect(days).toEqual([...days].sort((a, b) => a - b))
    expect(journeyState(cfg, seg('enterprise').fact('churned', 5).build(), at(10)).touchpoints).toEqual([])
  })

  it('T10 in_app_guides in adoption, one per intervention', () => {
    const s = journeyState(cfg, seg('smb').traits({ seats: 4 }).active(35, 'u1').build(), at(40))
    expect(s.phase.id).toBe('adoption')
    expect(tp(s, 'in_app_guides').map((t) => [t.ref, t.channel, t.dueDay])).toEqual([
      ['low_usage', 'in_app', 40],
      ['single_user', 'in_app', 40],
    ])
    expect(tp(journeyState(cfg, seg('smb').build(), at(20)), 'in_app_guides')).toEqual([])
  })

  it('T11 expansion_call when expansion-ready: a CSM call for mid_market, an in-app prompt for smb', () => {
    const ready = (segment: string) => {
      const b = seg(segment).traits({ seats: 5 })
      for (let d = 100; d <= 130; d++)
        for (const u of ['u1', 'u2', 'u3', 'u4', 'u5']) b.login(d, u, 2).feature(d, 'a', u)
      return b
        .fact('referral_sent', 125)
        .fact('premium_feature_requested', 126)
        .fact('usage_limit', 127, { used: 90, limit: 100 })
        .workspaceFeatures(['a'])
    }
    const m = journeyState(cfg, ready('mid_market').build(), at(130))
    expect(m.expansion.ready).toBe(true)
    expect(tp(m, 'expansion_call')).toEqual([
      expect.objectContaining({ channel: 'call', owner: 'csm', dueDay: 130, status: 'due' }),
    ])
    expect(tp(journeyState(cfg, ready('smb').build(), at(130)), 'expansion_call')[0]).toMatchObject({
      label: 'in-app expansion prompt',
      channel: 'in_app',
    })
    expect(
      tp(journeyState(cfg, ready('mid_market').fact('expansion_call_held', 129).build(), at(130)), 'expansion_call'),
    ).toEqual([])
  })
})

/**
 * The one-time onboarding touchpoints that had no test (journey.md touch model table): planned day,
 * channel/owner/label per segment (enterprise and mid_market get the mid-level version, smb its tech
 * version), delivered by its fact event or by experience_shown naming it, listed overdue for 30 days.
 */
const oneTime = [
  [
    'T12',
    'setup_help',
    3,
    'seed line 47 "Dia 3: [Kickoff realizado] [Setup iniciado]"',
    'setup help',
    'call',
    'setup_help_done',
    'in-app setup guide',
  ],
  [
    'T13',
    'check_in',
    21,
    'seed line 50 "Dia 21: [Check-in]"',
    'check-in',
    'call',
    'check_in_held',
    'in-app check-in message',
  ],
  [
    'T14',
    'health_check',
    30,
    'seed line 51 "Dia 30: [Health check]", line 281 "H.Check"',
    'health check',
    'meeting',
    'health_check_done',
    'automated NPS + health check',
  ],
] as const

describe.each(oneTime)(
  '%s %s (journey.md touch model: day %i; %s; undelivered ones listed overdue for 30 days; "Only events with `timestamp <= at` exist")',
  (sid, id, day, _seed, label, channel, event, techLabel) => {
    it.each([
      ['enterprise', label, channel, 'csm'],
      ['mid_market', label, channel, 'csm'],
      ['smb', techLabel, 'in_app', 'product'],
    ] as const)(`${sid}.1 ${id} on day ${day}, %s: "%s", channel %s, owner %s`, (segment, l, ch, owner) => {
      const s = journeyState(cfg, seg(segment).build(), at(0))
      expect(tp(s, id)).toEqual([
        expect.objectContaining({
          id,
          label: l,
          channel: ch,
          owner,
          dueDay: day,
          due: midnight(day),
          status: 'upcoming',
        }),
      ])
    })

    it(`${sid}.2 ${id} status: upcoming on day ${day - 1}, due on day ${day}, overdue on day ${day + 1}`, () => {
      expect(tp(journeyState(cfg, seg('mid_market').build(), at(day - 1)), id)[0]!.status).toBe('upcoming')
      expect(tp(journeyState(cfg, seg('mid_market').build(), at(day)), id)[0]!.status).toBe('due')
      expect(tp(journeyState(cfg, seg('mid_market').build(), at(day + 1)), id)[0]!.status).toBe('overdue')
    })

    it(`${sid}.3 ${id} overdue for 30 days: listed on day ${day + 30}, gone on day ${day + 31}`, () => {
      for (const segment of ['enterprise', 'smb']) {
        expect(tp(journeyState(cfg, seg(segment).build(), at(day + 30)), id).map((t) => [t.dueDay, t.status])).toEqual([
          [day, 'overdue'],
        ])
        expect(tp(journeyState(cfg, seg(segment).build(), at(day + 31)), id)).toEqual([])
      }
    })

    it(`${sid}.4 ${id}: delivered by ${event} or experience_shown naming it (not another)`, () => {
      expect(tp(journeyState(cfg, seg('enterprise').fact(event, day).build(), at(day + 1)), id)).toEqual([])
      expect(
        tp(journeyState(cfg, seg('smb').fact('experience_shown', day, { touchpoint: id }).build(), at(day + 1)), id),
      ).toEqual([])
      const other = journeyState(
        cfg,
        seg('smb').fact('experience_shown', day, { touchpoint: 'welcome_email' }).build(),
        at(day + 1),
      )
      expect(tp(other, id).map((t) => [t.dueDay, t.status])).toEqual([[day, 'overdue']])
    })

    it(`${sid}.5 ${id}: ${event} after \`at\` does not deliver it`, () => {
      const b = seg('mid_market').fact(event, day + 2)
      expect(tp(journeyState(cfg, b.build(), at(day + 1)), id).map((t) => t.status)).toEqual(['overdue'])
      expect(tp(journeyState(cfg, b.build(), at(day + 2)), id)).toEqual([])
    })
  },
)

describe('T15 value_email (journey.md touch model: monthly from day 90, tech level, email by marketing; every 30 days from day 90, only the latest missed one listed; delivered within half a period (15 days) of its due day; seed line 135 "Email de valor | Mensal | Automatizado", line 318 "Value | Email auto | Marketing")', () => {
  const ve = (b: ReturnType<typeof seg>, d: number) =>
    tp(journeyState(cfg, b.build(), at(d)), 'value_email').map((t) => [t.dueDay, t.status])

  it.each(['enterprise', 'mid_market', 'smb'])(
    'T15.1 value_email for %s: email, marketing, "value email", first due on day 90',
    (segment) => {
      const s = journeyState(cfg, seg(segment).build(), at(60))
      expect(tp(s, 'value_email')).toEqual([
        expect.objectContaining({
          label: 'value email',
          channel: 'email',
          owner: 'marketing',
          dueDay: 90,
          due: midnight(90),
          status: 'upcoming',
        }),
      ])
    },
  )

  it.each([
    [89, [[90, 'upcoming']]],
    [90, [[90, 'due']]],
    [
      100,
      [
        [90, 'overdue'],
        [120, 'upcoming'],
      ],
    ],
    [
      120,
      [
        [90, 'overdue'],
        [120, 'due'],
      ],
    ],
    [
      121,
      [
        [120, 'overdue'],
        [150, 'upcoming'],
      ],
    ],
    [
      400,
      [
        [390, 'overdue'],
        [420, 'upcoming'],
      ],
    ],
  ] as const)('T15.2 at day %i → %j', (d, want) => {
    expect(ve(seg('smb'), d)).toEqual(want)
  })

  it.each([
    [75, [[120, 'upcoming']]],
    [
      74,
      [
        [90, 'overdue'],
        [120, 'upcoming'],
      ],
    ],
    [104, [[120, 'upcoming']]],
  ] as const)('T15.3 sent on day %i, at day 104 → %j', (sent, want) => {
    expect(ve(seg('smb').fact('value_email_sent', sent), 104)).toEqual(want)
  })

  it('T15.4 one sent on day 105 counts for the day-120 email, not day 90; one after `at` for nothing', () => {
    expect(ve(seg('smb').fact('value_email_sent', 105), 110)).toEqual([[90, 'overdue']])
    expect(ve(seg('smb').fact('value_email_sent', 111), 110)).toEqual([
      [90, 'overdue'],
      [120, 'upcoming'],
    ])
  })
})

describe('advocacy_ask in the advocacy phase (journey.md touch model: "after a 9-10 answer, and in advocacy"; seed line 225 "Fase 6: Advocacy (Pos-Renovacao)")', () => {
  it('T16 advocacy_ask listed after a renewal, and no longer once delivered', () => {
    const b = seg('smb').fact('renewed', 300)
    const s = journeyState(cfg, b.build(), at(310))
    expect(s.phase.id).toBe('advocacy')
    // Due from the renewal that opened the phase (day 300): overdue by day 310.
    expect(tp(s, 'advocacy_ask')).toEqual([
      expect.objectContaining({ channel: 'in_app', owner: 'product', dueDay: 300, status: 'overdue' }),
    ])
    // Delivered on day 311: not listed again in the rest of the advocacy phase.
    const asked = b.fact('experience_shown', 311, { touchpoint: 'advocacy_ask' })
    for (const d of [312, 330]) {
      const later = journeyState(cfg, asked.build(), at(d))
      expect(later.phase.id).toBe('advocacy')
      expect(tp(later, 'advocacy_ask')).toEqual([])
    }
  })
})
