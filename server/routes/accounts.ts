import { Hono } from 'hono'
import type { MiddlewareHandler } from 'hono'
import { z } from 'zod'
import { snapshotOf } from '../evaluator'
import { callerOf } from '../http/access'
import { recordChange } from '../http/audit'
import { AccountPathSchema, accountIdOr404, factsOr404 } from '../http/account-facts'
import type { JourneyDeps } from '../http/account-facts'
import { maxBody, readJson } from '../http/body'
import type { AppEnv } from '../http/app-env'
import { ApiError } from '../http/errors'
import { json, notAfterNow, param, query, timeSchema } from '../http/validate'
import { diffStates, journeyState } from '../journey'
import type { JourneyState } from '../journey'
import { BANDS, PHASES, RED_FLAGS, SEGMENTS } from '../journey/config'
import type { PhaseOverride } from '../journey/facts'
import { SNAPSHOT_SORTS } from '../store/types'
import type { AccountSnapshot, OverrideChange, SnapshotQuery } from '../store/types'
import { DAY_MS } from '../journey/time'
import { accountsCsv } from '../reports/accounts-csv'
import type { ListedAccount } from '../reports/accounts-csv'

/** Accounts per page of `GET /v1/accounts`: default and most. */
export const DEFAULT_PAGE = 50
export const MAX_PAGE = 500
/** Largest override body, bytes. */
const MAX_OVERRIDE_BYTES = 16 * 1024

/** Longest `renewalWithin`, days (ten years). */
const MAX_RENEWAL_WITHIN = 3650

/** `GET /v1/accounts` query. Unknown parameters are refused: a typo (`phases=`) must not list everything. */
export const ListQuerySchema = z.strictObject({
  phase: z.enum(PHASES).optional(),
  band: z.enum(BANDS).optional(),
  flag: z.enum(RED_FLAGS).optional(),
  segment: z.enum(SEGMENTS).optional(),
  q: z.string().max(200).optional().describe('part of the account id or of its name, any case'),
  renewalWithin: z.coerce
    .number()
    .int()
    .min(0)
    .max(MAX_RENEWAL_WITHIN)
    .optional()
    .describe('days: renewal dates from today to this many days ahead'),
  sort: z.enum(SNAPSHOT_SORTS).optional().describe('default: riskiest first (health ascending, then accountId)'),
  order: z.enum(['asc', 'desc']).optional().describe('default asc; accounts without the value are last either way'),
  format: z.enum(['json', 'csv']).optional().describe('csv: every page of the filtered list, with a header row'),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).optional(),
  cursor: z.string().min(1).max(512).optional(),
})

/** `GET /v1/accounts/:id/journey` query. */
export const JourneyQuerySchema = z.strictObject({ at: timeSchema.optional() })

/** `GET /v1/accounts/:id/journey/diff` query; `to` defaults to now. */
export const DiffQuerySchema = z.strictObject({ from: timeSchema, to: timeSchema.optional() })

/** `PUT /v1/accounts/:id/override` body. */
export const OverrideBodySchema = z.strictObject({
  /** The six phases of journey.md, "Phases", and `churned`. */
  phase: z.enum(PHASES),
  reason: z.string().trim().min(1, 'a reason is required').max(500),
  expiresAt: timeSchema,
  by: z.string().trim().min(1).max(200).optional(),
})

/** `DELETE /v1/accounts/:id/override` body (optional). */
export const LiftBodySchema = z.strictObject({
  reason: z.string().trim().min(1).max(500).optional(),
  by: z.string().trim().min(1).max(200).optional(),
})

/** Who an override change is attributed to when the caller does not say. */
const DEFAULT_BY = 'api'

const iso = (t: number) => new Date(t).toISOString()

const overrideJson = (o: PhaseOverride) => ({
  phase: o.phase,
  reason: o.reason,
  expiresAt: iso(o.expiresAt),
  by: o.by,
  setAt: iso(o.setAt),
})

const changeJson = (ch: OverrideChange) => ({
  action: ch.action,
  override: ch.override && overrideJson(ch.override),
  by: ch.by,
  reason: ch.reason,
  at: iso(ch.at),
})

const isoOrNull = (t: number | null | undefined) => (t === null || t === undefined ? null : iso(t))

/** A listed account; days to renewal count UTC days from `now`, as the engine's `daysToRenewal` does. */
const itemJson = (s: AccountSnapshot, now: number): ListedAccount => ({
  accountId: s.accountId,
  segment: s.segment,
  phase: s.phase,
  health: s.health,
  band: s.band,
  flags: s.flags,
  computedAt: iso(s.computedAt),
  name: s.name ?? null,
  renewalDate: isoOrNull(s.renewalAt),
  daysToRenewal: s.renewalAt == null ? null : Math.floor(s.renewalAt / DAY_MS) - Math.floor(now / DAY_MS),
  nps: s.nps ?? null,
  lastActiveAt: isoOrNull(s.lastActiveAt),
})

/**
 * The journey of accounts (api.md, "Journey"), to be mounted under `/v1`: the listing, the state at
 * a time, the diff between two times, and the phase override with its audit list. Secret key only.
 */
export function accountsRoute({
  store,
  clock,
  configOf,
  guard,
}: JourneyDeps & { guard: MiddlewareHandler<AppEnv> }): Hono<AppEnv> {
  const route = new Hono<AppEnv>()

  /** The account's state at `at` and its facts, or a 404 when it has no event at or before `at`. */
  async function factsAndStateAt(ws: string, accountId: string, at: number) {
    const [config, facts] = await Promise.all([configOf(ws), factsOr404(store, ws, accountId, at)])
    return { facts, state: journeyState(config, facts, at) }
  }

  async function stateAt(ws: string, accountId: string, at: number): Promise<JourneyState> {
    return (await factsAndStateAt(ws, accountId, at)).state
  }

  async function requireAccount(ws: string, accountId: string): Promise<void> {
    if (!(await store.getAccount(ws, accountId)))
      throw new ApiError(404, 'not_found', `no account ${JSON.stringify(accountId)}`)
  }

  /** After an override change, the listing shows it at once instead of at the next sweep. */
  async function refreshedState(ws: string, accountId: string, at: number): Promise<JourneyState> {
    const { facts, state } = await factsAndStateAt(ws, accountId, at)
    await store.putSnapshots(ws, [snapshotOf(state, at, facts)])
    return state
  }

  const account = param(AccountPathSchema)

  /** A page of the listing; a cursor the store did not make for this order is a 400 naming `cursor`. */
  async function listPage(ws: string, q: SnapshotQuery) {
    return store.listSnapshots(ws, q).catch((err: unknown) => {
      // The store refuses a cursor it did not make (RangeError); anything else is a 500.
      if (err instanceof RangeError)
        throw new ApiError(400, 'invalid_query', 'invalid cursor', [
          { path: 'cursor', message: 'not a cursor from a previous page of this order' },
        ])
      throw err
    })
  }

  route.get('/accounts', guard, query(ListQuerySchema), async (c) => {
    const ws = callerOf(c).workspace.id
    const { format, limit, cursor, ...q } = c.req.valid('query')
    const now = clock()
    // `order=desc` alone reverses the default order's key: healthiest first.
    const filters: SnapshotQuery = {
      ...q,
      sort: q.sort ?? (q.order === 'desc' ? 'health' : undefined),
      q: q.q === '' ? undefined : q.q,
      now,
    }
    if (format === 'csv') {
      // Every page of the filtered list (limit and cursor do not apply).
      const items: ListedAccount[] = []
      let next: string | undefined
      do {
        const page = await listPage(ws, { ...filters, limit: MAX_PAGE, cursor: next, withTotal: false })
        for (const s of page.items) items.push(itemJson(s, now))
        next = page.nextCursor ?? undefined
      } while (next !== undefined)
      return c.body(accountsCsv(items), 200, {
        'Content-Type': 'text/csv; charset=utf-8; header=present',
        'Content-Disposition': 'attachment; filename="accounts.csv"',
      })
    }
    const page = await listPage(ws, { ...filters, limit: limit ?? DEFAULT_PAGE, cursor })
    return c.json(
      {
        items: page.items.map((s) => itemJson(s, now)),
        nextCursor: page.nextCursor,
        total: page.total ?? page.items.length,
      },
      200,
    )
  })

  route.get('/accounts/:id/journey', guard, account, query(JourneyQuerySchema), async (c) => {
    const ws = callerOf(c).workspace.id
    const id = accountIdOr404(c.req.valid('param').id)
    const now = clock()
    const at = notAfterNow(c.req.valid('query').at ?? now, now, 'at')
    return c.json(await stateAt(ws, id, at), 200)
  })

  route.get('/accounts/:id/journey/diff', guard, account, query(DiffQuerySchema), async (c) => {
    const ws = callerOf(c).workspace.id
    const id = accountIdOr404(c.req.valid('param').id)
    const now = clock()
    const q = c.req.valid('query')
    const to = notAfterNow(q.to ?? now, now, 'to')
    const from = notAfterNow(q.from, now, 'from')
    if (from > to)
      throw new ApiError(400, 'invalid_query', 'from is after to', [{ path: 'from', message: 'must not be after to' }])
    const after = await stateAt(ws, id, to)
    const facts = await store.loadFacts(ws, id, from)
    if (facts === null)
      throw new ApiError(400, 'invalid_query', `account ${JSON.stringify(id)} has no event at or before from`, [
        { path: 'from', message: "before the account's first event" },
      ])
    const before = journeyState(await configOf(ws), facts, from)
    return c.json({ accountId: id, from: iso(from), to: iso(to), ...diffStates(before, after) }, 200)
  })

  route.get('/accounts/:id/override', guard, account, async (c) => {
    const ws = callerOf(c).workspace.id
    const id = accountIdOr404(c.req.valid('param').id)
    await requireAccount(ws, id)
    const changes = await store.listOverrideChanges(ws, id)
    const facts = await store.loadFacts(ws, id, clock())
    return c.json(
      {
        accountId: id,
        current: facts?.override ? overrideJson(facts.override) : null,
        changes: changes.map(changeJson),
      },
      200,
    )
  })

  const limitBody = maxBody(MAX_OVERRIDE_BYTES)

  route.put(
    '/accounts/:id/override',
    limitBody,
    guard,
    account,
    readJson(),
    json(OverrideBodySchema, 'override'),
    async (c) => {
      const ws = callerOf(c).workspace.id
      const id = accountIdOr404(c.req.valid('param').id)
      const body = c.req.valid('json')
      const now = clock()
      if (body.expiresAt <= now)
        throw new ApiError(400, 'invalid_body', 'invalid override', [
          { path: 'expiresAt', message: 'must be in the future' },
        ])
      await requireAccount(ws, id)
      const caller = callerOf(c)
      // A member is who they signed in as; `by` names a person for the secret key's callers only.
      const by = caller.member?.email ?? body.by ?? DEFAULT_BY
      const before = (await store.loadFacts(ws, id, now))?.override ?? null
      const override: PhaseOverride = {
        phase: body.phase,
        reason: body.reason,
        expiresAt: body.expiresAt,
        by,
        setAt: now,
      }
      await store.addOverrideChange(ws, id, { action: 'set', override, by, reason: body.reason, at: now })
      await recordChange(c, store, now, {
        action: 'override.set',
        target: `account:${id}`,
        before: before && overrideJson(before),
        after: overrideJson(override),
      })
      return c.json(await refreshedState(ws, id, now), 200)
    },
  )

  route.delete(
    '/accounts/:id/override',
    limitBody,
    guard,
    account,
    readJson({ empty: {} }),
    json(LiftBodySchema),
    async (c) => {
      const ws = callerOf(c).workspace.id
      const id = accountIdOr404(c.req.valid('param').id)
      const body = c.req.valid('json')
      await requireAccount(ws, id)
      const now = clock()
      const facts = await store.loadFacts(ws, id, now)
      // Lifting when nothing is in force changes nothing and is not recorded: DELETE is idempotent.
      if (facts?.override) {
        await store.addOverrideChange(ws, id, {
          action: 'lift',
          override: null,
          by: callerOf(c).member?.email ?? body.by ?? DEFAULT_BY,
          reason: body.reason ?? 'lifted',
          at: now,
        })
        await recordChange(c, store, now, {
          action: 'override.lift',
          target: `account:${id}`,
          before: overrideJson(facts.override),
          after: { reason: body.reason ?? 'lifted' },
        })
      }
      return c.json(await refreshedState(ws, id, now), 200)
    },
  )

  return route
}
