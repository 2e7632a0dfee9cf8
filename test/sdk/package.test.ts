/**
 * The npm path of docs/sdk.md's embedding ("With a bundler"): what `import { createJornada } from 'jornada'` gets through
 * package.json `exports`, what a pack (a git install, a local path, an `npm pack` tarball) contains, and
 * that a fresh clone, which has no dist/, builds it in `prepare`. Real `node`, `npm` and `tsc` processes.
 */
import { execFile } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { builtFiles, buildSdk, isBuilt, OUT_DIR, readManifest } from '../../sdk/build'

// (In happy-dom, a `new URL` is not a file URL to node:url.)
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const run = promisify(execFile)
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string
  exports: { '.': { types: string; import: string } }
}
const temps: string[] = []
const temp = () => (temps.push(mkdtempSync(join(tmpdir(), 'jornada-pkg-'))), temps.at(-1)!)

interface Pack {
  files: { path: string }[]
}
/** `npm pack --dry-run --json` in `cwd`: the JSON follows whatever `prepare` printed. */
async function pack(cwd: string, ...args: string[]): Promise<string[]> {
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', ...args], { cwd, maxBuffer: 16 * 1024 * 1024 })
  return (JSON.parse(stdout.slice(stdout.search(/^\[/m))) as Pack[])[0].files.map((f) => f.path)
}

beforeAll(async () => {
  if (!isBuilt(join(ROOT, OUT_DIR))) await buildSdk()
})

afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true })
})

describe('package', () => {
  // Node's self-reference: the package imports itself by its own name.
  it("PKG01 import('jornada') resolves by the package name through exports and exposes createJornada", async () => {
    const script =
      "const m = await import('jornada'); console.log(JSON.stringify({ url: import.meta.resolve('jornada'), createJornada: typeof m.createJornada }))"
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT })
    const out = JSON.parse(stdout) as { url: string; createJornada: string }
    expect(pkg.name).toBe('jornada')
    expect(out.url).toBe('file://' + join(ROOT, pkg.exports['.'].import))
    expect(out.url).toMatch(/\/dist\/sdk\/jornada\.core\.mjs$/)
    expect(out.createJornada).toBe('function')
    // A stub at the stable name, re-exporting the content-hashed core (sdk/build.ts).
    const core = readManifest(join(ROOT, OUT_DIR))!['jornada.core.mjs']!
    expect(core).toMatch(/^jornada\.core\.[\w-]+\.mjs$/)
    expect(readFileSync(join(ROOT, OUT_DIR, 'jornada.core.mjs'), 'utf8')).toBe(`export * from './${core}'\n`)
  })

  it("PKG02 a pack holds the built SDK, its types' sources and the README, and no tests, server or demo", async () => {
    const files = await pack(ROOT, '--ignore-scripts') // dist/sdk is built above; PKG04 runs prepare
    for (const f of builtFiles(readManifest(join(ROOT, OUT_DIR))!)) expect(files).toContain(`dist/sdk/${f}`)
    expect(files).toContain(pkg.exports['.'].types.replace(/^\.\//, ''))
    expect(files).toContain('README.md')
    expect(files).toContain('package.json')
    expect(files.filter((f) => /^(test|server|demo|\.ci)\//.test(f))).toEqual([])
    expect(files).not.toContain('sdk/build.ts')
  })

  it('PKG03 exports.types type-checks in a consumer project without resolveJsonModule', async () => {
    // A consumer with the package in its node_modules, as an install leaves it, and strict bundler settings.
    // resolveJsonModule off, as TypeScript before 7 has it by default.
    const dir = temp()
    mkdirSync(join(dir, 'node_modules'))
    symlinkSync(ROOT, join(dir, 'node_modules', 'jornada'), 'dir')
    writeFileSync(
      join(dir, 'app.ts'),
      "import { createJornada } from 'jornada'\nexport const j = createJornada({ writeKey: 'pk_x' })\nj.track('report_generated', { rows: 120 })\n",
    )
    const compilerOptions = {
      strict: true,
      noEmit: true,
      target: 'ES2022',
      module: 'ESNext',
      moduleResolution: 'bundler',
      resolveJsonModule: false,
      lib: ['ES2022', 'DOM', 'DOM.Iterable'],
      types: [],
      skipLibCheck: true,
    }
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['app.ts'] }))
    const tsc = join(ROOT, 'node_modules', '.bin', 'tsc')
    const r = await run(tsc, ['-p', join(dir, 'tsconfig.json')], { cwd: dir }).catch((e: { stdout: string }) => ({
      stdout: e.stdout,
      failed: true,
    }))
    expect(r.stdout).toBe('')
    expect('failed' in r).toBe(false)
  })

  // prepare is what npm ci, a git install and npm pack run.
  it('PKG04 a fresh clone (no dist/) builds the SDK in prepare', async () => {
    // The working tree without what .gitignore leaves out of a clone; the installed packages are shared.
    const dir = temp()
    const ignored = new Set(['node_modules', 'dist', '.git', '.jornada'])
    cpSync(ROOT, dir, { recursive: true, filter: (src) => !ignored.has(src.slice(ROOT.length + 1).split('/')[0]) })
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir')
    expect(existsSync(join(dir, 'dist'))).toBe(false)
    const files = await pack(dir)
    expect(isBuilt(join(dir, OUT_DIR))).toBe(true)
    for (const f of builtFiles(readManifest(join(dir, OUT_DIR))!)) expect(files).toContain(`dist/sdk/${f}`)
  }, 120_000)
})
