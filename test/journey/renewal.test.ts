import { describe, expect, it } from 'vitest'
import type { JourneyState } from '../../server/journey'
import { journeyState } from '../../server/journey'
import { account, at, DAY, defaultConfig, START } from './builders'

const cfg = defaultConfig
const RD = 400 // renewal on account day 400
const date = (d: number) => new Date(START + d * DAY).toISOString().slice(0, 10)
const task = (s: JourneyState, id: string) => s.renewal.tasks.find((t) => t.id === id)

// Seed "Timeline de Renovacao", lines 189-199.
describe('renewal timeline (journey.md "Renewal timeline": `daysToRenewal = day(renewalDate) - day(at)`, "A task\'s due day is `day(renewalDate) + offset`; its status follows the milestone statuses with the window `[due, due]`", "Tasks due before the segment\'s renewal window opens are left out (mid_market starts at -60)", SMB auto-renewal, "Only events of the current cycle count: the cycle starts after the latest `renewed` dated before the current renewal window opens, else at the contract start", "A `renewed` event with a `renewalDate` property sets the account\'s next `renewalDate`"; "Entities": traits "merge in timestamp order", `renewalDate` (optional); seed "Timeline de Renovacao", lines 192-198 "-90 dias: Iniciar processo de renovacao" … "Dia 0: Renovacao ou churn", 301, 310 "Renewal | 60 dias antes | CSM", 319 "Renewal | Auto-renewal | Sistema")', () => {
  it.each([
    [
      'enterprise',
      [
        'start_renewal',
        'renewal_qbr',
        'proposal_sent',
        'negotiation',
        'contract_sent',
        'final_follow_up',
        'renewal_or_churn',
      ],
    ],
    [
      'mid_market',
      ['renewal_qbr', 'proposal_sent', 'negotiation', 'contract_sent', 'final_follow_up', 'renewal_or_churn'],
    ],
    ['smb', ['renewal_notice', 'renewal_or_churn']],
  ] as const)('R01 %s: tasks due before the segment window opens are left out', (segment, ids) => {
    const s = journeyState(
      cfg,
      account()
        .traits({ segment, renewalDate: date(RD) })
        .build(),
      at(300),
    )
    expect(s.renewal.tasks.map((t) => t.id)).toEqual(ids)
    expect(s.renewal.renewalDate).toBe(new Date(START + RD * DAY).toISOString())
    expect(s.renewal.daysToRenewal).toBe(100)
  })

  it('R02 offsets start_renewal -90 … renewal_or_churn 0: due on day(renewalDate) + offset', () => {
    const s = journeyState(
      cfg,
      account()
        .traits({ segment: 'enterprise', renewalDate: date(RD) })
        .build(),
      at(300),
    )
    expect(s.renewal.tasks.map((t) => [t.id, t.dueDay])).toEqual([
      ['start_renewal', 310],
      ['renewal_qbr', 340],
      ['proposal_sent', 355],
      ['negotiation', 370],
      ['contract_sent', 386],
      ['final_follow_up', 393],
      ['renewal_or_churn', 400],
    ])
  })

  it.each([
    ['before the due day: upcoming', 309, null, 'upcoming'],
    ['on the due day: due', 310, null, 'due'],
    ['after it: overdue', 311, null, 'overdue'],
    ['done on the due day: done', 320, 310, 'done'],
    ['done early: done', 320, 200, 'done'],
    ['done a day late: done_late', 320, 311, 'done_late'],
  ] as const)('R03 start_renewal (-90) status, window [due, due]: %s', (_, d, doneOn, status) => {
    const b = account().traits({ segment: 'enterprise', renewalDate: date(RD) })
    if (doneOn !== null) b.fact('renewal_started', doneOn)
    expect(task(journeyState(cfg, b.build(), at(d)), 'start_renewal')!.status).toBe(status)
  })

  it('R04 current cycle: a qbr_held before the previous renewed does not complete renewal_qbr', () => {
    const b = account()
      .traits({ segment: 'enterprise', renewalDate: date(35) })
      .fact('qbr_held', 10)
      .fact('renewed', 35, { renewalDate: date(RD) })
    const s = journeyState(cfg, b.build(), at(345))
    expect(s.renewal.renewalDate).toBe(new Date(START + RD * DAY).toISOString())
    expect(task(s, 'renewal_qbr')!.status).toBe('overdue')
    expect(task(journeyState(cfg, b.fact('qbr_held', 341).build(), at(345)), 'renewal_qbr')!.status).toBe('done_late')
  })

  it('R05 renewed {renewalDate} sets the next renewalDate; trait and event merge in time order', () => {
    const later = account()
      .traits({ renewalDate: date(100) })
      .fact('renewed', 95, { renewalDate: date(465) })
    expect(journeyState(cfg, later.build(), at(120)).renewal.daysToRenewal).toBe(345)
    // An earlier date set by the event still wins over an older trait: the event sets it.
    const earlier = account()
      .traitsOn(10, { renewalDate: date(500) })
      .fact('renewed', 95, { renewalDate: date(465) })
    expect(journeyState(cfg, earlier.build(), at(120)).renewal.daysToRenewal).toBe(345)
    // A group call after the event (the CRM moved the date) wins over it.
    const moved = account()
      .traitsOn(100, { renewalDate: date(500) })
      .fact('renewed', 95, { renewalDate: date(465) })
    expect(journeyState(cfg, moved.build(), at(120)).renewal.daysToRenewal).toBe(380)
    // A renewed event without a date changes nothing.
    const none = account()
      .traitsOn(10, { renewalDate: date(500) })
      .fact('renewed', 95)
    expect(journeyState(cfg, none.build(), at(120)).renewal.daysToRenewal).toBe(380)
  })

  it('R06 renewal_or_churn: a renewed inside the window without a new date completes it', () => {
    const b = account()
      .traits({ renewalDate: date(RD) })
      .fact('renewed', 395)
    expect(task(journeyState(cfg, b.build(), at(396)), 'renewal_or_churn')!.status).toBe('done')
  })

  it('R07 renewalDate unset: no tasks, daysToRenewal null; an invalid date is no date', () => {
    expect(journeyState(cfg, account().build(), at(10)).renewal).toMatchObject({
      renewalDate: null,
      daysToRenewal: null,
      tasks: [],
    })
    expect(journeyState(cfg, account().traits({ renewalDate: 'soon' }).build(), at(10)).renewal.renewalDate).toBeNull()
  })
  it.each([
    [
      'enterprise',
      'start_renewal',
      -90,
      'renewal_started',
      'csm',
      'seed line 192 "-90 dias: Iniciar processo de renovacao"',
    ],
    ['enterprise', 'renewal_qbr', -60, 'qbr_held', 'csm', 'seed line 193 "-60 dias: QBR de renovacao"'],
    ['enterprise', 'proposal_sent', -45, 'renewal_proposal_sent', 'csm', 'seed line 194 "-45 dias: Proposta enviada"'],
    ['enterprise', 'negotiation', -30, 'negotiation_started', 'csm', 'seed line 195 "-30 dias: Negociacao"'],
    ['enterprise', 'contract_sent', -14, 'contract_sent', 'csm', 'seed line 196 "-14 dias: Contrato para assinatura"'],
    ['enterprise', 'final_follow_up', -7, 'renewal_follow_up', 'csm', 'seed line 197 "-7 dias: Follow-up final"'],
    ['enterprise', 'renewal_or_churn', 0, 'renewed', 'csm', 'seed line 198 "Dia 0: Renovacao ou churn"'],
    ['enterprise', 'renewal_or_churn', 0, 'churned', 'csm', 'seed line 198 "Dia 0: Renovacao ou churn"'],
    ['mid_market', 'renewal_qbr', -60, 'qbr_held', 'csm', 'seed line 310 "Renewal | 60 dias antes | CSM"'],
    ['mid_market', 'final_follow_up', -7, 'renewal_follow_up', 'csm', 'seed line 197 "-7 dias: Follow-up final"'],
    ['smb', 'renewal_notice', -30, 'renewal_notice_sent', 'system', 'seed line 319 "Renewal | Auto-renewal | Sistema"'],
    ['smb', 'renewal_or_churn', 0, 'renewed', 'system', 'seed line 319 "Auto-renewal"'],
    ['smb', 'renewal_or_churn', 0, 'churned', 'system', 'seed line 319 "Auto-renewal"'],
  ] as const)('R08 %s %s (offset %i) done when %s, owner %s', (segment, id, offset, event, owner, _seed) => {
    const due = RD + offset
    const base = () => account().traits({ segment, renewalDate: date(RD) })
    const t = (b: ReturnType<typeof base>, d: number) => task(journeyState(cfg, b.build(), at(d)), id)!
    expect(t(base(), due - 1)).toMatchObject({ status: 'upcoming', dueDay: due, offset, owner })
    expect(t(base(), due).status).toBe('due')
    expect(t(base(), due + 1).status).toBe('overdue')
    expect(t(base().fact(event, due), due + 1)).toMatchObject({
      status: 'done',
      completedAt: new Date(at(due)).toISOString(),
    })
    expect(t(base().fact(event, due + 1), due + 2).status).toBe('done_late')
  })

  it('R10 current cycle border: a renewed on the day the window opens counts in it; a day before starts it', () => {
    // smb, renewal day 400: the 30-day window opens on day 370.
    const smb = () => account().traits({ renewalDate: date(RD) })
    const inWindow = journeyState(cfg, smb().fact('renewal_notice_sent', 369).fact('renewed', 370).build(), at(375))
    expect(task(inWindow, 'renewal_or_churn')!.status).toBe('done')
    expect(task(inWindow, 'renewal_notice')!.status).toBe('done')
    const before = journeyState(
      cfg,
      smb().fact('renewal_notice_sent', 369).fact('renewed', 369, {}, null, 1).build(),
      at(375),
    )
    expect(before.renewal.cycleStart).toBe(new Date(at(369) + 60_000).toISOString())
    expect(task(before, 'renewal_or_churn')!.status).toBe('upcoming')
    expect(task(before, 'renewal_notice')!.status).toBe('overdue')
  })

  it.each([
    ['enterprise', 90, 'start_renewal'],
    ['mid_market', 60, 'renewal_qbr'],
    ['smb', 30, 'renewal_notice'],
  ] as const)('R09 %s window of %i days opens with its first task due (%s)', (segment, window, first) => {
    const s = journeyState(
      cfg,
      account()
        .traits({ segment, renewalDate: date(RD) })
        .build(),
      at(RD - window),
    )
    expect(s.renewal.daysToRenewal).toBe(window)
    expect(s.renewal.windowDays).toBe(window)
    expect(s.phase.id).toBe('renewal')
    expect(s.renewal.tasks[0]).toMatchObject({ id: first, dueDay: RD - window, status: 'due' })
    expect(
      journeyState(
        cfg,
        account()
          .traits({ segment, renewalDate: date(RD) })
          .build(),
        at(RD - window - 1),
      ).phase.id,
    ).not.toBe('renewal')
  })
})
