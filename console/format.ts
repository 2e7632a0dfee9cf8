/** Dates and numbers in the member's language. Dates of the journey are UTC days, as the API counts them. */
import { locale } from './i18n'

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>()

function dateFormat(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d:${locale.value}:${JSON.stringify(options)}`
  let f = cache.get(key) as Intl.DateTimeFormat | undefined
  if (!f) cache.set(key, (f = new Intl.DateTimeFormat(locale.value, options)))
  return f
}

function numberFormat(options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n:${locale.value}:${JSON.stringify(options)}`
  let f = cache.get(key) as Intl.NumberFormat | undefined
  if (!f) cache.set(key, (f = new Intl.NumberFormat(locale.value, options)))
  return f
}

/** A day (`2026-03-01` or an ISO time), as the UTC day it names. '' for null. */
export function formatDay(value: string | null | undefined): string {
  if (!value) return ''
  const t = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value)
  return Number.isNaN(t) ? value : dateFormat({ dateStyle: 'medium', timeZone: 'UTC' }).format(t)
}

/** The month of a day (`2026-03-01`): `March 2026`. '' for null. */
export function formatMonth(value: string | null | undefined): string {
  if (!value) return ''
  const t = Date.parse(`${value.slice(0, 10)}T00:00:00Z`)
  return Number.isNaN(t) ? value : dateFormat({ month: 'long', year: 'numeric', timeZone: 'UTC' }).format(t)
}

/** A moment, in the member's time zone. '' for null. */
export function formatTime(value: string | null | undefined): string {
  if (!value) return ''
  const t = Date.parse(value)
  return Number.isNaN(t) ? value : dateFormat({ dateStyle: 'medium', timeStyle: 'short' }).format(t)
}

export function formatNumber(n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '–'
  return numberFormat({ maximumFractionDigits: digits }).format(n)
}

/** `+3`, `−2`, `0`: a change, signed. */
export function formatDelta(n: number, digits = 0): string {
  const s = numberFormat({ maximumFractionDigits: digits, signDisplay: 'exceptZero' }).format(n)
  return s.replace('-', '−')
}

/** The UTC day (`YYYY-MM-DD`) of an ISO time or epoch ms. */
export function utcDay(value: string | number): string {
  return new Date(value).toISOString().slice(0, 10)
}
