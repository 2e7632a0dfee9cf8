/**
 * What the console's routes answer, as docs/console.md describes them: sessions, members, invites,
 * the audit log, the overview, an account's health history and activity, and the accounts listing
 * with the fields the accounts page shows. The console takes its types from these (`z.infer`), and
 * its tests parse every fake answer with them, so the pages are written against the same shapes the
 * routes must answer.
 */
import { z } from 'zod'
import { ROLES } from '../http/access'
import { BANDS, EXPERIENCE_KINDS, PHASES } from '../journey/vocabulary'
import { AccountsPageSchema } from './journey-responses'
import { count, int, iso } from './response-parts'

const band = z.enum(BANDS)
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .describe('a UTC day, YYYY-MM-DD')
/** An account's display name: its `name` trait, null when it has none (the console shows the id). */
const accountName = z.string().nullable()

/** A member as a session knows them. */
export const SessionMemberSchema = z.strictObject({ id: z.string(), email: z.string(), role: z.enum(ROLES) })

/** `POST /v1/session`, `GET /v1/session`, `POST /v1/invites/accept`. */
export const SessionResponseSchema = z.strictObject({ member: SessionMemberSchema, csrfToken: z.string() })

/** A member as listed. `pending`: invited, no password yet. */
export const MemberSchema = z.strictObject({
  ...SessionMemberSchema.shape,
  createdAt: iso,
  pending: z.boolean(),
})

/** `GET /v1/members`. */
export const MemberListSchema = z.strictObject({ items: z.array(MemberSchema) })

/** `POST /v1/members`: the invited member and their one-time link, `/console/invite?token=…`. */
export const MemberInvitedSchema = z.strictObject({ member: MemberSchema, inviteUrl: z.string() })

/** `PATCH /v1/members/:id`. */
export const MemberUpdatedSchema = z.strictObject({ member: MemberSchema })

/** `GET /v1/audit`: newest first. Nothing in it holds a password, a key or a webhook secret. */
export const AuditPageSchema = z.strictObject({
  items: z.array(
    z.strictObject({
      id: z.string(),
      at: iso,
      actor: z.strictObject({
        kind: z.enum(['member', 'key']),
        id: z.string(),
        email: z.string().optional(),
      }),
      action: z.string(),
      target: z.string(),
      before: z.unknown().optional(),
      after: z.unknown().optional(),
    }),
  ),
  nextCursor: z.string().nullable(),
})

const change = z.strictObject({ accountId: z.string(), name: accountName, from: z.string(), to: z.string(), at: iso })

/** `GET /v1/overview`: changes of the last 7 days, renewals of the next 90, NPS of the last 26 weeks. */
export const OverviewSchema = z.strictObject({
  at: iso,
  phases: z.record(z.enum(PHASES), count),
  bands: z.strictObject({ green: count, yellow: count, red: count }),
  changes: z.strictObject({
    since: iso,
    band: z.array(change),
    phase: z.array(change),
    redFlags: z.array(z.strictObject({ accountId: z.string(), name: accountName, flag: z.string(), at: iso })),
  }),
  renewals: z.array(
    z.strictObject({
      accountId: z.string(),
      name: accountName,
      renewalDate: iso,
      daysToRenewal: int,
      band: band.nullable(),
    }),
  ),
  nps: z.array(z.strictObject({ week: day, score: z.number().nullable(), responses: count })),
})

/** `GET /v1/accounts/:id/health-history?days=90`: one point per UTC day, oldest first. */
export const HealthHistorySchema = z.strictObject({
  accountId: z.string(),
  points: z.array(
    z.strictObject({
      date: day,
      score: z.number().nullable().describe('null on a day with no health data'),
      band: band.nullable(),
    }),
  ),
})

/** `GET /v1/accounts/:id/activity`: its users, its 50 latest events, what each user was shown. */
export const ActivitySchema = z.strictObject({
  users: z.array(
    z.strictObject({
      userId: z.string(),
      name: z.string().optional(),
      email: z.string().optional(),
      lastSeenAt: iso.nullable(),
    }),
  ),
  events: z.array(
    z.strictObject({ id: z.string(), type: z.string(), name: z.string(), userId: z.string().nullable(), at: iso }),
  ),
  experiences: z.array(
    z.strictObject({
      userId: z.string(),
      experienceId: z.string(),
      kind: z.enum(EXPERIENCE_KINDS),
      shown: count.describe('times shown'),
      completed: count,
      dismissed: count,
      lastAt: iso,
    }),
  ),
})

/** `GET /v1/accounts` with the accounts page's fields, and `total`: the filtered accounts' count. */
export const AccountsListSchema = z.strictObject({
  items: z.array(
    z.strictObject({
      ...AccountsPageSchema.shape.items.element.shape,
      name: accountName,
      renewalDate: iso.nullable(),
      daysToRenewal: int.nullable(),
      nps: z.number().nullable(),
      lastActiveAt: iso.nullable(),
    }),
  ),
  nextCursor: z.string().nullable(),
  total: count,
})

/** `GET /v1/keys/identity`: whether identity verification is on (never the secret). */
export const IdentityStatusSchema = z.strictObject({ enabled: z.boolean() })
