/**
 * Time and number helpers of the journey engine. Pure: no clock, every time is an argument.
 *
 * Days are UTC days. Day numbers count from the UTC midnight of the contract start:
 * `day(t) = floor((utcMidnight(t) - contractStartMidnight) / 24h)`; day 0 is the contract start.
 * "The last N days" at day d are the account days d-N+1 … d (the current day only up to `at`).
 * Every window of the engine (fact events included: NPS, renewals, referrals …) is counted in these
 * day numbers, never in rolling milliseconds, so that a rule and its border read the same way
 * everywhere ("a `renewed` within the last 90 days" = its day >= d - 89).
 */

export const DAY_MS = 86_400_000

/** The UTC midnight starting the day of `t`. */
export function utcMidnight(t: number): number {
  return Math.floor(t / DAY_MS) * DAY_MS
}

/** ISO-8601 of an epoch-ms time; '' when it is not a valid time (never throws). */
export function toIso(t: number): string {
  const d = new Date(t)
  return Number.isFinite(d.getTime()) ? d.toISOString() : ''
}

/** A date, ISO string or epoch-ms number as epoch ms; null when it is none of these. */
export function parseTime(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) && Math.abs(v) <= 8.64e15 ? v : null
  if (v instanceof Date) return Number.isFinite(v.getTime()) ? v.getTime() : null
  // Only ISO-8601 dates and date-times: V8's Date.parse reads '7' as the year 2007.
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v.trim())) {
    // 'YYYY-MM-DD' parses as UTC midnight; full ISO strings keep their offset.
    const t = Date.parse(v.trim())
    return Number.isFinite(t) ? t : null
  }
  return null
}

/** A finite number from a number or a numeric string; null otherwise. */
export function toNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v)
    return Number.isFinite(n) ? n : null
  }
  return null
}

/**
 * Rounds half up (2.5 → 3, -2.5 → -2). The value is first snapped to 9 decimals so that binary
 * fractions such as 70 × 0.15 = 10.499999… round as the decimal arithmetic a person does.
 */
export function roundHalfUp(x: number): number {
  const snapped = Math.round(x * 1e9) / 1e9
  return Math.floor(snapped + 0.5)
}

/**
 * Rounds half up to `digits` decimals on the decimal value (1.005 → 1.01, where binary floating
 * point holds 1.00499…): every figure the engine shows is rounded this way (journey.md, "Health
 * score": "on the exact decimal value, whatever binary floating point makes of it").
 */
export function roundTo(x: number, digits: number): number {
  const p = 10 ** digits
  return roundHalfUp(x * p) / p
}

/** `part / whole >= share`, with the same snapping (28 of 35 seats is exactly 80%). */
export function atLeastShare(part: number, whole: number, share: number): boolean {
  if (!(whole > 0)) return false
  return Math.round((part / whole) * 1e9) >= Math.round(share * 1e9)
}

/** Formats a number for a reason: integers as is, others with up to 2 decimals. */
export function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : String(roundTo(n, 2))
}
