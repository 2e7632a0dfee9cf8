import { describe, expect, it } from 'vitest'
import type { JourneyState } from '../../server/journey'
import { journeyState } from '../../server/journey'
import { account, at, DAY, defaultConfig, midnight, START } from './builders'

const cfg = defaultConfig
const tp = (s: JourneyState, id: string) => s.touchpoints.filter((t) => t.id === id)
const seg = (segment: string) => account().traits({ segment })

// Seed "Touchpoints" lines 42-52, "Mapa de Touchpoints" lines 274-288, "Personalizacao por Segmento" lines 292-319.
describe('touchpoints (journey.md "Touch model by segment")', () => {
  it('T01 day 0, smb (tech-touch): welcome email by the system, access in-app, the tech version of the kickoff call', () => {
    const s = journeyState(cfg, seg('smb').build(), at(0))
    expect(tp(s, 'welcome_email')).toEqual([expect.objectContaining({ channel: 'email', owner: 'system', due: midnight(0), status: 'due' })])
    expect(tp(s, 'access_granted')[0]).toMatchObject({ channel: 'in_app', owner: 'product' })
    expect(tp(s, 'kickoff_call')[0]).toMatchObject({ label: 'in-app kickoff checklist item', channel: 'in_app', owner: 'product', dueDay: 1, status: 'upcoming' })
    expect(tp(s, 'onboarding_emails').map((t) => t.dueDay)).toEqual([1, 3, 7, 14, 21])
    expect(tp(s, 'monthly_check_in')).toEqual([])
    expect(tp(s, 'qbr')).toEqual([])
  })

  it('T02 enterprise trains twice (seed "Train x2"), days 14 and 21; mid_market once; both meetings with the CSM', () => {
    expect(tp(journeyState(cfg, seg('enterprise').build(), at(0)), 'training').map((t) => [t.dueDay, t.channel, t.owner])).toEqual([[14, 'meeting', 'csm'], [21, 'meeting', 'csm']])
    expect(tp(journeyState(cfg, seg('mid_market').build(), at(0)), 'training').map((t) => t.dueDay)).toEqual([14])
  })

  it('T03 delivered = its event seen: welcome_email_sent, kickoff_held; experience_shown only when it names the touchpoint', () => {
    const s = journeyState(cfg, seg('enterprise').fact('welcome_email_sent', 0).fact('kickoff_held', 1).build(), at(2))
    expect(tp(s, 'welcome_email')).toEqual([])
    expect(tp(s, 'kickoff_call')).toEqual([])
    const other = journeyState(cfg, seg('smb').fact('experience_shown', 1, { touchpoint: 'something_else' }).build(), at(2))
    expect(tp(other, 'kickoff_call')[0]!.status).toBe('overdue')
    const shown = journeyState(cfg, seg('smb').fact('experience_shown', 1, { touchpoint: 'kickoff_call' }).build(), at(2))
    expect(tp(shown, 'kickoff_call')).toEqual([])
  })

  it('T03 the second training_attended delivers the second enterprise training', () => {
    const s = journeyState(cfg, seg('enterprise').fact('training_attended', 14).build(), at(22))
    expect(tp(s, 'training').map((t) => [t.dueDay, t.status])).toEqual([[21, 'overdue']])
  })

  it('T04 overdue undelivered ones are listed for 30 days (due day 0: listed on day 30, gone on day 31)', () => {
    expect(tp(journeyState(cfg, seg('smb').build(), at(30)), 'welcome_email')[0]!.status).toBe('overdue')
    expect(tp(journeyState(cfg, seg('smb').build(), at(31)), 'welcome_email')).toEqual([])
  })

  it('T05 QBR every 90 days from day 90 (enterprise), every 180 (mid_market), none for smb', () => {
    const e = journeyState(cfg, seg('enterprise').build(), at(100))
    expect(tp(e, 'qbr').map((t) => [t.dueDay, t.status, t.channel])).toEqual([[90, 'overdue', 'meeting'], [180, 'upcoming', 'meeting']])
    const held = journeyState(cfg, seg('enterprise').fact('qbr_held', 92).build(), at(100))
    expect(tp(held, 'qbr').map((t) => t.dueDay)).toEqual([180])
    expect(tp(journeyState(cfg, seg('mid_market').build(), at(100)), 'qbr').map((t) => t.dueDay)).toEqual([90, 270])
    expect(tp(journeyState(cfg, seg('smb').build(), at(100)), 'qbr')).toEqual([])
  })

  it('T06 monthly check-in in adoption: enterprise days 30 and 60, mid_market day 30 only', () => {
    expect(tp(journeyState(cfg, seg('enterprise').build(), at(25)), 'monthly_check_in').map((t) => t.dueDay)).toEqual([30])
    expect(tp(journeyState(cfg, seg('enterprise').build(), at(45)), 'monthly_check_in').map((t) => t.dueDay)).toEqual([30, 60])
    expect(tp(journeyState(cfg, seg('mid_market').build(), at(45)), 'monthly_check_in').map((t) => t.dueDay)).toEqual([30])
  })

  it('T07 renewal tasks become touchpoints with their channel and owner; smb gets the auto-renewal notice', () => {
    const rd = new Date(START + 400 * DAY).toISOString().slice(0, 10)
    const e = journeyState(cfg, seg('enterprise').traits({ renewalDate: rd }).fact('renewal_started', 311).build(), at(330))
    expect(tp(e, 'renewal_tasks').map((t) => t.ref)).toEqual(['renewal_qbr', 'proposal_sent', 'negotiation', 'contract_sent', 'final_follow_up', 'renewal_or_churn'])
    expect(tp(e, 'renewal_tasks')[0]).toMatchObject({ channel: 'meeting', owner: 'csm', dueDay: 340 })
    const s = journeyState(cfg, seg('smb').traits({ renewalDate: rd }).build(), at(330))
    expect(tp(s, 'renewal_tasks').map((t) => [t.ref, t.channel, t.owner])).toEqual([['renewal_notice', 'email', 'system'], ['renewal_or_churn', 'task', 'system']])
  })

  it('T08 advocacy ask after a 9-10 answer, until delivered', () => {
    const s = journeyState(cfg, seg('smb').nps(100, 'u1', 10).build(), at(105))
    expect(tp(s, 'advocacy_ask')[0]).toMatchObject({ dueDay: 100, status: 'overdue', channel: 'in_app' })
    const asked = journeyState(cfg, seg('smb').nps(100, 'u1', 10).fact('experience_shown', 101, { touchpoint: 'advocacy_ask' }).build(), at(105))
    expect(tp(asked, 'advocacy_ask')).toEqual([])
  })

  it('T09 sorted by due day; nothing for a churned account', () => {
    const s = journeyState(cfg, seg('enterprise').build(), at(10))
    const days = s.touchpoints.map((t) => t.dueDay)
    expect(days).toEqual([...days].sort((a, b) => a - b))
    expect(journeyState(cfg, seg('enterprise').fact('churned', 5).build(), at(10)).touchpoints).toEqual([])
  })

  it('T10 in-app guides in adoption, one per intervention (seed "Adoption | In-app guides")', () => {
    const s = journeyState(cfg, seg('smb').traits({ seats: 4 }).active(35, 'u1').build(), at(40))
    expect(s.phase.id).toBe('adoption')
    expect(tp(s, 'in_app_guides').map((t) => [t.ref, t.channel, t.dueDay])).toEqual([['low_usage', 'in_app', 40], ['single_user', 'in_app', 40]])
    expect(tp(journeyState(cfg, seg('smb').build(), at(20)), 'in_app_guides')).toEqual([])
  })

  it('T11 expansion call when expansion-ready (seed "Growth | Expansion call"): a CSM call for mid_market, an in-app prompt for smb', () => {
    const ready = (segment: string) => {
      const b = seg(segment).traits({ seats: 5 })
      for (let d = 100; d <= 130; d++) for (const u of ['u1', 'u2', 'u3', 'u4', 'u5']) b.login(d, u, 2).feature(d, 'a', u)
      return b.fact('referral_sent', 125).fact('premium_feature_requested', 126).fact('usage_limit', 127, { used: 90, limit: 100 }).workspaceFeatures(['a'])
    }
    const m = journeyState(cfg, ready('mid_market').build(), at(130))
    expect(m.expansion.ready).toBe(true)
    expect(tp(m, 'expansion_call')).toEqual([expect.objectContaining({ channel: 'call', owner: 'csm', dueDay: 130, status: 'due' })])
    expect(tp(journeyState(cfg, ready('smb').build(), at(130)), 'expansion_call')[0]).toMatchObject({ label: 'in-app expansion prompt', channel: 'in_app' })
    expect(tp(journeyState(cfg, ready('mid_market').fact('expansion_call_held', 129).build(), at(130)), 'expansion_call')).toEqual([])
  })
})
