/**
 * The headers of the files a browser loads from Jornada's origin: the SDK, the console, the demo.
 * One set for every way they are served: server/serve.ts (Node), the edge build's `_headers`
 * (server/edge/build.ts, Workers Static Assets).
 */

/** The loader's URL is in every customer's page and never changes: it must be revalidated. */
export const NO_CACHE = 'no-cache'
/** Everything else is short-cached: a deploy shows within minutes. */
export const STATIC_CACHE_CONTROL = 'public, max-age=300'

/** The console's built files have content-hashed names: a new build is a new URL. */
export const IMMUTABLE = 'public, max-age=31536000, immutable'
/**
 * The SDK's manifest (dist/sdk/manifest.json, written by sdk/build.ts): each file's logical name
 * (`jornada.ui.checklist.mjs`) → the name it is built and served at (`jornada.ui.checklist.<hash>.mjs`,
 * or the same name for the files that keep a stable one: the loader, the builder chunk).
 */
export const SDK_MANIFEST = 'manifest.json'
export type SdkManifest = Record<string, string>

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
