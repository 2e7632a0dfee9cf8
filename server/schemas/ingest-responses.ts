/** What the ingest routes answer: `POST /v1/batch` and Segment's per-call endpoints. */
import { z } from 'zod'
import { ErrorObjectSchema, IssueSchema } from './error-responses'
import { count } from './response-parts'

const RejectedSchema = z.strictObject({ index: count.describe('position in `batch`'), issues: z.array(IssueSchema) })

/** `POST /v1/batch` (and Segment's per-call endpoints): sdk/wire.ts `BatchResponse`. */
export const BatchResponseSchema = z.strictObject({
  accepted: count,
  duplicates: count,
  rejected: z.array(RejectedSchema),
})

/** A batch's 401 when the workspace verifies identities: the error, and what happened to the other events (they were stored). */
export const BatchUnverifiedSchema = z.strictObject({
  error: ErrorObjectSchema,
  accepted: count,
  duplicates: count,
  rejected: z.array(RejectedSchema),
})
