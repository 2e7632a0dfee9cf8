/**
 * The results page's model: the experiences' results and the NPS over time for the URL's view, one
 * resource each, and how many of the NPS answers the table shows. A call is made again only when
 * its own query changed (another interval asks the NPS again, not the experiences), or on a retry.
 */
import { signal } from '@preact/signals'
import type { Api, Query } from '../../api'
import { createResource } from '../../resource'
import type { ExperienceResults, NpsResults } from '../../types'
import { experiencesQuery, npsQuery } from './filters'
import type { ResultsFilters } from './filters'

/** NPS answers shown at first, and added by each "show more". */
export const ANSWERS_PAGE = 50

export function createResultsModel(api: Api) {
  const experiences = createResource((q: Query) => api.get<ExperienceResults>('/v1/results/experiences', q))
  const nps = createResource((q: Query) => api.get<NpsResults>('/v1/results/nps', q))
  const answersShown = signal(ANSWERS_PAGE)
  const asked = { experiences: '', nps: '' }

  return {
    experiences,
    nps,
    answersShown,
    /** Loads the view as of `today` (a UTC day); `again`: even what was already asked (a retry). */
    async load(f: ResultsFilters, today: string, again = false) {
      const xq = experiencesQuery(f, today)
      const nq = npsQuery(f, today)
      const loads: Promise<void>[] = []
      if (again || JSON.stringify(xq) !== asked.experiences) {
        asked.experiences = JSON.stringify(xq)
        loads.push(experiences.load(xq))
      }
      if (again || JSON.stringify(nq) !== asked.nps) {
        asked.nps = JSON.stringify(nq)
        answersShown.value = ANSWERS_PAGE
        loads.push(nps.load(nq))
      }
      await Promise.all(loads)
    },
    showMoreAnswers() {
      answersShown.value += ANSWERS_PAGE
    },
  }
}
export type ResultsModel = ReturnType<typeof createResultsModel>
