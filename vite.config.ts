import { fileURLToPath } from 'node:url'
import type { BuildEnvironmentOptions, UserConfig } from 'vite'
import { defineConfig } from 'vitest/config'
import pkg from './package.json' with { type: 'json' }
// With its extension: Vite loads this config as a Node module, without a bundler's resolution.
import { precompress } from './server/http/precompress.ts'

/**
 * Five builds (Vite cannot split an IIFE):
 * - `--mode ui`: sdk/ui/index.ts as the UI's base, dist/sdk/jornada.ui.<hash>.mjs (Preact and signals
 *   inside), which the core import()s only when a decision has something to show, and a chunk per kind
 *   beside it, dist/sdk/jornada.ui.<kind>.<hash>.mjs, which the base import()s only when that kind is to
 *   be shown (sdk/ui/kinds.ts), plus the chunks kinds share (jornada.ui.dialog.<hash>.mjs, …markdown…).
 * - default: sdk/index.ts as one ESM file, dist/sdk/jornada.core.<hash>.mjs, loaded by the loader
 *   through import() and imported by bundler users (`import { createJornada } from 'jornada'`).
 * - `--mode loader`: sdk/loader.ts as a tiny IIFE, dist/sdk/jornada.js (the script tag).
 * - `--mode builder`: sdk/builder/index.ts as one ESM file, dist/sdk/jornada.builder.mjs, which the loader
 *   import()s only on a page opened in builder mode (`#jornada-builder=<token>`): no end user loads it.
 * sdk/build.ts runs all four, in this order: each file names the next by its hash (`[hash:6]`: six characters
 * of a digest of the content, so a name changes when its bytes do and never otherwise; six, not
 * rolldown's eight, since every name a file holds is bytes each user downloads), the UI's base its kinds'
 * chunks, the core the UI's base and the loader the core, through `define` (`__JORNADA_UI_FILE__`,
 * `__JORNADA_CORE_FILE__`, set by sdk/build.ts from the build before; the stable names here, which the
 * build makes re-exporting stubs, for a build run on its own and for the tests).
 * - `--mode console`: the console (console/index.html, a Preact app of its own) into dist/console/,
 *   served at /console/; one chunk per page, loaded with the page. console/build.ts runs it. Nothing
 *   of it is shared with the SDK's files (test/size/console-size.test.ts says so).
 * Tests: `vitest run` runs every project below.
 * `define` puts the package version into the SDK (sdk/index.ts `__JORNADA_VERSION__`) in the builds and in the
 * tests, so the SDK's sources import no JSON (bundler users type-check them through package.json `exports.types`).
 */
export default defineConfig(({ mode }) => ({
  // The UI chunk's components are TSX over Preact (the tests compile them too).
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  define: {
    __JORNADA_VERSION__: JSON.stringify(pkg.version),
    __JORNADA_CORE_FILE__: JSON.stringify('jornada.core.mjs'),
    __JORNADA_UI_FILE__: JSON.stringify('jornada.ui.mjs'),
  },
  // Every built file also as .br and .gz (server/http/precompress.ts; builds only).
  plugins: [precompress()],
  ...(mode === 'console' ? consoleBuild : { build: sdkBuild(mode) }),
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Three files at a time on two cores (vitest's default is one less than the cores: one, here).
    // Much of the suite waits (on PostgreSQL, Chromium's network-idle, child processes, timers)
    // rather than computes: the other files use that time.
    maxWorkers: 3,
    projects: [
      { extends: true, test: { name: 'sdk', include: ['test/sdk/**/*.test.ts'], environment: 'happy-dom' } },
      { extends: true, test: { name: 'journey', include: ['test/journey/**/*.test.ts'], environment: 'node' } },
      {
        extends: true,
        test: {
          name: 'server',
          include: ['test/server/**/*.test.ts', 'test/store/**/*.test.ts'],
          exclude: [CITUS_CONTRACT, ...CITUS_ONLY],
          environment: 'node',
          globalSetup: ['test/support/postgres-setup.ts'],
          provide: { storeKind: 'postgres' },
        },
      },
      {
        // The store contract and the server tests that go through the store's SQL, on a Citus
        // cluster (test/support/citus-setup.ts): each-store.ts and fresh-database.ts run them there only.
        extends: true,
        test: {
          name: 'citus',
          include: [CITUS_CONTRACT, ...CITUS_ONLY, ...CITUS_SERVER_TESTS.map((f) => `test/server/${f}.test.ts`)],
          environment: 'node',
          globalSetup: ['test/support/citus-setup.ts'],
          provide: { storeKind: 'citus' },
        },
      },
      {
        extends: true,
        // In the shared pool, not a sequential group of its own: vitest runs such a group after every
        // other file, so its files' minutes added up alone while the other worker idled (measured:
        // 356 s of Chromium tests one after another at the end of a 900 s run).
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], environment: 'node' },
      },
      {
        extends: true,
        test: { name: 'console', include: ['test/console/**/*.test.ts'], environment: 'happy-dom' },
      },
      { extends: true, test: { name: 'size', include: ['test/size/**/*.test.ts'], environment: 'node' } },
      { extends: true, test: { name: 'suite', include: ['test/suite/**/*.test.ts'], environment: 'node' } },
    ],
  },
}))

/** The store contract on Citus (the `citus` project); the `server` project runs it on PGlite and PostgreSQL. */
const CITUS_CONTRACT = 'test/store/citus.test.ts'
/** Tests of a cluster itself (API processes sharing one, growing one): the `citus` project only. */
const CITUS_ONLY = ['test/server/citus-processes.test.ts', 'test/server/citus-grow.test.ts']
/**
 * The server tests (test/server/<name>.test.ts) the `citus` project runs again on Citus: those whose
 * routes read and write through the store's SQL (ingest, identity, config revisions, the console's
 * lists, builder mode, experience results, webhooks). Not the UI's, nor the ones of processes and
 * runtimes; the console's members and sessions are the console contract's, which runs there too.
 */
const CITUS_SERVER_TESTS = [
  'identity-accounts',
  'config-revisions',
  'results',
  'account-page',
  'console-lists',
  'builder',
  'webhooks-postgres',
]

/** The SDK's four library builds (see above). */
function sdkBuild(mode: string): BuildEnvironmentOptions {
  return {
    outDir: 'dist/sdk',
    emptyOutDir: false,
    target: 'es2020',
    sourcemap: false,
    lib:
      mode === 'loader'
        ? { entry: 'sdk/loader.ts', formats: ['iife'], name: 'jornadaLoader', fileName: () => 'jornada.js' }
        : mode === 'ui'
          ? { entry: 'sdk/ui/index.ts', formats: ['es'], fileName: () => 'jornada.ui.[hash:6].mjs' }
          : mode === 'builder'
            ? { entry: 'sdk/builder/index.ts', formats: ['es'], fileName: () => 'jornada.builder.mjs' }
            : { entry: 'sdk/index.ts', formats: ['es'], fileName: () => 'jornada.core.[hash:6].mjs' },
    rolldownOptions: {
      ...(mode === 'ui' && {
        // What the kinds' chunks share with the base (Preact, the model) stays in the base, which
        // exports it to them under minified names beside `mount`.
        preserveEntrySignatures: 'allow-extension' as const,
      }),
      output: {
        minify: true,
        // Pure annotations have done their work once bundled: shipping them costs bytes (114 in the UI chunk).
        comments: { legal: true, annotation: false, jsdoc: false },
        ...(mode === 'ui' && {
          // The small controls every kind uses (a close button, a call to action, the debug reason)
          // go with the base: a group that captures the entry module is the entry's chunk.
          codeSplitting: { groups: [{ name: 'base', test: /sdk[\\/]ui[\\/](index|controls|url)\.tsx?$/ }] },
          // A kind's chunk after its folder (sdk/ui/<kind>/index.ts: `jornada.ui.checklist.<hash>.mjs`), a
          // chunk the bundler shares between kinds after its module (`jornada.ui.dialog.<hash>.mjs`).
          chunkFileNames: (chunk: { name: string; facadeModuleId: string | null }) =>
            `jornada.ui.${(/ui[\\/](\w+)[\\/]index\.ts$/.exec(chunk.facadeModuleId ?? '')?.[1] ?? chunk.name).toLowerCase()}.[hash:6].mjs`,
        }),
      },
    },
  }
}

/**
 * The console: an app, not a library. Its page folders are split by `lazy()` imports, so the first
 * load is the shell (router, session, API client, catalogs) and each page's code comes with the page.
 */
const consoleBuild: UserConfig = {
  root: fileURLToPath(new URL('console', import.meta.url)),
  base: '/console/',
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('dist/console', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    rolldownOptions: {
      output: {
        minify: true,
        comments: { legal: true, annotation: false, jsdoc: false },
        // A page's chunk is named after its folder (`accounts-….js`): the size report reads by page.
        chunkFileNames: (chunk) => {
          const page = /pages[\\/]([^\\/]+)[\\/]page\.tsx$/.exec(chunk.facadeModuleId ?? '')
          return `assets/${page ? `page-${page[1]}` : '[name]'}-[hash].js`
        },
      },
    },
  },
}
