import type { NpsFollowUp } from '../../wire'

/** The follow-up for `score`: the band with the highest `min` at or below it (none when no band fits). */
export function pickFollowUp(followUps: readonly NpsFollowUp[], score: number): NpsFollowUp | undefined {
  let best: NpsFollowUp | undefined
  for (const f of followUps || []) if (f.min <= score && (!best || f.min > best.min)) best = f
  return best
}
