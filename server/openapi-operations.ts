/**
 * Every operation of the API, as the OpenAPI document lists it: path, who may call, the query and
 * body the route validates with, and what it answers. Every route the app registers must have an
 * entry here: test/server/openapi.test.ts walks `app.routes` and fails on a route without one (and
 * on an entry without a route).
 */
import { z } from 'zod'
import { BatchBodySchema, SEGMENT_CALLS, WireEventSchema } from './ingest/schema'
import type { SegmentCall } from './ingest/schema'
import { HealthHistoryQuerySchema } from './routes/account-page'
import { ExperienceBodySchema, ExperienceQuerySchema } from './routes/experience'
import {
  DiffQuerySchema,
  JourneyQuerySchema,
  LiftBodySchema,
  ListQuerySchema,
  OverrideBodySchema,
} from './routes/accounts'
import { OriginsBodySchema, RotateBodySchema } from './routes/keys'
import { AuditQuerySchema } from './routes/audit'
import { InviteSchema, RoleChangeSchema } from './routes/members'
import { AcceptInviteSchema, SignInSchema } from './routes/session'
import {
  AccountsListSchema,
  AuditPageSchema,
  IdentityStatusSchema,
  MemberInvitedSchema,
  MemberListSchema,
  MemberUpdatedSchema,
  OverviewSchema,
  SessionResponseSchema,
} from './schemas/console-responses'
import { OverviewQuerySchema } from './routes/overview'
import { ExperienceResultsQuerySchema, NpsResultsQuerySchema } from './routes/results'
import { ExperienceResultsSchema, NpsResultsSchema } from './schemas/results-responses'
import { JourneyMapQuerySchema, QbrQuerySchema, ValueQuerySchema } from './routes/reports'
import { CreateWebhookSchema, DeliveriesQuerySchema, UpdateWebhookSchema } from './routes/webhooks'
import { configDocumentSchema } from './journey/config'
import { MAX_REVISION_MESSAGE, PreviewBodySchema, RevisionDiffQuerySchema } from './routes/config'
import {
  ConfigDiffSchema,
  ConfigRevisionListSchema,
  ConfigRevisionWithConfigSchema,
  DryRunSchema,
} from './schemas/config-responses'
import {
  BuilderGuidesQuerySchema,
  BuilderSessionBodySchema,
  BuilderTargetBodySchema,
  BuilderTokenBodySchema,
} from './routes/builder'
import {
  BuilderGuidesSchema,
  BuilderSessionSchema,
  BuilderTargetSavedSchema,
  BuilderTokenSchema,
} from './schemas/builder-responses'
import { jsonSchema } from './openapi-json-schema'
import type { JsonSchema } from './openapi-json-schema'
import {
  BatchResponseSchema,
  BatchUnverifiedSchema,
  DeliveriesPageSchema,
  ErrorBodySchema,
  ExperienceResponseSchema,
  HealthDownSchema,
  HealthOkSchema,
  journeyConfigSchema,
  JourneyDiffResponseSchema,
  JourneyMapSchema,
  JourneyStateSchema,
  OpenApiDocumentSchema,
  OriginsResponseSchema,
  OverrideResponseSchema,
  QbrSchema,
  ReplayResponseSchema,
  RetireResponseSchema,
  RotateResponseSchema,
  ValueResponseSchema,
  WebhookCreatedSchema,
  WebhookEndpointSchema,
  WebhookListSchema,
} from './schemas/responses'
import { ActivitySchema, HealthHistorySchema } from './schemas/console-responses'

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete'
/**
 * Who may call: no key; a write key (or the secret key); the secret key or a console member's
 * session, the member's least role being the route's in server/http/access.ts; a session only; a
 * builder credential only (server/http/builder-credentials.ts).
 */
type Auth = 'none' | 'write' | 'secret' | 'session' | 'builder'

export interface Operation {
  method: Method
  /** Hono's form (`/v1/accounts/:id/journey`); written `{id}` in the document. */
  path: string
  summary: string
  tag: string
  auth: Auth
  query?: z.ZodObject
  body?: z.ZodType | JsonSchema
  /** The body may be left out (DELETE override, rotate). */
  bodyOptional?: boolean
  /**
   * The success answer. `schema`: its JSON body (none: no body, 204); `media`: its content types
   * (default JSON only; the others are documents, strings).
   */
  ok: { status: number; description: string; schema?: z.ZodType; media?: string[] }
  /** Error statuses besides the ones every keyed route has (401; 403 for the secret key's). */
  errors?: number[]
  /** Error answers of another shape than `{ error }` (a batch's 401, /healthz's 503). */
  errorSchemas?: Partial<Record<number, { description: string; schema: z.ZodType }>>
}

/** The batch as documented: the envelope, each item one event (the route checks them one by one). */
function batchBody(): JsonSchema {
  const body = jsonSchema(BatchBodySchema) as { properties: Record<string, JsonSchema> }
  return {
    ...body,
    properties: { ...body.properties, batch: { ...body.properties.batch, items: jsonSchema(WireEventSchema) } },
  }
}

/** A Segment per-call body: one event, `type` the path's or left out. */
const singleBody = (call: SegmentCall) => WireEventSchema.extend({ type: z.literal(call).optional() })

/** A batch's 401: no key or an unknown one; or, with identity verification, events refused for their `userHash` (the others were stored). */
const BATCH_401 = {
  description:
    'No key or an unknown key (`{ error }`); or, when the workspace verifies identities, events without a valid `userHash` were refused: `{ error, accepted, duplicates, rejected }`, the other events stored',
  schema: z.union([ErrorBodySchema, BatchUnverifiedSchema]),
}

/** A draft's body as documented: the route reads `config` as any JSON and checks it with parseConfig. */
const DRAFT_BODY = z.strictObject({
  config: configDocumentSchema(),
  message: z.string().max(MAX_REVISION_MESSAGE).optional().describe('what the change is for'),
})

// ---------------------------------------------------------------- the routes

const ACCOUNT = 'Journey'
const JOURNEY_STATE = { status: 200, schema: JourneyStateSchema }
export const OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/healthz',
    summary: 'The store answers',
    tag: 'Operations',
    auth: 'none',
    ok: { status: 200, description: '`{ ok: true }`', schema: HealthOkSchema },
    errorSchemas: { 503: { description: '`{ ok: false }`: the store does not answer', schema: HealthDownSchema } },
  },
  {
    method: 'get',
    path: '/openapi.json',
    summary: 'This document',
    tag: 'Operations',
    auth: 'none',
    ok: { status: 200, description: 'The OpenAPI 3.1 document', schema: OpenApiDocumentSchema },
  },
  {
    method: 'get',
    path: '/docs',
    summary: 'This document, rendered as one HTML page',
    tag: 'Operations',
    auth: 'none',
    ok: {
      status: 200,
      description: 'Paths, parameters, request and response schemas; no script, nothing remote',
      media: ['text/html'],
    },
  },

  {
    method: 'post',
    path: '/v1/batch',
    summary: 'Ingest a batch of events',
    tag: 'Ingest',
    auth: 'write',
    body: batchBody(),
    ok: {
      status: 200,
      description: 'Valid events stored (after commit); invalid ones listed in `rejected`',
      schema: BatchResponseSchema,
    },
    errors: [400, 403, 413, 415, 429],
    errorSchemas: { 401: BATCH_401 },
  },
  ...SEGMENT_CALLS.map(
    (call): Operation => ({
      method: 'post',
      path: `/v1/${call}`,
      summary: `Ingest one \`${call}\` event (Segment's per-call endpoint)`,
      tag: 'Ingest',
      auth: 'write',
      body: singleBody(call),
      ok: { status: 200, description: 'As `POST /v1/batch`, the event being `batch.0`', schema: BatchResponseSchema },
      errors: [400, 403, 413, 415, 429],
      errorSchemas: { 401: BATCH_401 },
    }),
  ),
  {
    method: 'post',
    path: '/v1/experience',
    summary: 'What this user should see now',
    tag: 'Experiences',
    auth: 'write',
    query: ExperienceQuerySchema,
    body: ExperienceBodySchema,
    ok: {
      status: 200,
      description: "Experiences ordered by priority, and the launcher's",
      schema: ExperienceResponseSchema,
    },
    errors: [400, 403, 413, 429],
  },

  {
    method: 'get',
    path: '/v1/config',
    summary: 'The journey config in force',
    tag: 'Config',
    auth: 'secret',
    ok: {
      status: 200,
      description: 'The effective config (journey.md, "The config document")',
      schema: journeyConfigSchema(),
    },
  },
  {
    method: 'put',
    path: '/v1/config',
    summary: 'Replace the journey config',
    tag: 'Config',
    auth: 'secret',
    body: configDocumentSchema(),
    ok: { status: 200, description: 'The effective config after the change', schema: journeyConfigSchema() },
    errors: [400, 413],
  },
  {
    method: 'get',
    path: '/v1/config/revisions',
    summary: "The journey config's revisions: drafts, the published one, the ones before it",
    tag: 'Config',
    auth: 'secret',
    ok: {
      status: 200,
      description: 'Every revision, newest first, without its document',
      schema: ConfigRevisionListSchema,
    },
  },
  {
    method: 'get',
    path: '/v1/config/revisions/:id',
    summary: 'One revision of the journey config, with its document',
    tag: 'Config',
    auth: 'secret',
    ok: { status: 200, description: 'The revision and its document as sent', schema: ConfigRevisionWithConfigSchema },
    errors: [400, 404],
  },
  {
    method: 'get',
    path: '/v1/config/revisions/:id/diff',
    summary: "What a revision changes: every value of its effective config that differs from another's",
    tag: 'Config',
    auth: 'secret',
    query: RevisionDiffQuerySchema,
    ok: { status: 200, description: '`{ id, against, changes: [{ path, before, after }] }`', schema: ConfigDiffSchema },
    errors: [400, 404],
  },
  {
    method: 'post',
    path: '/v1/config/drafts',
    summary: 'A draft of the journey config (validated as PUT /v1/config is; not in force until published)',
    tag: 'Config',
    auth: 'secret',
    body: DRAFT_BODY,
    ok: { status: 201, description: 'The draft', schema: ConfigRevisionWithConfigSchema },
    errors: [400, 413],
  },
  {
    method: 'patch',
    path: '/v1/config/drafts/:id',
    summary: "Change a draft's document or message",
    tag: 'Config',
    auth: 'secret',
    body: DRAFT_BODY.partial(),
    ok: { status: 200, description: 'The draft as changed', schema: ConfigRevisionWithConfigSchema },
    errors: [400, 404, 409, 413],
  },
  {
    method: 'delete',
    path: '/v1/config/drafts/:id',
    summary: 'Remove a draft',
    tag: 'Config',
    auth: 'secret',
    ok: { status: 204, description: 'Removed' },
    errors: [400, 404, 409],
  },
  {
    method: 'post',
    path: '/v1/config/drafts/:id/dry-run',
    summary: 'What would change if the draft were published now, from the stored facts (bounded in time)',
    tag: 'Config',
    auth: 'secret',
    ok: {
      status: 200,
      description: 'Accounts whose phase, band, red flags or milestones would change, and experiences newly offered',
      schema: DryRunSchema,
    },
    errors: [400, 404, 409],
  },
  {
    method: 'post',
    path: '/v1/config/preview',
    summary: 'Every kind of experience a config document would show, as the SDK receives it, for a made-up account',
    tag: 'Config',
    auth: 'secret',
    body: PreviewBodySchema.extend({ config: configDocumentSchema() }),
    ok: {
      status: 200,
      description: 'One experience of each kind, every guide in `guides`, the texts in the locale',
      schema: ExperienceResponseSchema,
    },
    errors: [400, 413],
  },
  {
    method: 'post',
    path: '/v1/config/revisions/:id/publish',
    summary: 'Put a revision in force (a revision published before: the rollback)',
    tag: 'Config',
    auth: 'secret',
    ok: { status: 200, description: 'The revision, now published', schema: ConfigRevisionWithConfigSchema },
    errors: [400, 404],
  },

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
    summary: 'Engagement events of a range counted per experience, guide step and checklist item',
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
  {
    method: 'get',
    path: '/v1/accounts/:id/value',
    summary: 'The value statement, as data, text and email',
    tag: 'Reports',
    auth: 'secret',
    query: ValueQuerySchema,
    ok: { status: 200, description: '`{ accountId, statement, text, email }`', schema: ValueResponseSchema },
    errors: [400, 404],
  },
  {
    method: 'get',
    path: '/v1/accounts/:id/qbr',
    summary: 'The renewal QBR pack',
    tag: 'Reports',
    auth: 'secret',
    query: QbrQuerySchema,
    ok: {
      status: 200,
      description: 'The four parts, as JSON or printable HTML (`format=html`)',
      schema: QbrSchema,
      media: ['application/json', 'text/html'],
    },
    errors: [400, 404],
  },
  {
    method: 'get',
    path: '/v1/journey-map',
    summary: 'The journey map per phase',
    tag: 'Reports',
    auth: 'secret',
    query: JourneyMapQuerySchema,
    ok: {
      status: 200,
      description: 'JSON, CSV (`format=csv`) or HTML (`format=html`)',
      schema: JourneyMapSchema,
      media: ['application/json', 'text/csv', 'text/html'],
    },
    errors: [400],
  },

  {
    method: 'post',
    path: '/v1/webhooks',
    summary: 'Add a webhook endpoint (a private or reserved address is a 400 naming `url`)',
    tag: 'Webhooks',
    auth: 'secret',
    body: CreateWebhookSchema,
    ok: {
      status: 201,
      description: 'The endpoint, with its signing `secret` (shown this once)',
      schema: WebhookCreatedSchema,
    },
    errors: [400, 413],
  },
  {
    method: 'get',
    path: '/v1/webhooks',
    summary: 'The webhook endpoints',
    tag: 'Webhooks',
    auth: 'secret',
    ok: { status: 200, description: '`{ items }`', schema: WebhookListSchema },
  },
  {
    method: 'patch',
    path: '/v1/webhooks/:id',
    summary: 'Change a webhook endpoint, or pause it (`enabled: false`: deliveries wait until it is enabled)',
    tag: 'Webhooks',
    auth: 'secret',
    body: UpdateWebhookSchema,
    ok: { status: 200, description: 'The endpoint as changed (without its secret)', schema: WebhookEndpointSchema },
    errors: [400, 404, 413],
  },
  {
    method: 'delete',
    path: '/v1/webhooks/:id',
    summary: 'Remove a webhook endpoint',
    tag: 'Webhooks',
    auth: 'secret',
    ok: { status: 204, description: 'Removed' },
    errors: [404],
  },
  {
    method: 'get',
    path: '/v1/webhooks/:id/deliveries',
    summary: 'Deliveries of an endpoint, newest first (dead letters with status=dead)',
    tag: 'Webhooks',
    auth: 'secret',
    query: DeliveriesQuerySchema,
    ok: {
      status: 200,
      description:
        '`{ deliveries, nextCursor }` (`items`: the same list, its former name): status, attempts, last response',
      schema: DeliveriesPageSchema,
    },
    errors: [400, 404],
  },
  {
    method: 'post',
    path: '/v1/webhooks/:id/deliveries/:deliveryId/replay',
    summary: 'Send one delivery again',
    tag: 'Webhooks',
    auth: 'secret',
    ok: { status: 202, description: 'Queued again: `{ id, status: "pending" }`', schema: ReplayResponseSchema },
    errors: [404],
  },

  {
    method: 'post',
    path: '/v1/keys/secret/rotate',
    summary: 'New secret key; the previous one stays valid for a grace period',
    tag: 'Keys',
    auth: 'secret',
    body: RotateBodySchema,
    bodyOptional: true,
    ok: {
      status: 200,
      description: '`{ secretKey, previousExpiresAt }`: the new key is shown this once',
      schema: RotateResponseSchema,
    },
    errors: [400, 413],
  },
  {
    method: 'post',
    path: '/v1/keys/secret/retire',
    summary: 'End the previous secret key now',
    tag: 'Keys',
    auth: 'secret',
    ok: { status: 200, description: '`retired`: false when there was none', schema: RetireResponseSchema },
  },
  {
    method: 'get',
    path: '/v1/keys/write/origins',
    summary: 'Origins allowed to use the write key',
    tag: 'Keys',
    auth: 'secret',
    ok: {
      status: 200,
      description: "The list (the server's own origin is always allowed)",
      schema: OriginsResponseSchema,
    },
  },
  {
    method: 'put',
    path: '/v1/keys/write/origins',
    summary: 'Replace the origins allowed to use the write key',
    tag: 'Keys',
    auth: 'secret',
    body: OriginsBodySchema,
    ok: { status: 200, description: 'The list now in force', schema: OriginsResponseSchema },
    errors: [400, 413],
  },

  {
    method: 'post',
    path: '/v1/session',
    summary: 'Sign in to the console: sets the `jornada_session` cookie',
    tag: 'Console',
    auth: 'none',
    body: SignInSchema,
    ok: { status: 200, description: '`{ member, csrfToken }`', schema: SessionResponseSchema },
    errors: [400, 401, 403, 413, 429],
  },
  {
    method: 'get',
    path: '/v1/session',
    summary: "The signed-in member and the session's CSRF token",
    tag: 'Console',
    auth: 'session',
    ok: { status: 200, description: '`{ member, csrfToken }`', schema: SessionResponseSchema },
  },
  {
    method: 'delete',
    path: '/v1/session',
    summary: 'Sign out: the session is revoked on the server',
    tag: 'Console',
    auth: 'session',
    ok: { status: 204, description: 'Signed out' },
  },
  {
    method: 'post',
    path: '/v1/invites/accept',
    summary: "Set a password with an invitation's or the setup link's token (once): signed in",
    tag: 'Console',
    auth: 'none',
    body: AcceptInviteSchema,
    ok: { status: 200, description: '`{ member, csrfToken }` and the session cookie', schema: SessionResponseSchema },
    errors: [400, 403, 413],
  },
  {
    method: 'get',
    path: '/v1/members',
    summary: "The console's members",
    tag: 'Console',
    auth: 'secret',
    ok: { status: 200, description: '`{ items }`', schema: MemberListSchema },
  },
  {
    method: 'post',
    path: '/v1/members',
    summary: 'Invite a member (an owner only by an owner): a one-time link, valid 7 days',
    tag: 'Console',
    auth: 'secret',
    body: InviteSchema,
    ok: { status: 201, description: '`{ member, inviteUrl }`', schema: MemberInvitedSchema },
    errors: [400, 409, 413],
  },
  {
    method: 'patch',
    path: '/v1/members/:id',
    summary: "Change a member's role (an owner's only by an owner; the last owner stays one)",
    tag: 'Console',
    auth: 'secret',
    body: RoleChangeSchema,
    ok: { status: 200, description: '`{ member }`', schema: MemberUpdatedSchema },
    errors: [400, 404, 409, 413],
  },
  {
    method: 'delete',
    path: '/v1/members/:id',
    summary: 'Remove a member: their sessions end at once',
    tag: 'Console',
    auth: 'secret',
    ok: { status: 204, description: 'Removed' },
    errors: [404, 409],
  },
  {
    method: 'get',
    path: '/v1/audit',
    summary: 'The audit log, newest first: every change, sign-ins and failed sign-ins',
    tag: 'Console',
    auth: 'secret',
    query: AuditQuerySchema,
    ok: { status: 200, description: '`{ items, nextCursor }`', schema: AuditPageSchema },
    errors: [400],
  },
  {
    method: 'get',
    path: '/v1/keys/identity',
    summary: 'Whether identity verification is on (never the secret)',
    tag: 'Keys',
    auth: 'secret',
    ok: { status: 200, description: '`{ enabled }`', schema: IdentityStatusSchema },
  },
  {
    method: 'post',
    path: '/v1/builder/tokens',
    summary: "Builder mode: a single-use token for the app's URL (`#jornada-builder=<token>`), valid 10 minutes",
    tag: 'Builder',
    auth: 'secret',
    body: BuilderTokenBodySchema,
    ok: { status: 201, description: '`{ token, expiresAt }`', schema: BuilderTokenSchema },
    errors: [400, 404, 409, 413],
  },
  {
    method: 'post',
    path: '/v1/builder/session',
    summary:
      "Builder mode: exchange the token, once, for a credential valid 1 hour (from the app's page: an allowed origin)",
    tag: 'Builder',
    auth: 'none',
    body: BuilderSessionBodySchema,
    ok: {
      status: 200,
      description: '`{ credential, expiresAt, draftId, guideId, step }`',
      schema: BuilderSessionSchema,
    },
    errors: [400, 401, 403, 413],
  },
  {
    method: 'get',
    path: '/v1/builder/guides',
    summary: "Builder mode: the draft's guides (the config in force's before the first save)",
    tag: 'Builder',
    auth: 'builder',
    query: BuilderGuidesQuerySchema,
    ok: {
      status: 200,
      description: "`{ draftId, guides }`, each step's texts in `locale`",
      schema: BuilderGuidesSchema,
    },
    errors: [403],
  },
  {
    method: 'put',
    path: '/v1/builder/guides/:guideId/steps/:step/target',
    summary: "Builder mode: save a step's target (selectors, text) into the draft; the first save makes the draft",
    tag: 'Builder',
    auth: 'builder',
    body: BuilderTargetBodySchema,
    ok: { status: 200, description: '`{ draftId, guideId, step, selector, text }`', schema: BuilderTargetSavedSchema },
    errors: [400, 403, 404, 409, 413],
  },
]
