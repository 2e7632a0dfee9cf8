/**
 * Which of dist/sdk's files a page downloads, by what it shows (docs/performance.md, "The SDK's
 * size"). Data for the size test (test/size/size.test.ts checks it against the build: each kind's
 * chunk and the chunks it imports) and for any test that watches a page's requests. By logical name
 * (`jornada.ui.checklist.mjs`): `served` turns them into the names the build gave them
 * (`jornada.ui.checklist.<hash>.mjs`, dist/sdk/manifest.json).
 */
import { builtName } from '../../sdk/build'
import type { Kind } from '../../sdk/ui/kinds'

/** Every page with the script tag: the loader and the core it imports. */
export const ALWAYS = ['jornada.js', 'jornada.core.mjs']

/** The UI's base: the core imports it when a decision has something to show. */
export const BASE = 'jornada.ui.mjs'

/** The chunk the base imports for a kind (sdk/ui/kinds.ts `load`): NPS and advocacy share one. */
export const CHUNK_OF: Record<Kind, string> = {
  checklist: 'jornada.ui.checklist.mjs',
  guide: 'jornada.ui.guide.mjs',
  nps: 'jornada.ui.nps.mjs',
  advocacy: 'jornada.ui.nps.mjs',
  value: 'jornada.ui.value.mjs',
  message: 'jornada.ui.message.mjs',
  banner: 'jornada.ui.banner.mjs',
  launcher: 'jornada.ui.launcher.mjs',
}

/** Chunks that kinds' chunks import (statically: fetched once the kind's chunk names them). */
export const SHARED: Record<string, string[]> = {
  'jornada.ui.guide.mjs': ['jornada.ui.dialog.mjs', 'jornada.ui.markdown.mjs'],
  'jornada.ui.nps.mjs': ['jornada.ui.dialog.mjs'],
  'jornada.ui.value.mjs': ['jornada.ui.dialog.mjs'],
  'jornada.ui.message.mjs': ['jornada.ui.dialog.mjs', 'jornada.ui.markdown.mjs'],
}

/** Exactly the files a page that shows only `kind` downloads, in the order it asks for them. */
export const PAGE_FILES = Object.fromEntries(
  Object.entries(CHUNK_OF).map(([kind, chunk]) => [kind, [...ALWAYS, BASE, chunk, ...(SHARED[chunk] ?? [])]]),
) as Record<Kind, string[]>

/** Every file of the UI: what a page showing every kind downloads, with the loader and the core. */
export const EVERY_KIND = [...new Set(Object.values(PAGE_FILES).flat())]

/** Files no end user downloads (builder mode, for editors). */
export const EDITORS_ONLY = ['jornada.builder.mjs']

/** The files as built and served (dist/sdk/manifest.json): content-hashed but for the loader and the builder chunk. */
export const served = (files: string[]): string[] => files.map((f) => builtName(f))
