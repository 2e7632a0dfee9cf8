/**
 * The script tag's file (dist/sdk/jornada.js, under 1 KB gzip): defines the stub when the page did not,
 * finds its own script element, loads the core (jornada.core.mjs, beside it) and boots it. Nothing else:
 * the core replays the stub's calls in order.
 */
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
  // A core that fails to load (offline, blocked) is not the page's error; a missing data-key is (boot throws).
  import(/* @vite-ignore */ new URL('jornada.core.mjs', script.src).href).then(
    // The script's own nonce (strict CSP) serves the UI's <style> fallback.
    (m) =>
      m.boot({
        writeKey: d.key,
        apiHost: d.api || new URL(script.src).origin,
        debug: 'debug' in d,
        nonce: script.nonce || undefined,
      }),
    () => {},
  )
}
