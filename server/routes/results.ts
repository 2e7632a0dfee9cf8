/**
 * The results of what the SDK showed (docs/http-api.md, "Results"; console.md, "Results"): the
 * engagement events of a time range counted per experience, and the NPS over time with its answers,
 * each as JSON or CSV. To be mounted under `/v1`; least role viewer. Glue only: the store counts in
 * SQL, nps-series.ts scores the answers as the overview does.
 */
import { Hono } from 'hono'
import type { Context, MiddlewareHandler } from 'hono'
import { z } from 'zod'
import type { JourneyDeps } from '../http/account-facts'
import { callerOf } from '../http/access'
import type { AppEnv } from '../http/app-env'
import { ApiError } from '../http/errors'
import { notAfterNow, query, timeSchema } from '../http/validate'
import type { JourneyConfig } from '../journey'
import { validScore } from '../journey/nps'
import { DAY_MS } from '../journey/time'
import { PHASES, SEGMENTS } from '../journey/vocabulary'
import { safeCell } from '../reports/accounts-csv'
import { toCsv } from '../reports/html'
import { NPS_INTERVALS } from '../journey/vocabulary'
import { intervalStarts, npsSeries } from '../reports/nps-series'
import type { EngagementRows } from '../store/types'

/** The default range: the last this many days, to now. */
export const DEFAULT_RESULTS_DAYS = 30
/** The longest range a request may ask for. */
export const MAX_RESULTS_DAYS = 731
/** NPS answers listed: default and most. */
export const MAX_NPS_ANSWERS = 500

const range = {
  from: timeSchema.optional().describe(`default: ${DEFAULT_RESULTS_DAYS} days before \`to\``),
  to: timeSchema.optional().describe('default: now'),
  segment: z.enum(SEGMENTS).optional().describe("the account's current segment (its snapshot)"),
  phase: z.enum(PHASES).optional().describe("the account's current phase (its snapshot)"),
  format: z.enum(['json', 'csv']).optional(),
}

/** `GET /v1/results/experiences` query. */
export const ExperienceResultsQuerySchema = z.strictObject(range)

/** `GET /v1/results/nps` query. */
export const NpsResultsQuerySchema = z.strictObject({
  ...range,
  interval: z.enum(NPS_INTERVALS).optional().describe('default: week (Monday to Sunday, UTC)'),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_NPS_ANSWERS)
    .optional()
    .describe(`answers listed, newest first (default and most ${MAX_NPS_ANSWERS})`),
})

const iso = (t: number) => new Date(t).toISOString()
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** [from, to] of a query: `to` not after today, `from` before it, at most MAX_RESULTS_DAYS apart. */
function rangeOf(q: { from?: number | undefined; to?: number | undefined }, now: number): { from: number; to: number } {
  const to = notAfterNow(q.to ?? now, now, 'to')
  const from = q.from ?? to - DEFAULT_RESULTS_DAYS * DAY_MS
  const issue = (message: string) => new ApiError(400, 'invalid_query', 'invalid range', [{ path: 'from', message }])
  if (from > to) throw issue('must not be after `to`')
  if (to - from > MAX_RESULTS_DAYS * DAY_MS) throw issue(`must be at most ${MAX_RESULTS_DAYS} days before \`to\``)
  return { from, to }
}

/** A CSV answer, downloaded as `name`. */
function csv(c: Context<AppEnv>, rows: unknown[][], name: string) {
  return c.body(toCsv(rows.map((r) => r.map(safeCell))), 200, {
    'Content-Type': 'text/csv; charset=utf-8; header=present',
    'Content-Disposition': `attachment; filename="${name}"`,
  })
}

/**
 * The store's rows as the route answers them: experiences by id, steps ascending, items in the
 * config's order with their milestone's window (`windows`, by item: every item the store was asked
 * about), programs by id.
 */
export function experienceResults(rows: EngagementRows, windows: ReadonlyMap<string, readonly [number, number]>) {
  const of = <T extends { id: string; kind: string }>(list: T[], x: { id: string; kind: string }) =>
    list.filter((r) => r.id === x.id && r.kind === x.kind)
  return [...rows.experiences]
    .sort((a, b) => cmp(a.id, b.id) || cmp(a.kind, b.kind))
    .map((x) => {
      const steps = of(rows.steps, x).sort((a, b) => a.step - b.step)
      const items = of(rows.items, x).sort((a, b) => a.order - b.order)
      const programs = of(rows.programs, x).sort((a, b) => cmp(a.program, b.program))
      const byReason = Object.fromEntries(
        of(rows.reasons, x)
          .sort((a, b) => cmp(a.reason, b.reason))
          .map((r) => [r.reason, r.count]),
      )
      return {
        id: x.id,
        kind: x.kind,
        shown: x.shown,
        completed: x.completed,
        dismissed: { total: x.dismissed, byReason },
        users: x.users,
        accounts: x.accounts,
        ...(x.kind === 'guide' && {
          steps: steps.map((s) => ({ step: s.step, viewed: s.viewed, left: s.left, targetMissing: s.targetMissing })),
        }),
        ...(x.kind === 'checklist' && {
          items: items.map((i) => {
            const [from, to] = windows.get(i.item)!
            const window: [number, number] = [from, to]
            return { id: i.item, done: i.done, accounts: i.accounts, medianDay: i.medianDay, window }
          }),
        }),
        ...((x.kind === 'advocacy' || x.kind === 'nps') && {
          programs: programs.map((p) => ({
            id: p.program,
            accepted: p.accepted,
            users: p.users,
            accounts: p.accounts,
          })),
        }),
      }
    })
}

type ExperienceResult = ReturnType<typeof experienceResults>[number]

/** The experiences' results as one row per number: `experienceId, kind, measure, key, value`. */
function experiencesCsv(list: ExperienceResult[]): unknown[][] {
  const rows: unknown[][] = [['experienceId', 'kind', 'measure', 'key', 'value']]
  for (const x of list) {
    // A value of null (a median without accounts) is an empty cell.
    const row = (measure: string, key: string | number, value: number | null) =>
      rows.push([x.id, x.kind, measure, key, value])
    row('shown', '', x.shown)
    row('completed', '', x.completed)
    row('dismissed', '', x.dismissed.total)
    for (const [reason, n] of Object.entries(x.dismissed.byReason)) row('dismissed', reason, n)
    row('users', '', x.users)
    row('accounts', '', x.accounts)
    for (const s of x.steps ?? []) {
      row('step_viewed', s.step, s.viewed)
      row('step_left', s.step, s.left)
      row('step_target_missing', s.step, s.targetMissing)
    }
    for (const i of x.items ?? []) {
      row('item_done', i.id, i.done)
      row('item_accounts', i.id, i.accounts)
      row('item_median_day', i.id, i.medianDay)
      row('item_window_from', i.id, i.window[0])
      row('item_window_to', i.id, i.window[1])
    }
    for (const p of x.programs ?? []) {
      row('program_accepted', p.id, p.accepted)
      row('program_users', p.id, p.users)
      row('program_accounts', p.id, p.accounts)
    }
  }
  return rows
}

/** The checklist's items, the events that mark each done and its window (the milestones of its items). */
const checklistItems = (config: JourneyConfig) =>
  config.experiences.checklist.items.map((id) => ({
    id,
    events: config.milestones[id].events,
    window: config.milestones[id].window,
  }))

/** `GET /v1/results/experiences` and `GET /v1/results/nps`. */
export function resultsRoute(deps: JourneyDeps & { guard: MiddlewareHandler<AppEnv> }): Hono<AppEnv> {
  const { store, clock, configOf, guard } = deps
  const route = new Hono<AppEnv>()

  route.get('/results/experiences', guard, query(ExperienceResultsQuerySchema), async (c) => {
    const ws = callerOf(c).workspace.id
    const q = c.req.valid('query')
    const { from, to } = rangeOf(q, clock())
    const config = await configOf(ws)
    const items = checklistItems(config)
    const rows = await store.engagementResults(ws, {
      from,
      to,
      segment: q.segment,
      phase: q.phase,
      checklistItems: items.map(({ id, events }) => ({ id, events })),
    })
    const experiences = experienceResults(rows, new Map(items.map((i) => [i.id, i.window])))
    if (q.format === 'csv') return csv(c, experiencesCsv(experiences), 'experience-results.csv')
    return c.json({ from: iso(from), to: iso(to), experiences }, 200)
  })

  route.get('/results/nps', guard, query(NpsResultsQuerySchema), async (c) => {
    const ws = callerOf(c).workspace.id
    const q = c.req.valid('query')
    const { from, to } = rangeOf(q, clock())
    const interval = q.interval ?? 'week'
    const config = await configOf(ws)
    const stored = await store.listFactsNamed(ws, config.events.nps, from, to + 1, q)
    const series = npsSeries(stored, config, intervalStarts(from, to, interval), interval)
    const valid = stored.flatMap((a) => {
      const score = validScore(a.userId, a.properties)
      if (score === null || a.userId === null) return []
      const comment = typeof a.properties.comment === 'string' ? a.properties.comment : null
      return [{ userId: a.userId, accountId: a.accountId, score, comment, at: a.at }]
    })
    // Newest first: the store reads in time order.
    const answers = valid
      .reverse()
      .slice(0, q.limit ?? MAX_NPS_ANSWERS)
      .map((a) => ({ ...a, at: iso(a.at) }))
    if (q.format === 'csv') {
      const rows: unknown[][] = [
        [
          'row',
          'start',
          'at',
          'accountId',
          'userId',
          'score',
          'promoters',
          'passives',
          'detractors',
          'responses',
          'comment',
        ],
      ]
      for (const s of series)
        rows.push([interval, s.start, '', '', '', s.score, s.promoters, s.passives, s.detractors, s.responses, ''])
      for (const a of answers)
        rows.push(['answer', '', a.at, a.accountId, a.userId, a.score, '', '', '', '', a.comment])
      return csv(c, rows, 'nps-results.csv')
    }
    return c.json({ from: iso(from), to: iso(to), interval, series, answers, totalAnswers: valid.length }, 200)
  })

  return route
}
