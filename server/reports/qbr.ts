/**
 * The renewal QBR pack (journey.md, "Renewal timeline": the four parts; seed "Elementos do QBR de
 * Renovacao"): retrospective (results, value delivered, moments of truth), current situation
 * (health, usage and adoption, feedback), future (goals, opportunities), proposal (terms,
 * expansion options, next steps). Built from the engine's state and context at one time: the
 * numbers are the engine's, with their reasons; this file only arranges them for the meeting.
 *
 * Two readers: the JSON is the CSM's preparation and holds everything (health components and
 * weights, the seed's risk and opportunity of each moment of truth, expansion signals, task
 * statuses and owners). The printable HTML (qbr-html.ts) is shown to the customer at the meeting:
 * it leaves the internal notes out (no risks, no health internals, no readiness verdict, no engine
 * reasons, no user ids) and says the rest in the customer's words and locale.
 */
import type { JourneyState } from '../journey'
import type { Ctx } from '../journey/context'
import { activeDaysIn, activeUsersIn, daysIn, eventsNamed } from '../journey/context'
import type { Locale, ValueStatement } from '../journey/value'
import { toIso, toNumber } from '../journey/time'

/** Days the retrospective looks back (the quarter a QBR reviews). */
export const QBR_RESULTS_DAYS = 90
/** Days of usage shown in the current situation (the adoption period of the engine's default). */
const USAGE_DAYS = 30
/** Most NPS comments quoted. */
const MAX_COMMENTS = 20

export interface QbrComment {
  userId: string | null
  score: number | null
  comment: string
  at: string
}

export interface QbrStep {
  /** The touchpoint (touchpoints.ts) the step carries out. */
  id: string
  label: string
  due: string
  status: 'overdue' | 'due' | 'upcoming'
  channel: string
  owner: string
  ref: string | null
}

export interface Qbr {
  accountId: string
  accountName: string
  /** Who presents it: the vendor (the workspace's name), when known. */
  vendorName: string | null
  segment: string
  phase: string
  at: string
  locale: Locale
  retrospective: {
    /** The value statement of the last 90 days. */
    results: ValueStatement
    valueDelivered: {
      hoursSaved: number | null
      moneySaved: number | null
      roi: number | null
      currency: string
      timeToFirstValue: number | null
      milestonesDone: number
      milestonesTotal: number
    }
    moments: JourneyState['moments']
  }
  currentSituation: {
    health: JourneyState['health']
    usage: {
      periodDays: number
      adoptionLevel: string
      adoptionReason: string
      activeUsers: number
      seats: number | null
      activeDays: number
      logins: number
      featuresUsed: string[]
      /** `featuresUsed` by the config's feature names (the id when it has none). */
      featuresUsedNames: string[]
      featureCount: number
    }
    /** The NPS and the comments of the NPS window (`windowDays`). */
    feedback: { nps: JourneyState['nps']; comments: QbrComment[]; windowDays: number }
  }
  future: {
    /** The config's `qbr.goals` (segment block over the root). */
    goals: string[]
    expansionReady: boolean
    expansionReason: string
    opportunities: { id: string; reason: string }[]
  }
  proposal: {
    renewalDate: string | null
    daysToRenewal: number | null
    /** null fields are placeholders the CSM fills in (the engine does not know contract terms). */
    terms: {
      plan: string | null
      seats: number | null
      listPricePerMonth: number | null
      currency: string
      term: null
      price: null
      discount: null
    }
    expansionOptions: { id: string; offer: string; reason: string }[]
    nextSteps: QbrStep[]
  }
}

/** Seed "Oportunidades de Expansion": what each opportunity offers. */
const OFFERS: Record<string, Record<Locale, string>> = {
  upsell: { en: 'Upsell: a higher plan', 'pt-BR': 'Upsell: plano superior' },
  cross_sell: { en: 'Cross-sell: an additional product', 'pt-BR': 'Cross-sell: produto adicional' },
  more_users: { en: 'More users: more seats', 'pt-BR': 'Mais usuários: mais licenças' },
  new_teams: { en: 'New teams: other departments', 'pt-BR': 'Novos times: outros departamentos' },
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null)

/** The QBR pack at `ctx.at` for the account whose state is `state` (computed from the same ctx). */
export function buildQbr(input: {
  ctx: Ctx
  state: JourneyState
  results: ValueStatement
  accountName: string
  vendorName?: string | null
  locale: Locale
}): Qbr {
  const { ctx, state, results, accountName, locale } = input
  const d = ctx.day
  const from = d - USAGE_DAYS + 1
  let logins = 0
  for (const [, day] of daysIn(ctx, from, d)) for (const u of day.users) logins += u.logins

  const onboarding = state.milestones
  const done = onboarding.filter((m) => m.status === 'done' || m.status === 'done_late').length

  // Feedback: every NPS answer with a comment in the NPS window, newest first.
  const comments: QbrComment[] = eventsNamed(ctx, [ctx.cfg.events.nps], d - ctx.cfg.nps.windowDays + 1, d)
    .filter((e) => str(e.properties.comment) !== null)
    .map((e) => ({
      userId: e.userId,
      score: toNumber(e.properties.score),
      comment: str(e.properties.comment)!,
      at: toIso(e.at),
    }))
    .reverse()
    .slice(0, MAX_COMMENTS)

  const opportunities = state.expansion.opportunities.map((o) => ({ id: o.id, reason: o.reason }))

  return {
    accountId: state.accountId,
    accountName,
    vendorName: str(input.vendorName) ?? null,
    segment: state.segment,
    phase: state.phase.id,
    at: state.at,
    locale,
    retrospective: {
      results,
      valueDelivered: {
        hoursSaved: results.hoursSaved,
        moneySaved: results.moneySaved,
        roi: results.roi,
        currency: results.currency,
        timeToFirstValue: state.timeToFirstValue,
        milestonesDone: done,
        milestonesTotal: onboarding.length,
      },
      moments: state.moments,
    },
    currentSituation: {
      health: state.health,
      usage: {
        periodDays: USAGE_DAYS,
        adoptionLevel: state.adoption.level,
        adoptionReason: state.adoption.reason,
        activeUsers: activeUsersIn(ctx, from, d).size,
        seats: ctx.seats,
        activeDays: activeDaysIn(ctx, from, d),
        logins,
        featuresUsed: state.adoption.featuresUsed,
        featuresUsedNames: state.adoption.featuresUsed.map(
          (id) => str(ctx.cfg.features.find((f) => f.id === id)?.name) ?? id,
        ),
        featureCount: state.adoption.featureCount,
      },
      feedback: { nps: state.nps, comments, windowDays: ctx.cfg.nps.windowDays },
    },
    future: {
      goals: [...ctx.cfg.qbr.goals],
      expansionReady: state.expansion.ready,
      expansionReason: state.expansion.reason,
      opportunities,
    },
    proposal: {
      renewalDate: state.renewal.renewalDate,
      daysToRenewal: state.renewal.daysToRenewal,
      terms: {
        plan: str(ctx.traits.plan),
        seats: ctx.seats,
        listPricePerMonth: ctx.cfg.value.pricePerMonth,
        currency: ctx.cfg.value.currency,
        term: null,
        price: null,
        discount: null,
      },
      expansionOptions: opportunities.map((o) => ({
        id: o.id,
        offer: OFFERS[o.id]?.[locale] ?? o.id,
        reason: o.reason,
      })),
      // What happens after the meeting: the renewal tasks still open and the CSM's meetings and
      // calls, by due day. Automated touches (emails, in-app) are left to the journey map.
      nextSteps: state.touchpoints
        .filter((t) => t.id === 'renewal_tasks' || t.channel === 'meeting' || t.channel === 'call')
        .map((t) => ({
          id: t.id,
          label: t.label,
          due: t.due,
          status: t.status,
          channel: t.channel,
          owner: t.owner,
          ref: t.ref ?? null,
        })),
    },
  }
}
