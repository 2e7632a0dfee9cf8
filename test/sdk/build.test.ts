/**
 * The SDK's build and its content-hashed names (sdk/build.ts; docs/sdk.md, "On the wire"): a name
 * changes when its file's bytes do and never otherwise, a change to the UI reaches the core that
 * names it, and dist/sdk holds only what the last build wrote. Real builds (`tsx sdk/build.ts`) in
 * a copy of the SDK's sources, so that one of them can change.
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

/** `tsx sdk/build.ts` in the copy; what it printed. */
const build = async (...args: string[]) =>
  (await run(join(ROOT, 'node_modules/.bin/tsx'), ['sdk/build.ts', ...args], { cwd: dir })).stdout
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
  let first: SdkManifest
  let before: Record<string, string>

  it('WIRE07 a rebuild without changes keeps every name and every byte; --if-stale skips it', async () => {
    await build()
    first = readManifest(out())!
    before = snapshot()
    for (const f of ['jornada.core.mjs', 'jornada.ui.mjs', 'jornada.ui.checklist.mjs', 'jornada.ui.dialog.mjs'])
      expect(first[f], f).toMatch(new RegExp(`^${f.replace(/\.mjs$/, '').replace(/\./g, '\\.')}\\.[\\w-]{6}\\.mjs$`))
    expect([first['jornada.js'], first['jornada.builder.mjs']]).toEqual(['jornada.js', 'jornada.builder.mjs'])
    expect(await build('--if-stale')).toContain('dist/sdk is up to date')
    await build()
    expect(readManifest(out())).toEqual(first)
    expect(snapshot()).toEqual(before)
  }, 240_000)

  it('WIRE10 a change to the core alone renames the core; every file of the UI keeps its name and bytes', async () => {
    change('sdk/index.ts')
    expect(await build('--if-stale')).not.toContain('up to date')
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
    expect(await build('--if-stale')).not.toContain('up to date')
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

  it('WIRE08 dist/sdk holds only what the last build wrote: no hashed file of an earlier build stays', () => {
    const next = readManifest(out())!
    const expected = builtFiles(next).flatMap((f) => [f, `${f}.br`, `${f}.gz`])
    expect(readdirSync(out()).sort()).toEqual(expected.sort())
    expect(isBuilt(out())).toBe(true)
    const gone = Object.values(first).filter((f) => !Object.values(next).includes(f))
    expect(gone).toContain(first['jornada.ui.mjs'])
    expect(gone).toContain(first['jornada.core.mjs'])
    for (const f of gone) expect(readdirSync(out())).not.toContain(f)
  })
})
