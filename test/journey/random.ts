/** Random (seeded) account facts for property tests: plausible and odd data mixed. */
import type { AccountFacts, FactEvent } from '../../server/journey/facts'
import { DAY, START } from './builders'

const NAMES = [
  'welcome_email_sent',
  'kickoff_held',
  'kickoff_rescheduled',
  'setup_completed',
  'first_value',
  'training_attended',
  'training_no_show',
  'health_check_done',
  'nps_response',
  'ticket_opened',
  'ticket_closed',
  'usage_limit',
  'premium_feature_requested',
  'cross_sell_interest',
  'referral_sent',
  'case_study_done',
  'qbr_held',
  'renewal_started',
  'renewed',
  'churned',
  'experience_shown',
  'renewal_notice_sent',
]
const ODD: unknown[] = [null, undefined, Number.NaN, 'x', '7', -3, 1e20, {}, [], true, Infinity, '2026-13-45']

export function randomFacts(rnd: () => number): AccountFacts {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!
  const int = (n: number) => Math.floor(rnd() * n)
  const odd = () => rnd() < 0.1
  const users = Array.from({ length: 1 + int(8) }, (_, i) => `u${i}`)
  const span = 30 + int(400)
  const days = []
  for (let d = -5; d < span; d++) {
    if (rnd() < 0.5) continue
    const us = users
      .filter(() => rnd() < 0.4)
      .map((userId) => ({ userId, logins: odd() ? (pick(ODD) as number) : int(4), events: int(10) }))
    days.push({
      date: odd() ? (pick(ODD) as number) : START + d * DAY,
      users: us,
      features: users.length > 0 ? ['a', 'b', 'c', 'd'].filter(() => rnd() < 0.3) : [],
      counts: {},
    })
  }
  const facts: FactEvent[] = []
  for (let i = 0; i < int(40); i++) {
    const name = pick(NAMES)
    const props: Record<string, unknown> = {}
    if (name === 'nps_response') props.score = odd() ? pick(ODD) : int(11)
    if (name.startsWith('ticket')) props.ticketId = odd() ? pick(ODD) : `t${int(4)}`
    if (name === 'usage_limit')
      Object.assign(props, { used: odd() ? pick(ODD) : int(120), limit: odd() ? pick(ODD) : 100 })
    if (name === 'renewed' && rnd() < 0.5)
      props.renewalDate = odd() ? pick(ODD) : new Date(START + (300 + int(500)) * DAY).toISOString()
    if (name === 'experience_shown') props.touchpoint = pick(['kickoff_call', 'advocacy_ask', 'x'])
    facts.push({
      id: `r${i}`,
      name,
      at: START + int(span) * DAY + int(DAY),
      userId: rnd() < 0.7 ? pick(users) : null,
      properties: odd() ? (pick(ODD) as Record<string, unknown>) : props,
    })
  }
  facts.sort((a, b) => a.at - b.at)
  const traits: Record<string, unknown> = {
    segment: pick(['enterprise', 'mid_market', 'smb', 'Mid-Market', 'galactic', undefined, 3]),
    seats: odd() ? pick(ODD) : pick([undefined, 1, 5, 10, 40]),
    contractStart: odd() ? pick(ODD) : rnd() < 0.8 ? '2026-01-05' : undefined,
    renewalDate: odd()
      ? pick(ODD)
      : rnd() < 0.5
        ? new Date(START + (200 + int(300)) * DAY).toISOString().slice(0, 10)
        : undefined,
  }
  return {
    accountId: 'rnd',
    traits,
    firstEventAt: rnd() < 0.9 ? START : null,
    users: users.map((userId) => ({
      userId,
      traits: { stakeholder: rnd() < 0.2 ? true : odd() ? 'true' : undefined },
    })),
    days,
    facts,
    workspaceFeatures: ['a', 'b', 'c', 'd', 'e'].filter(() => rnd() < 0.6),
    override:
      rnd() < 0.1
        ? {
            phase: pick(['value', 'nope', 'renewal']),
            reason: 'r',
            expiresAt: START + 500 * DAY,
            by: 'x',
            setAt: START,
          }
        : null,
  }
}
