/** What the config routes answer: the effective journey config, and one segment's block of it. */
import { z } from 'zod'
import { configDocumentSchema } from '../journey/config'

/**
 * `GET`/`PUT /v1/config`: the effective config, every root key present. Built from the document's
 * schema (journey/config.ts `configDocumentSchema`: the base schema with every object made strict
 * and all-optional) by undoing that one `.optional()` at each level, except under `segments`,
 * whose blocks stay partial (journey/config.ts `JourneyConfig`).
 */
export function journeyConfigSchema(): z.ZodType {
  return (cachedConfig ??= wholeConfig())
}

let cachedConfig: z.ZodType | undefined

/** One segment's block of the config (`segments.smb` …): the base made strict and all-optional, the instance the document's schema uses. */
export function journeyConfigBlockSchema(): z.ZodType {
  const segments = unwrapOptional(configObject().shape.segments as z.ZodType)
  if (!(segments instanceof z.ZodObject))
    throw new TypeError('configDocumentSchema().segments is expected to be an object schema')
  return unwrapOptional(segments.shape.smb as z.ZodType)
}

function configObject(): z.ZodObject {
  const doc = configDocumentSchema()
  if (!(doc instanceof z.ZodObject)) throw new TypeError('configDocumentSchema() is expected to be an object schema')
  return doc
}

function wholeConfig(): z.ZodType {
  const shape: Record<string, z.ZodType> = {}
  for (const [key, value] of Object.entries(configObject().shape as Record<string, z.ZodType>))
    shape[key] = key === 'segments' ? unwrapOptional(value) : whole(unwrapOptional(value))
  return z.strictObject(shape)
}

const unwrapOptional = (s: z.ZodType): z.ZodType => (s instanceof z.ZodOptional ? (s.unwrap() as z.ZodType) : s)

/** An object made all-optional by config.ts `deepPartial`, whole again; anything else as it is. */
function whole(s: z.ZodType): z.ZodType {
  if (!(s instanceof z.ZodObject)) return s
  const shape: Record<string, z.ZodType> = {}
  for (const [key, value] of Object.entries(s.shape as Record<string, z.ZodType>))
    shape[key] = whole(unwrapOptional(value))
  return z.strictObject(shape)
}
