/**
 * Builds the browser SDK into dist/sdk: the lazy UI's base and its chunks (jornada.ui.<hash>.mjs,
 * jornada.ui.<kind>.<hash>.mjs), the core (jornada.core.<hash>.mjs), the loader IIFE (jornada.js, the
 * script tag's stable URL) and builder mode's chunk (jornada.builder.mjs), in that order: each build
 * puts the name of the file built before it into its own (vite.config.ts, `define`). Then the stable
 * names that bundlers and the console's preview import, as stubs re-exporting the hashed files
 * (jornada.core.mjs, jornada.ui.mjs), and the manifest (manifest.json: logical name → file). It keeps
 * the previous build's hashed files beside the new ones (a page open across a release still loads
 * the UI its core names) and removes the files of any build before that (`pruneBuilds`). Prints each
 * file's sizes. `--if-stale`: skip when every file of the manifest exists and is newer than every file
 * under sdk/, vite.config.ts and package.json (the version is built in). Also the `prepare` script: a
 * git install or `npm pack` gets dist/sdk.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'vite'
import { brotli, gzip, productionBuild } from '../server/http/precompress'
import { SDK_MANIFEST } from '../server/http/static-headers'
import type { SdkManifest } from '../server/http/static-headers'

export const OUT_DIR = 'dist/sdk'
/**
 * The logical names of the SDK's files, the manifest's keys: the loader (the script tag), the core
 * (loaded by it; also what bundlers import, see package.json `exports`), the UI's base (loaded by the
 * core when there is something to show), the UI's chunks (loaded by the base when their kind is to be
 * shown; the dialog's and the markdown's are shared by kinds, see test/size/sdk-files.ts) and the
 * builder chunk (loaded by the loader on a page opened in builder mode only). The core and the UI's
 * files are built at content-hashed names (`builtName`); the loader and the builder chunk at these.
 */
export const OUTPUTS = [
  'jornada.js',
  'jornada.core.mjs',
  'jornada.ui.mjs',
  ...['checklist', 'guide', 'nps', 'value', 'message', 'banner', 'launcher', 'dialog', 'markdown'].map(
    (c) => `jornada.ui.${c}.mjs`,
  ),
  'jornada.builder.mjs',
]
/**
 * Hashed files that keep a stable name too, as a stub re-exporting them: the core (package.json
 * `exports`, for bundlers) and the UI's base (the console's preview, bundler users' `uiUrl`). A stub,
 * not a copy: the kinds' chunks import the base by its hashed name, and a copy would be a second
 * instance of it (a second Preact, a second set of signals).
 */
export const STUBS = ['jornada.core.mjs', 'jornada.ui.mjs']

/** dist/sdk/manifest.json, or null when there is none (never built, or built before manifests). */
export function readManifest(dir = OUT_DIR): SdkManifest | null {
  try {
    return JSON.parse(readFileSync(join(dir, SDK_MANIFEST), 'utf8')) as SdkManifest
  } catch {
    return null
  }
}

/** The name a file (by its logical name, `jornada.ui.checklist.mjs`) is built at; throws when it is not built. */
export function builtName(logical: string, dir = OUT_DIR): string {
  const file = readManifest(dir)?.[logical]
  if (!file) throw new Error(`${dir}/${SDK_MANIFEST} has no ${logical}: run npx tsx sdk/build.ts`)
  return file
}

/** Every file a build leaves in dist/sdk besides the compressed copies: the manifest's, the stubs, the manifest. */
export const builtFiles = (manifest: SdkManifest): string[] => [
  ...new Set([...Object.values(manifest), ...STUBS, SDK_MANIFEST]),
]

/** True when dist/sdk holds a complete build: a manifest naming every output, and each of its files. */
export function isBuilt(dir = OUT_DIR): boolean {
  const manifest = readManifest(dir)
  return (
    manifest !== null &&
    OUTPUTS.every((f) => f in manifest) &&
    builtFiles(manifest).every((f) => existsSync(join(dir, f)))
  )
}

function newestSource(dir: string): number {
  let t = 0
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    t = Math.max(t, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs)
  }
  return t
}

/** True when a file of the build is missing or older than a source. */
export function isStale(): boolean {
  if (!isBuilt()) return true
  const src = Math.max(newestSource('sdk'), statSync('vite.config.ts').mtimeMs, statSync('package.json').mtimeMs)
  return builtFiles(readManifest()!).some((f) => statSync(join(OUT_DIR, f)).mtimeMs <= src)
}

/**
 * The size of every file of the build in dist/sdk (its manifest's: not the previous build's files
 * kept beside it), in bytes: as built, gzip (level 9) and brotli (best), as served.
 */
export function gzipSizes(): { file: string; bytes: number; gzip: number; brotli: number }[] {
  const manifest = readManifest()
  if (!manifest) throw new Error(`${OUT_DIR}/${SDK_MANIFEST} is missing: run npx tsx sdk/build.ts`)
  return builtFiles(manifest)
    .sort()
    .map((file) => {
      const buf = readFileSync(join(OUT_DIR, file))
      return { file, bytes: buf.length, gzip: gzip(buf).length, brotli: brotli(buf).length }
    })
}

/** What a build wrote, as much of rolldown's output as is read here. */
interface Chunk {
  type: string
  fileName: string
  isEntry?: boolean
  exports?: string[]
}

/** One of vite.config.ts's builds, quietly, with `define` over its defaults; its chunks. */
async function buildMode(mode: string, define: Record<string, string> = {}): Promise<Chunk[]> {
  const out = (await productionBuild(() => build({ configFile: 'vite.config.ts', mode, logLevel: 'warn', define }))) as
    | { output: Chunk[] }
    | { output: Chunk[] }[]
  return (Array.isArray(out) ? out : [out]).flatMap((o) => o.output).filter((c) => c.type === 'chunk')
}

/** A file as the build writes it: itself, and beside it brotli and gzip (server/http/precompress.ts). */
function writeServed(file: string, text: string): void {
  const buf = Buffer.from(text)
  writeFileSync(join(OUT_DIR, file), buf)
  writeFileSync(join(OUT_DIR, `${file}.br`), brotli(buf))
  writeFileSync(join(OUT_DIR, `${file}.gz`), gzip(buf))
}

/**
 * Removes from `dir` every file that none of `manifests` names (builtFiles), compressed copies
 * included: after a build, given its manifest and the one it replaced, what builds before those left.
 */
export function pruneBuilds(dir: string, manifests: SdkManifest[]): void {
  const keep = new Set(manifests.flatMap(builtFiles).flatMap((f) => [f, `${f}.br`, `${f}.gz`]))
  for (const f of readdirSync(dir)) if (!keep.has(f)) rmSync(join(dir, f), { recursive: true, force: true })
}

/**
 * The four builds (see above), the stubs and the manifest; then what builds before the previous
 * one left is removed (`pruneBuilds`).
 */
export async function buildSdk(): Promise<void> {
  const previous = readManifest()
  const manifest: SdkManifest = {}
  const exportsOf: Record<string, string[]> = {}
  const add = (logical: string, c: Chunk) => {
    manifest[logical] = c.fileName
    exportsOf[logical] = c.exports ?? []
  }
  // A shared or kind chunk's logical name is its hashed one without the hash (vite.config.ts names them).
  for (const c of await buildMode('ui'))
    add(c.isEntry ? 'jornada.ui.mjs' : c.fileName.replace(/\.[^.]+\.mjs$/, '.mjs'), c)
  const entry = (chunks: Chunk[]) => chunks.find((c) => c.isEntry)!
  add(
    'jornada.core.mjs',
    entry(await buildMode('production', { __JORNADA_UI_FILE__: JSON.stringify(manifest['jornada.ui.mjs']) })),
  )
  add(
    'jornada.js',
    entry(await buildMode('loader', { __JORNADA_CORE_FILE__: JSON.stringify(manifest['jornada.core.mjs']) })),
  )
  add('jornada.builder.mjs', entry(await buildMode('builder')))

  for (const stub of STUBS) {
    const target = `./${manifest[stub]}`
    const reexport = exportsOf[stub]!.includes('default') ? `export { default } from '${target}'\n` : ''
    writeServed(stub, `export * from '${target}'\n${reexport}`)
  }
  const sorted = Object.fromEntries(Object.entries(manifest).sort(([a], [b]) => a.localeCompare(b)))
  writeServed(SDK_MANIFEST, `${JSON.stringify(sorted, null, 2)}\n`)

  pruneBuilds(OUT_DIR, previous ? [manifest, previous] : [manifest])
}

async function main() {
  if (process.argv.includes('--if-stale') && !isStale()) {
    console.log('sdk: dist/sdk is up to date')
    return
  }
  await buildSdk()
  for (const { file, bytes, gzip, brotli } of gzipSizes())
    console.log(`sdk: ${OUT_DIR}/${file}  ${bytes} B, ${gzip} B gzip, ${brotli} B brotli`)
}

// Run only as a script (the size test imports the functions above).
if (process.argv[1] && /sdk[/\\]build\.ts$/.test(process.argv[1])) {
  main().catch((e) => {
    console.error(e)
    process.exit(1)
  })
}
