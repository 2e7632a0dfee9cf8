/**
 * The SDK's build and its content-hashed names (sdk/build.ts; docs/sdk.md, "On the wire"): a name
 * changes when its file's bytes do and never otherwise, a change to the UI reaches the core that
 * names it, and dist/sdk holds what the last build wrote and the previous build's hashed files (a page
 * open across a release still finds its UI), nothing older. Real builds (`tsx sdk/build.ts`) in a
 * copy of the SDK's sources, so that one of them can change.
 */
import { execFile } from 'node:child_process'
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { builtFiles, isBuilt, readManifest, STUBS } from '../../sdk/build'
import type { SdkManifest } from '../../server/http/static-headers'

// (In happy-dom, a `new URL` is not a file URL to node:url.)
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const run = promisify(execFile)
let dir = ''
const out = () => join(dir, 'dist/sdk')

/** `tsx sdk/build.ts` in the copy, with the tests' environment (NODE_ENV=test) or `env`; what it printed. */
const build = async (args: string[] = [], env: NodeJS.ProcessEnv = process.env) =>
  (await run(join(ROOT, 'node_modules/.bin/tsx'), ['sdk/build.ts', ...args], { cwd: dir, env })).stdout
/** Every file of dist/sdk but the compressed copies, with its text. */
const snapshot = () =>
  Object.fromEntries(
    readdirSync(out())
      .filter((f) => !/\.(br|gz)$/.test(f))
      .map((f) => [f, readFileSync(join(out(), f), 'utf8')]),
  )

/** A change to an entry module that reaches its built file: a statement the bundler must keep. */
function change(entry: string): void {
  const path = join(dir, entry)
  writeFileSync(
    path,
    `${readFileSync(path, 'utf8')}\n;(globalThis as Record<string, unknown>).jornadaRebuilt = '${entry}'\n`,
  )
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'jornada-build-'))
  // What the build reads: the SDK's sources, its config, and the server's precompress and headers modules.
  for (const p of ['sdk', 'server/http', 'vite.config.ts', 'package.json', 'tsconfig.json'])
    cpSync(join(ROOT, p), join(dir, p), { recursive: true })
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir')
})

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('sdk build: content-hashed names', () => {
  let original: SdkManifest
  let first: SdkManifest
  let before: Record<string, string>

  it('WIRE07 a rebuild without changes, and without NODE_ENV, keeps every name and byte; --if-stale skips', async () => {
    // Vite builds for NODE_ENV when set: the build must be a production one under vitest's `test` too.
    expect(process.env.NODE_ENV).toBe('test')
    await build()
    first = readManifest(out())!
    original = first
    before = snapshot()
    for (const f of ['jornada.core.mjs', 'jornada.ui.mjs', 'jornada.ui.checklist.mjs', 'jornada.ui.dialog.mjs'])
      expect(first[f], f).toMatch(new RegExp(`^${f.replace(/\.mjs$/, '').replace(/\./g, '\\.')}\\.[\\w-]{6}\\.mjs$`))
    expect([first['jornada.js'], first['jornada.builder.mjs']]).toEqual(['jornada.js', 'jornada.builder.mjs'])
    expect(await build(['--if-stale'])).toContain('dist/sdk is up to date')
    const { NODE_ENV: _, ...withoutNodeEnv } = process.env
    await build([], withoutNodeEnv)
    expect(readManifest(out())).toEqual(first)
    expect(snapshot()).toEqual(before)
  }, 240_000)

  it('WIRE10 a change to the core alone renames the core; every file of the UI keeps its name and bytes', async () => {
    change('sdk/index.ts')
    expect(await build(['--if-stale'])).not.toContain('up to date')
    const next = readManifest(out())!
    const after = snapshot()
    expect(next['jornada.core.mjs']).not.toBe(first['jornada.core.mjs'])
    expect(after['jornada.js']).toContain(next['jornada.core.mjs'])
    const ui = Object.keys(first).filter((f) => f.startsWith('jornada.ui'))
    expect(ui.length).toBeGreaterThan(5)
    for (const f of ui) expect(next[f], f).toBe(first[f])
    for (const f of ui) expect(after[next[f]!], f).toBe(before[first[f]!])
    first = next
    before = after
  }, 240_000)

  it("WIRE11 a change to the UI renames the UI's files and the core, which names the base; not the loader", async () => {
    change('sdk/ui/index.ts')
    expect(await build(['--if-stale'])).not.toContain('up to date')
    const next = readManifest(out())!
    const after = snapshot()
    expect(next['jornada.ui.mjs']).not.toBe(first['jornada.ui.mjs'])
    expect(next['jornada.core.mjs']).not.toBe(first['jornada.core.mjs'])
    expect(after[next['jornada.core.mjs']!]).toContain(next['jornada.ui.mjs'])
    // The loader keeps its URL and names the new core; the builder chunk, which names none of them, is as it was.
    expect(next['jornada.js']).toBe('jornada.js')
    expect(after['jornada.js']).not.toBe(before['jornada.js'])
    expect(after['jornada.js']).toContain(next['jornada.core.mjs'])
    expect(after['jornada.builder.mjs']).toBe(before['jornada.builder.mjs'])
    // The stubs at stable names follow the new files.
    for (const stub of STUBS) expect(after[stub]).toBe(`export * from './${next[stub]}'\n`)
  }, 240_000)

  it("WIRE08 dist/sdk holds the last build and the previous build's hashed files; none of an older build", () => {
    // `first` is the manifest of the build before the last: WIRE11 built over it.
    const next = readManifest(out())!
    const expected = [...new Set([...builtFiles(next), ...builtFiles(first)])].flatMap((f) => [f, `${f}.br`, `${f}.gz`])
    expect(readdirSync(out()).sort()).toEqual(expected.sort())
    expect(isBuilt(out())).toBe(true)
    // The previous build's core and UI stay for a page open across the release; the first build's
    // core, renamed by both builds since, is gone.
    for (const f of [first['jornada.core.mjs']!, first['jornada.ui.mjs']!, first['jornada.ui.checklist.mjs']!])
      expect(readdirSync(out())).toContain(f)
    const kept = new Set([...Object.values(next), ...Object.values(first)])
    const gone = Object.values(original).filter((f) => !kept.has(f))
    expect(gone).toContain(original['jornada.core.mjs'])
    for (const f of gone) expect(readdirSync(out())).not.toContain(f)
  })
})
