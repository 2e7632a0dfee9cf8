/**
 * The headers of the files a browser loads from Jornada's origin: the SDK, the console, the demo.
 * One set for every way they are served: server/serve.ts (Node), the edge build's `_headers`
 * (server/edge/build.ts, Workers Static Assets).
 */

/** The loader's URL is in every customer's page and never changes: it must be revalidated. */
export const NO_CACHE = 'no-cache'
/** Files at stable names other than the loader are short-cached: a deploy shows within minutes. */
export const STATIC_CACHE_CONTROL = 'public, max-age=300'

/** Files with content-hashed names (the SDK's core and UI, the console's assets): a new build is a new URL. */
export const IMMUTABLE = 'public, max-age=31536000, immutable'

/**
 * The SDK's manifest (dist/sdk/manifest.json, written by sdk/build.ts): each file's logical name
 * (`jornada.ui.checklist.mjs`) → the name it is built and served at (`jornada.ui.checklist.<hash>.mjs`,
 * or the same name for the files that keep a stable one: the loader, the builder chunk).
 */
export const SDK_MANIFEST = 'manifest.json'
export type SdkManifest = Record<string, string>

/** The files of a manifest whose names are content-hashed: those built under a name other than their logical one. */
export const hashedFiles = (manifest: SdkManifest): Set<string> =>
  new Set(Object.entries(manifest).flatMap(([logical, file]) => (file === logical ? [] : [file])))

/**
 * An SDK file's Cache-Control: the loader revalidated at every use, a content-hashed file (listed
 * hashed by the manifest) kept for a year without asking, anything else (the stubs at stable names,
 * the builder chunk, the manifest) short-cached.
 */
export function sdkCacheControl(file: string, hashed: Set<string>): string {
  return file === 'jornada.js' ? NO_CACHE : hashed.has(file) ? IMMUTABLE : STATIC_CACHE_CONTROL
}

/**
 * The console's page: its own scripts and styles only, never framed, and no Referer leaving it (an
 * invitation's token is in the URL of the page that accepts it).
 */
export const CONSOLE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': NO_CACHE,
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
}
