/**
 * The suite's own habits: every test id names one test (a failing id must point at one place), and
 * titles stay short enough to read in a report (the spec's words go in the `describe`). Read from
 * the test files' text: the first string of each `it(` / `test(` (up to a template's first `${`).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

/** Longest test title, in characters. */
export const MAX_TITLE = 100

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

/** `it('…'`, `it.each(…)('…'`, `test("…"`, `` it(`…` ``: the title's literal text. */
const CALL = /\b(?:it|test)(?:\.each\((?:[^()]|\([^()]*\))*\))?\(\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|`((?:[^`\\$]|\\.|\$(?!\{))*))/g
const ID = /^([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*\d*[a-z]?)(?=\s)/

export function titlesOf(file: string, text: string): Title[] {
  const out: Title[] = []
  for (const m of text.matchAll(CALL)) {
    const raw = m[1] ?? m[2] ?? m[3] ?? ''
    const title = raw.replace(/\\(.)/g, '$1')
    const id = ID.exec(title)?.[1] ?? null
    out.push({ file, line: text.slice(0, m.index).split('\n').length, text: title, id: id !== null && /\d/.test(id) ? id : null })
  }
  return out
}

// This file's own sample titles are not the suite's.
const titles = testFiles('test').filter((f) => !f.endsWith(join('suite', 'titles.test.ts'))).flatMap((f) => titlesOf(f, readFileSync(f, 'utf8')))

describe('the suite: titles and ids', () => {
  it('SU01 the title reader finds the tests (ids, each-tables, templates)', () => {
    const sample = "it('RF02 no_login: day 5', () => {})\nit.each([1, 2])('N06b %s', () => {})\ntest(`X01 ${a} b`, () => {})"
    expect(titlesOf('x', sample).map((t) => [t.id, t.text, t.line])).toEqual([['RF02', 'RF02 no_login: day 5', 1], ['N06b', 'N06b %s', 2], ['X01', 'X01 ', 3]])
    expect(titles.length).toBeGreaterThan(700)
  })

  it('SU02 every test id names one test across the suite', () => {
    const seen = new Map<string, string[]>()
    for (const t of titles) if (t.id) seen.set(t.id, [...(seen.get(t.id) ?? []), `${t.file}:${t.line}`])
    const reused = [...seen].filter(([, at]) => at.length > 1).map(([id, at]) => `${id}: ${at.join(', ')}`)
    expect(reused).toEqual([])
  })

  it(`SU03 every test title is at most ${MAX_TITLE} characters`, () => {
    const long = titles.filter((t) => t.text.length > MAX_TITLE).map((t) => `${t.file}:${t.line} (${t.text.length}) ${t.text}`)
    expect(long).toEqual([])
  })
})
