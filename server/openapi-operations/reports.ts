/** The `Reports` tag: the value statement, the renewal QBR, the journey map. */
import { JourneyMapQuerySchema, QbrQuerySchema, ValueQuerySchema } from '../routes/reports'
import { JourneyMapSchema, QbrSchema, ValueResponseSchema } from '../schemas/responses'
import type { Operation } from './types'

export const REPORT_OPERATIONS: Operation[] = [
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
]
