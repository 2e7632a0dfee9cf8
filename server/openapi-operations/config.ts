/** The `Config` tag: the journey config in force, its drafts and revisions. */
import { z } from 'zod'
import { configDocumentSchema } from '../journey/config'
import { MAX_REVISION_MESSAGE, PreviewBodySchema, RevisionDiffQuerySchema } from '../routes/config'
import { ExperienceResponseSchema } from '../schemas/responses'
import {
  ConfigDiffSchema,
  ConfigRevisionListSchema,
  ConfigRevisionWithConfigSchema,
  DryRunSchema,
} from '../schemas/config-responses'
import { journeyConfigSchema } from '../schemas/responses'
import type { Operation } from './types'

/** A draft's body as documented: the route reads `config` as any JSON and checks it with parseConfig. */
const DRAFT_BODY = z.strictObject({
  config: configDocumentSchema(),
  message: z.string().max(MAX_REVISION_MESSAGE).optional().describe('what the change is for'),
})

export const CONFIG_OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/v1/config',
    summary: 'The journey config in force',
    tag: 'Config',
    auth: 'secret',
    ok: {
      status: 200,
      description: 'The effective config (journey.md, "The config document")',
      schema: journeyConfigSchema(),
    },
  },
  {
    method: 'put',
    path: '/v1/config',
    summary: 'Replace the journey config',
    tag: 'Config',
    auth: 'secret',
    body: configDocumentSchema(),
    ok: { status: 200, description: 'The effective config after the change', schema: journeyConfigSchema() },
    errors: [400, 413],
  },
  {
    method: 'get',
    path: '/v1/config/revisions',
    summary: "The journey config's revisions: drafts, the published one, the ones before it",
    tag: 'Config',
    auth: 'secret',
    ok: {
      status: 200,
      description: 'Every revision, newest first, without its document',
      schema: ConfigRevisionListSchema,
    },
  },
  {
    method: 'get',
    path: '/v1/config/revisions/:id',
    summary: 'One revision of the journey config, with its document',
    tag: 'Config',
    auth: 'secret',
    ok: { status: 200, description: 'The revision and its document as sent', schema: ConfigRevisionWithConfigSchema },
    errors: [400, 404],
  },
  {
    method: 'get',
    path: '/v1/config/revisions/:id/diff',
    summary: "What a revision changes: every value of its effective config that differs from another's",
    tag: 'Config',
    auth: 'secret',
    query: RevisionDiffQuerySchema,
    ok: { status: 200, description: '`{ id, against, changes: [{ path, before, after }] }`', schema: ConfigDiffSchema },
    errors: [400, 404],
  },
  {
    method: 'post',
    path: '/v1/config/drafts',
    summary: 'A draft of the journey config (validated as PUT /v1/config is; not in force until published)',
    tag: 'Config',
    auth: 'secret',
    body: DRAFT_BODY,
    ok: { status: 201, description: 'The draft', schema: ConfigRevisionWithConfigSchema },
    errors: [400, 413],
  },
  {
    method: 'patch',
    path: '/v1/config/drafts/:id',
    summary: "Change a draft's document or message",
    tag: 'Config',
    auth: 'secret',
    body: DRAFT_BODY.partial(),
    ok: { status: 200, description: 'The draft as changed', schema: ConfigRevisionWithConfigSchema },
    errors: [400, 404, 409, 413],
  },
  {
    method: 'delete',
    path: '/v1/config/drafts/:id',
    summary: 'Remove a draft',
    tag: 'Config',
    auth: 'secret',
    ok: { status: 204, description: 'Removed' },
    errors: [400, 404, 409],
  },
  {
    method: 'post',
    path: '/v1/config/drafts/:id/dry-run',
    summary: 'What would change if the draft were published now, from the stored facts (bounded in time)',
    tag: 'Config',
    auth: 'secret',
    ok: {
      status: 200,
      description: 'Accounts whose phase, band, red flags or milestones would change, and experiences newly offered',
      schema: DryRunSchema,
    },
    errors: [400, 404, 409],
  },
  {
    method: 'post',
    path: '/v1/config/preview',
    summary: 'Every kind of experience a config document would show, as the SDK receives it, for a made-up account',
    tag: 'Config',
    auth: 'secret',
    body: PreviewBodySchema.extend({ config: configDocumentSchema() }),
    ok: {
      status: 200,
      description: 'One experience of each kind, every guide in `guides`, the texts in the locale',
      schema: ExperienceResponseSchema,
    },
    errors: [400, 413],
  },
  {
    method: 'post',
    path: '/v1/config/revisions/:id/publish',
    summary: 'Put a revision in force (a revision published before: the rollback)',
    tag: 'Config',
    auth: 'secret',
    ok: { status: 200, description: 'The revision, now published', schema: ConfigRevisionWithConfigSchema },
    errors: [400, 404],
  },
]
