/**
 * Reading one account's journey inputs for a route: the shared steps of the routes that show
 * accounts (accounts.ts, reports.ts).
 */
import { z } from 'zod'
import type { ConfigSource } from '../config-source'
import { MAX_IDENTITY_LENGTH } from '../ingest/limits'
import type { AccountFacts } from '../journey/facts'
import type { Store } from '../store/types'
import { ApiError } from './errors'

/** What the routes that read accounts' journeys need. */
export interface JourneyDeps {
  store: Store
  clock: () => number
  configOf: ConfigSource
}

/** A path with an account id (`/accounts/:id/…`); its strings are checked by validate.ts `param`. */
export const AccountPathSchema = z.strictObject({ id: z.string() })

const iso = (t: number) => new Date(t).toISOString()

/** An id longer than any stored one is simply not found. */
export function accountIdOr404(id: string): string {
  if (id.length === 0 || id.length > MAX_IDENTITY_LENGTH) throw new ApiError(404, 'not_found', 'no such account')
  return id
}

/** An account's facts at `at` (store.loadFacts), or a 404 when it has no event at or before `at`. */
export async function factsOr404(store: Store, ws: string, accountId: string, at: number): Promise<AccountFacts> {
  const facts =
    accountId.length === 0 || accountId.length > MAX_IDENTITY_LENGTH ? null : await store.loadFacts(ws, accountId, at)
  if (facts === null)
    throw new ApiError(404, 'not_found', `account ${JSON.stringify(accountId)} has no event at or before ${iso(at)}`)
  return facts
}
