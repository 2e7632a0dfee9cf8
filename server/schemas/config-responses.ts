/** What the config routes answer: the effective journey config, one segment's block of it, and its revisions. */
import { z } from 'zod'
import type { DryRunResult } from '../config-dry-run'
import { configDocumentSchema } from '../journey/config'
import { CONFIG_REVISION_STATUSES } from '../store/types'
import type { ConfigRevision } from '../store/types'
import { count, iso } from './response-parts'
import type { Agree } from './response-parts'

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

// ---------------------------------------------------------------- revisions (console.md, "Revisions")

const revisionFields = {
  id: z.string(),
  createdAt: iso,
  author: z.string().nullable().describe("the member's email or the key's label; null when unknown"),
  message: z.string(),
  status: z.enum(CONFIG_REVISION_STATUSES),
  publishedAt: iso.nullable().describe('when it was first published; null for a draft'),
}

/** One revision, without its document. */
export const ConfigRevisionSchema = z.strictObject(revisionFields)

/** `GET /v1/config/revisions`: newest first. */
export const ConfigRevisionListSchema = z.array(ConfigRevisionSchema)

/** A revision with its document, as it was sent (`GET /v1/config/revisions/:id`, a draft created, changed or published). */
export const ConfigRevisionWithConfigSchema = z.strictObject({
  ...revisionFields,
  config: configDocumentSchema().describe('the document as sent, before the merge over the defaults'),
})

/** `GET /v1/config/revisions/:id/diff`. */
export const ConfigDiffSchema = z.strictObject({
  id: z.string(),
  against: z.string().nullable().describe('null: no revision is published, compared with the config in force'),
  changes: z
    .array(
      z.strictObject({
        path: z.string().describe('dotted path, e.g. `health.weights.nps`'),
        before: z.unknown().optional().describe('absent: the path did not exist'),
        after: z.unknown().optional().describe('absent: the path does not exist'),
      }),
    )
    .describe('every value of the effective configs that differs'),
})

const change = <T extends z.ZodType>(t: T) => z.strictObject({ before: t, after: t })

const DryRunAccountSchema = z.strictObject({
  accountId: z.string(),
  phase: change(z.string()).optional(),
  band: change(z.string()).optional(),
  redFlags: change(z.array(z.string())).optional(),
  milestones: z.array(z.strictObject({ id: z.string(), ...change(z.string().nullable()).shape })).optional(),
})

/** `POST /v1/config/drafts/:id/dry-run`. */
export const DryRunSchema = z.strictObject({
  draft: z.string(),
  at: iso,
  complete: z.boolean().describe('false: the time budget ran out; the counts cover the examined accounts'),
  examined: count,
  total: count,
  budgetMs: count,
  changed: z.strictObject({ accounts: count, phase: count, band: count, redFlags: count, milestones: count }),
  accounts: z.array(DryRunAccountSchema).describe('the accounts that would change, by id, at most 1,000'),
  truncated: z.boolean(),
  experiences: z
    .array(z.strictObject({ id: z.string(), kind: z.string(), users: count }))
    .describe('users each experience would newly be offered to'),
  usersSkipped: count,
})

// Times are ISO strings in the answer, epoch ms in the store.
const agree = {
  revision: true satisfies Agree<
    Omit<z.output<typeof ConfigRevisionSchema>, 'createdAt' | 'publishedAt'>,
    Omit<ConfigRevision, 'createdAt' | 'updatedAt' | 'publishedAt'>
  >,
  dryRun: true satisfies Agree<Omit<z.output<typeof DryRunSchema>, 'draft'>, DryRunResult>,
}
void agree
