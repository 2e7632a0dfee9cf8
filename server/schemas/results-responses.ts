/**
 * What the results routes answer (docs/http-api.md, "Results"): the engagement events of a range
 * counted per experience, and the NPS over time with its answers. The console takes its types from
 * these (`z.infer`).
 */
import { z } from 'zod'
import { EXPERIENCE_KINDS } from '../journey/vocabulary'
import { NPS_INTERVALS } from '../journey/vocabulary'
import type { experienceResults } from '../routes/results'
import type { Agree } from './response-parts'
import { count, iso } from './response-parts'

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .describe('a UTC day, YYYY-MM-DD')

/** The range a result covers: [from, to], both included. */
const range = { from: iso, to: iso }

/** One experience's results: engagement events of the range, by experience id and kind. */
export const ExperienceResultSchema = z.strictObject({
  id: z.string().describe('the experience id (`checklist`, `guide:<id>`, `nps` …)'),
  kind: z.enum(EXPERIENCE_KINDS),
  shown: count.describe('experience_shown events'),
  completed: count.describe('experience_completed events'),
  dismissed: z.strictObject({
    total: count.describe('experience_dismissed events'),
    byReason: z.record(z.string(), count).describe('by their `reason` (`none`: without one)'),
  }),
  users: count.describe('distinct users with an event of it'),
  accounts: count.describe('distinct accounts with an event of it'),
  steps: z
    .array(
      z.strictObject({
        step: count.describe('the step, from 0'),
        viewed: count.describe('guide_step_viewed events'),
        left: count.describe('users whose latest view was this step, not completed after it'),
        targetMissing: count.describe('guide_target_missing events'),
      }),
    )
    .optional()
    .describe('guides only'),
  items: z
    .array(
      z.strictObject({
        id: z.string().describe('the item: an onboarding milestone'),
        done: count.describe('of `accounts`, those whose milestone was done by `to`'),
        accounts: count.describe('accounts the checklist reached in the range'),
        medianDay: z
          .number()
          .int()
          .nullable()
          .describe(
            'the lower median, over the `done` accounts, of the account day of the first event that did it (null: none)',
          ),
        window: z.tuple([z.number().int(), z.number().int()]).describe("the milestone's window: [fromDay, toDay]"),
      }),
    )
    .optional()
    .describe('checklists only'),
  programs: z
    .array(
      z.strictObject({
        id: z.string().describe('the program (`program` of the events)'),
        accepted: count.describe('advocacy_accepted events'),
        users: count.describe('distinct users with one'),
        accounts: count.describe('distinct accounts with one'),
      }),
    )
    .optional()
    .describe('advocacy asks and NPS surveys (whose follow-up offers the programs) only'),
})

/** `GET /v1/results/experiences`. */
export const ExperienceResultsSchema = z.strictObject({
  ...range,
  experiences: z.array(ExperienceResultSchema),
})

/** `GET /v1/results/nps`. */
export const NpsResultsSchema = z.strictObject({
  ...range,
  interval: z.enum(NPS_INTERVALS),
  series: z.array(
    z.strictObject({
      start: day.describe('the first day of the interval'),
      score: z.number().int().min(-100).max(100).nullable().describe('null without answers'),
      responses: count,
      promoters: count,
      passives: count,
      detractors: count,
    }),
  ),
  answers: z.array(
    z.strictObject({
      userId: z.string(),
      accountId: z.string(),
      score: z.number().int().min(0).max(10),
      comment: z.string().nullable(),
      at: iso,
    }),
  ),
  totalAnswers: count.describe('valid answers in the range (`answers` lists the newest `limit`)'),
})

const agree = {
  experiences: true satisfies Agree<
    z.output<typeof ExperienceResultSchema>,
    ReturnType<typeof experienceResults>[number]
  >,
}
void agree
