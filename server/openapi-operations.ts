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
import { JourneyMapQuerySchema, QbrQuerySchema, ValueQuerySchema } from './routes/reports'
import { CreateWebhookSchema, DeliveriesQuerySchema, UpdateWebhookSchema } from './routes/webhooks'
import { configDocumentSchema } from './journey/config'
import { jsonSchema } from './openapi-json-schema'
import type { JsonSchema } from './openapi-json-schema'
import {
  AccountsPageSchema,
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
/** Who may call: no key, a write key (or the secret key), the secret key only. */
type Auth = 'none' | 'write' | 'secret'

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
    path: '/v1/accounts',
    summary: 'Accounts with phase, health and flags, riskiest first',
    tag: ACCOUNT,
    auth: 'secret',
    query: ListQuerySchema,
    ok: { status: 200, description: '`{ items, nextCursor }`', schema: AccountsPageSchema },
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
]
