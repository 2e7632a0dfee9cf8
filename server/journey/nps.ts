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

/** Each user's latest valid response whose day is within the last `windowDays` days. */
export function latestResponses(ctx: Ctx, windowDays: number): NpsResponse[] {
  const byUser = new Map<string, NpsResponse>()
  for (const e of eventsNamed(ctx, [ctx.cfg.events.nps], ctx.day - windowDays + 1, ctx.day)) {
    const score = toNumber(e.properties.score)
    if (e.userId === null || score === null || !Number.isInteger(score) || score < 0 || score > 10) continue
    // Events are ascending: a later answer replaces the user's earlier one.
    byUser.set(e.userId, { userId: e.userId, score, at: e.at })
  }
  return [...byUser.values()].sort((a, b) => (a.userId < b.userId ? -1 : 1))
}

/** Account NPS at `ctx.at` (journey.md "NPS"). */
export function computeNps(ctx: Ctx): NpsState {
  const { windowDays, promoterMin, passiveMin } = ctx.cfg.nps
  const rs = latestResponses(ctx, windowDays)
  const promoters = rs.filter((r) => r.score >= promoterMin).length
  const detractors = rs.filter((r) => r.score < passiveMin).length
  const passives = rs.length - promoters - detractors
  if (rs.length === 0) {
    return {
      score: null,
      responses: 0,
      promoters,
      passives,
      detractors,
      reason: `no NPS response in the last ${windowDays} days`,
    }
  }
  const score = roundHalfUp(((promoters - detractors) * 100) / rs.length)
  return {
    score,
    responses: rs.length,
    promoters,
    passives,
    detractors,
    reason: `NPS ${score}: ${promoters} promoters, ${passives} passives, ${detractors} detractors of ${rs.length} users' latest answers in the last ${windowDays} days`,
  }
}
