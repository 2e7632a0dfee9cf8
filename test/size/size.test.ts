/**
 * Size is a feature (docs/performance.md, "The SDK's size"; model: zod's packages/treeshake/bundle-size.test.ts). Reads what
 * `npm test` built into dist/sdk (builds it when missing), asserts ceilings in gzip (level 9) and
 * brotli (quality 11) for each file and for what a page downloads by what it shows
 * (./sdk-files.ts), and asserts that server-side names never reach a file the browser loads. Raise
 * a ceiling only in the commit that needs it, and say why there. Files are named by their logical
 * names (`jornada.ui.checklist.mjs`) and read at the names the build gave them (dist/sdk/manifest.json).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { brotliCompressSync, constants } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { builtName, buildSdk, gzipSizes, isBuilt, OUT_DIR, OUTPUTS, readManifest, STUBS } from '../../sdk/build'
import type { Kind } from '../../sdk/ui/kinds'
import { ALWAYS, BASE, CHUNK_OF, EDITORS_ONLY, EVERY_KIND, PAGE_FILES, SHARED, served } from './sdk-files'

interface Ceiling {
  /** gzip level 9, bytes. */
  gzip: number
  /** brotli quality 11, bytes. */
  brotli: number
}

/**
 * Each file end users may download, set a little above what it measures (docs/performance.md has
 * the figures). The loader's brotli ceiling is its gzip one.
 */
const CEILINGS: Record<string, Ceiling> = {
  'jornada.js': { gzip: 1024, brotli: 1024 }, // the script tag's loader: stub + import() of the core (and of the builder chunk, behind its fragment)
  'jornada.core.mjs': { gzip: 5888, brotli: 5312 }, // queue, transport, sessions, identity, tabs
  // The UI's base: Preact + signals-core (6.1 KB gzip of it), mount, model, stylesheet, i18n, the
  // small controls every kind uses. Loaded only when a decision has something to show.
  'jornada.ui.mjs': { gzip: 9984, brotli: 9088 },
  // Each kind's chunk: its views, styles and texts (en, pt-BR). Loaded only when that kind shows.
  'jornada.ui.checklist.mjs': { gzip: 1152, brotli: 1024 },
  'jornada.ui.guide.mjs': { gzip: 2400, brotli: 2160 }, // the tour engine: targets, waiting, positions, progress
  'jornada.ui.nps.mjs': { gzip: 2320, brotli: 1984 }, // with advocacy's programs and recovery (a survey's follow-ups)
  'jornada.ui.value.mjs': { gzip: 768, brotli: 672 },
  'jornada.ui.message.mjs': { gzip: 1120, brotli: 1008 },
  'jornada.ui.banner.mjs': { gzip: 576, brotli: 496 },
  'jornada.ui.launcher.mjs': { gzip: 976, brotli: 848 },
  // Shared by kinds: a dialog's frame (guide, NPS, value, message), the markdown subset (guide, message).
  'jornada.ui.dialog.mjs': { gzip: 928, brotli: 784 },
  'jornada.ui.markdown.mjs': { gzip: 528, brotli: 464 },
}
/**
 * What a page downloads (./sdk-files.ts): everything needed to show the checklist alone, and every
 * kind together. TARGETS are where these are headed (docs/performance.md says what stands between);
 * TOTALS hold them where they are now, so that growth fails.
 */
const TARGETS = { checklist: 14 * 1024, every: 20 * 1024 }
const TOTALS: Record<'checklist' | 'every', Ceiling> = {
  checklist: { gzip: 17408, brotli: 15744 },
  every: { gzip: 26880, brotli: 24064 },
}
/**
 * Listed apart: files no end user ever downloads. The builder chunk is loaded only on a page the
 * console opened in builder mode (`#jornada-builder=<token>`), for an editor picking a guide's
 * targets: its panel, the selector proposals and the calls of its credential. Its own ceiling so it
 * stays small anyway (it reuses the UI's target search, and the UI itself for previews).
 */
const EDITOR_CEILINGS: Record<string, Ceiling> = {
  'jornada.builder.mjs': { gzip: 6144, brotli: 6144 },
}
/** Any other file in dist/sdk (each UI file has its own line above). */
const OTHER_CEILING: Ceiling = { gzip: 10 * 1024, brotli: 10 * 1024 }
/** A built file's logical name (the manifest's key), or the file's own name for the manifest. */
let logicalOf: (file: string) => string = (file) => file
// A stub at a stable name (a line of `export … from`) is not the file it names.
const ceilingOf = (file: string) => {
  const logical = logicalOf(file)
  return STUBS.includes(file) ? OTHER_CEILING : (CEILINGS[logical] ?? EDITOR_CEILINGS[logical] ?? OTHER_CEILING)
}
const MUST_NOT_APPEAR = ['zod', 'hono', 'pglite', 'postgres']

const brotli = (buf: Buffer) =>
  brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY } }).length
let sizes: { file: string; bytes: number; gzip: number; brotli: number }[] = []
const size = (logical: string) => sizes.find((s) => s.file === builtName(logical))!
const total = (files: string[]): Ceiling => ({
  gzip: files.reduce((n, f) => n + size(f).gzip, 0),
  brotli: files.reduce((n, f) => n + size(f).brotli, 0),
})
const read = (logical: string) => readFileSync(join(OUT_DIR, builtName(logical)), 'utf8')
const readFile = (file: string) => readFileSync(join(OUT_DIR, file), 'utf8')
const UI_FILES = EVERY_KIND.filter((f) => !ALWAYS.includes(f))

beforeAll(async () => {
  if (!isBuilt()) await buildSdk()
  const byFile = new Map(Object.entries(readManifest()!).map(([logical, file]) => [file, logical]))
  logicalOf = (file) => byFile.get(file) ?? file
  sizes = gzipSizes().map((s) => ({ ...s, brotli: brotli(readFileSync(join(OUT_DIR, s.file))) }))
})

afterAll(() => {
  const n = (x: number, w = 8) => String(x).padStart(w)
  const row = (s: (typeof sizes)[number]) => {
    const max = ceilingOf(s.file)
    return `${s.file.padEnd(34)} ${n(s.bytes)} ${n(s.gzip)} ${n(max.gzip)} ${((100 * s.gzip) / max.gzip).toFixed(0).padStart(5)}% ${n(s.brotli)} ${n(max.brotli)}`
  }
  const page = (name: string, files: string[], max?: Ceiling, target?: number) => {
    const t = total(files)
    const held = max ? ` (ceiling ${max.gzip} / ${max.brotli})` : ''
    const aim = target ? `; target ${target} gzip, ${t.gzip - target > 0 ? `${t.gzip - target} B over` : 'met'}` : ''
    return `${name.padEnd(12)} ${n(t.gzip)} ${n(t.brotli)}${held}${aim}  ${files.slice(2).join(' ')}`
  }
  const editorOnly = (s: (typeof sizes)[number]) => EDITORS_ONLY.includes(logicalOf(s.file))
  console.log(
    [
      '',
      `${'file'.padEnd(34)} ${'bytes'.padStart(8)} ${'gzip'.padStart(8)} ${'ceiling'.padStart(8)} ${'used'.padStart(6)} ${'brotli'.padStart(8)} ${'ceiling'.padStart(8)}`,
      ...sizes.filter((s) => !editorOnly(s)).map(row),
      'editors only (builder mode):',
      ...sizes.filter(editorOnly).map(row),
      '',
      `a page showing only…   gzip   brotli  (loader + core + what follows)`,
      ...Object.entries(PAGE_FILES).map(([kind, files]) =>
        kind === 'checklist' ? page(kind, files, TOTALS.checklist, TARGETS.checklist) : page(kind, files),
      ),
      page('every kind', EVERY_KIND, TOTALS.every, TARGETS.every),
      '',
    ].join('\n'),
  )
})

describe('bundle size', () => {
  it('Z01 every browser file is built, and the stable names of the stubs', () => {
    for (const f of [...OUTPUTS.map((f) => builtName(f)), ...STUBS]) expect(sizes.map((s) => s.file)).toContain(f)
  })

  it('Z02 the loader stays under 1 KB gzip', () => {
    expect(size('jornada.js').gzip).toBeLessThanOrEqual(CEILINGS['jornada.js']!.gzip)
  })

  it('Z03 the core stays under 6 KB gzip', () => {
    expect(size('jornada.core.mjs').gzip).toBeLessThanOrEqual(CEILINGS['jornada.core.mjs']!.gzip)
  })

  it("Z08 the UI's base and each kind's chunk stay under their own ceilings, in gzip and in brotli", () => {
    for (const f of UI_FILES) {
      expect(size(f).gzip, `${f} gzip`).toBeLessThanOrEqual(CEILINGS[f]!.gzip)
      expect(size(f).brotli, `${f} brotli`).toBeLessThanOrEqual(CEILINGS[f]!.brotli)
    }
  })

  it("Z09 the UI's base is minified ESM exporting mount, with Preact and signals inside (no bare import)", () => {
    const ui = read(BASE)
    expect(ui).toMatch(/export\s*\{[^}]*\bas mount\b|export\s*\{[^}]*\bmount\b/)
    expect(ui).not.toMatch(/^import|\bfrom\s*["'`]/m)
    // Minified: no indented line (the stylesheet's lines are the only line breaks left).
    for (const f of UI_FILES) expect(read(f), f).not.toMatch(/\n[ \t]+\S/)
  })

  it('Z04 every file in dist/sdk has a ceiling, in gzip and in brotli', () => {
    for (const s of sizes) {
      expect(s.gzip, `${s.file} gzip`).toBeLessThanOrEqual(ceilingOf(s.file).gzip)
      expect(s.brotli, `${s.file} brotli`).toBeLessThanOrEqual(ceilingOf(s.file).brotli)
    }
  })

  it('Z18 the builder chunk (editors only) stays under its own 6 KB gzip, apart from what end users load', () => {
    expect(size('jornada.builder.mjs').gzip).toBeLessThanOrEqual(EDITOR_CEILINGS['jornada.builder.mjs']!.gzip)
  })

  it('Z19 only the loader names the builder chunk, behind the fragment; the core and UI hold none of it', () => {
    const builder = read('jornada.builder.mjs')
    expect(builder).toMatch(/export\s*\{[^}]*\bstart\b/)
    expect(builder).not.toMatch(/^import|\bfrom\s*["'`]/m)
    expect(builder).not.toMatch(/\.innerHTML|insertAdjacentHTML|outerHTML/)
    const loader = read('jornada.js')
    expect(loader).toMatch(/jornada-builder=/)
    expect(loader).toMatch(/jornada\.builder\.mjs/)
    for (const f of ['jornada.core.mjs', ...UI_FILES]) expect(read(f).includes('builder'), f).toBe(false)
  })

  it('Z05 MUST_NOT_APPEAR: no server-side library reaches a browser file', () => {
    for (const s of sizes) {
      // Less the SDK's own file names: a hash's letters are not a library.
      const text = readFile(s.file)
        .replace(/jornada\.[\w.-]+\.mjs/g, '')
        .toLowerCase()
      for (const name of MUST_NOT_APPEAR) expect(text.includes(name), `${name} in ${s.file}`).toBe(false)
    }
  })

  it('Z06 the loader loads the hashed core with a native import() beside itself, not inlined', () => {
    const loader = read('jornada.js')
    const core = builtName('jornada.core.mjs')
    expect(core).toMatch(/^jornada\.core\.[\w-]+\.mjs$/)
    expect(loader).toMatch(new RegExp(`import\\(new URL\\([\`"']${core.replace(/\./g, '\\.')}[\`"']`))
    expect(loader).not.toContain('createJornada')
  })

  // They are only in the lazy UI files, which the core loads by URL.
  it('Z10 the core holds no UI code: no Preact, shadow root, styles, guides or catalogs', () => {
    const core = read('jornada.core.mjs')
    const ui = UI_FILES.map(read).join('\n')
    // Each marker is in a UI file (so its absence from the core means something).
    const UI_ONLY = [
      '__k', // Preact's vnode children (a property name: never minified away)
      'createElement',
      'attachShadow',
      'adoptedStyleSheets',
      'jornada-ui', // the shadow root and its element
      'prefers-reduced-motion', // the stylesheet
      'MutationObserver',
      'scrollIntoView', // guides
      'Help & resources',
      'Primeiros passos', // the catalogs
    ]
    for (const m of UI_ONLY) {
      expect(ui.includes(m), `${m} in the UI`).toBe(true)
      expect(core.includes(m), `${m} in the core`).toBe(false)
    }
    expect(core).not.toMatch(/preact/i)
    expect(core).toContain(builtName(BASE))
  })

  it('Z07 the core is minified ESM exporting boot and createJornada', () => {
    const core = read('jornada.core.mjs')
    expect(core).toMatch(/export\s*\{[^}]*\bas boot\b|export\s*\{[^}]*\bboot\b/)
    expect(core).toMatch(/\bcreateJornada\b/)
    expect(core.split('\n').length).toBeLessThan(10)
  })
})

/** The files a UI file imports statically (`import … from "./x.<hash>.mjs"`), as built. */
const staticImports = (logical: string) =>
  [...read(logical).matchAll(/\bfrom\s*["'`]\.\/([\w.-]+)["'`]/g)].map((m) => m[1]!)

describe('bundle size: a page downloads what it shows (./sdk-files.ts)', () => {
  it('Z20 each kind: the base import()s its chunk beside itself, which imports exactly the listed files', () => {
    const base = read(BASE)
    for (const [kind, chunk] of Object.entries(CHUNK_OF)) {
      expect(base, kind).toMatch(new RegExp(`import\\(["'\`]\\./${builtName(chunk).replace(/\./g, '\\.')}["'\`]\\)`))
      expect(staticImports(chunk).sort(), chunk).toEqual(served([BASE, ...(SHARED[chunk] ?? [])]).sort())
    }
    for (const shared of new Set(Object.values(SHARED).flat()))
      expect(staticImports(shared), shared).toEqual(served([BASE]))
    // Every UI file of the build is in the table, and nothing else (but the base's stub).
    const built = sizes.map((s) => s.file).filter((f) => f.startsWith('jornada.ui') && !STUBS.includes(f))
    expect(built.sort()).toEqual(served(UI_FILES).sort())
  })

  it("Z21 Preact and signals are in the base alone; the base holds no kind's own code, styles or texts", () => {
    const base = read(BASE)
    for (const f of UI_FILES.filter((x) => x !== BASE)) {
      expect(read(f).includes('preact-signals'), f).toBe(false)
      expect(read(f).includes('__k:null'), f).toBe(false)
    }
    // A marker of each kind (its code, its styles, its texts) is in its chunk, not in the base.
    const OWN: [Kind | 'dialog' | 'markdown', string][] = [
      ['checklist', 'Primeiros passos'],
      ['checklist', '.done .ic{'],
      ['guide', 'MutationObserver'],
      ['guide', '@keyframes jp'],
      ['nps', 'nps.question'],
      ['nps', 'program.case_study'],
      ['value', 'value.roi'],
      ['message', 'situation.low_usage.body'],
      ['banner', '.bn{'],
      ['launcher', 'Help & resources'],
      ['dialog', 'aria-modal'],
      ['markdown', 'noopener noreferrer'],
    ]
    for (const [kind, marker] of OWN) {
      const file = CHUNK_OF[kind as Kind] ?? `jornada.ui.${kind}.mjs`
      expect(read(file).includes(marker), `${marker} in ${file}`).toBe(true)
      expect(base.includes(marker), `${marker} in the base`).toBe(false)
    }
  })

  it('Z22 the checklist alone (loader, core, base, its chunk) stays under its total ceiling', () => {
    expect(PAGE_FILES.checklist).toEqual([...ALWAYS, BASE, 'jornada.ui.checklist.mjs'])
    const t = total(PAGE_FILES.checklist)
    expect(t.gzip).toBeLessThanOrEqual(TOTALS.checklist.gzip)
    expect(t.brotli).toBeLessThanOrEqual(TOTALS.checklist.brotli)
  })

  it('Z23 every kind together (loader, core, base, every chunk) stays under its total ceiling', () => {
    const t = total(EVERY_KIND)
    expect(t.gzip).toBeLessThanOrEqual(TOTALS.every.gzip)
    expect(t.brotli).toBeLessThanOrEqual(TOTALS.every.brotli)
  })
})
