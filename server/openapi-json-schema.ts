/**
 * zod schemas as the OpenAPI document's JSON Schemas (2020-12, what OpenAPI 3.1 uses): request
 * bodies and queries on the input side, responses on the output side, and the schemas shared by
 * several operations named once in `components.schemas` and referred to by `$ref` elsewhere.
 */
import { z } from 'zod'
import {
  BatchResponseSchema,
  ErrorBodySchema,
  ExperienceSchema,
  journeyConfigBlockSchema,
  journeyConfigSchema,
  JourneyStateSchema,
  ValueStatementSchema,
  WebhookEndpointSchema,
} from './schemas/responses'

export type JsonSchema = Record<string, unknown>

const INPUT = { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' } as const
const OUTPUT = { ...INPUT, io: 'output' } as const

/** Schemas shared by several operations, in `components.schemas`: the document refers to them by name wherever they appear. */
export const COMPONENTS: [name: string, schema: z.ZodType][] = [
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
export function jsonSchema(schema: z.ZodType | JsonSchema, io: 'input' | 'output' = 'input'): JsonSchema {
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
export function responseSchema(schema: z.ZodType): JsonSchema {
  const name = componentName(schema)
  return name ? { $ref: `#/components/schemas/${name}` } : jsonSchema(schema, 'output')
}
