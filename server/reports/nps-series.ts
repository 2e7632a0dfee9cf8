/**
 * NPS over time (the overview's 26 weeks, the results' weeks or months): per UTC interval, each
 * user's latest valid answer of the interval counts (journey/nps.ts `validScore`: a user and an
 * integer score 0-10), scored by the workspace config's thresholds (`tallyNps`).
 */
import type { JourneyConfig } from '../journey'
import { tallyNps, validScore } from '../journey/nps'
import { DAY_MS } from '../journey/time'

import type { NpsInterval } from '../journey/vocabulary'

/** An NPS answer as the store reads it (Store.listFactsNamed). */
export interface NpsAnswer {
  accountId: string
  userId: string | null
  at: number
  properties: Record<string, unknown>
}

/** UTC midnight of the Monday that starts the ISO week of `t`. */
export function weekStart(t: number): number {
  const day = Math.floor(t / DAY_MS)
  // Day 0 (1970-01-01) was a Thursday: 3 days after a Monday.
  return (day - ((((day + 3) % 7) + 7) % 7)) * DAY_MS
}

/** UTC midnight of the first day of `t`'s month. */
export function monthStart(t: number): number {
  const d = new Date(t)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)
}

/** The start of the interval after the one starting at `start`. */
function nextStart(start: number, interval: NpsInterval): number {
  if (interval === 'week') return start + 7 * DAY_MS
  const d = new Date(start)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)
}

/** The starts of the intervals that hold a time of [from, to], oldest first. */
export function intervalStarts(from: number, to: number, interval: NpsInterval): number[] {
  const starts: number[] = []
  for (let s = interval === 'week' ? weekStart(from) : monthStart(from); s <= to; s = nextStart(s, interval))
    starts.push(s)
  return starts
}

/**
 * NPS per interval, oldest first (one entry per start of `starts`, each up to the next start, the
 * last up to `nextStart`): `score` null in an interval without answers. `answers` in time order,
 * so that a later answer replaces the user's earlier one of its interval.
 */
export function npsSeries(
  answers: readonly NpsAnswer[],
  config: JourneyConfig,
  starts: readonly number[],
  interval: NpsInterval,
) {
  const latest = starts.map(() => new Map<string, number>())
  const end = starts.length === 0 ? 0 : nextStart(starts[starts.length - 1]!, interval)
  for (const a of answers) {
    const score = validScore(a.userId, a.properties)
    if (score === null || starts.length === 0 || a.at < starts[0]! || a.at >= end) continue
    // The last start at or before the answer.
    let i = starts.length - 1
    while (starts[i]! > a.at) i--
    latest[i]!.set(JSON.stringify([a.accountId, a.userId]), score)
  }
  return latest.map((byUser, i) => ({
    start: new Date(starts[i]!).toISOString().slice(0, 10),
    ...tallyNps([...byUser.values()], config.nps),
  }))
}
