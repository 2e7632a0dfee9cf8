/** The `Builder` tag: builder mode's token, credential, guides and targets. */
import {
  BuilderGuidesQuerySchema,
  BuilderSessionBodySchema,
  BuilderTargetBodySchema,
  BuilderTokenBodySchema,
} from '../routes/builder'
import {
  BuilderGuidesSchema,
  BuilderSessionSchema,
  BuilderTargetSavedSchema,
  BuilderTokenSchema,
} from '../schemas/builder-responses'
import type { Operation } from './types'

export const BUILDER_OPERATIONS: Operation[] = [
  {
    method: 'post',
    path: '/v1/builder/tokens',
    summary: "Builder mode: a single-use token for the app's URL (`#jornada-builder=<token>`), valid 10 minutes",
    tag: 'Builder',
    auth: 'secret',
    body: BuilderTokenBodySchema,
    ok: { status: 201, description: '`{ token, expiresAt }`', schema: BuilderTokenSchema },
    errors: [400, 404, 409, 413],
  },
  {
    method: 'post',
    path: '/v1/builder/session',
    summary:
      "Builder mode: exchange the token, once, for a credential valid 1 hour (from the app's page: an allowed origin)",
    tag: 'Builder',
    auth: 'none',
    body: BuilderSessionBodySchema,
    ok: {
      status: 200,
      description: '`{ credential, expiresAt, draftId, guideId, step }`',
      schema: BuilderSessionSchema,
    },
    errors: [400, 401, 403, 413],
  },
  {
    method: 'get',
    path: '/v1/builder/guides',
    summary: "Builder mode: the draft's guides (the config in force's before the first save)",
    tag: 'Builder',
    auth: 'builder',
    query: BuilderGuidesQuerySchema,
    ok: {
      status: 200,
      description: "`{ draftId, guides }`, each step's texts in `locale`",
      schema: BuilderGuidesSchema,
    },
    errors: [403],
  },
  {
    method: 'put',
    path: '/v1/builder/guides/:guideId/steps/:step/target',
    summary: "Builder mode: save a step's target (selectors, text) into the draft; the first save makes the draft",
    tag: 'Builder',
    auth: 'builder',
    body: BuilderTargetBodySchema,
    ok: { status: 200, description: '`{ draftId, guideId, step, selector, text }`', schema: BuilderTargetSavedSchema },
    errors: [400, 403, 404, 409, 413],
  },
]
