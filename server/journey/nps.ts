/**
 * Account NPS (journey.md, "NPS"): each user's latest `nps_response` in the window (default the last
 * 180 days); promoters 9-10, passives 7-8, detractors 0-6; NPS = % promoters − % detractors, rounded
 * half up. A response counts only with a `userId` and an integer `score` 0-10 (a numeric string is
 * read as its number); anything else is ignored.
 */
import type { Ctx } from './context'
import { eventsNamed } from './context'
import { roundHalfUp, toNumber } from './time'

export interface NpsResponse {
  userId: string
  score: number
  at: number
}

export interface NpsState {
  /** null when no user answered in the window. */
  score: number | null
  responses: number
  promoters: number
  passives: number
  detractors: number
  reason: string
}

/** An answer's score when the answer counts (a user and an integer score 0-10), else null. */
export function validScore(userId: string | null, properties: Record<string, unknown>): number | null {
  const score = toNumber(properties.score)
  if (userId === null || score === null || !Number.isInteger(score) || score < 0 || score > 10) return null
  return score
}

/** Promoters, passives and detractors of `scores` by the config's thresholds; NPS = % promoters − % detractors, rounded half up (null without scores). */
export function tallyNps(
  scores: readonly number[],
  { promoterMin, passiveMin }: { promoterMin: number; passiveMin: number },
) {
  const promoters = scores.filter((s) => s >= promoterMin).length
  const detractors = scores.filter((s) => s < passiveMin).length
  const passives = scores.length - promoters - detractors
  const score = scores.length === 0 ? null : roundHalfUp(((promoters - detractors) * 100) / scores.length)
  return { score, responses: scores.length, promoters, passives, detractors }
}

/** Each user's latest valid response whose day is within the last `windowDays` days. */
export function latestResponses(ctx: Ctx, windowDays: number): NpsResponse[] {
  const byUser = new Map<string, NpsResponse>()
  for (const e of eventsNamed(ctx, [ctx.cfg.events.nps], ctx.day - windowDays + 1, ctx.day)) {
    const score = validScore(e.userId, e.properties)
    if (e.userId === null || score === null) continue
    // Events are ascending: a later answer replaces the user's earlier one.
    byUser.set(e.userId, { userId: e.userId, score, at: e.at })
  }
  return [...byUser.values()].sort((a, b) => (a.userId < b.userId ? -1 : 1))
}

/** Account NPS at `ctx.at` (journey.md "NPS"). */
export function computeNps(ctx: Ctx): NpsState {
  const { windowDays } = ctx.cfg.nps
  const rs = latestResponses(ctx, windowDays)
  const { score, promoters, passives, detractors } = tallyNps(
    rs.map((r) => r.score),
    ctx.cfg.nps,
  )
  if (score === null) {
    return {
      score: null,
      responses: 0,
      promoters,
      passives,
      detractors,
      reason: `no NPS response in the last ${windowDays} days`,
    }
  }
  return {
    score,
    responses: rs.length,
    promoters,
    passives,
    detractors,
    reason: `NPS ${score}: ${promoters} promoters, ${passives} passives, ${detractors} detractors of ${rs.length} users' latest answers in the last ${windowDays} days`,
  }
}
