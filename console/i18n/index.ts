/**
 * The console's two languages. The member's browser language decides by default (any `pt` is
 * Brazilian Portuguese, anything else English); the switch in the header overrides it and is kept in
 * localStorage. Catalogs are plain objects: the shell's (common.ts) and one per page, beside the
 * page, so a page's strings load with its code. `t` reads the locale signal, so a component that
 * calls it renders again when the language changes.
 */
import { signal } from '@preact/signals'

export const LOCALES = ['en', 'pt-BR'] as const
export type Locale = (typeof LOCALES)[number]

const STORAGE_KEY = 'jornada.console.locale'

/** The first of the browser's languages the console speaks. */
export function preferredLocale(languages: readonly string[]): Locale {
  for (const l of languages) {
    const lower = l.toLowerCase()
    if (lower.startsWith('pt')) return 'pt-BR'
    if (lower.startsWith('en')) return 'en'
  }
  return 'en'
}

function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY)
    if (saved === 'en' || saved === 'pt-BR') return saved
  } catch {
    // Storage refused (a private window's policy): the browser's language decides.
  }
  return typeof navigator === 'undefined' ? 'en' : preferredLocale(navigator.languages ?? [navigator.language])
}

export const locale = signal<Locale>(initialLocale())

export function setLocale(next: Locale): void {
  locale.value = next
  try {
    localStorage.setItem(STORAGE_KEY, next)
  } catch {
    // Not kept across visits then; the switch still applies now.
  }
  document.documentElement.lang = next
}

export type Catalog<K extends string> = Record<K, string>
export type Messages<K extends string> = Record<Locale, Catalog<K>>

/** A page's strings: English first, Portuguese with exactly the same keys (the type checker says so). */
export function defineMessages<K extends string>(en: Catalog<K>, pt: NoInfer<Catalog<K>>): Messages<K> {
  return { en, 'pt-BR': pt }
}

export type Params = Record<string, string | number>

/** `{name}` placeholders filled from `params`. */
export function interpolate(text: string, params?: Params): string {
  return params ? text.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m)) : text
}

export type Translate<K extends string> = (key: K, params?: Params) => string

/** `t(key, params)` over a catalog pair, in the current locale. */
export function translator<K extends string>(messages: Messages<K>): Translate<K> {
  return (key, params) => interpolate(messages[locale.value][key] ?? messages.en[key] ?? key, params)
}

/** A label for an id from the journey's vocabulary (a phase, a flag), or the id itself when the catalog has none. */
export function labelOf(catalog: Messages<string>, prefix: string, id: string | null | undefined): string {
  if (id === null || id === undefined) return ''
  const key = `${prefix}.${id}`
  return catalog[locale.value][key] ?? catalog.en[key] ?? id
}
