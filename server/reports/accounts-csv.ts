/**
 * The accounts list as CSV (`GET /v1/accounts?format=csv`): one header row, then one row per
 * account with the fields of the JSON listing, flags separated by spaces.
 */
import { toCsv } from './html'

/** An account as `GET /v1/accounts` lists it. */
export interface ListedAccount {
  accountId: string
  segment: string
  phase: string
  health: number | null
  band: string | null
  flags: string[]
  computedAt: string
  name: string | null
  renewalDate: string | null
  daysToRenewal: number | null
  nps: number | null
  lastActiveAt: string | null
}

/** The CSV's columns, in order. */
export const ACCOUNTS_CSV_HEADER = [
  'accountId',
  'name',
  'segment',
  'phase',
  'health',
  'band',
  'flags',
  'renewalDate',
  'daysToRenewal',
  'nps',
  'lastActiveAt',
  'computedAt',
] as const

/**
 * A spreadsheet reads a cell that begins with = + - @ (or a tab or CR) as a formula: text cells
 * that do are prefixed with `'` (OWASP, "CSV Injection"). Numbers are Jornada's own and stay
 * numbers (an NPS of -20 is not a formula).
 */
export const safeCell = (v: unknown): unknown => (typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v)

/** RFC 4180 text with a header row (reports/html.ts `toCsv`). */
export function accountsCsv(items: readonly ListedAccount[]): string {
  const rows: unknown[][] = [[...ACCOUNTS_CSV_HEADER]]
  for (const a of items) {
    rows.push(
      [
        a.accountId,
        a.name,
        a.segment,
        a.phase,
        a.health,
        a.band,
        a.flags.join(' '),
        a.renewalDate,
        a.daysToRenewal,
        a.nps,
        a.lastActiveAt,
        a.computedAt,
      ].map(safeCell),
    )
  }
  return toCsv(rows)
}
