/**
 * Locale choice and formatting. Texts come from one catalog per locale (`en`, `pt-BR`): the base's
 * own few here, each kind's added when its chunk arrives (its `texts.ts`, ../kinds.ts); numbers,
 * currencies and dates go through Intl in the host's own locale, and `dir` follows it too, so an
 * Arabic or Hebrew page gets a right-to-left layout even while the text falls back to English.
 */
import en from './en'
import ptBR from './pt-BR'

export type Key = keyof typeof en
export type Catalog = Record<Key, string>

/** The catalogs by locale: the base's texts, and those of every kind whose chunk has arrived. */
export const CATALOGS: Record<string, Catalog> = { en, 'pt-BR': ptBR }

/**
 * A kind's texts by key, each in both locales side by side: `[en, pt-BR]` (one object per locale
 * would carry every key twice in its chunk).
 */
export type Texts = Record<string, [en: string, ptBR: string]>

/** Languages written right to left (the primary subtag of a BCP 47 tag). */
const RTL = ['ar', 'he', 'fa', 'ur', 'yi']

/**
 * `pt`, `pt-PT`, `pt_br` → `pt-BR`; everything else → `en` (with two catalogs the language alone
 * decides; a third catalog of a language already here would look for an exact match first).
 */
export function pickLocale(tag: string | undefined): string {
  return /^pt([-_]|$)/i.test(tag || '') ? 'pt-BR' : 'en'
}

/** `rtl` for right-to-left languages. */
export function dirOf(tag: string | undefined): 'ltr' | 'rtl' {
  return RTL.includes((tag || '').split(/[-_]/)[0].toLowerCase()) ? 'rtl' : 'ltr'
}

export interface I18n {
  /** The catalog's locale (`en`, `pt-BR`). */
  locale: string
  dir: 'ltr' | 'rtl'
  /** The catalog's text for `key` (or `fallback`, or the key itself), `{name}` filled from `vars`. */
  t(key: string, vars?: Record<string, string | number>, fallback?: string): string
  /** `new Intl.NumberFormat(locale, opts).format(n)` (an unknown currency falls back to a plain number). */
  num(n: number, opts?: Intl.NumberFormatOptions): string
  /** A date (ISO) as "24 Dec 2026" in the locale's order; `short` drops the year. */
  date(iso: string, short?: boolean): string
  /** "in 12 days", "tomorrow", "today". */
  inDays(n: number): string
}

/**
 * The texts and formatters for the host's locale. `own()`: the workspace's own words by catalog key
 * (the decision's `texts`), which replace the catalog's. They are in this locale: the server picks
 * them for the locale the core asked in, and the core hands the UI both together (`update`), by the
 * same rule as `pickLocale` (server/journey/value.ts `localeOf`).
 */
export function createI18n(
  tag: string | undefined,
  own: () => Record<string, string> | undefined = () => undefined,
): I18n {
  const locale = pickLocale(tag)
  const catalog = CATALOGS[locale]
  let loc = tag || locale
  try {
    Intl.getCanonicalLocales(loc)
  } catch {
    // A malformed tag would make every Intl call throw a RangeError.
    loc = locale
  }
  return {
    locale,
    dir: dirOf(tag),
    t: (key, vars, fallback) =>
      (own()?.[key] || (catalog as Record<string, string>)[key] || fallback || key).replace(/\{(\w+)\}/g, (m, k) =>
        vars && k in vars ? String(vars[k]) : m,
      ),
    num(n, opts) {
      try {
        return new Intl.NumberFormat(loc, opts).format(n)
      } catch {
        return new Intl.NumberFormat(loc).format(n)
      }
    },
    date(iso, short) {
      const d = new Date(iso)
      // UTC: due dates and renewal dates are whole UTC days (journey.md, "Entities": days are UTC days).
      return isNaN(+d)
        ? iso
        : new Intl.DateTimeFormat(loc, {
            day: 'numeric',
            month: 'short',
            year: short ? undefined : 'numeric',
            timeZone: 'UTC',
          }).format(d)
    },
    inDays: (n) => new Intl.RelativeTimeFormat(loc, { numeric: 'auto' }).format(n, 'day'),
  }
}
