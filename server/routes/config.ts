import { Hono } from 'hono'
import type { Context, MiddlewareHandler } from 'hono'
import { z } from 'zod'
import type { Issue } from '../../sdk/wire'
import type { ConfigSource } from '../config-source'
import { DRY_RUN_BUDGET_MS, dryRunConfig } from '../config-dry-run'
import { callerOf } from '../http/access'
import { maxBody, readJson } from '../http/body'
import type { AppEnv } from '../http/app-env'
import { actorOf, recordChange } from '../http/audit'
import { ApiError, zodIssues } from '../http/errors'
import { param, query } from '../http/validate'
import { parseConfig } from '../journey'
import { previewExperiences } from '../journey/preview'
import { localeOf } from '../journey/value'
import { SEGMENTS } from '../journey/vocabulary'
import type { JourneyConfig } from '../journey'
import { diffJson } from '../json-diff'
import type { ConfigRevision, ConfigRevisionWithDoc, Store } from '../store/types'

/** Largest `PUT /v1/config` body, bytes: a config with guides is a few KB; this leaves room. */
export const MAX_CONFIG_BYTES = 256 * 1024
/** Longest message of a revision, characters. */
export const MAX_REVISION_MESSAGE = 1_000

const RevisionMessage = z.string().max(MAX_REVISION_MESSAGE)

/**
 * `POST /v1/config/drafts` body: the document (validated as `PUT /v1/config`'s, its issues named
 * under `config.`) and what the change is for. Here `config` is read as any JSON; parseConfig
 * checks it, and names it when it is missing (the OpenAPI document shows the document's own schema).
 */
export const DraftBodySchema = z.strictObject({ config: z.unknown().optional(), message: RevisionMessage.optional() })
/** `PATCH /v1/config/drafts/:id` body: what changes; what is left out stays. */
export const DraftPatchSchema = DraftBodySchema
/** `POST /v1/config/preview` body: a config document (a draft's), the locale and the segment to see it in. */
export const PreviewBodySchema = z.strictObject({
  config: z.unknown(),
  locale: z.string().max(35).optional().describe('BCP 47; pt… is pt-BR, anything else en (default)'),
  segment: z.enum(SEGMENTS).optional().describe("that segment's values; default an account without a segment's (smb)"),
})

/** A revision's id in a path. */
export const RevisionPathSchema = z.strictObject({ id: z.string().min(1).max(64) })
/** `GET /v1/config/revisions/:id/diff` query: the revision compared with; default the published one. */
export const RevisionDiffQuerySchema = z.strictObject({
  against: z.string().min(1).max(64).optional().describe('a revision id; default: the published revision'),
})

export interface ConfigDeps {
  store: Store
  clock: () => number
  configOf: ConfigSource
  guard: MiddlewareHandler<AppEnv>
  /** Called after a workspace's config changed (node.ts: re-evaluate its snapshots). */
  onConfigChange?: (workspaceId: string) => void
  /** The dry run's time budget, ms (default DRY_RUN_BUDGET_MS), and its monotonic timer (tests). */
  dryRun?: { budgetMs?: number; timer?: () => number }
}

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString())

const revisionJson = (r: ConfigRevision) => ({
  id: r.id,
  createdAt: iso(r.createdAt),
  author: r.author,
  message: r.message,
  status: r.status,
  publishedAt: iso(r.publishedAt),
})
const withConfigJson = (r: ConfigRevisionWithDoc) => ({ ...revisionJson(r), config: r.doc })
/** What the audit log keeps of a revision's content. */
const contentOf = (r: ConfigRevisionWithDoc) => ({ message: r.message, config: r.doc })

/** The document's issues under `prefix`, or the parsed config. */
function checkConfig(doc: unknown, prefix: string): { issues: Issue[]; config?: JourneyConfig } {
  const result = parseConfig(doc)
  if (result.ok) return { issues: [], config: result.config }
  return {
    issues: result.issues.map((i) => ({
      path: i.path ? `${prefix}${i.path}` : prefix.slice(0, -1),
      message: i.message,
    })),
  }
}

/** A body of the draft routes: its own fields (zod) and its document (parseConfig), every wrong field named. */
function parseDraftBody<S extends z.ZodType>(schema: S, body: unknown, requireConfig: boolean): z.output<S> {
  const issues: Issue[] = []
  const parsed = schema.safeParse(body)
  if (!parsed.success) issues.push(...zodIssues(parsed.error))
  const doc = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as { config?: unknown }) : {}
  if (!('config' in doc) || doc.config === undefined) {
    if (requireConfig) issues.push({ path: 'config', message: 'required: the config document' })
  } else if (doc.config === null || typeof doc.config !== 'object' || Array.isArray(doc.config)) {
    issues.push({ path: 'config', message: 'expected an object: the config document' })
  } else {
    issues.push(...checkConfig(doc.config, 'config.').issues)
  }
  if (issues.length > 0) {
    const config = issues.some((i) => i.path.startsWith('config'))
    throw new ApiError(
      400,
      config ? 'invalid_config' : 'invalid_body',
      `the draft has ${issues.length} invalid field(s); nothing was stored`,
      issues,
    )
  }
  return parsed.data as z.output<S>
}

const notFound = (id: string) => new ApiError(404, 'not_found', `no config revision ${JSON.stringify(id)}`)
const notDraft = (id: string) =>
  new ApiError(409, 'conflict', `config revision ${JSON.stringify(id)} was published: only drafts change or go`)

/**
 * `GET /v1/config`, `PUT /v1/config` (api.md, "Journey") and the config's revisions (console.md,
 * "Content: drafts, dry runs, publishing, results"), to be mounted under `/v1`.
 */
export function configRoute({ store, clock, configOf, guard, onConfigChange, dryRun }: ConfigDeps): Hono<AppEnv> {
  const route = new Hono<AppEnv>()
  const revisions = store.configRevisions
  const author = (c: Context<AppEnv>) => {
    const actor = actorOf(callerOf(c))
    return actor.email ?? actor.id
  }
  const revisionOr404 = async (ws: string, id: string) => {
    const r = await revisions.get(ws, id)
    if (r === null) throw notFound(id)
    return r
  }
  /** The effective config of a revision's document; a stored one that no longer parses is read as the defaults would be. */
  const effective = (doc: unknown): unknown => {
    const result = parseConfig(doc)
    return result.ok ? result.config : doc
  }

  route.get('/config', guard, async (c) => c.json(await configOf(callerOf(c).workspace.id), 200))

  route.put('/config', maxBody(MAX_CONFIG_BYTES), guard, readJson(), async (c) => {
    const ws = callerOf(c).workspace.id
    const doc = c.get('json')
    const result = parseConfig(doc)
    // Nothing is stored on failure: the config in force stays.
    if (!result.ok)
      throw new ApiError(
        400,
        'invalid_config',
        `the config has ${result.issues.length} invalid field(s); the previous config stays in force`,
        result.issues,
      )
    // The document as sent is stored, not the merged result: keys it leaves out keep following
    // the defaults of later versions. A revision of its own, published at once.
    const before = await store.getConfig(ws)
    const at = clock()
    await store.setConfig(ws, doc, { at, author: author(c), message: '' })
    await recordChange(c, store, at, {
      action: 'config.update',
      target: 'config',
      before: before ?? null,
      after: doc,
    })
    onConfigChange?.(ws)
    return c.json(result.config, 200)
  })

  route.get('/config/revisions', guard, async (c) => {
    const ws = callerOf(c).workspace.id
    return c.json((await revisions.list(ws)).map(revisionJson), 200)
  })

  route.get('/config/revisions/:id', guard, param(RevisionPathSchema), async (c) => {
    const ws = callerOf(c).workspace.id
    return c.json(withConfigJson(await revisionOr404(ws, c.req.valid('param').id)), 200)
  })

  route.post('/config/drafts', maxBody(MAX_CONFIG_BYTES), guard, readJson(), async (c) => {
    const ws = callerOf(c).workspace.id
    const body = parseDraftBody(DraftBodySchema, c.get('json'), true)
    const at = clock()
    const draft = await revisions.createDraft(ws, {
      at,
      author: author(c),
      message: body.message ?? '',
      doc: body.config,
    })
    await recordChange(c, store, at, {
      action: 'config.draft.create',
      target: `config_revision:${draft.id}`,
      after: contentOf(draft),
    })
    return c.json(withConfigJson(draft), 201)
  })

  route.patch(
    '/config/drafts/:id',
    maxBody(MAX_CONFIG_BYTES),
    guard,
    param(RevisionPathSchema),
    readJson(),
    async (c) => {
      const ws = callerOf(c).workspace.id
      const { id } = c.req.valid('param')
      const body = parseDraftBody(DraftPatchSchema, c.get('json'), false)
      const before = await revisionOr404(ws, id)
      if (before.status !== 'draft') throw notDraft(id)
      const at = clock()
      const after = await revisions.updateDraft(ws, id, { at, doc: body.config, message: body.message })
      if (after === null) throw notFound(id)
      if (after === 'not_draft') throw notDraft(id)
      await recordChange(c, store, at, {
        action: 'config.draft.update',
        target: `config_revision:${id}`,
        before: contentOf(before),
        after: contentOf(after),
      })
      return c.json(withConfigJson(after), 200)
    },
  )

  route.delete('/config/drafts/:id', guard, param(RevisionPathSchema), async (c) => {
    const ws = callerOf(c).workspace.id
    const { id } = c.req.valid('param')
    const gone = await revisions.deleteDraft(ws, id)
    if (gone === null) throw notFound(id)
    if (gone === 'not_draft') throw notDraft(id)
    await recordChange(c, store, clock(), {
      action: 'config.draft.delete',
      target: `config_revision:${id}`,
      before: contentOf(gone),
    })
    return c.body(null, 204)
  })

  route.post('/config/revisions/:id/publish', guard, param(RevisionPathSchema), async (c) => {
    const ws = callerOf(c).workspace.id
    const { id } = c.req.valid('param')
    const target = await revisionOr404(ws, id)
    // Only a document that passes parseConfig is ever published (a draft stored by an older
    // version that a later one narrowed is named field by field, as PUT would).
    const { issues } = checkConfig(target.doc, 'config.')
    if (issues.length > 0)
      throw new ApiError(400, 'invalid_config', `revision ${id} has ${issues.length} invalid field(s)`, issues)
    const at = clock()
    const done = await revisions.publish(ws, id, at)
    if (done === null) throw notFound(id)
    if (done.previous?.id !== id) {
      await recordChange(c, store, at, {
        // A revision published before and published again: the rollback.
        action: target.status === 'superseded' ? 'config.rollback' : 'config.publish',
        target: `config_revision:${id}`,
        before: { revision: done.previous?.id ?? null, config: done.previous?.doc ?? null },
        after: { revision: id, config: done.revision.doc },
      })
      onConfigChange?.(ws)
    }
    return c.json(withConfigJson(done.revision), 200)
  })

  route.get(
    '/config/revisions/:id/diff',
    guard,
    param(RevisionPathSchema),
    query(RevisionDiffQuerySchema),
    async (c) => {
      const ws = callerOf(c).workspace.id
      const { id } = c.req.valid('param')
      const target = await revisionOr404(ws, id)
      const against = c.req.valid('query').against
      let base: { id: string | null; config: unknown }
      if (against !== undefined) {
        const r = await revisions.get(ws, against)
        if (r === null)
          throw new ApiError(404, 'not_found', `no config revision ${JSON.stringify(against)}`, [
            { path: 'against', message: 'no such revision' },
          ])
        base = { id: r.id, config: effective(r.doc) }
      } else {
        // The published revision; without one, the config in force (the start config or the defaults).
        const published = (await revisions.list(ws)).find((r) => r.status === 'published')
        base = published
          ? { id: published.id, config: effective((await revisionOr404(ws, published.id)).doc) }
          : { id: null, config: await configOf(ws) }
      }
      const changes = diffJson(
        JSON.parse(JSON.stringify(base.config)),
        JSON.parse(JSON.stringify(effective(target.doc))),
      )
      return c.json({ id, against: base.id, changes }, 200)
    },
  )

  // Pure: nothing is read or stored, so a viewer may preview a revision too.
  route.post('/config/preview', maxBody(MAX_CONFIG_BYTES), guard, readJson(), async (c) => {
    const body = parseDraftBody(PreviewBodySchema, c.get('json'), true)
    const { config } = checkConfig(body.config, 'config.')
    return c.json(previewExperiences(config!, localeOf(body.locale), clock(), body.segment), 200)
  })

  route.post('/config/drafts/:id/dry-run', guard, param(RevisionPathSchema), async (c) => {
    const ws = callerOf(c).workspace.id
    const { id } = c.req.valid('param')
    const draft = await revisionOr404(ws, id)
    if (draft.status !== 'draft') throw notDraft(id)
    const { issues, config } = checkConfig(draft.doc, 'config.')
    if (config === undefined)
      throw new ApiError(400, 'invalid_config', `draft ${id} has ${issues.length} invalid field(s)`, issues)
    const result = await dryRunConfig({
      store,
      workspaceId: ws,
      published: await configOf(ws),
      draft: config,
      at: clock(),
      budgetMs: dryRun?.budgetMs ?? DRY_RUN_BUDGET_MS,
      timer: dryRun?.timer,
    })
    return c.json({ draft: id, ...result }, 200)
  })

  return route
}
