/** What the report routes answer (server/reports): the value statement and email, the QBR, the journey map. */
import { z } from 'zod'
import { LOCALES, SEGMENTS, TOUCHPOINTS } from '../journey/config'
import { MAP_PHASES } from '../reports/journey-map'
import type { JourneyMap } from '../reports/journey-map'
import type { Qbr } from '../reports/qbr'
import type { ValueEmail } from '../reports/value-email'
import { ValueStatementSchema } from './experience-responses'
import { HealthSchema, MomentSchema, NpsStateSchema } from './journey-responses'
import { count, int, iso } from './response-parts'
import type { Agree } from './response-parts'

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

// ---------------------------------------------------------------- the TS types and the schemas agree

const agree = {
  valueEmail: true satisfies Agree<z.output<typeof ValueEmailSchema>, ValueEmail>,
  qbr: true satisfies Agree<z.output<typeof QbrSchema>, Qbr>,
  journeyMap: true satisfies Agree<z.output<typeof JourneyMapSchema>, Required<JourneyMap>>,
}
void agree
