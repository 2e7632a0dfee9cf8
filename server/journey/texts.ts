/**
 * Texts the end user reads, written once for every locale (`"Connect your data"`) or once per
 * locale (`{ "en": "Connect your data", "pt-BR": "Conecte seus dados" }`), and the one rule that
 * picks what a user in `locale` reads: the text for every locale, else this locale's, else
 * English, else any. A blank text counts as missing (the console flags it before publishing).
 */
import type { Locale } from './value'

export type Localized = string | Partial<Record<Locale, string>>

/** The text of `v` for `locale` (see above); undefined when there is none. */
export function inLocale(v: Localized | undefined, locale: Locale): string | undefined {
  if (v === undefined || typeof v === 'string') return v
  const given = (t: string | undefined) => (t !== undefined && t.trim() !== '' ? t : undefined)
  return given(v[locale]) ?? given(v.en) ?? Object.values(v).find((t) => given(t) !== undefined)
}
