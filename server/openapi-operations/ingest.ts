/** The `Ingest` tag: the batch and Segment's per-call endpoints, each also at Segment's short path. */
import { z } from 'zod'
import { BatchBodySchema, SEGMENT_CALLS, SEGMENT_SHORT_PATHS, WireEventSchema } from '../ingest/schema'
import type { SegmentCall } from '../ingest/schema'
import { jsonSchema } from '../openapi-json-schema'
import type { JsonSchema } from '../openapi-json-schema'
import { BatchResponseSchema, BatchUnverifiedSchema, ErrorBodySchema } from '../schemas/responses'
import type { Operation } from './types'

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

/** The same operation at Segment's short path (`/v1/b`, `/v1/t` …), which its browser and mobile libraries call. */
const atShortPath = (op: Operation, name: 'batch' | SegmentCall): Operation => ({
  ...op,
  path: `/v1/${SEGMENT_SHORT_PATHS[name]}`,
  summary: `${op.summary}, at Segment's short path (as \`POST /v1/${name}\`)`,
})

const BATCH: Operation = {
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
}

const single = (call: SegmentCall): Operation => ({
  method: 'post',
  path: `/v1/${call}`,
  summary: `Ingest one \`${call}\` event (Segment's per-call endpoint)`,
  tag: 'Ingest',
  auth: 'write',
  body: singleBody(call),
  ok: {
    status: 200,
    description:
      'As `POST /v1/batch`, the event being `batch.0`: stored or a duplicate (a rejected event is a 400 naming its fields)',
    schema: BatchResponseSchema,
  },
  errors: [400, 403, 413, 415, 429],
  errorSchemas: { 401: BATCH_401 },
})

export const INGEST_OPERATIONS: Operation[] = [
  BATCH,
  ...SEGMENT_CALLS.map(single),
  atShortPath(BATCH, 'batch'),
  ...SEGMENT_CALLS.map((call) => atShortPath(single(call), call)),
  {
    method: 'post',
    path: '/v1/m',
    summary: "Segment's browser library's own delivery metrics, answered and not read",
    tag: 'Ingest',
    auth: 'none',
    ok: { status: 204, description: 'Nothing is read or kept' },
  },
]
