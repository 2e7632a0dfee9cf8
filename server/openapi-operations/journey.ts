/** The `Journey` tag: the accounts, their journey and override, the overview and the results. */
import { HealthHistoryQuerySchema } from '../routes/account-page'
import {
  DiffQuerySchema,
  JourneyQuerySchema,
  LiftBodySchema,
  ListQuerySchema,
  OverrideBodySchema,
} from '../routes/accounts'
import { OverviewQuerySchema } from '../routes/overview'
import { ExperienceResultsQuerySchema, NpsResultsQuerySchema } from '../routes/results'
import { AccountsListSchema, ActivitySchema, HealthHistorySchema, OverviewSchema } from '../schemas/console-responses'
import { ExperienceResultsSchema, NpsResultsSchema } from '../schemas/results-responses'
import { JourneyDiffResponseSchema, JourneyStateSchema, OverrideResponseSchema } from '../schemas/responses'
import type { Operation } from './types'

const ACCOUNT = 'Journey'
const JOURNEY_STATE = { status: 200, schema: JourneyStateSchema }
export const JOURNEY_OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/v1/accounts',
    summary: 'Accounts with phase, health, flags, renewal, NPS and last activity, riskiest first or sorted',
    tag: ACCOUNT,
    auth: 'secret',
    query: ListQuerySchema,
    ok: {
      status: 200,
      description: '`{ items, nextCursor, total }`, or CSV of every page (`format=csv`)',
      schema: AccountsListSchema,
      media: ['application/json', 'text/csv'],
    },
    errors: [400],
  },
  {
    method: 'get',
    path: '/v1/overview',
    summary: 'Accounts by phase and band, changes of 7 days, renewals of 90 days, NPS of 26 weeks',
    tag: ACCOUNT,
    auth: 'secret',
    query: OverviewQuerySchema,
    ok: { status: 200, description: 'The workspace at a glance (console.md)', schema: OverviewSchema },
    errors: [400],
  },
  {
    method: 'get',
    path: '/v1/results/experiences',
    summary: 'Engagement events of a range per experience, guide step, checklist item and program',
    tag: ACCOUNT,
    auth: 'secret',
    query: ExperienceResultsQuerySchema,
    ok: {
      status: 200,
      description: '`{ from, to, experiences }` (http-api.md, "Results"), or CSV (`format=csv`)',
      schema: ExperienceResultsSchema,
      media: ['application/json', 'text/csv'],
    },
    errors: [400],
  },
  {
    method: 'get',
    path: '/v1/results/nps',
    summary: 'NPS per week or month, and the answers with their comments, newest first',
    tag: ACCOUNT,
    auth: 'secret',
    query: NpsResultsQuerySchema,
    ok: {
      status: 200,
      description: '`{ from, to, interval, series, answers, totalAnswers }`, or CSV (`format=csv`)',
      schema: NpsResultsSchema,
      media: ['application/json', 'text/csv'],
    },
    errors: [400],
  },
  {
    method: 'get',
    path: '/v1/accounts/:id/journey',
    summary: 'The journey state of one account at a time',
    tag: ACCOUNT,
    auth: 'secret',
    query: JourneyQuerySchema,
    ok: { ...JOURNEY_STATE, description: 'The journey state (api.md, "Journey")' },
    errors: [400, 404],
  },
  {
    method: 'get',
    path: '/v1/accounts/:id/journey/diff',
    summary: 'What changed between two dates, and why',
    tag: ACCOUNT,
    auth: 'secret',
    query: DiffQuerySchema,
    ok: { status: 200, description: 'The differences', schema: JourneyDiffResponseSchema },
    errors: [400, 404],
  },
  {
    method: 'get',
    path: '/v1/accounts/:id/override',
    summary: 'The phase override in force and its audit list',
    tag: ACCOUNT,
    auth: 'secret',
    ok: { status: 200, description: '`{ accountId, current, changes }`', schema: OverrideResponseSchema },
    errors: [404],
  },
  {
    method: 'put',
    path: '/v1/accounts/:id/override',
    summary: 'Override the phase until a date',
    tag: ACCOUNT,
    auth: 'secret',
    body: OverrideBodySchema,
    ok: { ...JOURNEY_STATE, description: 'The journey state with the override' },
    errors: [400, 404, 413],
  },
  {
    method: 'delete',
    path: '/v1/accounts/:id/override',
    summary: 'Lift the phase override',
    tag: ACCOUNT,
    auth: 'secret',
    body: LiftBodySchema,
    bodyOptional: true,
    ok: { ...JOURNEY_STATE, description: 'The journey state without the override' },
    errors: [400, 404, 413],
  },
  {
    method: 'get',
    path: '/v1/accounts/:id/health-history',
    summary: 'Health score and band of each of the last days (default 90), oldest first',
    tag: ACCOUNT,
    auth: 'secret',
    query: HealthHistoryQuerySchema,
    ok: { status: 200, description: '`{ accountId, points }`', schema: HealthHistorySchema },
    errors: [400, 404],
  },
  {
    method: 'get',
    path: '/v1/accounts/:id/activity',
    summary: "The account's users, its 50 latest events, and what each user was shown",
    tag: ACCOUNT,
    auth: 'secret',
    ok: { status: 200, description: '`{ users, events, experiences }`', schema: ActivitySchema },
    errors: [404],
  },
]
