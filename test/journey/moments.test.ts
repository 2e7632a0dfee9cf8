import { describe, expect, it } from 'vitest'
import { journeyState } from '../../server/journey'
import { account, at, defaultConfig, iso } from './builders'

const cfg = defaultConfig

// Seed "Momentos da Verdade", lines 264-272.
describe('moments of truth (journey.md "Moments of truth", "the first `ticket_opened` is the "first bug" moment", "Only events with `timestamp <= at` exist"; seed lines 268-272 "Kickoff | Expectativa errada | Alinhamento", "First Value | Desistencia | Engajamento", "Primeiro Bug | Frustracao | Suporte excelente", "QBR | Perda de sponsor | Renovacao antecipada", "Renovacao | Churn | Expansion")', () => {
  it("MT01 kickoff, first_value, first_bug, qbr, renewal: date, outcome, the seed's risk and opportunity", () => {
    const b = account()
      .fact('kickoff_rescheduled', 1)
      .fact('kickoff_held', 3)
      .fact('first_value', 9)
      .fact('ticket_opened', 20, { ticketId: 't1' })
      .fact('ticket_opened', 25, { ticketId: 't2' })
      .fact('ticket_closed', 22, { ticketId: 't1' })
      .fact('qbr_held', 90)
      .fact('qbr_held', 180)
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

  it('MT02 renewal moment with outcome churned; an open first_bug is "open"; nothing happened: none', () => {
    const m = journeyState(cfg, account().fact('ticket_opened', 5).fact('churned', 40).build(), at(50)).moments
    expect(m.map((x) => [x.id, x.outcome])).toEqual([
      ['first_bug', 'open'],
      ['renewal', 'churned'],
    ])
    expect(journeyState(cfg, account().build(), at(50)).moments).toEqual([])
  })
  it.each([
    [14, 'time to first value 14 days (on time)'],
    [15, 'time to first value 15 days (late)'],
  ])('MT03 first_value on day %i → "%s" (window 7-14)', (d, outcome) => {
    const m = journeyState(cfg, account().fact('first_value', d).build(), at(20)).moments
    expect(m).toEqual([
      expect.objectContaining({ id: 'first_value', day: d, outcome, risk: 'giving up', opportunity: 'engagement' }),
    ])
  })

  it("MT04 qbr and renewal moments carry the seed's risk and opportunity", () => {
    const m = journeyState(cfg, account().fact('qbr_held', 90).fact('renewed', 365).build(), at(370)).moments
    expect(m.map((x) => [x.id, x.risk, x.opportunity])).toEqual([
      ['qbr', 'losing the sponsor', 'early renewal'],
      ['renewal', 'churn', 'expansion'],
    ])
  })

  it('MT05 moments after `at` are not recorded; a ticket closed after `at` leaves the first_bug open', () => {
    const b = account()
      .fact('kickoff_held', 3)
      .fact('ticket_opened', 20, { ticketId: 't1' })
      .fact('ticket_closed', 25, { ticketId: 't1' })
      .fact('qbr_held', 90)
    expect(journeyState(cfg, b.build(), at(2)).moments).toEqual([])
    expect(journeyState(cfg, b.build(), at(22)).moments.map((x) => [x.id, x.outcome])).toEqual([
      ['kickoff', 'held'],
      ['first_bug', 'open'],
    ])
    expect(journeyState(cfg, b.build(), at(30)).moments.map((x) => [x.id, x.outcome])).toEqual([
      ['kickoff', 'held'],
      ['first_bug', 'closed after 5 days'],
    ])
  })

  it('MT06 first_bug is the first ticket_opened only', () => {
    const m = journeyState(
      cfg,
      account().fact('ticket_opened', 10, { ticketId: 'a' }).fact('ticket_opened', 12, { ticketId: 'b' }).build(),
      at(20),
    ).moments
    expect(m.map((x) => [x.id, x.day])).toEqual([['first_bug', 10]])
  })
})
