/** The `Operations` tag: the server's own routes (liveness, this document). */
import { HealthDownSchema, HealthOkSchema, OpenApiDocumentSchema } from '../schemas/responses'
import type { Operation } from './types'

export const SERVICE_OPERATIONS: Operation[] = [
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
]
