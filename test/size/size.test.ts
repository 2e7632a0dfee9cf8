/**
 * Size is a feature (docs/performance.md, "The SDK's size"; model: zod's packages/treeshake/bundle-size.test.ts). Reads what
 * `npm test` built into dist/sdk (builds it when missing), asserts gzip ceilings, and asserts that
 * server-side names never reach a file the browser loads. Raise a ceiling only in the commit that
 * needs it, and say why there.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildSdk, gzipSizes, OUT_DIR, OUTPUTS } from '../../sdk/build'

/** gzip bytes (level 9). */
const CEILINGS: Record<string, number> = {
  'jornada.js': 1024, // the script tag's loader: stub + import() of the core (and of the builder chunk, behind its fragment)
  'jornada.core.mjs': 6144, // queue, transport, sessions, identity, tabs
  // The lazy UI chunk with every kind (checklist, guide, value, NPS, advocacy, message, banner, launcher),
  // both catalogs and the stylesheet: Preact + signals-core alone are 6.2 KB of it. Loaded only when a
  // decision has something to show.
  'jornada.ui.mjs': 16384,
}
/**
 * Listed apart: files no end user ever downloads. The builder chunk is loaded only on a page the
 * console opened in builder mode (`#jornada-builder=<token>`), for an editor picking a guide's
 * targets: its panel, the selector proposals and the calls of its credential. Its own ceiling so it
 * stays small anyway (it reuses the UI chunk's target search, and the UI chunk itself for previews).
 */
const EDITOR_CEILINGS: Record<string, number> = {
  'jornada.builder.mjs': 6144,
}
/** Any other file in dist/sdk (each UI chunk has its own line above). */
const OTHER_CEILING = 10 * 1024
const ceilingOf = (file: string) => CEILINGS[file] ?? EDITOR_CEILINGS[file] ?? OTHER_CEILING
const MUST_NOT_APPEAR = ['zod', 'hono', 'pglite', 'postgres']

let sizes: ReturnType<typeof gzipSizes> = []

beforeAll(async () => {
  if (OUTPUTS.some((f) => !existsSync(join(OUT_DIR, f)))) await buildSdk()
  sizes = gzipSizes()
})

afterAll(() => {
  const row = (s: (typeof sizes)[number]) => {
    const max = ceilingOf(s.file)
    return `${s.file.padEnd(20)} ${String(s.bytes).padStart(8)} ${String(s.gzip).padStart(8)} ${String(max).padStart(8)} ${((100 * s.gzip) / max).toFixed(0).padStart(5)}%`
  }
  const editorOnly = (s: (typeof sizes)[number]) => s.file in EDITOR_CEILINGS
  console.log(
    [
      '',
      `${'file'.padEnd(20)} ${'bytes'.padStart(8)} ${'gzip'.padStart(8)} ${'ceiling'.padStart(8)} ${'used'.padStart(6)}`,
      ...sizes.filter((s) => !editorOnly(s)).map(row),
      'editors only (builder mode):',
      ...sizes.filter(editorOnly).map(row),
      '',
    ].join('\n'),
  )
})

describe('bundle size', () => {
  it('Z01 every browser file is built', () => {
    for (const f of OUTPUTS) expect(sizes.map((s) => s.file)).toContain(f)
  })

  it('Z02 the loader stays under 1 KB gzip', () => {
    expect(sizes.find((s) => s.file === 'jornada.js')!.gzip).toBeLessThanOrEqual(CEILINGS['jornada.js'])
  })

  it('Z03 the core stays under 6 KB gzip', () => {
    expect(sizes.find((s) => s.file === 'jornada.core.mjs')!.gzip).toBeLessThanOrEqual(CEILINGS['jornada.core.mjs'])
  })

  it('Z08 the UI chunk stays under 16 KB gzip', () => {
    expect(sizes.find((s) => s.file === 'jornada.ui.mjs')!.gzip).toBeLessThanOrEqual(CEILINGS['jornada.ui.mjs'])
  })

  it('Z09 the UI chunk is minified ESM exporting mount, with Preact and signals inside (no import)', () => {
    const ui = readFileSync(join(OUT_DIR, 'jornada.ui.mjs'), 'utf8')
    expect(ui).toMatch(/export\s*\{[^}]*\bas mount\b|export\s*\{[^}]*\bmount\b/)
    expect(ui).not.toMatch(/^import|\bfrom\s*["'`]preact/m)
    // Minified: no indented line (the stylesheet's lines are the only line breaks left).
    expect(ui).not.toMatch(/\n[ \t]+\S/)
  })

  it('Z04 every other file in dist/sdk has a ceiling too', () => {
    for (const s of sizes) expect(s.gzip, s.file).toBeLessThanOrEqual(ceilingOf(s.file))
  })

  it('Z18 the builder chunk (editors only) stays under its own 6 KB gzip, apart from what end users load', () => {
    expect(sizes.find((s) => s.file === 'jornada.builder.mjs')!.gzip).toBeLessThanOrEqual(
      EDITOR_CEILINGS['jornada.builder.mjs'],
    )
  })

  it('Z19 only the loader names the builder chunk, behind the fragment; the core and UI hold none of it', () => {
    const builder = readFileSync(join(OUT_DIR, 'jornada.builder.mjs'), 'utf8')
    expect(builder).toMatch(/export\s*\{[^}]*\bstart\b/)
    expect(builder).not.toMatch(/^import|\bfrom\s*["'`]/m)
    expect(builder).not.toMatch(/\.innerHTML|insertAdjacentHTML|outerHTML/)
    const loader = readFileSync(join(OUT_DIR, 'jornada.js'), 'utf8')
    expect(loader).toMatch(/jornada-builder=/)
    expect(loader).toMatch(/jornada\.builder\.mjs/)
    for (const f of ['jornada.core.mjs', 'jornada.ui.mjs']) {
      const text = readFileSync(join(OUT_DIR, f), 'utf8')
      expect(text.includes('builder'), f).toBe(false)
    }
  })

  it('Z05 MUST_NOT_APPEAR: no server-side library reaches a browser file', () => {
    for (const s of sizes) {
      const text = readFileSync(join(OUT_DIR, s.file), 'utf8').toLowerCase()
      for (const name of MUST_NOT_APPEAR) expect(text.includes(name), `${name} in ${s.file}`).toBe(false)
    }
  })

  it('Z06 the loader loads the core with a native import() beside itself (not inlined by the bundler)', () => {
    const loader = readFileSync(join(OUT_DIR, 'jornada.js'), 'utf8')
    expect(loader).toMatch(/import\(new URL\(`jornada\.core\.mjs`|import\(new URL\(["']jornada\.core\.mjs["']/)
    expect(loader).not.toContain('createJornada')
  })

  // They are only in the lazy chunk, which the core loads by URL.
  it('Z10 the core holds no UI code: no Preact, shadow root, styles, guides or catalogs', () => {
    const core = readFileSync(join(OUT_DIR, 'jornada.core.mjs'), 'utf8')
    const ui = readFileSync(join(OUT_DIR, 'jornada.ui.mjs'), 'utf8')
    // Each marker is in the UI chunk (so its absence from the core means something).
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
      expect(ui.includes(m), `${m} in the UI chunk`).toBe(true)
      expect(core.includes(m), `${m} in the core`).toBe(false)
    }
    expect(core).not.toMatch(/preact/i)
    expect(core).toContain('jornada.ui.mjs')
  })

  it('Z07 the core is minified ESM exporting boot and createJornada', () => {
    const core = readFileSync(join(OUT_DIR, 'jornada.core.mjs'), 'utf8')
    expect(core).toMatch(/export\s*\{[^}]*\bas boot\b|export\s*\{[^}]*\bboot\b/)
    expect(core).toMatch(/\bcreateJornada\b/)
    expect(core.split('\n').length).toBeLessThan(10)
  })
})
