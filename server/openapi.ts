/**
 * `GET /openapi.json` (api.md, "Operations"): the OpenAPI 3.1 document of the API, built from the
 * zod schemas the routes validate with, so that the document cannot drift from the code. The
 * operations are listed in openapi-operations/, one file per tag; their schemas become JSON Schemas
 * in openapi-json-schema.ts.
 *
 * Request bodies and query strings are the routes' own schemas (z.toJSONSchema, input side).
 * Responses, success and error alike, are the schemas of server/schemas/responses.ts (output side);
 * test/server/openapi.test.ts calls every route and parses each answer with the schema documented
 * for its status. `GET /docs` (routes/docs.ts) renders this document as one HTML page.
 */
import type { z } from 'zod'
import { COMPONENTS, jsonSchema, responseSchema } from './openapi-json-schema'
import type { JsonSchema } from './openapi-json-schema'
import { OPERATIONS } from './openapi-operations'
import type { Operation } from './openapi-operations'
import { ErrorBodySchema } from './schemas/responses'
import { ROUTE_ACCESS } from './http/access'

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid JSON, body or query: every issue with its path',
  401: 'No key, an unknown key, no session, or (identity verification) a missing or wrong `userHash`',
  403: 'A write key where the secret key is needed, a member below the least role (`forbidden_role`), a change with the session cookie lacking its CSRF token or from another origin (`csrf`), an origin not allowed for the write key, or an account-level fact from a write key',
  409: 'Conflicts with the current state',
  404: 'Not found',
  413: 'Body too large',
  415: 'Unsupported content type',
  429: 'Rate limited (write keys): retry after `Retry-After` seconds',
}

/** Who may call each kind of operation: the secret key acts as an owner; a session has its member's role. */
const SECURITY: Record<Operation['auth'], JsonSchema[]> = {
  none: [],
  write: [{ writeKey: [] }, { secretKey: [] }],
  secret: [{ secretKey: [] }, { session: [] }],
  session: [{ session: [] }],
  builder: [{ builderCredential: [] }],
}

/** `/v1/accounts/:id` → `/v1/accounts/{id}`. */
export const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')

/** The error statuses of an operation, ascending: its own, 401 for a keyed route, 403 for a secret-key one. */
function errorStatuses(op: Operation): number[] {
  const statuses = new Set([...(op.errors ?? []), ...Object.keys(op.errorSchemas ?? {}).map(Number)])
  if (op.auth !== 'none') statuses.add(401)
  if (op.auth === 'secret' || op.auth === 'session') statuses.add(403)
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
  const access = ROUTE_ACCESS[`${op.method.toUpperCase()} ${op.path}`]
  const least = access === 'write' || access === 'public' || access === 'builder' ? undefined : access
  return {
    operationId: `${op.method}${openApiPath(op.path)
      .replace(/[{}]/g, '')
      .split(/[/.-]/)
      .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
      .join('')}`,
    summary: op.summary,
    tags: [op.tag],
    ...(least !== undefined && {
      description: `Least access: ${least === 'session' ? "a member's session" : `the ${least} role`}.`,
    }),
    security: SECURITY[op.auth],
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
        secretKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'The secret key (`sk_…`), from servers only; it acts as an owner',
        },
        builderCredential: {
          type: 'http',
          scheme: 'bearer',
          description:
            "Builder mode's credential (`POST /v1/builder/session`), valid 1 hour: it reads the guides and saves a step's target into a draft, nothing else",
        },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'jornada_session',
          description:
            "A console member's session (`POST /v1/session`), allowed by the member's role; a change also needs `x-csrf-token` and the server's own `Origin`",
        },
      },
    },
  }
}
