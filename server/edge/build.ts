/**
 * `npm run build:edge`: the Worker (server/edge/worker.ts) as one ES module, dist/edge/worker.mjs,
 * for `wrangler deploy -c server/edge/wrangler.toml` or any workerd. Built with esbuild for the
 * Workers runtime (the `workerd` export conditions: postgres.js then connects over Workers' TCP
 * sockets); `node:*` modules come from the runtime (the `nodejs_compat` flag). The migrations are
 * in the module as text (`jornada:migrations`): a Worker has no disk to read them from.
 */
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import type { BuildOptions, Plugin } from 'esbuild'
import { isCompressedCopy } from '../http/precompress'
import {
  CONSOLE_HEADERS,
  IMMUTABLE,
  NO_CACHE,
  SDK_MANIFEST,
  STATIC_CACHE_CONTROL,
  hashedFiles,
} from '../http/static-headers'
import type { SdkManifest } from '../http/static-headers'
import { migrationsOnDisk } from '../store/migrate'

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url))
export const WORKER_FILE = join(DIST, 'edge/worker.mjs')
/** The static assets (wrangler.toml's `[assets]`): the built SDK under sdk/, the console under console/ (beside dist/edge, not in it: wrangler would take its files for modules). */
export const ASSETS_DIR = join(DIST, 'edge-assets')

/**
 * Workers Static Assets' `_headers`: what server/serve.ts sets on the same files under Node
 * (`sdkCacheControl`): the SDK's files short-cached, but the loader revalidated and each file the
 * SDK's manifest lists as content-hashed immutable, one rule per file. The console's page is answered
 * by the Worker (server/edge/worker.ts), with the console's headers.
 */
export function assetHeaders(manifest: SdkManifest): string {
  const { 'Content-Type': _type, ...page } = CONSOLE_HEADERS
  const rules: [string, Record<string, string>][] = [
    ['/sdk/*', { 'Cache-Control': STATIC_CACHE_CONTROL, 'Access-Control-Allow-Origin': '*' }],
    ['/sdk/jornada.js', { '! Cache-Control': '', 'Cache-Control': NO_CACHE }],
    ...[...hashedFiles(manifest)]
      .sort()
      .map((f): [string, Record<string, string>] => [
        `/sdk/${f}`,
        { '! Cache-Control': '', 'Cache-Control': IMMUTABLE },
      ]),
    ['/console/assets/*', { 'Cache-Control': IMMUTABLE }],
    ['/console/', page],
  ]
  return rules
    .map(([path, headers]) =>
      [path, ...Object.entries(headers).map(([k, v]) => (k.startsWith('! ') ? `  ${k}` : `  ${k}: ${v}`))].join('\n'),
    )
    .join('\n')
}

/** dist/sdk and dist/console (`npm run build`) as the Worker's static assets, with their `_headers`. */
export async function buildAssets(dir = ASSETS_DIR): Promise<void> {
  await rm(dir, { recursive: true, force: true })
  await mkdir(dir, { recursive: true })
  // Not the .br and .gz copies: Cloudflare compresses what it serves itself.
  const filter = (path: string) => !isCompressedCopy(path)
  await cp(join(DIST, 'sdk'), join(dir, 'sdk'), { recursive: true, filter })
  await cp(join(DIST, 'console'), join(dir, 'console'), { recursive: true, filter })
  const manifest = JSON.parse(await readFile(join(DIST, 'sdk', SDK_MANIFEST), 'utf8')) as SdkManifest
  await writeFile(join(dir, '_headers'), assetHeaders(manifest) + '\n')
}

/** `import migrations from 'jornada:migrations'`: every `.sql` migration as `{ version, sql }`, in order. */
const bundledMigrations: Plugin = {
  name: 'jornada-migrations',
  setup(b) {
    b.onResolve({ filter: /^jornada:migrations$/ }, () => ({ path: 'migrations', namespace: 'jornada' }))
    b.onLoad({ filter: /.*/, namespace: 'jornada' }, async () => ({
      contents: `export default ${JSON.stringify(await migrationsOnDisk())}`,
      loader: 'js',
    }))
  },
}

/** The entry `npm run build:edge` bundles. */
export const WORKER_ENTRY = fileURLToPath(new URL('./worker.ts', import.meta.url))

/**
 * esbuild's options for a Worker module (entry and output aside): one ES module for workerd, the
 * `workerd` export conditions, `node:*` and `cloudflare:*` from the runtime, the migrations as text.
 */
export const WORKER_BUILD_OPTIONS = {
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  conditions: ['workerd', 'worker', 'browser'],
  mainFields: ['module', 'main'],
  external: ['node:*', 'cloudflare:*'],
  plugins: [bundledMigrations],
  minify: true,
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
} satisfies BuildOptions

/** Builds the Worker (or another Worker module, `entry`, with the same options); returns its size in bytes. */
export async function buildWorker(outfile = WORKER_FILE, entry = WORKER_ENTRY): Promise<number> {
  await mkdir(new URL('.', `file://${outfile}`), { recursive: true })
  const result = await build({ ...WORKER_BUILD_OPTIONS, entryPoints: [entry], outfile })
  return Object.values(result.metafile.outputs).find((o) => o.entryPoint)?.bytes ?? 0
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const bytes = await buildWorker()
  await buildAssets()
  const here = (p: string) => p.replace(`${process.cwd()}/`, '')
  process.stdout.write(`edge: ${here(WORKER_FILE)}  ${bytes} B; static assets in ${here(ASSETS_DIR)}\n`)
}
