/**
 * `GET /openapi.json` (api.md, "Operations"): the OpenAPI 3.1 document of the API, built from the
 * zod schemas the routes validate with, so that the document cannot drift from the code. Every
 * route the app registers must have an entry in OPERATIONS: test/server/openapi.test.ts walks
 * `app.routes` and fails on a route without one (and on an entry without a route).
 *
 * Request bodies and query strings are the routes' own schemas (z.toJSONSchema, input side).
 * Responses, success and error alike, are the schemas of server/schemas/responses.ts (output side);
 * the same test calls every route and parses each answer with the schema documented for its status.
 * `GET /docs` (routes/docs.ts) renders this document as one HTML page.
 */
import { z } from 'zod'
import { BatchBodySchema, SEGMENT_CALLS, WireEventSchema } from './ingest/schema'
import type { SegmentCall } from './ingest/schema'
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
import {
  AccountsPageSchema,
  BatchResponseSchema,
  BatchUnverifiedSchema,
  DeliveriesPageSchema,
  ErrorBodySchema,
  ExperienceResponseSchema,
  ExperienceSchema,
  HealthDownSchema,
  HealthOkSchema,
  journeyConfigBlockSchema,
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
  ValueStatementSchema,
  WebhookCreatedSchema,
  WebhookEndpointSchema,
  WebhookListSchema,
} from './schemas/responses'

type JsonSchema = Record<string, unknown>
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

const INPUT = { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' } as const
const OUTPUT = { ...INPUT, io: 'output' } as const

/** Schemas shared by several operations, in `components.schemas`: the document refers to them by name wherever they appear. */
const COMPONENTS: [name: string, schema: z.ZodType][] = [
  ['Error', ErrorBodySchema],
  ['BatchResponse', BatchResponseSchema],
  ['Experience', ExperienceSchema],
  ['ValueStatement', ValueStatementSchema],
  ['JourneyState', JourneyStateSchema],
  ['JourneyConfig', journeyConfigSchema()],
  ['JourneyConfigBlock', journeyConfigBlockSchema()],
  ['WebhookEndpoint', WebhookEndpointSchema],
]

const componentName = (schema: unknown) => COMPONENTS.find(([, s]) => s === schema)?.[0]

/**
 * A zod schema as a JSON Schema (2020-12, what OpenAPI 3.1 uses), without the `$schema` line; a
 * component inside it (not the schema itself) is a `$ref`.
 */
function jsonSchema(schema: z.ZodType | JsonSchema, io: 'input' | 'output' = 'input'): JsonSchema {
  if (!(schema instanceof z.ZodType)) return schema
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    ...(io === 'input' ? INPUT : OUTPUT),
    override: (ctx) => {
      const name = ctx.path.length > 0 ? componentName(ctx.zodSchema) : undefined
      if (name === undefined) return
      const target = ctx.jsonSchema as JsonSchema
      for (const key of Object.keys(target)) delete target[key]
      target.$ref = `#/components/schemas/${name}`
    },
  }) as JsonSchema
  return rest
}

/** A response schema: a `$ref` when it is a component, else inline. */
function responseSchema(schema: z.ZodType): JsonSchema {
  const name = componentName(schema)
  return name ? { $ref: `#/components/schemas/${name}` } : jsonSchema(schema, 'output')
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

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid JSON, body or query: every issue with its path',
  401: 'No key, an unknown key, or (identity verification) a missing or wrong `userHash`',
  403: 'A write key where the secret key is needed, an origin not allowed for the write key, or an account-level fact from a write key',
  404: 'Not found',
  413: 'Body too large',
  415: 'Unsupported content type',
  429: 'Rate limited (write keys): retry after `Retry-After` seconds',
}

/** `/v1/accounts/:id` → `/v1/accounts/{id}`. */
export const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')

/** The error statuses of an operation, ascending: its own, 401 for a keyed route, 403 for a secret-key one. */
function errorStatuses(op: Operation): number[] {
  const statuses = new Set([...(op.errors ?? []), ...Object.keys(op.errorSchemas ?? {}).map(Number)])
  if (op.auth !== 'none') statuses.add(401)
  if (op.auth === 'secret') statuses.add(403)
  return [...statuses].sort((a, b) => a - b)
}

/**
 * What the document says `METHOD path` (Hono's form) answers with `status`: the JSON body's schema
 * (`null`: no JSON body, as 204 or an HTML page) and the content types; undefined when the
 * document does not list that status. test/server/openapi.test.ts parses real answers with it.
 */
export function documentedResponse(
  method: string,
  path: string,
  status: number,
): { schema: z.ZodType | null; media: string[] } | undefined {
  const op = OPERATIONS.find((o) => o.method === method.toLowerCase() && o.path === path)
  if (!op) return undefined
  if (status === op.ok.status) {
    const media = op.ok.media ?? (op.ok.schema ? ['application/json'] : [])
    return { schema: media.includes('application/json') ? (op.ok.schema ?? null) : null, media }
  }
  if (!errorStatuses(op).includes(status)) return undefined
  return { schema: op.errorSchemas?.[status]?.schema ?? ErrorBodySchema, media: ['application/json'] }
}

function operationObject(op: Operation): JsonSchema {
  const parameters: JsonSchema[] = [...op.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string', minLength: 1 },
  }))
  if (op.query) {
    const q = jsonSchema(op.query) as { properties?: Record<string, JsonSchema>; required?: string[] }
    for (const [name, schema] of Object.entries(q.properties ?? {})) {
      parameters.push({ name, in: 'query', required: (q.required ?? []).includes(name), schema })
    }
  }
  const responses: Record<string, JsonSchema> = {
    [op.ok.status]: {
      description: op.ok.description,
      ...(op.ok.media || op.ok.schema
        ? {
            content: Object.fromEntries(
              (op.ok.media ?? ['application/json']).map((m) => [
                m,
                {
                  schema:
                    m === 'application/json'
                      ? responseSchema(op.ok.schema!)
                      : { type: 'string', description: `the ${m} document` },
                },
              ]),
            ),
          }
        : {}),
    },
  }
  for (const s of errorStatuses(op)) {
    const special = op.errorSchemas?.[s]
    responses[s] = {
      description: special?.description ?? ERROR_DESCRIPTIONS[s] ?? 'Error',
      content: { 'application/json': { schema: responseSchema(special?.schema ?? ErrorBodySchema) } },
      ...(s === 429 && {
        headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer', minimum: 1 } } },
      }),
    }
  }
  return {
    operationId: `${op.method}${openApiPath(op.path)
      .replace(/[{}]/g, '')
      .split(/[/.-]/)
      .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
      .join('')}`,
    summary: op.summary,
    tags: [op.tag],
    security:
      op.auth === 'none' ? [] : op.auth === 'write' ? [{ writeKey: [] }, { secretKey: [] }] : [{ secretKey: [] }],
    ...(parameters.length > 0 && { parameters }),
    ...(op.body && {
      requestBody: {
        required: !op.bodyOptional,
        content: {
          'application/json': { schema: jsonSchema(op.body) },
          // sendBeacon sends text/plain; the SDK always does (a CORS simple request).
          ...(op.tag === 'Ingest' && {
            'text/plain': { schema: { type: 'string', description: 'the same JSON, as text' } },
          }),
        },
      },
    }),
    responses,
  }
}

let cached: JsonSchema | undefined

/** The OpenAPI 3.1 document (built once); `serverUrl` goes in `servers`. */
export function openApiDocument(serverUrl?: string): JsonSchema {
  cached ??= build()
  return serverUrl ? { ...cached, servers: [{ url: serverUrl }] } : cached
}

function build(): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {}
  for (const op of OPERATIONS) (paths[openApiPath(op.path)] ??= {})[op.method] = operationObject(op)
  return {
    openapi: '3.1.0',
    info: {
      title: 'Jornada API',
      version: '0.1.0',
      description:
        'Events, the customer journey of each account, in-app experiences, webhooks and reports. Errors: `{ error: { code, message, issues? } }`.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    tags: [...new Set(OPERATIONS.map((o) => o.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: Object.fromEntries(COMPONENTS.map(([name, schema]) => [name, jsonSchema(schema, 'output')])),
      securitySchemes: {
        writeKey: {
          type: 'http',
          scheme: 'bearer',
          description:
            'The public write key (`pk_…`); also HTTP Basic with the key as user name, or `writeKey` in the body',
        },
        secretKey: { type: 'http', scheme: 'bearer', description: 'The secret key (`sk_…`), from servers only' },
      },
    },
  }
}
