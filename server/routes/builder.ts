import { Hono } from 'hono'
import type { MiddlewareHandler } from 'hono'
import { z } from 'zod'
import type { ConfigSource } from '../config-source'
import { callerOf } from '../http/access'
import type { AppEnv } from '../http/app-env'
import { actorOf, recordChange } from '../http/audit'
import { maxBody, readJson } from '../http/body'
import { BUILDER_CREDENTIAL_MS, BUILDER_TOKEN_MS, checkBuilderOrigin } from '../http/builder-credentials'
import { ApiError } from '../http/errors'
import { newToken, readToken } from '../http/sessions'
import { json, param, query } from '../http/validate'
import { parseConfig } from '../journey'
import type { JourneyConfig } from '../journey'
import { inLocale } from '../journey/texts'
import type { Localized } from '../journey/texts'
import { localeOf } from '../journey/value'
import type { Locale } from '../journey/value'
import type { Store } from '../store/types'

const MAX_BUILDER_BODY = 16 * 1024
const selector = z.string().trim().min(1).max(500)

/** `POST /v1/builder/tokens`: what the editor will work on; all optional. */
export const BuilderTokenBodySchema = z.strictObject({
  draftId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe('the draft to save into; default: a new one, on the first save'),
  guideId: z.string().min(1).max(200).optional().describe('the guide the builder opens at'),
  step: z.number().int().min(0).max(999).optional().describe('the step (from 0) the builder opens at'),
})
/** `POST /v1/builder/session`: the token from the page's URL. */
/** `GET /v1/builder/guides?locale=`: the page's language, for the steps' texts (default en). */
export const BuilderGuidesQuerySchema = z.strictObject({ locale: z.string().max(35).optional() })

export const BuilderSessionBodySchema = z.strictObject({ token: z.string().min(1).max(400) })
/** A step's place in the path: the guide's id and the step's index, from 0. */
export const BuilderStepPathSchema = z.strictObject({
  guideId: z.string().min(1).max(200),
  step: z
    .string()
    .regex(/^\d{1,3}$/, 'expected a step index: 0, 1, 2…')
    .transform(Number),
})
/** A step's target, as the guide's config has it (docs/experiences.md, "Anchoring"). */
export const BuilderTargetBodySchema = z.strictObject({
  selector: z.union([selector, z.array(selector).min(1).max(10)], {
    error: 'expected a CSS selector or a list of 1 to 10',
  }),
  text: z.string().trim().min(1).max(200).optional().describe('the target must contain this text (either case)'),
})

export interface BuilderDeps {
  store: Store
  clock: () => number
  configOf: ConfigSource
  guard: MiddlewareHandler<AppEnv>
}

type Doc = Record<string, unknown>
type StepDoc = Doc & { kind?: string; selector?: string | string[]; text?: string }
type GuideDoc = Doc & { id: string; steps: StepDoc[] }

const iso = (t: number) => new Date(t).toISOString()
const isObject = (x: unknown): x is Doc => x !== null && typeof x === 'object' && !Array.isArray(x)

/** The guides a document puts in force (its own, else the defaults' when it parses), as plain JSON. */
function guidesOf(doc: unknown, fallback: JourneyConfig['guides']): GuideDoc[] {
  const parsed = parseConfig(doc)
  return JSON.parse(JSON.stringify(parsed.ok ? parsed.config.guides : fallback))
}

/** The guides as the builder's page reads them: each step's title and body in `locale` (texts.ts). */
function readableGuides(list: JourneyConfig['guides'] | GuideDoc[], locale: Locale): GuideDoc[] {
  const guides: GuideDoc[] = JSON.parse(JSON.stringify(list))
  for (const g of guides)
    for (const s of g.steps) {
      s.title = inLocale(s.title as Localized, locale) ?? ''
      s.body = inLocale(s.body as Localized, locale) ?? ''
    }
  return guides
}

/**
 * Builder mode (docs/console.md, "Builder mode"), to be mounted under `/v1`: an editor makes a
 * single-use token; the builder chunk on the customer's page exchanges it for a credential, reads
 * the guides, and saves a step's target into a draft (a new one from the published config when the
 * token named none). Every save is in the audit log, in the name of whoever made the token.
 */
export function builderRoute({ store, clock, configOf, guard }: BuilderDeps): Hono<AppEnv> {
  const route = new Hono<AppEnv>()
  const limit = maxBody(MAX_BUILDER_BODY)
  const revisions = store.configRevisions

  route.post('/builder/tokens', limit, guard, readJson(), json(BuilderTokenBodySchema), async (c) => {
    const caller = callerOf(c)
    const ws = caller.workspace.id
    const { draftId, guideId, step } = c.req.valid('json')
    if (draftId !== undefined) {
      const draft = await revisions.get(ws, draftId)
      if (draft === null)
        throw new ApiError(404, 'not_found', `no config revision ${JSON.stringify(draftId)}`, [
          { path: 'draftId', message: 'no such draft' },
        ])
      if (draft.status !== 'draft')
        throw new ApiError(
          409,
          'conflict',
          `config revision ${JSON.stringify(draftId)} was published: only drafts change`,
        )
    }
    const at = clock()
    const expiresAt = at + BUILDER_TOKEN_MS
    const { token, tokenHash } = newToken(ws)
    await store.builder.createToken(ws, tokenHash, {
      actor: actorOf(caller),
      draftId: draftId ?? null,
      guideId: guideId ?? null,
      step: step ?? null,
      at,
      expiresAt,
    })
    await recordChange(c, store, at, {
      action: 'builder.token.create',
      target: draftId === undefined ? 'config' : `config_revision:${draftId}`,
      after: { draftId: draftId ?? null, guideId: guideId ?? null, step: step ?? null, expiresAt: iso(expiresAt) },
    })
    return c.json({ token, expiresAt: iso(expiresAt) }, 201)
  })

  route.post('/builder/session', limit, guard, readJson(), json(BuilderSessionBodySchema), async (c) => {
    const used = () =>
      new ApiError(
        401,
        'unauthorized',
        'this builder link was used or has expired: open builder mode again from the console',
      )
    const found = readToken(c.req.valid('json').token)
    if (found === null) throw used()
    const workspace = await store.getWorkspace(found.workspaceId)
    if (workspace === null) throw used()
    c.set('workspace', workspace.id)
    // Before the exchange: a page the workspace does not allow does not use the token up.
    checkBuilderOrigin(c, workspace.allowedOrigins)
    const now = clock()
    const credential = newToken(workspace.id)
    const grant = await store.builder.exchange(workspace.id, found.tokenHash, now, {
      credentialHash: credential.tokenHash,
      expiresAt: now + BUILDER_CREDENTIAL_MS,
    })
    if (grant === null) throw used()
    return c.json(
      {
        credential: credential.token,
        expiresAt: iso(grant.expiresAt),
        draftId: grant.draftId,
        guideId: grant.guideId,
        step: grant.step,
      },
      200,
    )
  })

  route.get('/builder/guides', guard, query(BuilderGuidesQuerySchema), async (c) => {
    const { workspace, builder } = callerOf(c)
    const inForce = await configOf(workspace.id)
    const draftId = builder!.grant.draftId
    const draft = draftId === null ? null : await revisions.get(workspace.id, draftId)
    return c.json(
      {
        draftId: draft === null ? null : draft.id,
        guides: readableGuides(
          draft === null ? inForce.guides : guidesOf(draft.doc, inForce.guides),
          localeOf(c.req.valid('query').locale),
        ),
      },
      200,
    )
  })

  route.put(
    '/builder/guides/:guideId/steps/:step/target',
    limit,
    guard,
    param(BuilderStepPathSchema),
    readJson(),
    json(BuilderTargetBodySchema),
    async (c) => {
      const caller = callerOf(c)
      const ws = caller.workspace.id
      const { grant, credentialHash } = caller.builder!
      const { guideId, step } = c.req.valid('param')
      const target = c.req.valid('json')
      const inForce = await configOf(ws)
      const draft = grant.draftId === null ? null : await revisions.get(ws, grant.draftId)
      if (grant.draftId !== null && draft === null)
        throw new ApiError(404, 'not_found', `the draft ${JSON.stringify(grant.draftId)} was deleted`)
      if (draft !== null && draft.status !== 'draft')
        throw new ApiError(
          409,
          'conflict',
          `config revision ${JSON.stringify(draft.id)} was published: only drafts change`,
        )

      // The document the draft has, or a new one from the published config (the config in force
      // when none was stored), with the guides written out so that the step can be changed.
      const base = draft !== null ? draft.doc : ((await store.getConfig(ws)) ?? inForce)
      const doc: Doc = isObject(base) ? JSON.parse(JSON.stringify(base)) : {}
      const guides: GuideDoc[] = Array.isArray(doc.guides)
        ? (doc.guides as GuideDoc[])
        : guidesOf(draft === null ? inForce : doc, inForce.guides)
      doc.guides = guides
      const guide = guides.find((g) => isObject(g) && g.id === guideId)
      if (!guide) throw new ApiError(404, 'not_found', `no guide ${JSON.stringify(guideId)}`)
      const s = Array.isArray(guide.steps) ? guide.steps[step] : undefined
      if (!isObject(s))
        throw new ApiError(
          404,
          'not_found',
          `guide ${JSON.stringify(guideId)} has no step ${step} (steps count from 0)`,
        )
      const before = { guideId, step, selector: s.selector ?? null, text: s.text ?? null }
      s.selector = target.selector
      if (target.text === undefined) delete s.text
      else s.text = target.text
      // A modal step points at nothing: with a target it becomes a tooltip.
      if (s.kind === 'modal') s.kind = 'tooltip'
      const checked = parseConfig(doc)
      if (!checked.ok)
        throw new ApiError(
          400,
          'invalid_config',
          'the draft would not be a valid config; nothing was stored',
          checked.issues,
        )

      const at = clock()
      let draftId: string
      if (draft === null) {
        const actor = actorOf(caller)
        const created = await revisions.createDraft(ws, {
          at,
          author: actor.email ?? actor.id,
          message: `builder: the target of guide ${guideId}, step ${step}`,
          doc,
        })
        draftId = created.id
        await store.builder.setDraft(ws, credentialHash, draftId)
        await recordChange(c, store, at, {
          action: 'config.draft.create',
          target: `config_revision:${draftId}`,
          after: { message: created.message, config: created.doc },
        })
      } else {
        const updated = await revisions.updateDraft(ws, draft.id, { at, doc })
        if (updated === null) throw new ApiError(404, 'not_found', `the draft ${JSON.stringify(draft.id)} was deleted`)
        if (updated === 'not_draft')
          throw new ApiError(
            409,
            'conflict',
            `config revision ${JSON.stringify(draft.id)} was published: only drafts change`,
          )
        draftId = draft.id
      }
      const after = { guideId, step, selector: target.selector, text: target.text ?? null }
      await recordChange(c, store, at, {
        action: 'builder.target.save',
        target: `config_revision:${draftId}`,
        before,
        after,
      })
      return c.json({ draftId, ...after }, 200)
    },
  )

  return route
}
