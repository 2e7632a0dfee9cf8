/**
 * The console's size and its separation from the SDK. Reads what `npm test` built into dist/console
 * (builds it when missing): the first load (the entry script and what index.html preloads) stays
 * under its ceiling, each page's code is a chunk of its own fetched with the page, no server-side
 * library reaches it, and the console and the SDK share nothing, in their sources or their files.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildConsole, CONSOLE_OUT_DIR, consoleSizes } from '../../console/build'
import type { ConsoleFile } from '../../console/build'
import { builtName, buildSdk, isBuilt, OUT_DIR as SDK_OUT_DIR, OUTPUTS as SDK_OUTPUTS } from '../../sdk/build'

/** gzip bytes (level 9) of the first load's script: the shell, router, signals, Preact, catalogs. */
const FIRST_LOAD_SCRIPT_CEILING = 60 * 1024
/** Any one lazy chunk (the account page is the largest). */
const CHUNK_CEILING = 20 * 1024
const CSS_CEILING = 8 * 1024
const MUST_NOT_APPEAR = ['zod', 'hono', 'pglite', 'postgres']

/** Names only the SDK's files hold (each checked present there, so its absence here means something). */
const SDK_ONLY = ['createJornada', 'jornada.core.', 'jornada-ui', 'attachShadow', 'indexedDB']
/** Names only the console's files hold. */
const CONSOLE_ONLY = ['x-csrf-token', '/v1/overview', '/v1/members', 'Jornada console']

let sizes: ConsoleFile[] = []
const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8')
const consoleText = () => sizes.map((s) => read(CONSOLE_OUT_DIR, s.file)).join('\n')
const sdkText = () => SDK_OUTPUTS.map((f) => read(SDK_OUT_DIR, builtName(f))).join('\n')

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name)
    return e.isDirectory() ? sources(p) : /\.(ts|tsx)$/.test(e.name) ? [p] : []
  })
}
/** The modules a source imports code from: `import type` statements are erased and bring none. */
const importsOf = (file: string) =>
  [
    ...readFileSync(file, 'utf8')
      .replace(/\bimport type\b[^'"]*?from\s*['"][^'"]+['"]/g, '')
      .matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g),
  ].map((m) => m[1]!)

beforeAll(async () => {
  if (!existsSync(join(CONSOLE_OUT_DIR, 'index.html'))) await buildConsole()
  if (!isBuilt()) await buildSdk()
  sizes = consoleSizes()
})

afterAll(() => {
  const first = sizes.filter((s) => s.firstLoad && s.file.endsWith('.js')).reduce((n, s) => n + s.gzip, 0)
  const rows = sizes.map(
    (s) =>
      `${s.file.padEnd(44)} ${String(s.bytes).padStart(8)} ${String(s.gzip).padStart(8)}${s.firstLoad ? '  first load' : ''}`,
  )
  console.log(
    [
      '',
      `${'console file'.padEnd(44)} ${'bytes'.padStart(8)} ${'gzip'.padStart(8)}`,
      ...rows,
      `first load, script: ${first} B gzip of ${FIRST_LOAD_SCRIPT_CEILING} (${((100 * first) / FIRST_LOAD_SCRIPT_CEILING).toFixed(0)}%)`,
      '',
    ].join('\n'),
  )
})

describe('the console: size and separation', () => {
  it('Z11 the console is built: index.html loads one module script from /console/assets/', () => {
    const html = read(CONSOLE_OUT_DIR, 'index.html')
    expect(html).toMatch(/<script type="module" crossorigin src="\/console\/assets\/index-[\w-]+\.js"><\/script>/)
    expect(statSync(join(CONSOLE_OUT_DIR, 'index.html')).size).toBeGreaterThan(0)
  })

  it('Z12 the first load stays under 60 KB gzip of script', () => {
    const first = sizes.filter((s) => s.firstLoad && s.file.endsWith('.js'))
    expect(first.length).toBeGreaterThan(0)
    expect(first.reduce((n, s) => n + s.gzip, 0)).toBeLessThanOrEqual(FIRST_LOAD_SCRIPT_CEILING)
  })

  it('Z13 every other chunk and the stylesheet have ceilings too', () => {
    for (const s of sizes) {
      if (s.file.endsWith('.css')) expect(s.gzip, s.file).toBeLessThanOrEqual(CSS_CEILING)
      else if (s.file.endsWith('.js') && !s.firstLoad) expect(s.gzip, s.file).toBeLessThanOrEqual(CHUNK_CEILING)
    }
  })

  it('Z14 each page folder is a chunk of its own, outside the first load', () => {
    const pages = readdirSync('console/pages')
    expect(pages.length).toBeGreaterThanOrEqual(10)
    for (const page of pages) {
      const chunk = sizes.find((s) => new RegExp(`^assets/page-${page}-[\\w-]+\\.js$`).test(s.file))
      expect(chunk, page).toBeDefined()
      expect(chunk!.firstLoad, page).toBe(false)
    }
  })

  it('Z15 MUST_NOT_APPEAR: no server-side library reaches a console file', () => {
    for (const s of sizes) {
      const text = read(CONSOLE_OUT_DIR, s.file).toLowerCase()
      for (const name of MUST_NOT_APPEAR) expect(text.includes(name), `${name} in ${s.file}`).toBe(false)
    }
  })

  it('Z16 the console bundle holds none of the SDK, and the SDK files none of the console', () => {
    const con = consoleText()
    const sdk = sdkText()
    for (const m of SDK_ONLY) {
      expect(sdk.includes(m), `${m} in the SDK`).toBe(true)
      expect(con.includes(m), `${m} in the console`).toBe(false)
    }
    for (const m of CONSOLE_ONLY) {
      expect(con.includes(m), `${m} in the console`).toBe(true)
      expect(sdk.includes(m), `${m} in the SDK`).toBe(false)
    }
  })

  it('Z17 no source of console/ imports code of sdk/, nor sdk/ code of console/ (types may be shared)', () => {
    const bad = [
      ...sources('console').flatMap((f) =>
        importsOf(f)
          .filter((i) => /(^|\/)sdk(\/|$)/.test(i))
          .map((i) => `${f}: ${i}`),
      ),
      ...sources('sdk').flatMap((f) =>
        importsOf(f)
          .filter((i) => /(^|\/)console(\/|$)/.test(i))
          .map((i) => `${f}: ${i}`),
      ),
    ]
    expect(bad).toEqual([])
  })
})
