/** What `POST /v1/experience` answers (sdk/wire.ts), and the value statement the reports share. */
import { z } from 'zod'
import type { ExperienceResponse } from '../../sdk/wire'
import { MILESTONE_STATUSES } from '../journey/milestones'
import type { ValueStatement } from '../journey/value'
import { count, int, iso } from './response-parts'
import type { Agree } from './response-parts'

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
  texts: z
    .record(z.string(), z.string())
    .optional()
    .describe("the workspace's own words for the UI's texts in `locale`, by the UI catalog's key (`nps.question` …)"),
  locale: z.string().describe('the locale of the texts (`en` or `pt-BR`)'),
  notes: z.array(z.string()).optional().describe('`?debug=1` only: what was held back, and why'),
})

// ---------------------------------------------------------------- the TS types and the schemas agree

const agree = {
  experience: true satisfies Agree<Omit<z.output<typeof ExperienceResponseSchema>, 'notes'>, ExperienceResponse>,
  valueStatement: true satisfies Agree<z.output<typeof ValueStatementSchema>, ValueStatement>,
}
void agree
