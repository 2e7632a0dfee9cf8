/**
 * Builds the browser SDK: the loader IIFE (dist/sdk/jornada.js), the core ESM (dist/sdk/jornada.core.mjs),
 * the lazy UI's base and its chunks (dist/sdk/jornada.ui.mjs, jornada.ui.<kind>.mjs) and builder mode's
 * chunk (dist/sdk/jornada.builder.mjs),
 * then prints each file's gzip size. `--if-stale`: skip when all exist and are newer than every file
 * under sdk/, vite.config.ts and package.json (the version is built in). Also the `prepare` script: a git
 * install or `npm pack` gets dist/sdk.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'vite'
import { brotli, gzip, isCompressedCopy } from '../server/http/precompress'

export const OUT_DIR = 'dist/sdk'
/**
 * The loader (the script tag), the core (loaded by it; also what bundlers import, see package.json
 * `exports`), the UI's base (loaded by the core when there is something to show), the UI's chunks
 * (loaded by the base when their kind is to be shown; the dialog's and the markdown's are shared by
 * kinds, see test/size/sdk-files.ts) and the builder chunk (loaded by the core on a page opened in
 * builder mode only).
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

function newestSource(dir: string): number {
  let t = 0
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    t = Math.max(t, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs)
  }
  return t
}

/** True when an output is missing or older than a source. */
export function isStale(): boolean {
  const src = Math.max(newestSource('sdk'), statSync('vite.config.ts').mtimeMs, statSync('package.json').mtimeMs)
  return OUTPUTS.some((f) => {
    const p = join(OUT_DIR, f)
    return !existsSync(p) || statSync(p).mtimeMs <= src
  })
}

/** The size of every file in dist/sdk, in bytes: as built, gzip (level 9) and brotli (best), as served. */
export function gzipSizes(): { file: string; bytes: number; gzip: number; brotli: number }[] {
  return readdirSync(OUT_DIR)
    .filter((f) => statSync(join(OUT_DIR, f)).isFile() && !isCompressedCopy(f))
    .sort()
    .map((file) => {
      const buf = readFileSync(join(OUT_DIR, file))
      return { file, bytes: buf.length, gzip: gzip(buf).length, brotli: brotli(buf).length }
    })
}

/** The four builds, quietly. */
export async function buildSdk(): Promise<void> {
  for (const mode of ['loader', 'production', 'ui', 'builder']) {
    await build({ configFile: 'vite.config.ts', mode, logLevel: 'warn' })
  }
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
if (process.argv[1] && /build\.ts$/.test(process.argv[1])) {
  main().catch((e) => {
    console.error(e)
    process.exit(1)
  })
}
