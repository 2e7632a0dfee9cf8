/**
 * What the fake API answers, per docs/console.md and the journey routes, every answer parsed by the
 * server's own response schema first: a fixture that drifts from the contract fails here, not in a
 * page. Journey states and diffs come from the real engine over built facts.
 */
import type { z } from 'zod'
import { diffStates, journeyContext, journeyState, stateOf } from '../../server/journey'
import { computeValue } from '../../server/journey/value'
import { buildQbr, QBR_RESULTS_DAYS } from '../../server/reports/qbr'
import { renderValueEmail } from '../../server/reports/value-email'
import { QbrSchema, ValueResponseSchema } from '../../server/schemas/report-responses'
import {
  AccountsListSchema,
  ActivitySchema,
  AuditPageSchema,
  HealthHistorySchema,
  MemberInvitedSchema,
  MemberListSchema,
  OverviewSchema,
  SessionResponseSchema,
} from '../../server/schemas/console-responses'
import {
  JourneyDiffResponseSchema,
  JourneyStateSchema,
  OverrideResponseSchema,
} from '../../server/schemas/journey-responses'
import { ExperienceResultsSchema, NpsResultsSchema } from '../../server/schemas/results-responses'
import { DeliveriesPageSchema, WebhookCreatedSchema, WebhookListSchema } from '../../server/schemas/webhook-responses'
import { account, at, defaultConfig } from '../journey/builders'
import type { Role } from '../../console/types'

/** `data` as the schema reads it (strict: an extra or missing field throws). */
export function valid<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  return schema.parse(JSON.parse(JSON.stringify(data)))
}

export const session = (role: Role = 'csm', email = 'ana@example.com') =>
  valid(SessionResponseSchema, { member: { id: 'm_1', email, role }, csrfToken: 'csrf-1' })

const builtAccount = () =>
  account('acme')
    .traits({ name: 'Acme Corp', segment: 'smb', renewalDate: '2027-01-05' })
    .logins([0, 1, 2, 3, 8, 9, 10])
    .feature(3, 'reports')
    .nps(5, 'u1', 9)
    .fact('kickoff_held', 2)

/** The journey state of `acme` on account day `day`. */
export const journey = (day = 20) =>
  valid(JourneyStateSchema, journeyState(defaultConfig, builtAccount().build(), at(day)))

/** What changed for `acme` between two account days. */
export function diff(fromDay = 8, toDay = 20) {
  const facts = builtAccount().build()
  const d = diffStates(journeyState(defaultConfig, facts, at(fromDay)), journeyState(defaultConfig, facts, at(toDay)))
  return valid(JourneyDiffResponseSchema, {
    accountId: 'acme',
    from: new Date(at(fromDay)).toISOString(),
    to: new Date(at(toDay)).toISOString(),
    ...d,
  })
}

/** The QBR pack of `acme` on account day `day` (the account page reads its NPS comments). */
export function qbr(day = 20) {
  const ctx = journeyContext(defaultConfig, builtAccount().build(), at(day))
  return valid(
    QbrSchema,
    buildQbr({
      ctx,
      state: stateOf(ctx),
      results: computeValue(ctx, QBR_RESULTS_DAYS, 'en'),
      accountName: 'Acme Corp',
      vendorName: 'Jornada',
      locale: 'en',
    }),
  )
}

/** The value statement of `acme` and its email. */
export function value(day = 20) {
  const ctx = journeyContext(defaultConfig, builtAccount().build(), at(day))
  const statement = computeValue(ctx, 30, 'en')
  const email = renderValueEmail({ statement, accountName: 'Acme Corp', vendorName: 'Jornada', locale: 'en' })
  return valid(ValueResponseSchema, { accountId: 'acme', statement, text: statement.text, email })
}

export const overrideNone = () => valid(OverrideResponseSchema, { accountId: 'acme', current: null, changes: [] })

const item = (i: number, over: Record<string, unknown> = {}) => ({
  accountId: `acct-${i}`,
  segment: 'smb',
  phase: 'onboarding',
  health: 50 + i,
  band: 'yellow',
  flags: i % 2 ? ['no_login'] : [],
  computedAt: '2026-03-01T00:00:00.000Z',
  name: `Account ${i}`,
  renewalDate: '2026-06-01T00:00:00.000Z',
  daysToRenewal: 92 - i,
  nps: i % 3 ? 20 : null,
  lastActiveAt: '2026-02-28T10:00:00.000Z',
  ...over,
})

export const accountsPage = (from: number, n: number, nextCursor: string | null, total = 120) =>
  valid(AccountsListSchema, {
    items: Array.from({ length: n }, (_, k) => item(from + k)),
    nextCursor,
    total,
  })

export const acmeListed = () =>
  valid(AccountsListSchema, { items: [item(0, { accountId: 'acme', name: 'Acme Corp' })], nextCursor: null, total: 1 })

export const overview = () =>
  valid(OverviewSchema, {
    at: '2026-03-01T12:00:00.000Z',
    phases: { onboarding: 12, adoption: 30, value: 10, growth: 5, renewal: 8, advocacy: 3, churned: 2 },
    bands: { green: 40, yellow: 20, red: 10 },
    changes: {
      since: '2026-02-22T12:00:00.000Z',
      band: [{ accountId: 'acme', name: 'Acme Corp', from: 'green', to: 'yellow', at: '2026-02-25T00:00:00.000Z' }],
      phase: [{ accountId: 'beta', name: null, from: 'onboarding', to: 'adoption', at: '2026-02-26T00:00:00.000Z' }],
      redFlags: [{ accountId: 'acme', name: 'Acme Corp', flag: 'no_login', at: '2026-02-27T00:00:00.000Z' }],
    },
    renewals: [
      {
        accountId: 'acme',
        name: 'Acme Corp',
        renewalDate: '2026-04-01T00:00:00.000Z',
        daysToRenewal: 31,
        band: 'yellow',
      },
    ],
    nps: [
      { week: '2026-02-09', score: 20, responses: 5 },
      { week: '2026-02-16', score: null, responses: 0 },
      { week: '2026-02-23', score: 40, responses: 10 },
    ],
  })

export const healthHistory = (days = 90) =>
  valid(HealthHistorySchema, {
    accountId: 'acme',
    points: Array.from({ length: days }, (_, i) => {
      const date = new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString().slice(0, 10)
      const score = i < 5 ? null : 40 + (i % 30)
      return { date, score, band: score === null ? null : score >= 60 ? 'green' : 'yellow' }
    }),
  })

export const activity = () =>
  valid(ActivitySchema, {
    users: [
      { userId: 'u1', name: 'Ana', email: 'ana@acme.test', lastSeenAt: '2026-02-28T10:00:00.000Z' },
      { userId: 'u2', lastSeenAt: null },
    ],
    events: [{ id: 'e1', type: 'track', name: '$login', userId: 'u1', at: '2026-02-28T10:00:00.000Z' }],
    experiences: [
      {
        userId: 'u1',
        experienceId: 'onboarding_checklist',
        kind: 'checklist',
        shown: 3,
        completed: 1,
        dismissed: 0,
        lastAt: '2026-02-27T10:00:00.000Z',
      },
    ],
  })

export const members = () =>
  valid(MemberListSchema, {
    items: [
      { id: 'm_1', email: 'ana@example.com', role: 'owner', createdAt: '2026-01-01T00:00:00.000Z', pending: false },
      { id: 'm_2', email: 'bia@example.com', role: 'viewer', createdAt: '2026-01-02T00:00:00.000Z', pending: true },
    ],
  })

export const invited = () =>
  valid(MemberInvitedSchema, {
    member: { id: 'm_3', email: 'caio@example.com', role: 'csm', createdAt: '2026-03-01T00:00:00.000Z', pending: true },
    inviteUrl: '/console/invite?token=tok_1',
  })

export const audit = (ids: string[], nextCursor: string | null) =>
  valid(AuditPageSchema, {
    items: ids.map((id) => ({
      id,
      at: '2026-03-01T10:00:00.000Z',
      actor: { kind: 'member', id: 'm_1', email: 'ana@example.com' },
      action: 'override.set',
      target: 'account:acme',
      before: null,
      after: { phase: 'adoption' },
    })),
    nextCursor,
  })

export const webhooks = () =>
  valid(WebhookListSchema, {
    items: [
      {
        id: 'wh_1',
        url: 'https://hooks.example.com/a',
        events: null,
        format: 'standard',
        enabled: true,
        createdAt: '2026-01-01T00:00:00.000Z',
      },
    ],
  })

export const webhookCreated = () =>
  valid(WebhookCreatedSchema, { ...webhooks().items[0]!, id: 'wh_2', secret: 'whsec_abc' })

export const deliveries = (ids: string[], nextCursor: string | null) => {
  const list = ids.map((id) => ({
    id,
    eventId: `evt_${id}`,
    type: 'red_flag.raised',
    status: 'dead',
    attempts: 8,
    lastStatus: 500,
    lastResponse: 'boom',
    lastError: null,
    nextAttemptAt: null,
    updatedAt: '2026-03-01T10:00:00.000Z',
  }))
  return valid(DeliveriesPageSchema, { deliveries: list, nextCursor, items: list })
}

/**
 * The experiences' results of March 2026: an advocacy ask, the checklist (setup done late, at the
 * median), one guide of two steps, the NPS survey with the programs its follow-up offered.
 */
export const experienceResults = () =>
  valid(ExperienceResultsSchema, {
    from: '2026-03-01T00:00:00.000Z',
    to: '2026-03-31T23:59:59.999Z',
    experiences: [
      {
        id: 'advocacy:promoter',
        kind: 'advocacy',
        shown: 3,
        completed: 2,
        dismissed: { total: 1, byReason: { later: 1 } },
        users: 3,
        accounts: 2,
        programs: [
          { id: 'case_study', accepted: 1, users: 1, accounts: 1 },
          { id: 'referral', accepted: 2, users: 2, accounts: 2 },
        ],
      },
      {
        id: 'checklist',
        kind: 'checklist',
        shown: 14,
        completed: 3,
        dismissed: { total: 4, byReason: { close: 1, later: 3 } },
        users: 9,
        accounts: 5,
        items: [
          { id: 'welcome', done: 5, accounts: 5, medianDay: 0, window: [0, 0] },
          { id: 'kickoff', done: 4, accounts: 5, medianDay: 2, window: [1, 3] },
          { id: 'setup', done: 2, accounts: 5, medianDay: 9, window: [3, 7] },
          { id: 'first_value', done: 1, accounts: 5, medianDay: 14, window: [7, 14] },
          { id: 'training', done: 0, accounts: 5, medianDay: null, window: [14, 21] },
          { id: 'health_check', done: 0, accounts: 5, medianDay: null, window: [30, 30] },
        ],
      },
      {
        id: 'guide:tour',
        kind: 'guide',
        shown: 12,
        completed: 4,
        dismissed: { total: 3, byReason: { close: 2, target_missing: 1 } },
        users: 8,
        accounts: 3,
        steps: [
          { step: 0, viewed: 11, left: 3, targetMissing: 0 },
          { step: 1, viewed: 7, left: 1, targetMissing: 2 },
        ],
      },
      {
        id: 'nps',
        kind: 'nps',
        shown: 6,
        completed: 5,
        dismissed: { total: 1, byReason: { none: 1 } },
        users: 6,
        accounts: 4,
        programs: [{ id: 'review', accepted: 2, users: 2, accounts: 1 }],
      },
    ],
  })

/** Nothing shown in the range. */
export const noExperienceResults = () =>
  valid(ExperienceResultsSchema, { from: '2026-03-01T00:00:00.000Z', to: '2026-03-31T23:59:59.999Z', experiences: [] })

/** The NPS of March 2026 by week, and its answers, newest first (each user's one answer of its week). */
export const npsResults = () =>
  valid(NpsResultsSchema, {
    from: '2026-03-01T00:00:00.000Z',
    to: '2026-03-31T23:59:59.999Z',
    interval: 'week',
    series: [
      { start: '2026-02-23', score: 100, responses: 1, promoters: 1, passives: 0, detractors: 0 },
      { start: '2026-03-02', score: null, responses: 0, promoters: 0, passives: 0, detractors: 0 },
      { start: '2026-03-09', score: -50, responses: 2, promoters: 0, passives: 1, detractors: 1 },
      { start: '2026-03-16', score: 33, responses: 3, promoters: 2, passives: 0, detractors: 1 },
      { start: '2026-03-23', score: null, responses: 0, promoters: 0, passives: 0, detractors: 0 },
      { start: '2026-03-30', score: null, responses: 0, promoters: 0, passives: 0, detractors: 0 },
    ],
    answers: [
      { userId: 'u0', accountId: 'acme', score: 9, comment: 'Exports are fast now', at: '2026-03-20T10:00:00.000Z' },
      { userId: 'u1', accountId: 'globex', score: 10, comment: null, at: '2026-03-19T10:00:00.000Z' },
      {
        userId: 'u2',
        accountId: 'acme',
        score: 3,
        comment: 'Too many clicks to invite',
        at: '2026-03-17T10:00:00.000Z',
      },
      { userId: 'u3', accountId: 'globex', score: 7, comment: null, at: '2026-03-12T10:00:00.000Z' },
      { userId: 'u4', accountId: 'acme', score: 4, comment: 'Slow reports', at: '2026-03-10T10:00:00.000Z' },
      { userId: 'u5', accountId: 'globex', score: 10, comment: 'Great onboarding', at: '2026-03-01T10:00:00.000Z' },
    ],
    totalAnswers: 6,
  })

// ---------------------------------------------------------------- the fake fetch

export interface Call {
  method: string
  /** Path and query, as the console sent them. */
  url: string
  path: string
  query: URLSearchParams
  headers: Record<string, string>
  credentials: RequestCredentials | undefined
  body: unknown
}

/** A function of the call, or the JSON body to answer. */
type Handler = ((call: Call) => Response | unknown) | object

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  })

export const apiError = (status: number, code: string, message: string, issues?: { path: string; message: string }[]) =>
  json({ error: { code, message, ...(issues ? { issues } : {}) } }, status)

/**
 * A fetch answering `METHOD /path` from `routes` (a Response, or any value answered as JSON 200);
 * every call is recorded. An unknown route is a 404 the test will see.
 */
export function fakeFetch(routes: Record<string, Handler>) {
  const calls: Call[] = []
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input)
    const u = new URL(url, 'http://console.test')
    const headers = { ...(init.headers as Record<string, string>) }
    const call: Call = {
      method: init.method ?? 'GET',
      url,
      path: u.pathname,
      query: u.searchParams,
      headers,
      credentials: init.credentials,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    }
    calls.push(call)
    const route =
      routes[`${call.method} ${call.path}`] ??
      Object.entries(routes).find(([k]) => {
        const [m, p] = k.split(' ')
        return m === call.method && new RegExp(`^${p!.replace(/:[^/]+/g, '[^/]+')}$`).test(call.path)
      })?.[1]
    if (!route) return apiError(404, 'not_found', `no route ${call.method} ${call.path}`)
    const out = typeof route === 'function' ? (route as (c: Call) => unknown)(call) : route
    return out instanceof Response ? out : out === undefined ? new Response(null, { status: 204 }) : json(out)
  }
  return { fetch: fetch as typeof globalThis.fetch, calls }
}
