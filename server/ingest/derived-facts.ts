/**
 * Facts the server derives from what it receives, written beside their cause.
 *
 * `detractor` (journey.md "Advocacy levels"): an `nps_response` below the config's
 * `nps.passiveMin` (default 7) records a `detractor` fact for the CSM, with the score and the
 * comment. Its id is derived from the answer's id, so a retried answer is a duplicate and changes
 * nothing, and a lost derived fact comes back with the retry.
 */
import type { NewEvent } from '../store/types'

/** The `nps_response` events of a batch that may be detractors (score 0-8: the cheap test before the config is read). */
export function npsCandidates(events: NewEvent[]): NewEvent[] {
  return events.filter(
    (e) => e.type === 'track' && e.name === 'nps_response' && e.userId !== null && detractorScore(e, 9) !== null,
  )
}

function detractorScore(e: NewEvent, below: number): number | null {
  const v = e.properties.score
  const s = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN
  return Number.isInteger(s) && s >= 0 && s < below ? s : null
}

/** The `detractor` facts of these answers, under the workspace's `passiveMin`. */
export function detractorFacts(answers: NewEvent[], passiveMin: number): NewEvent[] {
  return answers.flatMap((e) => {
    const score = detractorScore(e, passiveMin)
    if (score === null) return []
    const comment = typeof e.properties.comment === 'string' ? e.properties.comment.slice(0, 2000) : undefined
    return [
      {
        ...e,
        id: `${e.id}:detractor`,
        name: 'detractor',
        properties: {
          score,
          ...(comment !== undefined && { comment }),
          responseId: e.id,
          ...(typeof e.properties.experienceId === 'string' && { experienceId: e.properties.experienceId }),
        },
        traits: null,
      },
    ]
  })
}
