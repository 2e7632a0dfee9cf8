import { describe, expect, it } from 'vitest'
import type { JourneyState } from '../../server/journey'
import { journeyState } from '../../server/journey'
import { account, at, DAY, defaultConfig, START } from './builders'

const cfg = defaultConfig
const RD = 400 // renewal on account day 400
const date = (d: number) => new Date(START + d * DAY).toISOString().slice(0, 10)
const task = (s: JourneyState, id: string) => s.renewal.tasks.find((t) => t.id === id)

// Seed "Timeline de Renovacao", lines 189-199.
describe('renewal timeline (journey.md "Renewal timeline")', () => {
  it.each([
    ['enterprise', ['start_renewal', 'renewal_qbr', 'proposal_sent', 'negotiation', 'contract_sent', 'final_follow_up', 'renewal_or_churn']],
    ['mid_market', ['renewal_qbr', 'proposal_sent', 'negotiation', 'contract_sent', 'final_follow_up', 'renewal_or_churn']],
    ['smb', ['renewal_notice', 'renewal_or_churn']],
  ] as const)('R01 %s: tasks due before the segment window opens are left out (mid_market starts at -60, smb is auto-renewal)', (segment, ids) => {
    const s = journeyState(cfg, account().traits({ segment, renewalDate: date(RD) }).build(), at(300))
    expect(s.renewal.tasks.map((t) => t.id)).toEqual(ids)
    expect(s.renewal.renewalDate).toBe(new Date(START + RD * DAY).toISOString())
    expect(s.renewal.daysToRenewal).toBe(100)
  })

  it('R02 offsets (seed "-90 dias … Dia 0"): due on day(renewalDate) + offset', () => {
    const s = journeyState(cfg, account().traits({ segment: 'enterprise', renewalDate: date(RD) }).build(), at(300))
    expect(s.renewal.tasks.map((t) => [t.id, t.dueDay])).toEqual([
      ['start_renewal', 310], ['renewal_qbr', 340], ['proposal_sent', 355], ['negotiation', 370], ['contract_sent', 386], ['final_follow_up', 393], ['renewal_or_churn', 400],
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

  it('R04 only events of the current cycle count: a qbr_held before the previous renewed does not complete renewal_qbr', () => {
    const b = account().traits({ segment: 'enterprise', renewalDate: date(35) })
      .fact('qbr_held', 10)
      .fact('renewed', 35, { renewalDate: date(RD) })
    const s = journeyState(cfg, b.build(), at(345))
    expect(s.renewal.renewalDate).toBe(new Date(START + RD * DAY).toISOString())
    expect(task(s, 'renewal_qbr')!.status).toBe('overdue')
    expect(task(journeyState(cfg, b.fact('qbr_held', 341).build(), at(345)), 'renewal_qbr')!.status).toBe('done_late')
  })

  it('R05 a renewed event with renewalDate sets the next renewalDate; trait and event merge in time order (the last set wins)', () => {
    const later = account().traits({ renewalDate: date(100) }).fact('renewed', 95, { renewalDate: date(465) })
    expect(journeyState(cfg, later.build(), at(120)).renewal.daysToRenewal).toBe(345)
    // An earlier date set by the event still wins over an older trait: the event sets it.
    const earlier = account().traitsOn(10, { renewalDate: date(500) }).fact('renewed', 95, { renewalDate: date(465) })
    expect(journeyState(cfg, earlier.build(), at(120)).renewal.daysToRenewal).toBe(345)
    // A group call after the event (the CRM moved the date) wins over it.
    const moved = account().traitsOn(100, { renewalDate: date(500) }).fact('renewed', 95, { renewalDate: date(465) })
    expect(journeyState(cfg, moved.build(), at(120)).renewal.daysToRenewal).toBe(380)
    // A renewed event without a date changes nothing.
    const none = account().traitsOn(10, { renewalDate: date(500) }).fact('renewed', 95)
    expect(journeyState(cfg, none.build(), at(120)).renewal.daysToRenewal).toBe(380)
  })

  it('R06 a renewed inside the window without a new date completes renewal_or_churn', () => {
    const b = account().traits({ renewalDate: date(RD) }).fact('renewed', 395)
    expect(task(journeyState(cfg, b.build(), at(396)), 'renewal_or_churn')!.status).toBe('done')
  })

  it('R07 no renewal date: no tasks, daysToRenewal null; an invalid date is no date', () => {
    expect(journeyState(cfg, account().build(), at(10)).renewal).toMatchObject({ renewalDate: null, daysToRenewal: null, tasks: [] })
    expect(journeyState(cfg, account().traits({ renewalDate: 'soon' }).build(), at(10)).renewal.renewalDate).toBeNull()
  })
})
