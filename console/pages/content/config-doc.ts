/**
 * A draft's config document as the Content page edits it: plain functions, no zod. The server is
 * the one validator (the console's chunk stays small without zod); what is checked here is only
 * what the server cannot see: the JSON text itself (a syntax error at its line), where each field
 * of the text is (so that the server's issues show at their line), the texts missing in one of the
 * locales, and the conversion between a form's inputs and the document's values.
 */
import { LOCALES } from '../../../server/journey/vocabulary'

export type Doc = Record<string, unknown>
export type Locale = (typeof LOCALES)[number]

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

const split = (path: string): string[] => (path === '' ? [] : path.split('.'))

/** The value at a dotted path (`experiences.checklist.items.0`), or undefined. */
export function getAt(doc: unknown, path: string): unknown {
  let cur = doc
  for (const key of split(path)) {
    if (Array.isArray(cur)) cur = cur[Number(key)]
    else if (isObject(cur)) cur = cur[key]
    else return undefined
  }
  return cur
}

/**
 * A copy of `doc` with `value` at `path`; objects on the way are made as needed, the rest is shared.
 * `undefined` removes the key (the field then follows the published value or the default), and an
 * object left empty by it goes too, so that clearing a field leaves the document as it was.
 */
export function setAt(doc: Doc, path: string, value: unknown): Doc {
  const keys = split(path)
  const put = (node: unknown, i: number): unknown => {
    const key = keys[i]!
    const last = i === keys.length - 1
    if (Array.isArray(node)) {
      const copy = [...node]
      const n = Number(key)
      copy[n] = last ? value : put(copy[n], i + 1)
      return copy
    }
    const obj: Record<string, unknown> = isObject(node) ? { ...node } : {}
    const next = last ? value : put(obj[key], i + 1)
    if (next === undefined || (isObject(next) && Object.keys(next).length === 0 && !last)) delete obj[key]
    else obj[key] = next
    return obj
  }
  return keys.length === 0 ? doc : (put(doc, 0) as Doc)
}

// ---------------------------------------------------------------- form inputs

/** How a form's input reads and writes one value of the document. */
export type FieldKind = 'int' | 'number' | 'text'

/** The input's text for a value of the document ('' when absent). */
export function toInput(value: unknown): string {
  return value === undefined || value === null ? '' : String(value)
}

/**
 * The document's value for an input's text: '' removes the key; a number field keeps text that is
 * not a number as it is, so that the server names the field (rather than the form dropping it).
 */
export function fromInput(kind: FieldKind, text: string): unknown {
  if (kind === 'text') return text === '' ? undefined : text
  const trimmed = text.trim()
  if (trimmed === '') return undefined
  const n = Number(trimmed)
  return Number.isFinite(n) ? n : trimmed
}

// ---------------------------------------------------------------- localization

/** A text missing in one of the workspace's locales. */
export interface Gap {
  path: string
  missing: Locale
}

/** A text given per locale (`{ "en": "…", "pt-BR": "…" }`): an object whose keys are all locales, its values texts. */
function isLocaleText(v: unknown): v is Partial<Record<Locale, unknown>> {
  if (!isObject(v)) return false
  const keys = Object.keys(v)
  return (
    keys.length > 0 &&
    keys.every((k) => (LOCALES as readonly string[]).includes(k)) &&
    keys.every((k) => typeof v[k] === 'string')
  )
}

/**
 * Every text given per locale that lacks one of `locales` (absent or blank), by path, in document
 * order. A text given as one string is shown as written in every locale, so it has no gap.
 */
export function localeGaps(doc: unknown, locales: readonly Locale[] = LOCALES): Gap[] {
  const gaps: Gap[] = []
  const walk = (v: unknown, path: string) => {
    if (isLocaleText(v)) {
      for (const l of locales) {
        const text = v[l]
        if (typeof text !== 'string' || text.trim() === '') gaps.push({ path, missing: l })
      }
      return
    }
    const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : isObject(v) ? Object.entries(v) : []
    for (const [k, x] of entries) walk(x, path ? `${path}.${k}` : k)
  }
  walk(doc, '')
  return gaps
}

// ---------------------------------------------------------------- the JSON text

/** Where a JSON text is wrong. */
export interface JsonSyntaxError {
  message: string
  line: number
  column: number
}

export type ParsedText = { ok: true; value: unknown; lines: Map<string, number> } | ({ ok: false } & JsonSyntaxError)

/**
 * Parses a JSON text and notes the line (1-based) where each value's key or item starts, by dotted
 * path: the server's issues name paths, and the text view shows them at their line. A syntax error
 * says where it is, as a line and column, which JSON.parse's messages do not reliably give.
 */
export function parseJsonText(text: string): ParsedText {
  const lines = new Map<string, number>()
  let i = 0
  let line = 1
  let lineStart = 0
  const fail = (message: string): never => {
    throw { message, line, column: i - lineStart + 1 } satisfies JsonSyntaxError
  }
  const space = () => {
    while (i < text.length) {
      const c = text[i]!
      if (c === '\n') {
        line++
        lineStart = i + 1
      } else if (c !== ' ' && c !== '\t' && c !== '\r') break
      i++
    }
  }
  const string = (): string => {
    const start = i
    i++
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\n') fail('a line break inside a text: write it as \\n')
      i += text[i] === '\\' ? 2 : 1
    }
    if (i >= text.length) fail('a text is not closed with "')
    i++
    try {
      return JSON.parse(text.slice(start, i)) as string
    } catch {
      i = start
      return fail('a text has a wrong escape')
    }
  }
  const value = (path: string): unknown => {
    space()
    if (path !== '' && !lines.has(path)) lines.set(path, line)
    const c = text[i]
    if (c === '{') {
      i++
      const obj: Record<string, unknown> = {}
      space()
      if (text[i] === '}') {
        i++
        return obj
      }
      for (;;) {
        space()
        if (text[i] !== '"') fail('expected a field name in double quotes')
        const keyLine = line
        const key = string()
        const child = path ? `${path}.${key}` : key
        lines.set(child, keyLine)
        space()
        if (text[i] !== ':') fail('expected : after a field name')
        i++
        obj[key] = value(child)
        space()
        if (text[i] === ',') {
          i++
          continue
        }
        if (text[i] === '}') {
          i++
          return obj
        }
        fail('expected , or } after a field')
      }
    }
    if (c === '[') {
      i++
      const arr: unknown[] = []
      space()
      if (text[i] === ']') {
        i++
        return arr
      }
      for (;;) {
        arr.push(value(path ? `${path}.${arr.length}` : String(arr.length)))
        space()
        if (text[i] === ',') {
          i++
          continue
        }
        if (text[i] === ']') {
          i++
          return arr
        }
        fail('expected , or ] after an item')
      }
    }
    if (c === '"') return string()
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64))
    if (!m) return fail(i >= text.length ? 'the text ends too early' : 'expected a value')
    i += m[0].length
    return JSON.parse(m[0])
  }
  try {
    const v = value('')
    space()
    if (i < text.length) fail('more text after the document')
    return { ok: true, value: v, lines }
  } catch (err) {
    if (err && typeof err === 'object' && 'line' in err) return { ok: false, ...(err as JsonSyntaxError) }
    throw err
  }
}

/** The document as the text view shows it. */
export const formatDoc = (doc: unknown): string => JSON.stringify(doc, null, 2)

// ---------------------------------------------------------------- the server's issues

export interface Issue {
  path: string
  message: string
}

/** The draft routes name the document's fields under `config.`: the paths of the document itself. */
export function docIssues(issues: readonly Issue[]): Issue[] {
  return issues.map((i) => ({
    path: i.path === 'config' ? '' : i.path.startsWith('config.') ? i.path.slice(7) : i.path,
    message: i.message,
  }))
}

/**
 * The line of an issue's path in the text: its own, else its nearest parent's (a missing field is
 * named by a path the text does not hold yet); 1 when nothing matches.
 */
export function lineOf(lines: ReadonlyMap<string, number>, path: string): number {
  const keys = split(path)
  while (keys.length > 0) {
    const line = lines.get(keys.join('.'))
    if (line !== undefined) return line
    keys.pop()
  }
  return 1
}

/** The first message of each path that is `path` or under it, for a form's field (`under` for a group). */
export function messageAt(issues: readonly Issue[], path: string, under = false): string | undefined {
  return issues.find((i) => i.path === path || (under && i.path.startsWith(`${path}.`)))?.message
}
