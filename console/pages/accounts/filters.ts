/**
 * The accounts page's view, held in the URL (`/console/accounts?phase=onboarding&band=red&sort=health`):
 * what `GET /v1/accounts` takes (docs/console.md), so a shared link shows the same list.
 */
import type { Api, Query } from '../../api'
import { oneOf, intIn, text, toQuery } from '../../url'
import type { Values } from '../../url'
import { BANDS, PHASES, RED_FLAGS, SEGMENTS, SNAPSHOT_SORTS } from '../../vocabulary'
import type { SnapshotSort } from '../../vocabulary'

export const ACCOUNT_FILTERS = {
  q: text(200),
  phase: oneOf(PHASES),
  band: oneOf(BANDS),
  flag: oneOf(RED_FLAGS),
  segment: oneOf(SEGMENTS),
  renewalWithin: intIn(1, 3650),
  sort: oneOf(SNAPSHOT_SORTS),
  order: oneOf(['asc', 'desc'] as const),
  cursor: text(512),
}
export type AccountFilters = Values<typeof ACCOUNT_FILTERS>

/** Accounts per page. */
export const PAGE_SIZE = 50

/** The renewal windows the filter offers, in days. */
export const RENEWAL_WINDOWS = [30, 60, 90, 180, 365] as const

/** The query of one page of the list. */
export function listQuery(f: AccountFilters): Query {
  return { ...f, limit: PAGE_SIZE }
}

/** The CSV of every account the filters keep (no page, no cursor): a plain link, the cookie goes with it. */
export function csvUrl(api: Api, f: AccountFilters): string {
  const { cursor: _, ...rest } = f
  return api.url('/v1/accounts', { ...rest, format: 'csv' })
}

/** The page's URL for a view. */
export function accountsHref(base: string, f: AccountFilters): string {
  return base + toQuery(ACCOUNT_FILTERS, f)
}

/** A filter changed: the list starts again from its first page. */
export function withFilter(f: AccountFilters, change: Partial<AccountFilters>): AccountFilters {
  const next: AccountFilters = { ...f, ...change }
  delete next.cursor
  return next
}

/** Columns whose natural first order is descending (the most recent, the largest first). */
const DESC_FIRST: readonly SnapshotSort[] = ['lastActiveAt', 'flags']

/** A click on a column's header: sort by it, or flip the order when it already sorts. */
export function withSort(f: AccountFilters, column: SnapshotSort): AccountFilters {
  const order = f.sort === column ? (f.order === 'desc' ? 'asc' : 'desc') : DESC_FIRST.includes(column) ? 'desc' : 'asc'
  return withFilter(f, { sort: column, order })
}
