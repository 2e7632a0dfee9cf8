import { describe, expect, it } from 'vitest'
import { journeyState } from '../../server/journey'
import { account, at, defaultConfig, iso } from './builders'

const cfg = defaultConfig

// Seed "Momentos da Verdade", lines 264-272.
describe('moments of truth (journey.md "Moments of truth")', () => {
  it('MT01 kickoff, first value, first bug, each QBR and the renewal, with date, outcome and the seed\'s risk/opportunity', () => {
    const b = account()
      .fact('kickoff_rescheduled', 1).fact('kickoff_held', 3)
      .fact('first_value', 9)
      .fact('ticket_opened', 20, { ticketId: 't1' }).fact('ticket_opened', 25, { ticketId: 't2' }).fact('ticket_closed', 22, { ticketId: 't1' })
      .fact('qbr_held', 90).fact('qbr_held', 180)
      .fact('renewed', 365)
    const m = journeyState(cfg, b.build(), at(370)).moments
    expect(m.map((x) => [x.id, x.day, x.outcome])).toEqual([
      ['kickoff', 3, 'held after 1 reschedule'],
      ['first_value', 9, 'time to first value 9 days (on time)'],
      ['first_bug', 20, 'closed after 2 days'],
      ['qbr', 90, 'held'],
      ['qbr', 180, 'held'],
      ['renewal', 365, 'renewed'],
    ])
    expect(m[0]).toMatchObject({ at: iso(at(3)), risk: 'wrong expectations', opportunity: 'alignment' })
    expect(m[2]).toMatchObject({ risk: 'frustration', opportunity: 'excellent support' })
  })

  it('MT02 churn is a renewal moment with outcome churned; an open first bug is "open"; nothing happened: no moment', () => {
    const m = journeyState(cfg, account().fact('ticket_opened', 5).fact('churned', 40).build(), at(50)).moments
    expect(m.map((x) => [x.id, x.outcome])).toEqual([['first_bug', 'open'], ['renewal', 'churned']])
    expect(journeyState(cfg, account().build(), at(50)).moments).toEqual([])
  })
})
