/**
 * Small helpers shared by the reports (value email, QBR, journey map): escaping for HTML and CSV,
 * dates, plurals. Every piece of data that reaches HTML goes through `escapeHtml`; there is no
 * other way in.
 */

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Text → HTML text or attribute value (double- or single-quoted). `null`/`undefined` → ''. */
export function escapeHtml(value: unknown): string {
  if (value === null || value === undefined) return ''
  return String(value).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c)
}

/** One RFC 4180 field: quoted when it holds a comma, a quote, CR or LF; quotes doubled. */
export function csvField(value: unknown): string {
  const s = value === null || value === undefined ? '' : String(value)
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** RFC 4180 rows: fields joined by commas, records ended by CRLF. */
export function toCsv(rows: readonly (readonly unknown[])[]): string {
  return rows.map((r) => r.map(csvField).join(',') + '\r\n').join('')
}

/** A header value must stay on one line (a CR/LF in an account name must not add headers). */
export function oneLine(s: string): string {
  return s.replace(/[\r\n\t\u2028\u2029]+/g, ' ').trim()
}

/** `2026-10-01T00:00:00.000Z` → "1 Oct 2026" / "1 de out. de 2026", read in UTC (days are UTC days). */
export function formatDate(iso: string | number | null | undefined, locale: string): string {
  if (iso === null || iso === undefined) return ''
  const t = typeof iso === 'number' ? iso : Date.parse(iso)
  if (!Number.isFinite(t)) return String(iso)
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(t)
}

/** `1 account`, `2 accounts`: an English count and its word. */
export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
