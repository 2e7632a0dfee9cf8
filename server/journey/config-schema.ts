/**
 * The zod schema of the journey config (journey.md, "The config document"): `base`, a resolved config
 * (every key present), and `doc`, a workspace document (every key optional, objects strict, plus
 * `segments`). The only zod in server/journey/. Built lazily (`schemas()`), so importing the types or
 * the vocabulary costs no zod at run time and tree-shakes out of any bundle that validates nothing.
 */
import { z } from 'zod'
import {
  ADOPTION_LEVELS,
  CHANNELS,
  EXPERIENCE_KINDS,
  GUIDE_STEP_KINDS,
  LOCALES,
  MOMENTS,
  ONBOARDING_MILESTONES,
  OWNERS,
  PHASES,
  TOUCH_LEVELS,
  TOUCHPOINTS,
} from './vocabulary'
import type { ExperienceKind, MomentId, Segment, TouchpointId } from './vocabulary'

function buildSchemas() {
  const nonNeg = z.number().min(0)
  const int = z.number().int()
  const nonNegInt = z.number().int().min(0)
  const posInt = z.number().int().min(1)
  const share = z.number().min(0).max(1)
  const name = z.string().min(1).max(200)
  const selector = z.string().trim().min(1).max(500)
  const names = z.array(name)
  const window = z.tuple([int, int])
  const eventMilestone = z.object({ window, events: names })
  const channel = z.enum(CHANNELS)
  const owner = z.enum(OWNERS)
  const program = z.object({ id: name, benefit: z.string() })
  // Links shown to end users: http(s) or a path on the host app, never `javascript:`.
  const link = z
    .string()
    .max(2000)
    .regex(/^(https?:\/\/|\/)/, 'expected an http(s) URL or a path starting with /')
  const cta = z.object({ url: link.optional(), guide: name.optional() })
  /** A text the end user reads: one for every locale, or one per locale (server/journey/texts.ts picks). */
  const localized = (max: number) =>
    z.union([z.string().max(max), z.partialRecord(z.enum(LOCALES), z.string().max(max))])
  const cap = z.object({ max: nonNegInt, days: posInt })
  const message = z.object({
    title: localized(200).optional(),
    body: localized(4000).optional(),
    cta: cta.optional(),
    options: z.array(name).optional(),
  })

  const touchpoint = z.object({
    label: z.string(),
    level: z.enum(TOUCH_LEVELS),
    channel,
    owner,
    /** One-time occurrences, account day numbers. */
    days: z.array(int),
    /** Recurring occurrences: `from`, `from + every`, … up to `until` (inclusive; null: no end). */
    every: posInt.nullable(),
    from: int,
    until: int.nullable(),
    /** Condition-driven instead of day-driven. */
    trigger: z.enum(['expansion_ready', 'interventions', 'renewal_tasks', 'advocacy']).nullable(),
    /** What a segment below `level` gets instead (the seed's tech-touch version); null: nothing. */
    tech: z.object({ label: z.string(), channel, owner }).nullable(),
    deliveredBy: names,
  })

  const base = z.object({
    features: z.array(z.object({ id: name, name: z.string().optional(), core: z.boolean().optional() })),
    value: z.object({
      minutesSaved: z.record(name, nonNeg),
      // A label for every locale ({ "en": "conversion rate", "pt-BR": "taxa de conversão" }) or one for all.
      metrics: z.array(
        z.object({
          id: name,
          label: z.union([z.string().min(1), z.partialRecord(z.enum(LOCALES), z.string().min(1))]).optional(),
          better: z.enum(['higher', 'lower']),
        }),
      ),
      hourlyRate: nonNeg.nullable(),
      pricePerMonth: nonNeg.nullable(),
      currency: z.string().min(3).max(3),
    }),
    guides: z.array(
      z.object({
        id: name,
        feature: name.optional(),
        steps: z
          .array(
            z.object({
              /** tooltip and hotspot point at `selector`; a modal step has none. Default: tooltip with a selector, else modal. */
              kind: z.enum(GUIDE_STEP_KINDS).optional(),
              /** A CSS selector, or several in order of preference (the first with a rendered match wins). */
              selector: z
                .union([selector, z.array(selector).min(1).max(10)], {
                  error: 'expected a CSS selector or a list of 1 to 10',
                })
                .optional(),
              /** The target must contain this text (trimmed, either case). */
              text: z.string().trim().min(1).max(200).optional(),
              title: localized(200),
              /** Plain text or the UI's small markdown subset (bold, italic, links, lists). */
              body: localized(4000),
              /** Only on pages whose path starts with this. */
              path: z.string().startsWith('/').max(500).optional(),
            }),
          )
          .min(1),
      }),
    ),
    experiences: z.object({
      /** The attention budget for modal experiences, per user (checklists and banners excepted). */
      budget: z.object({ perSession: nonNegInt, perDay: nonNegInt, gapMinutes: nonNeg }),
      /** Higher first. */
      priority: z.object(
        Object.fromEntries(EXPERIENCE_KINDS.map((k) => [k, z.number()])) as Record<ExperienceKind, z.ZodNumber>,
      ),
      lanes: z.object(
        Object.fromEntries(EXPERIENCE_KINDS.map((k) => [k, z.enum(['modal', 'inline'])])) as Record<
          ExperienceKind,
          z.ZodEnum<{ modal: 'modal'; inline: 'inline' }>
        >,
      ),
      /** Frequency caps of modal kinds: at most `max` shows of one experience per user in `days` days. */
      caps: z.object({ guide: cap, value: cap, advocacy: cap, message: cap }),
      checklist: z.object({
        phases: z.array(z.enum(PHASES)),
        /** Onboarding milestone ids shown as items, in order. */
        items: z.array(z.enum(ONBOARDING_MILESTONES)),
        titles: z.record(name, localized(200)),
        cta: z.record(name, cta),
      }),
      value: z.object({ periodDays: posInt, phases: z.array(z.enum(PHASES)) }),
      advocacy: z.object({
        phases: z.array(z.enum(PHASES)),
        links: z.record(name, link),
        /**
         * What the in-app ask says each program gives, by program id: one text for every locale or one
         * per locale (`{ "en": "…", "pt-BR": "…" }`, merged over the defaults). A program without one
         * shows its `advocacy.programs` benefit as written.
         */
        benefits: z.record(
          name,
          z.union([z.string().min(1).max(300), z.partialRecord(z.enum(LOCALES), z.string().min(1).max(300))]),
        ),
        /** Each program's name as the ask shows it, by program id; absent: the UI's own name for it. */
        names: z.record(name, localized(100)),
        /** The ask's own words; each absent one is the UI's. */
        texts: z.object({
          title: localized(200).optional(),
          accept: localized(50).optional(),
          accepted: localized(200).optional(),
        }),
      }),
      /** Renewal notice for tech-touch (auto-renewing) accounts, from `daysBefore` days before the renewal; a dismissal hides it `snoozeDays`. */
      banner: z.object({
        daysBefore: nonNegInt,
        snoozeDays: nonNegInt,
        cta: cta.optional(),
        /** `text` may hold `{date}` (the renewal date) and `{when}` ("in 12 days"); `cta` labels the call to action. */
        texts: z.object({ text: localized(300).optional(), cta: localized(100).optional() }),
      }),
      /** The NPS survey's texts (its timing is `nps.survey`); each absent one is the UI's own. */
      nps: z.object({
        texts: z.object({
          title: localized(200).optional(),
          question: localized(300).optional(),
          low: localized(100).optional(),
          high: localized(100).optional(),
          comment: localized(200).optional(),
          submit: localized(50).optional(),
          thanks: localized(300).optional(),
        }),
      }),
      messages: z.object({ low_usage: message, single_user: message, usage_declining: message }),
      /** Phases in which intervention messages show (onboarding has the checklist instead). */
      messagePhases: z.array(z.enum(PHASES)),
      guides: z.object({ waitMs: nonNegInt.max(60_000), missingTarget: z.enum(['skip', 'modal']) }),
    }),
    events: z.object({
      nps: name,
      ticketOpened: name,
      ticketClosed: name,
      usageLimit: name,
      premiumRequested: name,
      crossSell: name,
      referral: name,
      renewed: name,
      churned: name,
      engagement: name,
    }),
    touch: z.enum(TOUCH_LEVELS),
    renewalWindowDays: nonNegInt,
    phases: z.object({ onboardingDays: nonNegInt, adoptionDays: nonNegInt, advocacyAfterRenewalDays: posInt }),
    milestones: z.object({
      welcome: eventMilestone,
      kickoff: eventMilestone,
      setup: eventMilestone,
      first_value: eventMilestone,
      training: eventMilestone,
      health_check: eventMilestone,
      weekly_use: z.object({ window, weeks: posInt }),
      core_feature: z.object({ window }),
      workflow: z.object({ window, weeks: posInt, minWeeks: posInt }),
      engaged_team: z.object({ window, users: posInt, periodDays: posInt }),
    }),
    redFlags: z.object({
      setup_late: z.object({ afterDay: int, events: names }),
      no_login: z.object({ days: posInt, fromDay: int }),
      kickoff_rescheduled: z.object({ min: posInt, events: names }),
      training_no_show: z.object({ min: posInt, events: names }),
      usage_declining: z.object({ fromDay: int, periodDays: posInt, ratio: nonNeg, minActiveDaysBefore: nonNegInt }),
    }),
    adoption: z.object({
      periodDays: posInt,
      basic: z.object({
        loginPeriods: posInt,
        loginPeriodDays: posInt,
        minFeatures: nonNegInt,
        minActiveUsers: nonNegInt,
      }),
      regular: z.object({
        loginDays: nonNegInt,
        loginOfDays: posInt,
        minFeatureShare: share,
        minActiveUsers: nonNegInt,
      }),
      power: z.object({
        loginsPerUserDay: nonNeg,
        loginOfDays: posInt,
        minFeatureShare: share,
        minActiveUsers: nonNegInt,
        minSeatShare: share,
      }),
    }),
    interventions: z.object({
      channel,
      owner,
      periodDays: posInt,
      featureIgnoredFromDay: int,
      actions: z.object({ low_usage: name, feature_ignored: name, single_user: name, usage_declining: name }),
      messages: z.object({
        low_usage: z.string(),
        feature_ignored: z.string(),
        single_user: z.string(),
        usage_declining: z.string(),
      }),
    }),
    health: z.object({
      weights: z.object({
        adoption: nonNeg,
        trend: nonNeg,
        milestones: nonNeg,
        nps: nonNeg,
        support: nonNeg,
        sponsor: nonNeg,
      }),
      adoption: z.object({
        none: z.number().min(0).max(100),
        basic: z.number().min(0).max(100),
        regular: z.number().min(0).max(100),
        power: z.number().min(0).max(100),
      }),
      trend: z.object({ periodDays: posInt, points: z.array(z.tuple([nonNeg, z.number().min(0).max(100)])).min(1) }),
      support: z.array(z.number().min(0).max(100)).min(1),
      sponsorDays: posInt,
      bands: z.object({ green: z.number().min(0).max(100), yellow: z.number().min(0).max(100) }),
    }),
    nps: z.object({
      windowDays: posInt,
      promoterMin: z.number().int().min(0).max(10),
      passiveMin: z.number().int().min(0).max(10),
      survey: z.object({
        everyDays: posInt,
        notBeforeDay: nonNegInt,
        healthCheckDay: nonNegInt,
        fromDay: nonNegInt,
        afterRenewalDays: nonNegInt,
        dismissRetryDays: nonNegInt,
        maxDismissals: nonNegInt,
      }),
    }),
    expansion: z.object({
      minSignals: nonNegInt,
      healthOver: nonNeg,
      healthUnder: nonNeg,
      minAdvocacyScore: z.number().min(0).max(10),
      nearLimitShare: nonNeg,
      premiumDays: posInt,
      referralDays: posInt,
      stakeholderDays: posInt,
      lowUsageLevels: z.array(z.enum(ADOPTION_LEVELS)),
      moreUsersSeatShare: nonNeg,
      newTeamsHealthOver: nonNeg,
      newTeamsLevel: z.enum(ADOPTION_LEVELS),
    }),
    renewal: z.object({
      tasks: z.array(
        z.object({ id: name, offset: z.number().int().max(0), events: names, channel, owner, label: z.string() }),
      ),
    }),
    advocacy: z.object({
      windowDays: posInt,
      satisfiedMin: z.number().int().min(0).max(10),
      loyalMin: z.number().int().min(0).max(10),
      promoterMin: z.number().int().min(0).max(10),
      marketingEvents: names,
      programs: z.object({
        satisfied: z.array(program),
        loyal: z.array(program),
        promoter: z.array(program),
        evangelist: z.array(program),
      }),
    }),
    touchpoints: z.object({
      overdueDays: nonNegInt,
      plan: z.object(
        Object.fromEntries(TOUCHPOINTS.map((id) => [id, touchpoint])) as Record<TouchpointId, typeof touchpoint>,
      ),
    }),
    /** The renewal QBR pack's "future" part (seed "Visao de Futuro"): the customer's goals for the next period. */
    qbr: z.object({ goals: z.array(z.string().min(1).max(500)).max(50) }),
    moments: z.object(
      Object.fromEntries(
        MOMENTS.map((id) => [id, z.object({ events: names, risk: z.string(), opportunity: z.string() })]),
      ) as Record<MomentId, z.ZodObject<{ events: typeof names; risk: z.ZodString; opportunity: z.ZodString }>>,
    ),
  })

  const partialBase = deepPartial(base)
  const doc = z.strictObject({
    ...(partialBase as z.ZodObject).shape,
    segments: z
      .strictObject({
        enterprise: partialBase.optional(),
        mid_market: partialBase.optional(),
        smb: partialBase.optional(),
      })
      .optional(),
  })
  return { base, doc }
}

/** Every object becomes strict and all-optional, recursively; arrays, tuples, records and nullables stay whole. */
function deepPartial(s: z.ZodType): z.ZodType {
  if (s instanceof z.ZodObject) {
    const shape: Record<string, z.ZodType> = {}
    for (const [k, v] of Object.entries(s.shape as Record<string, z.ZodType>)) shape[k] = deepPartial(v).optional()
    return z.strictObject(shape)
  }
  return s
}

let cached: ReturnType<typeof buildSchemas> | undefined
/** The zod schema of a config document as `PUT /v1/config` takes it (server/openapi.ts documents it). */
export function configDocumentSchema(): z.ZodType {
  return schemas().doc
}

/** The schemas, built on first use. */
export function schemas(): ReturnType<typeof buildSchemas> {
  return (cached ??= buildSchemas())
}

/** A resolved config: the workspace's values (root) or one segment's (after `configFor`). */
export type BaseConfig = z.infer<ReturnType<typeof buildSchemas>['base']>
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T
/** The workspace's journey config: root values plus per-segment blocks merged over them. */
export interface JourneyConfig extends BaseConfig {
  segments: Partial<Record<Segment, DeepPartial<BaseConfig>>>
}
