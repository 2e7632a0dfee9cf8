/**
 * Advocacy level (journey.md, "Advocacy levels"; seed "Niveis de Advocacy", "Programas de Advocacy").
 * The advocacy score is the mean of the users' latest NPS answers in the window (default 180 days),
 * rounded half up: 7-8 `satisfied`, 9 `loyal`, 10 `promoter`; 9-10 and a marketing participation at
 * any time (`case_study_done`, `speaking_done`, `advisory_board_joined`) `evangelist`; 0-6
 * `detractor` (no advocacy ask: a recovery action instead). No answer: level null.
 */
import type { Ctx } from './context'
import { latestResponses } from './nps'
import { fmt, roundHalfUp } from './time'

export type AdvocacyLevel = 'detractor' | 'satisfied' | 'loyal' | 'promoter' | 'evangelist'

export interface AdvocacyProgram {
  id: string
  benefit: string
}

export interface AdvocacyState {
  level: AdvocacyLevel | null
  /** Mean of the latest answers, rounded half up; null without answers. */
  score: number | null
  programs: AdvocacyProgram[]
  /** A detractor gets a recovery action instead of an advocacy ask. */
  recovery: boolean
  reason: string
}

/** The advocacy score: mean of each user's latest answer in the window, rounded half up; null without answers. */
export function advocacyScore(ctx: Ctx): { score: number | null; mean: number | null; answers: number } {
  const rs = latestResponses(ctx, ctx.cfg.advocacy.windowDays)
  if (rs.length === 0) return { score: null, mean: null, answers: 0 }
  const mean = rs.reduce((a, r) => a + r.score, 0) / rs.length
  return { score: roundHalfUp(mean), mean, answers: rs.length }
}

/** Advocacy level and the programs to offer at `ctx.at` (seed "Niveis de Advocacy"). */
export function computeAdvocacy(ctx: Ctx): AdvocacyState {
  const a = ctx.cfg.advocacy
  const { score, mean, answers } = advocacyScore(ctx)
  if (score === null || mean === null) {
    return {
      level: null,
      score: null,
      programs: [],
      recovery: false,
      reason: `no NPS answer in the last ${a.windowDays} days`,
    }
  }
  const base = `advocacy score ${score} (mean ${fmt(mean)} of ${answers} users' latest answers)`
  const marketing = ctx.facts.find((e) => a.marketingEvents.includes(e.name))
  let level: AdvocacyLevel
  if (score >= a.loyalMin && marketing) level = 'evangelist'
  else if (score >= a.promoterMin) level = 'promoter'
  else if (score >= a.loyalMin) level = 'loyal'
  else if (score >= a.satisfiedMin) level = 'satisfied'
  else level = 'detractor'
  if (level === 'detractor') {
    return {
      level,
      score,
      programs: [],
      recovery: true,
      reason: `${base}: detractor, no advocacy ask; a recovery action instead`,
    }
  }
  const programs = a.programs[level].map((p) => ({ id: p.id, benefit: p.benefit }))
  const why = level === 'evangelist' ? `${base} and ${marketing!.name}` : base
  return { level, score, programs, recovery: false, reason: `${level}: ${why}` }
}
