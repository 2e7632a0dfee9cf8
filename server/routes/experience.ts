import { Hono } from 'hono'
import { z } from 'zod'
import { admit } from '../auth'
import { ApiError, zodIssues, maxBody } from '../http'
import type { AppEnv } from '../http'
import { checkUserHash } from '../identity'
import type { RateLimit } from '../rate-limit'
import { decideExperiences } from '../journey/decide-experiences'
import type { Store } from '../store/types'
import { MAX_IDENTITY_LENGTH } from './batch'
import { jsonBody } from './config'
import type { ConfigSource } from './config'

/** Largest `POST /v1/experience` body, bytes: a few ids and a URL. */
export const MAX_EXPERIENCE_BYTES = 16 * 1024

const identity = z.string().min(1).max(MAX_IDENTITY_LENGTH)

/** `POST /v1/experience` body (sdk/wire.ts `ExperienceRequest`). `writeKey` as in `/v1/batch`, for clients that cannot set headers. */
export const ExperienceBodySchema = z.strictObject({
  userId: identity,
  accountId: identity,
  userHash: z.string().max(MAX_IDENTITY_LENGTH).optional(),
  url: z.string().max(4096).optional(),
  locale: z.string().max(64).optional(),
  sessionId: z.string().max(128).optional(),
  writeKey: z.string().optional(),
})

export interface ExperienceDeps {
  store: Store
  clock: () => number
  configOf: ConfigSource
  /** Write-key rate limits (server/rate-limit.ts); none when absent. */
  rateLimit?: RateLimit
}

/**
 * `POST /v1/experience` (api.md, "Experiences"), mounted under `/v1`: what one user should see now,
 * decided by the journey engine (server/journey/decide-experiences.ts). A write key may ask (it is the
 * SDK's), from an allowed origin. `?debug=1` adds the decision's `notes` (what was held back, why).
 */
/** `POST /v1/experience` query: only `debug=1` (unknown parameters are refused, as on every route). */
export const ExperienceQuerySchema = z.strictObject({ debug: z.literal('1').optional().describe('add `notes`: what was held back, and why') })

export function experienceRoute({ store, clock, configOf, rateLimit }: ExperienceDeps): Hono<AppEnv> {
  const route = new Hono<AppEnv>()
  route.post(
    '/experience',
    maxBody(MAX_EXPERIENCE_BYTES),
    async (c) => {
      const raw = await jsonBody(c)
      const principal = await admit(c, store, raw, rateLimit)
      if (principal instanceof Response) return principal
      const query = ExperienceQuerySchema.safeParse(c.req.query())
      if (!query.success) throw new ApiError(400, 'invalid_query', 'invalid query', zodIssues(query.error))
      const parsed = ExperienceBodySchema.safeParse(raw)
      if (!parsed.success) throw new ApiError(400, 'invalid_body', 'invalid experience request', zodIssues(parsed.error))
      const body = parsed.data
      checkUserHash(principal, body.userId, body.userHash)
      const ws = principal.workspace.id
      const at = clock()
      const [config, facts] = await Promise.all([configOf(ws), store.loadFacts(ws, body.accountId, at)])
      // An account the server has not seen yet (its first events still queued in the browser): nothing to show.
      const decision = facts
        ? decideExperiences(config, facts, at, { userId: body.userId, sessionId: body.sessionId, locale: body.locale })
        : { experiences: [], launcher: [], locale: 'en', notes: [`no event of account ${body.accountId} yet`] }
      const { notes, ...answer } = decision
      return c.json(query.data.debug ? { ...answer, notes } : answer, 200, { 'Cache-Control': 'no-store' })
    },
  )
  return route
}
