import { Hono } from 'hono'
import type { MiddlewareHandler } from 'hono'
import { z } from 'zod'
import type { ConfigSource } from '../config-source'
import { callerOf } from '../http/access'
import { maxBody, readJson } from '../http/body'
import type { AppEnv } from '../http/app-env'
import { json, query } from '../http/validate'
import { MAX_IDENTITY_LENGTH, MAX_USER_TOKEN_LENGTH } from '../ingest/limits'
import { checkExperienceIdentity } from '../ingest/verify-identity'
import { decideExperiences } from '../journey/decide-experiences'
import type { Store } from '../store/types'

/** Largest `POST /v1/experience` body, bytes: a few ids, a URL and a token. */
export const MAX_EXPERIENCE_BYTES = 16 * 1024

const identity = z.string().min(1).max(MAX_IDENTITY_LENGTH)

/** `POST /v1/experience` body (sdk/wire.ts `ExperienceRequest`). `writeKey` as in `/v1/batch`, for clients that cannot set headers. */
export const ExperienceBodySchema = z.strictObject({
  userId: identity,
  accountId: identity,
  userHash: z.string().max(MAX_IDENTITY_LENGTH).optional(),
  userToken: z.string().max(MAX_USER_TOKEN_LENGTH).optional(),
  url: z.string().max(4096).optional(),
  locale: z.string().max(64).optional(),
  sessionId: z.string().max(128).optional(),
  writeKey: z.string().optional(),
})

/** `POST /v1/experience` query: only `debug=1` (unknown parameters are refused, as on every route). */
export const ExperienceQuerySchema = z.strictObject({
  debug: z.literal('1').optional().describe('add `notes`: what was held back, and why'),
})

export interface ExperienceDeps {
  store: Store
  clock: () => number
  configOf: ConfigSource
  guard: MiddlewareHandler<AppEnv>
}

/**
 * `POST /v1/experience` (api.md, "Experiences"), mounted under `/v1`: what one user should see now,
 * decided by the journey engine (server/journey/decide-experiences.ts). A write key may ask (it is the
 * SDK's), from an allowed origin. `?debug=1` adds the decision's `notes` (what was held back, why).
 */
export function experienceRoute({ store, clock, configOf, guard }: ExperienceDeps): Hono<AppEnv> {
  const route = new Hono<AppEnv>()
  route.post(
    '/experience',
    maxBody(MAX_EXPERIENCE_BYTES),
    readJson(),
    guard,
    query(ExperienceQuerySchema),
    json(ExperienceBodySchema, 'experience request'),
    async (c) => {
      const body = c.req.valid('json')
      const caller = callerOf(c)
      const { accountProven } = await checkExperienceIdentity(caller, body)
      const ws = caller.workspace.id
      const at = clock()
      const [config, facts] = await Promise.all([configOf(ws), store.loadFacts(ws, body.accountId, at)])
      // An account the server has not seen yet (its first events still queued in the browser), or,
      // in a workspace that verifies identities, one the user was not put in by a token or the
      // vendor's server: nothing to show.
      const member = accountProven || (facts?.users.some((u) => u.userId === body.userId) ?? false)
      const decision =
        facts && member
          ? decideExperiences(config, facts, at, {
              userId: body.userId,
              sessionId: body.sessionId,
              locale: body.locale,
            })
          : {
              experiences: [],
              launcher: [],
              locale: 'en',
              // One note for both: an unknown account and one the user is not in must not be told
              // apart (it would tell a user holding their own proof which account ids exist).
              notes: [`no event of user ${body.userId} in account ${body.accountId} yet`],
            }
      const { notes, ...answer } = decision
      return c.json(c.req.valid('query').debug ? { ...answer, notes } : answer, 200, { 'Cache-Control': 'no-store' })
    },
  )
  return route
}
