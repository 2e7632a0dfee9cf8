/**
 * The results page's view, held in the URL (`/console/results?from=2026-03-01&segment=smb&interval=month`):
 * the range as two days, the accounts' segment and phase, the NPS's interval. Both routes take the
 * same range and filters (docs/http-api.md, "Results"), so a shared link shows the same numbers.
 */
import type { Api, Query } from '../../api'
import { day, oneOf, readQuery, toQuery } from '../../url'
import type { Values } from '../../url'
import { NPS_INTERVALS, PHASES, SEGMENTS } from '../../vocabulary'

export const RESULTS_FILTERS = {
  from: day,
  to: day,
  segment: oneOf(SEGMENTS),
  phase: oneOf(PHASES),
  interval: oneOf(NPS_INTERVALS),
}
export type ResultsFilters = Values<typeof RESULTS_FILTERS>

/** Without a range in the URL: the last 30 days, as the API's own default. */
export const DEFAULT_DAYS = 30

const DAY_MS = 86_400_000

/** `day` moved by `n` days (UTC). */
export const addDays = (day: string, n: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10)

/** The range shown and asked for, both days included: the URL's, else `DEFAULT_DAYS` before `to`, to today. */
export function rangeOf(f: ResultsFilters, today: string): { from: string; to: string } {
  const to = f.to ?? today
  return { from: f.from ?? addDays(to, -DEFAULT_DAYS), to }
}

/**
 * `GET /v1/results/experiences`'s query. A day alone is the end of that UTC day to the API, which
 * is what `to` means; `from` is sent as the start of its day, so that the day is counted whole.
 */
export function experiencesQuery(f: ResultsFilters, today: string): Query {
  const { from, to } = rangeOf(f, today)
  return { from: `${from}T00:00:00.000Z`, to, segment: f.segment, phase: f.phase }
}

/** `GET /v1/results/nps`'s query: the same, and the interval (the API's default, week, when none). */
export function npsQuery(f: ResultsFilters, today: string): Query {
  return { ...experiencesQuery(f, today), interval: f.interval }
}

/** The CSV of each: the same query and `format=csv`, as plain links (the cookie goes with them). */
export function csvUrls(api: Api, f: ResultsFilters, today: string): { experiences: string; nps: string } {
  return {
    experiences: api.url('/v1/results/experiences', { ...experiencesQuery(f, today), format: 'csv' }),
    nps: api.url('/v1/results/nps', { ...npsQuery(f, today), format: 'csv' }),
  }
}

/** The page's URL for a view. */
export function resultsHref(base: string, f: ResultsFilters): string {
  return base + toQuery(RESULTS_FILTERS, f)
}

/**
 * A view with some filters changed, as the form's fields give them: '' drops a filter (its default
 * applies), and a value the filter does not read is dropped too.
 */
export function withFilter(f: ResultsFilters, change: Partial<Record<keyof ResultsFilters, string>>): ResultsFilters {
  const next: Record<string, string | undefined> = { ...f, ...change }
  return readQuery(RESULTS_FILTERS, next)
}
