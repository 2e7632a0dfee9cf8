/**
 * What the API answers (api.md), as zod schemas: server/openapi.ts documents every response with
 * them, and test/server/openapi.test.ts parses what each route really answers with the schema
 * documented for that status. Objects are strict: a field added, renamed or dropped by a route fails
 * that test (and, for the shapes typed in TS, `tsc`: see the checks at the end of this file).
 *
 * The routes build their answers with plain code; these schemas follow the TS types they build
 * from (server/journey/*, server/reports/*, sdk/wire.ts, server/webhooks/types.ts).
 */
import { z } from 'zod'
import type { ExperienceResponse } from '../../sdk/wire'
import type { ErrorCode } from '../http/errors'
import type { JourneyDiff, JourneyState } from '../journey'
import {
  ADOPTION_LEVELS,
  CHANNELS,
  configDocumentSchema,
  HEALTH_COMPONENTS,
  LOCALES,
  MOMENTS,
  ONBOARDING_MILESTONES,
  ADOPTION_MILESTONES,
  OWNERS,
  PHASES,
  SEGMENTS,
  SITUATIONS,
  TOUCHPOINTS,
} from '../journey/config'
import { MILESTONE_STATUSES } from '../journey/milestones'
import { RED_FLAG_IDS } from '../journey/red-flags'
import type { ValueStatement } from '../journey/value'
import { MAP_PHASES } from '../reports/journey-map'
import type { JourneyMap } from '../reports/journey-map'
import type { Qbr } from '../reports/qbr'
import type { ValueEmail } from '../reports/value-email'
import { DELIVERY_STATUSES, WEBHOOK_EVENT_TYPES, WEBHOOK_FORMATS } from '../webhooks/types'

const iso = z.string().describe('ISO-8601 date-time (UTC)')
const int = z.number().int()
const count = z.number().int().min(0)

// ---------------------------------------------------------------- errors

/** Every code of server/http.ts `ErrorCode` (checked at the end of this file). */
export const ERROR_CODES = [
  'invalid_json',
  'invalid_body',
  'invalid_query',
  'invalid_path',
  'invalid_config',
  'unsupported_media_type',
  'unauthorized',
  'invalid_user_hash',
  'invalid_user_token',
  'forbidden_origin',
  'forbidden_event',
  'forbidden_key',
  'forbidden_account',
  'not_found',
  'payload_too_large',
  'rate_limited',
  'internal',
] as const

export const IssueSchema = z.strictObject({
  path: z.string().describe('dotted path, e.g. `batch.3.timestamp`'),
  message: z.string(),
})

const errorObject = z.strictObject({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  issues: z.array(IssueSchema).optional(),
})

/** The one error shape of api.md: `{ error: { code, message, issues? } }`. */
export const ErrorBodySchema = z.strictObject({ error: errorObject })

// ---------------------------------------------------------------- operations, ingest, keys

export const HealthOkSchema = z.strictObject({ ok: z.literal(true) })
export const HealthDownSchema = z.strictObject({ ok: z.literal(false) })

/** `GET /openapi.json`: the top of an OpenAPI 3.1 document (its whole shape is the OpenAPI specification's). */
export const OpenApiDocumentSchema = z.looseObject({
  openapi: z.literal('3.1.0'),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  servers: z.array(z.strictObject({ url: z.string() })).optional(),
  paths: z.record(z.string(), z.record(z.string(), z.looseObject({}))),
  components: z.looseObject({}),
})

const RejectedSchema = z.strictObject({ index: count.describe('position in `batch`'), issues: z.array(IssueSchema) })

/** `POST /v1/batch` (and Segment's per-call endpoints): sdk/wire.ts `BatchResponse`. */
export const BatchResponseSchema = z.strictObject({
  accepted: count,
  duplicates: count,
  rejected: z.array(RejectedSchema),
})

/** A batch's 401 when the workspace verifies identities: the error, and what happened to the other events (they were stored). */
export const BatchUnverifiedSchema = z.strictObject({
  error: errorObject,
  accepted: count,
  duplicates: count,
  rejected: z.array(RejectedSchema),
})

export const RotateResponseSchema = z.strictObject({
  secretKey: z.string().describe('the new key, shown this once'),
  previousExpiresAt: iso,
})
export const RetireResponseSchema = z.strictObject({
  retired: z.boolean().describe('false when there was no previous key'),
})
export const OriginsResponseSchema = z.strictObject({ origins: z.array(z.string()) })

// ---------------------------------------------------------------- experiences (sdk/wire.ts)

const lane = z.enum(['modal', 'inline'])
const experienceBase = { id: z.string(), lane, reason: z.string() }
const cta = z.strictObject({ url: z.string().optional(), guide: z.string().optional() })
const programOffer = z.strictObject({ id: z.string(), benefit: z.string(), url: z.string().optional() })

const ChecklistSchema = z.strictObject({
  ...experienceBase,
  kind: z.literal('checklist'),
  day: int,
  items: z.array(
    z.strictObject({
      id: z.string(),
      status: z.enum(MILESTONE_STATUSES),
      dueDay: int,
      dueDate: z.string(),
      events: z.array(z.string()),
      title: z.string().optional(),
      cta: cta.optional(),
    }),
  ),
})
const GuideSchema = z.strictObject({
  ...experienceBase,
  kind: z.literal('guide'),
  guideId: z.string(),
  feature: z.string().optional(),
  trigger: z.enum(['feature_ignored', 'checklist', 'on_demand']),
  steps: z.array(
    z.strictObject({
      kind: z.enum(['tooltip', 'modal', 'hotspot']),
      selector: z.union([z.string(), z.array(z.string())]).optional(),
      text: z.string().optional(),
      title: z.string(),
      body: z.string(),
      path: z.string().optional(),
    }),
  ),
  missingTarget: z.enum(['skip', 'modal']),
  waitMs: count,
})

/** sdk/wire.ts `ValueStatement`: the value statement of a period. */
export const ValueStatementSchema = z.strictObject({
  periodDays: int,
  from: iso,
  to: iso,
  hoursSaved: z.number().nullable(),
  metrics: z.array(
    z.strictObject({
      id: z.string(),
      label: z.string(),
      better: z.enum(['higher', 'lower']),
      previous: z.number(),
      current: z.number(),
      change: z.number().describe('(current − previous) ÷ previous: 0.12 is +12%'),
    }),
  ),
  roi: z.number().nullable(),
  moneySaved: z.number().nullable(),
  currency: z.string(),
  text: z.string(),
  locale: z.string(),
})

const ValueSchema = z.strictObject({ ...experienceBase, kind: z.literal('value'), statement: ValueStatementSchema })
const NpsSchema = z.strictObject({
  ...experienceBase,
  kind: z.literal('nps'),
  trigger: z.enum(['health_check', 'periodic', 'after_renewal', 'retry']),
  followUps: z.array(
    z.strictObject({
      min: int,
      band: z.enum(['detractor', 'passive', 'promoter']),
      programs: z.array(programOffer),
      recovery: z.boolean(),
    }),
  ),
})
const AdvocacySchema = z.strictObject({
  ...experienceBase,
  kind: z.literal('advocacy'),
  level: z.enum(['detractor', 'satisfied', 'loyal', 'promoter', 'evangelist']),
  programs: z.array(programOffer),
  recovery: z.boolean(),
})
const MessageSchema = z.strictObject({
  ...experienceBase,
  kind: z.literal('message'),
  situation: z.enum(['low_usage', 'single_user', 'usage_declining']),
  title: z.string().optional(),
  body: z.string().optional(),
  cta: cta.optional(),
  options: z.array(z.string()).optional(),
})
const BannerSchema = z.strictObject({
  ...experienceBase,
  kind: z.literal('banner'),
  renewalDate: z.string(),
  daysToRenewal: int,
  cta: cta.optional(),
})

export const ExperienceSchema = z.discriminatedUnion('kind', [
  ChecklistSchema,
  GuideSchema,
  ValueSchema,
  NpsSchema,
  AdvocacySchema,
  MessageSchema,
  BannerSchema,
])

/** `POST /v1/experience`: sdk/wire.ts `ExperienceResponse`; `notes` with `?debug=1` only. */
export const ExperienceResponseSchema = z.strictObject({
  experiences: z.array(ExperienceSchema).describe('what to show now, highest priority first'),
  launcher: z.array(ExperienceSchema).describe('what the launcher offers on demand'),
  guides: z
    .array(GuideSchema)
    .optional()
    .describe('every configured guide, for `show(id)` and checklist calls to action only'),
  locale: z.string().describe('the locale of the texts (`en` or `pt-BR`)'),
  notes: z.array(z.string()).optional().describe('`?debug=1` only: what was held back, and why'),
})

// ---------------------------------------------------------------- the journey state (server/journey)

const phase = z.enum(PHASES)
const channel = z.enum(CHANNELS)
const owner = z.enum(OWNERS)
const milestoneStatus = z.enum(MILESTONE_STATUSES)
const check = <T extends readonly [string, ...string[]]>(ids: T) =>
  z.strictObject({ id: z.enum(ids), met: z.boolean(), reason: z.string() })

const HealthSchema = z.strictObject({
  score: z.number(),
  band: z.enum(['green', 'yellow', 'red']),
  components: z.array(
    z.strictObject({
      id: z.enum(HEALTH_COMPONENTS),
      value: z.number(),
      weight: z.number(),
      contribution: z.number(),
      reason: z.string(),
    }),
  ),
  missing: z.array(z.enum(HEALTH_COMPONENTS)),
  missingReasons: z.partialRecord(z.enum(HEALTH_COMPONENTS), z.string()),
  reason: z.string(),
})
const NpsStateSchema = z.strictObject({
  score: z.number().nullable(),
  responses: count,
  promoters: count,
  passives: count,
  detractors: count,
  reason: z.string(),
})
const MomentSchema = z.strictObject({
  id: z.enum(MOMENTS),
  at: iso,
  day: int,
  outcome: z.string(),
  risk: z.string(),
  opportunity: z.string(),
})

/** `GET /v1/accounts/:id/journey` (api.md, "Journey"): server/journey `JourneyState`. */
export const JourneyStateSchema = z.strictObject({
  accountId: z.string(),
  at: iso,
  day: int.describe('account day of `at` (day 0: the contract start)'),
  segment: z.enum(SEGMENTS),
  contractStart: iso,
  contractStartSource: z.enum(['contractStart', 'firstEventAt', 'at']),
  phase: z.strictObject({
    id: phase,
    reason: z.string(),
    override: z.strictObject({ phase, reason: z.string(), expiresAt: iso.nullable(), by: z.string() }).nullable(),
    rules: z.strictObject({ id: phase, reason: z.string() }).describe('the phase the rules give, override or not'),
  }),
  milestones: z.array(
    z.strictObject({
      id: z.enum([...ONBOARDING_MILESTONES, ...ADOPTION_MILESTONES]),
      stage: z.enum(['onboarding', 'adoption']),
      window: z.tuple([int, int]),
      status: milestoneStatus,
      completedAt: iso.nullable(),
      completedDay: int.nullable(),
      reason: z.string(),
    }),
  ),
  timeToFirstValue: int.nullable(),
  redFlags: z.array(z.strictObject({ id: z.enum(RED_FLAG_IDS), since: iso, reason: z.string() })),
  adoption: z.strictObject({
    level: z.enum(ADOPTION_LEVELS),
    reason: z.string(),
    checks: z.array(
      z.strictObject({
        level: z.enum(['basic', 'regular', 'power']),
        met: z.boolean(),
        criteria: z.array(check(['logins', 'features', 'active_users'] as const)),
      }),
    ),
    featuresUsed: z.array(z.string()),
    featureCount: count,
    activeUsers: count,
  }),
  health: HealthSchema,
  nps: NpsStateSchema,
  expansion: z.strictObject({
    ready: z.boolean(),
    reason: z.string(),
    signals: z.array(
      check(['health_over_80', 'nps_9_10', 'near_usage_limit', 'premium_requested', 'referring'] as const),
    ),
    blockers: z.array(check(['health_under_60', 'open_ticket', 'low_usage', 'stakeholder_disengaged'] as const)),
    opportunities: z.array(
      z.strictObject({ id: z.enum(['upsell', 'more_users', 'new_teams', 'cross_sell']), reason: z.string() }),
    ),
  }),
  renewal: z.strictObject({
    renewalDate: iso.nullable(),
    daysToRenewal: int.nullable(),
    renewalDay: int.nullable(),
    windowDays: int,
    cycleStart: iso.nullable(),
    tasks: z.array(
      z.strictObject({
        id: z.string(),
        label: z.string(),
        offset: int,
        due: iso,
        dueDay: int,
        status: milestoneStatus,
        completedAt: iso.nullable(),
        channel,
        owner,
        reason: z.string(),
      }),
    ),
    reason: z.string(),
  }),
  advocacy: z.strictObject({
    level: z.enum(['detractor', 'satisfied', 'loyal', 'promoter', 'evangelist']).nullable(),
    score: z.number().nullable(),
    programs: z.array(z.strictObject({ id: z.string(), benefit: z.string() })),
    recovery: z.boolean(),
    reason: z.string(),
  }),
  interventions: z.array(
    z.strictObject({
      situation: z.enum(SITUATIONS),
      action: z.string(),
      channel,
      owner,
      feature: z.string().optional(),
      message: z.string(),
      reason: z.string(),
    }),
  ),
  touchpoints: z.array(
    z.strictObject({
      id: z.enum(TOUCHPOINTS),
      label: z.string(),
      channel,
      owner,
      due: iso,
      dueDay: int,
      status: z.enum(['overdue', 'due', 'upcoming']),
      ref: z.string().optional(),
      reason: z.string(),
    }),
  ),
  moments: z.array(MomentSchema),
})

/** `GET /v1/accounts/:id/journey/diff`: the account, the two times asked for, and server/journey `JourneyDiff`. */
export const JourneyDiffResponseSchema = z.strictObject({
  accountId: z.string(),
  from: iso,
  to: iso,
  fromAt: iso,
  toAt: iso,
  changed: z.boolean(),
  phase: z.strictObject({ from: z.string(), to: z.string(), reason: z.string() }).nullable(),
  redFlags: z.strictObject({
    raised: z.array(z.strictObject({ id: z.string(), since: iso, reason: z.string() })),
    cleared: z.array(z.strictObject({ id: z.string(), reason: z.string() })),
  }),
  milestones: z.array(z.strictObject({ id: z.string(), from: z.string(), to: z.string(), reason: z.string() })),
  health: z.strictObject({
    from: z.number(),
    to: z.number(),
    delta: z.number(),
    band: z.strictObject({ from: z.string(), to: z.string() }).nullable(),
    components: z.array(
      z.strictObject({
        id: z.enum(HEALTH_COMPONENTS),
        from: z.number(),
        to: z.number(),
        delta: z.number(),
        reason: z.string(),
      }),
    ),
  }),
  adoption: z.strictObject({ from: z.string(), to: z.string(), reason: z.string() }).nullable(),
  expansion: z.strictObject({ from: z.boolean(), to: z.boolean(), reason: z.string() }).nullable(),
  summary: z.array(z.string()).describe('one line per change, for people'),
})

const OverrideSchema = z.strictObject({ phase, reason: z.string(), expiresAt: iso, by: z.string(), setAt: iso })

/** `GET /v1/accounts/:id/override`: the override in force and the audit list of changes. */
export const OverrideResponseSchema = z.strictObject({
  accountId: z.string(),
  current: OverrideSchema.nullable(),
  changes: z.array(
    z.strictObject({
      action: z.enum(['set', 'lift']),
      override: OverrideSchema.nullable(),
      by: z.string(),
      reason: z.string(),
      at: iso,
    }),
  ),
})

/** `GET /v1/accounts`: a page of the accounts' stored snapshots, riskiest first. */
export const AccountsPageSchema = z.strictObject({
  items: z.array(
    z.strictObject({
      accountId: z.string(),
      segment: z.string(),
      phase: z.string(),
      health: z.number().nullable().describe('null when no health component has data'),
      band: z.string().nullable(),
      flags: z.array(z.string()),
      computedAt: iso,
    }),
  ),
  nextCursor: z.string().nullable().describe('`cursor` of the next page; null on the last'),
})

// ---------------------------------------------------------------- config

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

// ---------------------------------------------------------------- reports (server/reports)

/** reports/value-email.ts `ValueEmail`: ready to send (no remote images). */
export const ValueEmailSchema = z.strictObject({ subject: z.string(), html: z.string(), text: z.string() })

/** `GET /v1/accounts/:id/value`. */
export const ValueResponseSchema = z.strictObject({
  accountId: z.string(),
  statement: ValueStatementSchema,
  text: z.string().describe('`statement.text`'),
  email: ValueEmailSchema,
})

/** `GET /v1/accounts/:id/qbr` (JSON): reports/qbr.ts `Qbr`, the four parts of the renewal QBR. */
export const QbrSchema = z.strictObject({
  accountId: z.string(),
  accountName: z.string(),
  vendorName: z.string().nullable(),
  segment: z.string(),
  phase: z.string(),
  at: iso,
  locale: z.enum(LOCALES),
  retrospective: z.strictObject({
    results: ValueStatementSchema,
    valueDelivered: z.strictObject({
      hoursSaved: z.number().nullable(),
      moneySaved: z.number().nullable(),
      roi: z.number().nullable(),
      currency: z.string(),
      timeToFirstValue: int.nullable(),
      milestonesDone: count,
      milestonesTotal: count,
    }),
    moments: z.array(MomentSchema),
  }),
  currentSituation: z.strictObject({
    health: HealthSchema,
    usage: z.strictObject({
      periodDays: int,
      adoptionLevel: z.string(),
      adoptionReason: z.string(),
      activeUsers: count,
      seats: z.number().nullable(),
      activeDays: count,
      logins: count,
      featuresUsed: z.array(z.string()),
      featuresUsedNames: z.array(z.string()),
      featureCount: count,
    }),
    feedback: z.strictObject({
      nps: NpsStateSchema,
      comments: z.array(
        z.strictObject({ userId: z.string().nullable(), score: z.number().nullable(), comment: z.string(), at: iso }),
      ),
      windowDays: int,
    }),
  }),
  future: z.strictObject({
    goals: z.array(z.string()),
    expansionReady: z.boolean(),
    expansionReason: z.string(),
    opportunities: z.array(z.strictObject({ id: z.string(), reason: z.string() })),
  }),
  proposal: z.strictObject({
    renewalDate: iso.nullable(),
    daysToRenewal: int.nullable(),
    terms: z
      .strictObject({
        plan: z.string().nullable(),
        seats: z.number().nullable(),
        listPricePerMonth: z.number().nullable(),
        currency: z.string(),
        term: z.null(),
        price: z.null(),
        discount: z.null(),
      })
      .describe('null fields are placeholders the CSM fills in'),
    expansionOptions: z.array(z.strictObject({ id: z.string(), offer: z.string(), reason: z.string() })),
    nextSteps: z.array(
      z.strictObject({
        id: z.string(),
        label: z.string(),
        due: iso,
        status: z.enum(['overdue', 'due', 'upcoming']),
        channel: z.string(),
        owner: z.string(),
        ref: z.string().nullable(),
      }),
    ),
  }),
})

/** `GET /v1/journey-map` (JSON): reports/journey-map.ts `JourneyMap`, with where its parts came from. */
export const JourneyMapSchema = z.strictObject({
  segment: z.enum(SEGMENTS).nullable(),
  at: iso,
  accounts: count.describe('accounts mapped, churned ones included'),
  churned: count,
  rows: z.array(
    z.strictObject({
      phase: z.enum(MAP_PHASES),
      objective: z.string(),
      accounts: count,
      touchpoints: z.strictObject({
        planned: count,
        delivered: count,
        items: z.array(
          z.strictObject({
            id: z.enum(TOUCHPOINTS),
            ref: z.string().nullable(),
            label: z.string(),
            owner: z.string(),
            channel: z.string(),
            events: z.array(z.string()),
            planned: count,
            delivered: count,
          }),
        ),
      }),
      emotion: z.strictObject({
        nps: z.number().nullable(),
        responses: count,
        promoters: count,
        passives: count,
        detractors: count,
      }),
      gaps: z.array(z.string()),
      actions: z.array(z.string()),
    }),
  ),
  sources: z
    .strictObject({ stored: count, computed: count, oldestStored: iso.nullable() })
    .describe(
      "accounts read from the summaries stored with their snapshots (the oldest one's time), and computed for this answer",
    ),
})

// ---------------------------------------------------------------- webhooks

/** An endpoint as listed (never its secret). `events` null: every type. */
export const WebhookEndpointSchema = z.strictObject({
  id: z.string(),
  url: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENT_TYPES)).nullable(),
  format: z.enum(WEBHOOK_FORMATS),
  enabled: z.boolean(),
  createdAt: iso,
})

/** `POST /v1/webhooks`: the endpoint and its signing secret, shown this once. */
export const WebhookCreatedSchema = z.strictObject({
  ...WebhookEndpointSchema.shape,
  secret: z.string().describe('`whsec_` + base64'),
})

export const WebhookListSchema = z.strictObject({ items: z.array(WebhookEndpointSchema) })

const DeliverySchema = z.strictObject({
  id: z.string(),
  eventId: z.string(),
  type: z.enum(WEBHOOK_EVENT_TYPES),
  status: z.enum(DELIVERY_STATUSES),
  attempts: count,
  lastStatus: int.nullable().describe('HTTP status of the last attempt'),
  lastResponse: z.string().nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: iso.nullable().describe('pending: the next attempt (null: as soon as a dispatcher runs)'),
  updatedAt: iso,
})

/** `GET /v1/webhooks/:id/deliveries`. */
export const DeliveriesPageSchema = z.strictObject({
  deliveries: z.array(DeliverySchema).describe('newest first'),
  nextCursor: z.string().nullable(),
  items: z
    .array(DeliverySchema)
    .meta({ deprecated: true, description: 'the same list as `deliveries`, under its former name' }),
})

export const ReplayResponseSchema = z.strictObject({ id: z.string(), status: z.literal('pending') })

// ---------------------------------------------------------------- the TS types and the schemas agree

/** true when each of A and B is assignable to the other: a field added, dropped or retyped on either side makes it false. */
type Agree<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false

const agree = {
  errorCodes: true satisfies Agree<(typeof ERROR_CODES)[number], ErrorCode>,
  journeyState: true satisfies Agree<z.output<typeof JourneyStateSchema>, JourneyState>,
  journeyDiff: true satisfies Agree<
    Omit<z.output<typeof JourneyDiffResponseSchema>, 'accountId' | 'from' | 'to'>,
    JourneyDiff
  >,
  experience: true satisfies Agree<Omit<z.output<typeof ExperienceResponseSchema>, 'notes'>, ExperienceResponse>,
  valueStatement: true satisfies Agree<z.output<typeof ValueStatementSchema>, ValueStatement>,
  valueEmail: true satisfies Agree<z.output<typeof ValueEmailSchema>, ValueEmail>,
  qbr: true satisfies Agree<z.output<typeof QbrSchema>, Qbr>,
  journeyMap: true satisfies Agree<z.output<typeof JourneyMapSchema>, Required<JourneyMap>>,
}
void agree
