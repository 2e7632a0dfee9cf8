/**
 * The script tag's file (dist/sdk/jornada.js, under 1 KB gzip): defines the stub when the page did not,
 * finds its own script element, loads the core (jornada.core.<hash>.mjs, beside it) and boots it; on a page
 * opened in builder mode, also the builder chunk. Nothing else: the core replays the stub's calls in order.
 */
/** The core's file name, content-hashed (sdk/build.ts builds the core first and puts its name here). */
declare const __JORNADA_CORE_FILE__: string
type Stub = ((...args: unknown[]) => void) & { q?: unknown[] }
const w = window as unknown as { jornada?: Stub }

w.jornada =
  w.jornada ||
  function () {
    ;(w.jornada!.q = w.jornada!.q || []).push(arguments)
  }

const script = (document.currentScript ||
  [...document.querySelectorAll('script')].reverse().find((s) => /\/jornada\.js([?#]|$)/.test(s.src))) as
  | HTMLScriptElement
  | undefined

if (script) {
  const d = script.dataset
  const api = d.api || new URL(script.src).origin
  // Builder mode (docs/experiences.md): the console opened this page with a single-use token in the
  // fragment. It leaves the address bar before anything else runs or reads the URL (the core's first
  // `$page`, the host's own analytics), and only then is the builder chunk loaded: no other page asks
  // for it. Here rather than in the core: the loader has room, every byte of the core is everyone's.
  const b = location.hash.split('jornada-builder=')[1]
  if (b) {
    history.replaceState(history.state, '', location.href.split('#')[0])
    import(/* @vite-ignore */ new URL('jornada.builder.mjs', script.src).href).then(
      (m) => m.start(b, api),
      () => {},
    )
  }
  // A core that fails to load (offline, blocked) is not the page's error; a missing data-key is (boot throws).
  import(/* @vite-ignore */ new URL(__JORNADA_CORE_FILE__, script.src).href).then(
    // The script's own nonce (strict CSP) serves the UI's <style> fallback.
    (m) =>
      m.boot({
        writeKey: d.key,
        apiHost: api,
        debug: 'debug' in d,
        nonce: script.nonce || undefined,
      }),
    () => {},
  )
}
