/**
 * The suite's own habits: every test id names one test (a failing id must point at one place), and
 * titles stay short enough to read in a report (the spec's words go in the `describe`). Read from
 * the test files' text: the first string of each `it(`, `test(` or `it.each(…)(` (a template's up to its first `${`).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

/** Longest test title, in characters. */
const MAX_TITLE = 100

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name)
    if (e.isDirectory()) return e.name === 'node_modules' || e.name.startsWith('.') ? [] : testFiles(path)
    return e.name.endsWith('.test.ts') ? [path] : []
  })
}

interface Title {
  file: string
  line: number
  text: string
  /** The title's leading id (`RF02`, `ID-E2E`, `N06b`), if it has one. */
  id: string | null
}

/** A string literal at `at` (after blanks): its text (a template's up to its first `${`), or null. */
function literalAt(text: string, at: number): string | null {
  let i = at
  while (/\s/.test(text[i] ?? '')) i++
  const quote = text[i]
  if (quote !== "'" && quote !== '"' && quote !== '`') return null
  let out = ''
  for (i++; i < text.length && text[i] !== quote; i++) {
    if (quote === '`' && text[i] === '$' && text[i + 1] === '{') break
    if (text[i] === '\\') i++
    out += text[i]
  }
  return out
}

/** The index after the parenthesis that closes the one at `open`, strings skipped. */
function closeOf(text: string, open: number): number {
  let depth = 0
  for (let i = open; i < text.length; i++) {
    const ch = text[i]
    if (ch === "'" || ch === '"' || ch === '`') {
      for (i++; i < text.length && text[i] !== ch; i++) if (text[i] === '\\') i++
    } else if (ch === '(') depth++
    else if (ch === ')' && --depth === 0) return i + 1
  }
  return text.length
}

/** A leading id: `RF02`, `N06b`, `ID-E2E`, `E-UI09`, `SF03`: capitals and digits, with a digit or a hyphen. */
const ID = /^([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*[a-z]?)(?=\s)/

/** `it('…'`, `it.each(…)('…'` (over several lines too), `test("…"`: each test's title. */
function titlesOf(file: string, text: string): Title[] {
  const out: Title[] = []
  for (const m of text.matchAll(/\b(?:it|test)(\.each)?\(/g)) {
    let after = m.index + m[0].length
    if (m[1]) {
      after = closeOf(text, after - 1)
      while (/\s/.test(text[after] ?? '')) after++
      if (text[after] !== '(') continue
      after++
    }
    const title = literalAt(text, after)
    if (title === null) continue
    const id = ID.exec(title)?.[1] ?? null
    out.push({
      file,
      line: text.slice(0, m.index).split('\n').length,
      text: title,
      id: id !== null && /\d|-/.test(id) ? id : null,
    })
  }
  return out
}

const titles = testFiles('test')
  .filter((f) => !f.endsWith(join('suite', 'titles.test.ts')))
  .flatMap((f) => titlesOf(f, readFileSync(f, 'utf8')))

describe('the suite: titles and ids', () => {
  it('SU01 the title reader finds the tests (ids, each-tables, templates)', () => {
    const sample =
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a sample of test source, with a template title
      "it('RF02 no_login: day 5', () => {})\nit.each([[1, ')'],\n  [2, 'b']])(\n  'N06b %s', () => {})\ntest(`X-Y ${a} b`, () => {})\nit('plain title')"
    expect(titlesOf('x', sample).map((t) => [t.id, t.text, t.line])).toEqual([
      ['RF02', 'RF02 no_login: day 5', 1],
      ['N06b', 'N06b %s', 2],
      ['X-Y', 'X-Y ', 5],
      [null, 'plain title', 6],
    ])
    expect(titles.length).toBeGreaterThan(700)
  })

  it('SU02 every test id names one test across the suite', () => {
    const seen = new Map<string, string[]>()
    for (const t of titles) if (t.id) seen.set(t.id, [...(seen.get(t.id) ?? []), `${t.file}:${t.line}`])
    const reused = [...seen].filter(([, at]) => at.length > 1).map(([id, at]) => `${id}: ${at.join(', ')}`)
    expect(reused).toEqual([])
  })

  it(`SU03 every test title is at most ${MAX_TITLE} characters`, () => {
    const long = titles
      .filter((t) => t.text.length > MAX_TITLE)
      .map((t) => `${t.file}:${t.line} (${t.text.length}) ${t.text}`)
    expect(long).toEqual([])
  })
})
