/** What the operations routes answer: `GET /healthz` and `GET /openapi.json`. */
import { z } from 'zod'

export const HealthOkSchema = z.strictObject({ ok: z.literal(true) })
export const HealthDownSchema = z.strictObject({ ok: z.literal(false) })

/** `GET /openapi.json`: the top of an OpenAPI 3.1 document (its whole shape is the OpenAPI specification's). */
export const OpenApiDocumentSchema = z.looseObject({
  openapi: z.literal('3.1.0'),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  servers: z.array(z.strictObject({ url: z.string() })).optional(),
  paths: z.record(z.string(), z.record(z.string(), z.looseObject({}))),
  components: z.looseObject({}),
})
