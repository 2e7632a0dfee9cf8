/** What builder mode's routes answer (server/routes/builder.ts). */
import { z } from 'zod'
import { count, iso } from './response-parts'

const selector = z.union([z.string(), z.array(z.string())])

/** `POST /v1/builder/tokens`: the single-use token for the page's URL (`#jornada-builder=<token>`). */
export const BuilderTokenSchema = z.strictObject({ token: z.string(), expiresAt: iso })

/** `POST /v1/builder/session`: the credential the builder chunk uses, and where the editor starts. */
export const BuilderSessionSchema = z.strictObject({
  credential: z.string(),
  expiresAt: iso,
  draftId: z.string().nullable(),
  guideId: z.string().nullable(),
  step: count.nullable(),
})

/** `GET /v1/builder/guides`: the draft's guides, or the config in force's when there is no draft yet. */
export const BuilderGuidesSchema = z.strictObject({
  draftId: z.string().nullable(),
  guides: z.array(
    z.looseObject({
      id: z.string(),
      steps: z.array(
        z.looseObject({
          kind: z.enum(['tooltip', 'modal', 'hotspot']).optional(),
          selector: selector.optional(),
          text: z.string().optional(),
          title: z.string(),
          body: z.string(),
          path: z.string().optional(),
        }),
      ),
    }),
  ),
})

/** `PUT /v1/builder/guides/:guideId/steps/:step/target`: the step's target as saved, and the draft it is in. */
export const BuilderTargetSavedSchema = z.strictObject({
  draftId: z.string(),
  guideId: z.string(),
  step: count,
  selector,
  text: z.string().nullable(),
})
