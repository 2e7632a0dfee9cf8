/**
 * The answers the console reads, typed from the server's own zod schemas (`z.infer`): never a second
 * copy written by hand. Type-only imports: no schema, and no zod, reaches the console's files.
 */
import type { z } from 'zod'
import type { Role } from '../server/http/access'
import type {
  AccountsListSchema,
  ActivitySchema,
  AuditPageSchema,
  HealthHistorySchema,
  IdentityStatusSchema,
  MemberInvitedSchema,
  MemberListSchema,
  MemberSchema,
  MemberUpdatedSchema,
  OverviewSchema,
  SessionMemberSchema,
  SessionResponseSchema,
} from '../server/schemas/console-responses'
import type {
  ConfigDiffSchema,
  ConfigRevisionSchema,
  ConfigRevisionWithConfigSchema,
  DryRunSchema,
} from '../server/schemas/config-responses'
import type { BuilderTokenSchema } from '../server/schemas/builder-responses'
import type { ErrorBodySchema, IssueSchema } from '../server/schemas/error-responses'
import type {
  JourneyDiffResponseSchema,
  JourneyStateSchema,
  OverrideResponseSchema,
} from '../server/schemas/journey-responses'
import type { OriginsResponseSchema, RotateResponseSchema } from '../server/schemas/key-responses'
import type { JourneyMapSchema, QbrSchema, ValueResponseSchema } from '../server/schemas/report-responses'
import type { ExperienceResultsSchema, NpsResultsSchema } from '../server/schemas/results-responses'
import type {
  DeliveriesPageSchema,
  ReplayResponseSchema,
  WebhookCreatedSchema,
  WebhookListSchema,
} from '../server/schemas/webhook-responses'

export type { Role }

export type BuilderToken = z.infer<typeof BuilderTokenSchema>
export type SessionMember = z.infer<typeof SessionMemberSchema>
export type SessionResponse = z.infer<typeof SessionResponseSchema>
export type Member = z.infer<typeof MemberSchema>
export type MemberList = z.infer<typeof MemberListSchema>
export type MemberInvited = z.infer<typeof MemberInvitedSchema>
export type MemberUpdated = z.infer<typeof MemberUpdatedSchema>
export type AuditPage = z.infer<typeof AuditPageSchema>
export type AuditEntry = AuditPage['items'][number]
export type Overview = z.infer<typeof OverviewSchema>
export type HealthHistory = z.infer<typeof HealthHistorySchema>
export type HealthPoint = HealthHistory['points'][number]
export type Activity = z.infer<typeof ActivitySchema>
export type AccountsList = z.infer<typeof AccountsListSchema>
export type AccountItem = AccountsList['items'][number]
export type IdentityStatus = z.infer<typeof IdentityStatusSchema>

export type ErrorBody = z.infer<typeof ErrorBodySchema>
export type Issue = z.infer<typeof IssueSchema>

export type JourneyState = z.infer<typeof JourneyStateSchema>
export type JourneyDiff = z.infer<typeof JourneyDiffResponseSchema>
export type OverrideResponse = z.infer<typeof OverrideResponseSchema>
export type HealthComponent = JourneyState['health']['components'][number]
export type Milestone = JourneyState['milestones'][number]

export type RotateResponse = z.infer<typeof RotateResponseSchema>
export type OriginsResponse = z.infer<typeof OriginsResponseSchema>
export type JourneyMap = z.infer<typeof JourneyMapSchema>
export type Qbr = z.infer<typeof QbrSchema>
export type ValueResponse = z.infer<typeof ValueResponseSchema>

export type WebhookList = z.infer<typeof WebhookListSchema>
export type WebhookEndpoint = WebhookList['items'][number]
export type WebhookCreated = z.infer<typeof WebhookCreatedSchema>
export type DeliveriesPage = z.infer<typeof DeliveriesPageSchema>
export type Delivery = DeliveriesPage['deliveries'][number]
export type ReplayResponse = z.infer<typeof ReplayResponseSchema>

export type ConfigRevision = z.infer<typeof ConfigRevisionSchema>
export type ConfigRevisionWithConfig = z.infer<typeof ConfigRevisionWithConfigSchema>
export type ConfigDiff = z.infer<typeof ConfigDiffSchema>
export type DryRun = z.infer<typeof DryRunSchema>

export type ExperienceResults = z.infer<typeof ExperienceResultsSchema>
export type ExperienceResult = ExperienceResults['experiences'][number]
export type NpsResults = z.infer<typeof NpsResultsSchema>
export type NpsInterval = NpsResults['series'][number]
export type NpsAnswer = NpsResults['answers'][number]
