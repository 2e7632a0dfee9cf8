/**
 * Theming the in-app UI. Everything renders in the shadow root of one `<jornada-ui>` element
 * appended to `document.body`; the page's own CSS cannot reach inside (`:host { all: initial }`
 * with `!important`), so theming goes through these two doors only.
 *
 * CSS custom properties (set them on `:root`, `body` or `jornada-ui`; they inherit into the shadow root):
 *
 * | property | default | what |
 * |---|---|---|
 * | `--jornada-accent` | `#4f46e5` | buttons, links, the launcher, the banner's background, focus rings |
 * | `--jornada-accent-text` | `#fff` | text on the accent colour (keep 4.5:1 against it) |
 * | `--jornada-bg` | `#fff` | background of panels, dialogs and tooltips |
 * | `--jornada-text` | `#1f2937` | text (keep 4.5:1 against `--jornada-bg`) |
 * | `--jornada-radius` | `10px` | corner radius of panels, dialogs, buttons |
 * | `--jornada-font` | `system-ui, sans-serif` | font family |
 * | `--jornada-z` | `2147483647` | z-index of the `<jornada-ui>` element (the highest by default) |
 *
 * Parts (`jornada-ui::part(dialog) { … }`):
 *
 * | part | element |
 * |---|---|
 * | `launcher` | the resource-center button (bottom corner) |
 * | `panel` | the resource center's panel, and the inline checklist's card |
 * | `dialog` | every dialog: value, NPS, advocacy, message, a guide's modal step and tooltip |
 * | `tooltip` | a guide's tooltip step (also `dialog`) |
 * | `backdrop` | the dimmed layer behind modal dialogs |
 * | `highlight` | the ring around a guide's target |
 * | `beacon` | a hotspot step's pulsing dot |
 * | `title` | headings of dialogs and panels |
 * | `close` | close and dismiss buttons |
 * | `button` | every button (call-to-action links styled as buttons too) |
 * | `primary` | the main action of a dialog (Next, Send, Count me in), also `button` |
 * | `link` | links (call-to-action links and markdown links) |
 * | `checklist` | a checklist's list; each row is `item` |
 * | `item` | a checklist item, an advocacy program, a launcher entry |
 * | `banner` | the renewal banner at the top |
 * | `scale` | the NPS 0-10 scale |
 * | `debug` | the server's reason under each experience (debug mode) |
 */

/**
 * The base's styles: the host, panels, the launcher, lists, links, focus. Each kind's chunk brings
 * its own (`Chunk.css`: the checklist's statuses, a guide's tooltip and beacon, the NPS scale, the
 * banner, a dialog's frame and buttons), adopted after these. The first rule holds the guide's
 * positions (`--tx`, `--ty`: tooltip; `--bx`, `--by`: beacon; `--hx`, `--hy`, `--hw`, `--hh`:
 * highlight), written through the CSSOM.
 */
export const CSS = `.r{}
:host{all:initial!important;display:block!important;position:fixed!important;top:0!important;left:0!important;z-index:var(--jornada-z,2147483647)!important;--a:var(--jornada-accent,#4f46e5);--at:var(--jornada-accent-text,#fff);--b:var(--jornada-bg,#fff);--t:var(--jornada-text,#1f2937);--rd:var(--jornada-radius,10px);--l:rgb(127 127 127/.3);font:15px/1.5 var(--jornada-font,system-ui,sans-serif)!important;color:var(--t)!important}
*{box-sizing:border-box}
p,ul{margin:0 0 12px}
ul{padding-inline-start:20px}
a{color:var(--a)}
h2{margin:0 0 8px;padding-inline-end:36px;font-size:18px;line-height:1.3}
:focus-visible{outline:3px solid var(--a);outline-offset:2px}
.c{position:fixed;background:var(--b);color:var(--t);border-radius:var(--rd);box-shadow:0 12px 40px rgb(0 0 0/.25);padding:20px;overflow:auto;max-height:calc(100vh - 32px)}
.ck{bottom:84px;inset-inline-end:16px;width:min(360px,calc(100vw - 32px));max-height:calc(100vh - 110px)}
button{font:inherit;cursor:pointer}
.x{position:absolute;top:12px;inset-inline-end:12px;width:36px;height:36px;border:0;border-radius:50%;background:0;color:inherit;font-size:22px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
.dbg{margin:12px 0 0;font:12px monospace}
.ls{list-style:none;padding:0}
.ls li{display:flex;gap:12px;padding:10px 0;border-top:1px solid var(--l)}
.lk{padding:0;border:0;background:0;color:var(--a);font-weight:600;text-align:start;text-decoration:underline}
@media (prefers-reduced-motion:reduce){*,::after{animation:none!important}}`

export interface Styles {
  /** Writes the guide's positions (px) into the first rule: `{ tx, ty, … }` → `--tx`, `--ty`. */
  pos(vars: Record<string, number>): void
  /** Adopts more styles after the ones there (a kind's, when its chunk arrives); each text once. */
  add(css: string): void
}

/** Adopts the base's styles into `root`. */
export function createStyles(root: ShadowRoot, nonce: string | undefined): Styles {
  const added = new Set<string>()
  const add = (css: string) => {
    if (added.has(css)) return
    added.add(css)
    try {
      // Constructable stylesheets: no <style> element, nothing for a strict CSP to refuse.
      const sheet = new CSSStyleSheet()
      sheet.replaceSync(css)
      if (!('adoptedStyleSheets' in root)) throw 0
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet]
      return sheet.cssRules[0]
    } catch {
      // Older browsers: a <style> carrying the page's nonce (`style-src 'nonce-…'`).
      const style = document.createElement('style')
      if (nonce) style.nonce = nonce
      style.textContent = css
      // Before the element Preact renders into: the <style>s stay untouched by its renders.
      root.insertBefore(style, root.querySelector('.r'))
      return style.sheet?.cssRules[0]
    }
  }
  const rule = add(CSS) as CSSStyleRule | undefined
  return {
    add,
    // CSSOM writes are not inline styles: a CSP without 'unsafe-inline' allows them.
    pos(vars) {
      for (const k in vars) rule?.style?.setProperty('--' + k, Math.round(vars[k]) + 'px')
    },
  }
}
