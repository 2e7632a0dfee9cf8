import { Hono } from 'hono'
import type { Context, MiddlewareHandler } from 'hono'
import { z } from 'zod'
import { callerOf } from '../http/access'
import { AccountPathSchema, factsOr404 } from '../http/account-facts'
import type { JourneyDeps } from '../http/account-facts'
import type { AppEnv } from '../http/app-env'
import { notAfterNow, param, query, timeSchema } from '../http/validate'
import { journeyContext, stateOf } from '../journey'
import { SEGMENTS } from '../journey/config'
import { segmentOf } from '../journey/context'
import type { AccountFacts } from '../journey/facts'
import { computeValue, localeOf } from '../journey/value'
import { accountMapSummary } from '../reports/account-map-summary'
import { buildJourneyMap, type AccountMapSummary, type JourneyMap } from '../reports/journey-map'
import { journeyMapCsv } from '../reports/journey-map-csv'
import { renderJourneyMapHtml } from '../reports/journey-map-html'
import { buildQbr, QBR_RESULTS_DAYS } from '../reports/qbr'
import { renderQbrHtml } from '../reports/qbr-html'
import { renderValueEmail } from '../reports/value-email'

const locale = z.string().max(35).optional()

/** `GET /v1/accounts/:id/value` query: `period` is `Nd`, 1 to 365 days (default 30d). */
export const ValueQuerySchema = z.strictObject({
  period: z
    .string()
    .regex(/^\d{1,3}d$/, 'expected a number of days such as 30d')
    .transform((s) => Number(s.slice(0, -1)))
    .refine((n) => n >= 1 && n <= 365, 'expected 1d to 365d')
    .optional(),
  locale,
})

/** `GET /v1/accounts/:id/qbr` query. */
export const QbrQuerySchema = z.strictObject({
  at: timeSchema.optional(),
  locale,
  format: z.enum(['json', 'html']).optional(),
})

/** `GET /v1/journey-map` query; no segment: every account. */
export const JourneyMapQuerySchema = z.strictObject({
  segment: z.enum(SEGMENTS).optional(),
  format: z.enum(['json', 'csv', 'html']).optional(),
  at: timeSchema.optional(),
})

/**
 * The reports are documents for people: nothing in them runs or loads. A browser opening one
 * directly gets a CSP that allows inline styles only (defence in depth behind escaping).
 */
const DOCUMENT_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'",
  'X-Content-Type-Options': 'nosniff',
}

/** `?format=html`, else an `Accept` that prefers text/html over JSON (a browser), else JSON. */
function wantsHtml(c: Context<AppEnv>, format: string | undefined): boolean {
  if (format !== undefined) return format === 'html'
  const accept = c.req.header('accept') ?? ''
  return /\btext\/html\b/i.test(accept) && !/\bapplication\/json\b/i.test(accept.split(',')[0] ?? '')
}

const accountName = (facts: AccountFacts, id: string): string => {
  const n = facts.traits.name
  return typeof n === 'string' && n.trim() !== '' ? n.trim() : id
}

/**
 * The tech-touch and high-touch documents (value emails and the QBR pack), to be mounted
 * under `/v1`: the value statement with its ready-to-send email, the renewal QBR pack, the journey
 * map. Secret key only: they hold an account's (or every account's) figures.
 */
export function reportsRoute({
  store,
  clock,
  configOf,
  guard,
}: JourneyDeps & { guard: MiddlewareHandler<AppEnv> }): Hono<AppEnv> {
  const route = new Hono<AppEnv>()

  const factsOf = (ws: string, id: string, at: number) => factsOr404(store, ws, id, at)
  /** The sender of the customer-facing documents: the workspace's name (the vendor, journey.md "Entities"). */
  const vendorOf = async (ws: string): Promise<string | null> => (await store.getWorkspace(ws))?.name ?? null

  const account = param(AccountPathSchema)

  route.get('/accounts/:id/value', guard, account, query(ValueQuerySchema), async (c) => {
    const ws = callerOf(c).workspace.id
    const id = c.req.valid('param').id
    const q = c.req.valid('query')
    const now = clock()
    const [config, facts, vendorName] = await Promise.all([configOf(ws), factsOf(ws, id, now), vendorOf(ws)])
    const lc = localeOf(q.locale ?? facts.traits.locale)
    const statement = computeValue(journeyContext(config, facts, now), q.period ?? 30, lc)
    const email = renderValueEmail({ statement, accountName: accountName(facts, id), vendorName, locale: lc })
    return c.json({ accountId: id, statement, text: statement.text, email }, 200)
  })

  route.get('/accounts/:id/qbr', guard, account, query(QbrQuerySchema), async (c) => {
    const ws = callerOf(c).workspace.id
    const id = c.req.valid('param').id
    const q = c.req.valid('query')
    const now = clock()
    const at = notAfterNow(q.at ?? now, now, 'at')
    const [config, facts, vendorName] = await Promise.all([configOf(ws), factsOf(ws, id, at), vendorOf(ws)])
    const lc = localeOf(q.locale ?? facts.traits.locale)
    const ctx = journeyContext(config, facts, at)
    const qbr = buildQbr({
      ctx,
      state: stateOf(ctx),
      results: computeValue(ctx, QBR_RESULTS_DAYS, lc),
      accountName: accountName(facts, id),
      vendorName,
      locale: lc,
    })
    if (wantsHtml(c, q.format)) return c.html(renderQbrHtml(qbr), 200, DOCUMENT_HEADERS)
    return c.json(qbr, 200)
  })

  route.get('/journey-map', guard, query(JourneyMapQuerySchema), async (c) => {
    const ws = callerOf(c).workspace.id
    const q = c.req.valid('query')
    const now = clock()
    const at = notAfterNow(q.at ?? now, now, 'at')
    const config = await configOf(ws)
    const inSegment = (segment: unknown) => q.segment === undefined || segmentOf(segment) === q.segment
    // The map of now: the summaries the evaluator's sweeps stored with each snapshot (normally at
    // most an hour old: evaluations of touched accounts keep the last one); accounts without one
    // (not swept yet) are computed here. A past `at`: every account is computed. One account at a
    // time, only its summary kept: memory stays flat on a large workspace.
    const stored = q.at === undefined ? await store.listMapSummaries(ws) : []
    const summaries: AccountMapSummary[] = []
    const have = new Set<string>()
    let oldest: number | null = null
    for (const row of stored) {
      have.add(row.accountId)
      if (!inSegment(row.segment)) continue
      summaries.push(JSON.parse(row.summary) as AccountMapSummary)
      oldest = Math.min(oldest ?? row.computedAt, row.computedAt)
    }
    const fromSnapshots = summaries.length
    for (const id of await store.listAccountIds(ws)) {
      if (have.has(id)) continue
      const facts = await store.loadFacts(ws, id, at)
      if (facts !== null && inSegment(facts.traits.segment)) summaries.push(accountMapSummary(config, facts, at))
    }
    const map: JourneyMap = {
      ...buildJourneyMap(summaries, at, q.segment ?? null),
      sources: {
        stored: fromSnapshots,
        computed: summaries.length - fromSnapshots,
        oldestStored: oldest === null ? null : new Date(oldest).toISOString(),
      },
    }
    if (q.format === 'csv') {
      return c.body(journeyMapCsv(map), 200, {
        'Content-Type': 'text/csv; charset=utf-8; header=present',
        'Content-Disposition': `attachment; filename="journey-map-${q.segment ?? 'all'}.csv"`,
      })
    }
    if (q.format === 'html' || (q.format === undefined && wantsHtml(c, undefined)))
      return c.html(renderJourneyMapHtml(map), 200, DOCUMENT_HEADERS)
    return c.json(map, 200)
  })

  return route
}
