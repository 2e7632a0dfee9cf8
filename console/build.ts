/**
 * Builds the console (`vite build --mode console`) into dist/console/ and prints each file's gzip
 * size and the first load's (the entry script and what index.html preloads). `--if-stale`: skip when
 * dist/console/index.html is newer than every file under console/, the vocabulary it imports,
 * vite.config.ts and package.json. Called by `npm run build`, `npm start` and `npm test`, beside
 * sdk/build.ts.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { build } from 'vite'
import { brotli, gzip, isCompressedCopy, productionBuild } from '../server/http/precompress'

export const CONSOLE_OUT_DIR = 'dist/console'

/** Files outside console/ whose change changes the build (runtime imports and the config). */
const OTHER_SOURCES = ['server/journey/vocabulary.ts', 'vite.config.ts', 'package.json']

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name)
    return e.isDirectory() ? filesUnder(p) : [p]
  })
}

/** True when the console's index.html is missing or older than a source. */
export function isConsoleStale(): boolean {
  const index = join(CONSOLE_OUT_DIR, 'index.html')
  if (!existsSync(index)) return true
  const newest = Math.max(...[...filesUnder('console'), ...OTHER_SOURCES].map((f) => statSync(f).mtimeMs))
  return statSync(index).mtimeMs <= newest
}

export interface ConsoleFile {
  /** Relative to dist/console, with `/`. */
  file: string
  bytes: number
  gzip: number
  brotli: number
  /** Loaded by index.html itself (its module script, the chunks it preloads, its stylesheet). */
  firstLoad: boolean
}

/** Every file of dist/console with its gzip size (level 9), and whether the first load fetches it. */
export function consoleSizes(): ConsoleFile[] {
  const html = readFileSync(join(CONSOLE_OUT_DIR, 'index.html'), 'utf8')
  const referenced = new Set(
    [...html.matchAll(/(?:src|href)="\/console\/([^"]+)"/g)].map((m) => m[1]).filter((f) => f !== undefined),
  )
  return filesUnder(CONSOLE_OUT_DIR)
    .filter((p) => !isCompressedCopy(p))
    .map((p) => relative(CONSOLE_OUT_DIR, p).split('\\').join('/'))
    .sort()
    .map((file) => {
      const buf = readFileSync(join(CONSOLE_OUT_DIR, file))
      return {
        file,
        bytes: buf.length,
        gzip: gzip(buf).length,
        brotli: brotli(buf).length,
        firstLoad: file === 'index.html' || referenced.has(file),
      }
    })
}

/** The console's build, quietly. */
export async function buildConsole(): Promise<void> {
  await productionBuild(() => build({ configFile: 'vite.config.ts', mode: 'console', logLevel: 'warn' }))
}

async function main() {
  if (process.argv.includes('--if-stale') && !isConsoleStale()) {
    console.log('console: dist/console is up to date')
    return
  }
  await buildConsole()
  const sizes = consoleSizes()
  for (const { file, bytes, gzip, brotli, firstLoad } of sizes)
    console.log(
      `console: ${CONSOLE_OUT_DIR}/${file}  ${bytes} B, ${gzip} B gzip, ${brotli} B brotli${firstLoad ? ' (first load)' : ''}`,
    )
  const first = sizes.filter((s) => s.firstLoad && s.file.endsWith('.js'))
  const sum = (k: 'gzip' | 'brotli') => first.reduce((n, s) => n + s[k], 0)
  console.log(`console: first load ${sum('gzip')} B gzip, ${sum('brotli')} B brotli of script`)
}

// Run only as a script (the size test imports the functions above).
if (process.argv[1] && /console[/\\]build\.ts$/.test(process.argv[1])) {
  main().catch((e) => {
    console.error(e)
    process.exit(1)
  })
}
