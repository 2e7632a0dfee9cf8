/**
 * The demo's time machine (`npm start` only, never part of the API): moves the demo account through
 * the journey by importing a scripted history, as a CRM import with the secret key would, into a
 * fresh account whose contract started N days ago. The demo page then calls `jornada('group', id)`
 * and shows what the journey decides for that day. Each jump makes a new account, so stages never mix.
 */
import { validateBatch } from './ingest/validate-batch'
import { mintUserToken } from './ingest/verify-identity'
import type { Store } from './store/types'

export const STAGES = ['day-2', 'day-12', 'day-45', 'day-60-alone', 'day-100', 'renewal-30', 'renewed'] as const
export type Stage = (typeof STAGES)[number]

/** The account day each stage lands on. */
const DAY_OF: Record<Stage, number> = {
  'day-2': 2,
  'day-12': 12,
  'day-45': 45,
  'day-60-alone': 60,
  'day-100': 100,
  'renewal-30': 335,
  renewed: 380,
}
const DAY_MS = 86_400_000
export const DEMO_USER = 'user-42'
/** The demo page's own account (demo/app.js), before any time travel. */
export const DEMO_ACCOUNT = 'acme'
/** How long the demo's user tokens last: a day of clicking around. */
export const DEMO_TOKEN_TTL_S = 24 * 3600
/** Accounts a demo token names at most (the demo's own and the latest jumps'). */
const MAX_TOKEN_ACCOUNTS = 20
const TEAMMATE = 'user-43'

export interface Jump {
  stage: Stage
  day: number
  accountId: string
  userId: string
  /** What the journey should show there, for the demo panel. */
  expect: string
  /**
   * With identity verification on: the user's token naming their accounts, the new one included, as
   * the vendor's server would give the page after moving the user (the page passes it to `identify`).
   */
  userToken?: string
}

const EXPECT: Record<Stage, string> = {
  'day-2': 'the onboarding checklist: welcome done, kickoff due',
  'day-12': 'the checklist with setup overdue (red flag setup_late)',
  'day-45': 'a guide for the core feature "alerts", unused for 30 days',
  'day-60-alone': 'an "invite your team" message: one active user of 12 seats',
  'day-100': 'the value statement of the last 30 days',
  'renewal-30': 'the auto-renewal banner and the NPS survey (answer 10 or 3 to see the follow-up)',
  renewed: 'the advocacy prompt for a promoter account (referral, case study)',
}

type Wire = Record<string, unknown>

/** The scripted history of `stage` for account `accountId`, contract started `day` days before `now`. */
export function stageHistory(stage: Stage, accountId: string, now: number): Wire[] {
  const day = DAY_OF[stage]
  const start = Math.floor(now / DAY_MS) * DAY_MS - day * DAY_MS
  const at = (d: number, hour: number) => new Date(start + d * DAY_MS + hour * 3_600_000).toISOString()
  const ymd = (t: number) => new Date(t).toISOString().slice(0, 10)
  let n = 0
  const id = () => `demo-${accountId}-${n++}`
  const out: Wire[] = []
  const track = (event: string, d: number, hour: number, userId: string | null, properties: Wire = {}) =>
    out.push({
      id: id(),
      type: 'track',
      event,
      ...(userId && { userId }),
      accountId,
      timestamp: at(d, hour),
      properties,
    })

  out.push({
    id: id(),
    type: 'group',
    userId: DEMO_USER,
    accountId,
    timestamp: at(0, 8),
    traits: {
      name: 'Acme Ltda',
      segment: 'smb',
      plan: 'pro',
      seats: 12,
      contractStart: ymd(start),
      renewalDate: ymd(start + 365 * DAY_MS),
    },
  })
  out.push({
    id: id(),
    type: 'identify',
    userId: DEMO_USER,
    timestamp: at(0, 8),
    traits: { name: 'Ana Souza', email: 'ana@acme.example', role: 'admin', stakeholder: true },
  })
  out.push({
    id: id(),
    type: 'identify',
    userId: TEAMMATE,
    timestamp: at(0, 8),
    traits: { name: 'Bruno Lima', email: 'bruno@acme.example', role: 'analyst' },
  })
  track('welcome_email_sent', 0, 8, null)
  track('access_granted', 0, 8, null)

  const later = day > 12
  if (day > 2) track('kickoff_held', 2, 11, null)
  if (later) {
    track('setup_completed', 5, 10, DEMO_USER)
    track('first_value', 9, 10, DEMO_USER)
    track('training_attended', 16, 14, null)
    if (day > 30) track('health_check_done', 30, 15, null)
    if (day > 31) track('nps_response', 31, 10, DEMO_USER, { score: 8 })
  }
  if (stage === 'renewed') {
    track('nps_response', 340, 10, DEMO_USER, { score: 10 })
    track('nps_response', 340, 11, TEAMMATE, { score: 9 })
    track('renewed', 365, 12, null, { renewalDate: ymd(start + 730 * DAY_MS) })
  }
  if (day >= 60) {
    track('value_metric', day - 35, 9, null, { metric: 'conversion_rate', value: 2.1 })
    track('value_metric', day - 5, 9, null, { metric: 'conversion_rate', value: 2.6 })
  }

  // Daily use: Ana every weekday, Bruno from the second week; reports from first value on;
  // alerts only after day 45 (so that day 45 finds the core feature "alerts" ignored).
  for (let d = 0; d < day; d++) {
    const weekday = (d + 1) % 7 !== 0
    if (!weekday && d > 1) continue
    const users = d >= 7 && later && stage !== 'day-60-alone' ? [DEMO_USER, TEAMMATE] : [DEMO_USER]
    users.forEach((u, i) => {
      const h = 9 + i
      track('$login', d, h, u)
      out.push({
        id: id(),
        type: 'page',
        name: 'Dashboard',
        userId: u,
        accountId,
        timestamp: at(d, h),
        properties: { path: '/' },
      })
      if (later && d >= 9) {
        track('feature_used', d, h, u, { feature: 'reports' })
        track('report_generated', d, h, u)
      }
      if (d > 45) {
        track('feature_used', d, h, u, { feature: 'alerts' })
        track('alert_created', d, h, u)
      }
    })
  }
  return out
}

/** The time machine for the demo workspace: `jump(stage)` imports a stage's history into a new account. */
export function createTimeMachine({
  store,
  workspaceId,
  identitySecret = null,
  clock = () => Date.now(),
}: {
  store: Store
  workspaceId: string
  identitySecret?: string | null
  clock?: () => number
}) {
  // The demo user's accounts, newest last: a token names them all, as a vendor's server names every
  // account of its user (the page's events still carry the account it was in before the jump).
  const accounts: string[] = [DEMO_ACCOUNT]
  return async (stage: Stage): Promise<Jump> => {
    const now = clock()
    const accountId = `acme-${stage}-${now.toString(36)}`
    const { events, rejected } = validateBatch(stageHistory(stage, accountId, now), 'secret', now)
    if (rejected.length > 0)
      throw new Error(`demo history of ${stage} has invalid events: ${JSON.stringify(rejected.slice(0, 3))}`)
    for (let i = 0; i < events.length; i += 500) await store.ingest(workspaceId, events.slice(i, i + 500))
    const jump: Jump = { stage, day: DAY_OF[stage], accountId, userId: DEMO_USER, expect: EXPECT[stage] }
    if (identitySecret === null) return jump
    accounts.push(accountId)
    if (accounts.length > MAX_TOKEN_ACCOUNTS) accounts.splice(1, 1)
    return { ...jump, userToken: await mintUserToken(identitySecret, DEMO_USER, accounts, now, DEMO_TOKEN_TTL_S) }
  }
}
