/**
 * `GET /openapi.json` (issue 5, "OpenAPI"): a valid OpenAPI 3.1 document (checked by an independent
 * validator, @seriousme/openapi-schema-validator) that lists every route the app registers, and no
 * route it does not: a new route without an entry in server/openapi.ts fails here.
 */
import { Validator } from '@seriousme/openapi-schema-validator'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../server/app'
import { openApiDocument, openApiPath } from '../../server/openapi'
import { MAX_PAGE } from '../../server/routes/accounts'
import { MAX_BATCH_EVENTS } from '../../server/routes/batch'
import type { Store } from '../../server/store/types'

type Json = any
// Building the app touches no store; the document's route needs none.
const app = createApp({ store: {} as Store, log: () => {} })

/** `METHOD /path/{param}` of every route the app answers, middleware (`*`, ALL) and OPTIONS left out. */
function appRoutes(): string[] {
  const out = new Set<string>()
  for (const r of app.routes) {
    if (r.method === 'ALL' || r.method === 'OPTIONS' || r.path.includes('*')) continue
    out.add(`${r.method} ${openApiPath(r.path)}`)
  }
  return [...out].sort()
}

function documentRoutes(doc: Json): string[] {
  const methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options']
  return Object.entries(doc.paths as Record<string, Json>)
    .flatMap(([path, item]) => Object.keys(item).filter((m) => methods.includes(m)).map((m) => `${m.toUpperCase()} ${path}`))
    .sort()
}

describe('openapi', () => {
  it('OA01 GET /openapi.json is a valid OpenAPI 3.1 document, readable from any origin', async () => {
    const res = await app.request('http://127.0.0.1:8787/openapi.json')
    expect(res.status).toBe(200)
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    const doc = (await res.json()) as Json
    expect(doc.openapi).toBe('3.1.0')
    expect(doc.servers).toEqual([{ url: 'http://127.0.0.1:8787' }])
    const validator = new Validator()
    const result = await validator.validate(doc)
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    expect(validator.version).toBe('3.1')
  })

  it('OA02 every route of the app is in the document, and every operation of the document is a route', () => {
    const routes = appRoutes()
    const documented = documentRoutes(openApiDocument())
    expect(routes.length).toBeGreaterThan(10)
    expect(routes.filter((r) => !documented.includes(r)), 'routes without an entry in server/openapi.ts').toEqual([])
    expect(documented.filter((r) => !routes.includes(r)), 'documented operations the app does not have').toEqual([])
  })

  it('OA03 request schemas come from the routes\' zod schemas (limits included), errors share one shape', () => {
    const doc = openApiDocument() as Json
    const batch = doc.paths['/v1/batch'].post
    const body = batch.requestBody.content['application/json'].schema
    expect(body.properties.batch.maxItems).toBe(MAX_BATCH_EVENTS)
    expect(body.properties.batch.items.properties.type.enum).toEqual(['track', 'identify', 'group', 'page'])
    expect(batch.responses['429'].headers['Retry-After']).toBeDefined()
    expect(batch.security).toEqual([{ writeKey: [] }, { secretKey: [] }])
    const limit = doc.paths['/v1/accounts'].get.parameters.find((p: Json) => p.name === 'limit')
    expect(limit).toMatchObject({ in: 'query', required: false, schema: { type: 'integer', maximum: MAX_PAGE } })
    const experience = doc.paths['/v1/experience'].post.requestBody.content['application/json'].schema
    expect(experience.required).toEqual(['userId', 'accountId'])
    expect(experience.properties.userHash).toBeDefined()
    const journey = doc.paths['/v1/accounts/{id}/journey'].get
    expect(journey.parameters[0]).toMatchObject({ name: 'id', in: 'path', required: true })
    expect(journey.responses['401'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' })
    expect(doc.components.schemas.Error.properties.error.required).toEqual(['code', 'message'])
  })
})
