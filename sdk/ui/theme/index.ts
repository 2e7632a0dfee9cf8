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
 * Every style of the chunk. The first rule holds the guide's positions (`--tx`, `--ty`: tooltip;
 * `--bx`, `--by`: beacon; `--hx`, `--hy`, `--hw`, `--hh`: highlight), written through the CSSOM.
 */
export const CSS = `.r{}
:host{all:initial!important;display:block!important;position:fixed!important;top:0!important;left:0!important;z-index:var(--jornada-z,2147483647)!important;--a:var(--jornada-accent,#4f46e5);--at:var(--jornada-accent-text,#fff);--b:var(--jornada-bg,#fff);--t:var(--jornada-text,#1f2937);--rd:var(--jornada-radius,10px);--l:rgb(127 127 127/.3);font:15px/1.5 var(--jornada-font,system-ui,sans-serif)!important;color:var(--t)!important}
*{box-sizing:border-box}
p,ul{margin:0 0 12px}
ul{padding-inline-start:20px}
a{color:var(--a)}
h2{margin:0 0 8px;padding-inline-end:36px;font-size:18px;line-height:1.3}
:focus-visible,.sc :focus-visible+span{outline:3px solid var(--a);outline-offset:2px}
.c{position:fixed;background:var(--b);color:var(--t);border-radius:var(--rd);box-shadow:0 12px 40px rgb(0 0 0/.25);padding:20px;overflow:auto;max-height:calc(100vh - 32px)}
.c:focus{outline:0}
.dlg{inset:0;margin:auto;width:min(460px,calc(100vw - 32px));height:fit-content;padding:24px}
.tip{top:var(--ty);left:var(--tx);width:min(340px,calc(100vw - 16px))}
.ck{bottom:84px;inset-inline-end:16px;width:min(360px,calc(100vw - 32px));max-height:calc(100vh - 110px)}
.bd{position:fixed;inset:0;background:rgb(17 24 39/.5)}
.hl{position:fixed;top:var(--hy);left:var(--hx);width:var(--hw);height:var(--hh);border-radius:6px;box-shadow:0 0 0 4px var(--a),0 0 0 100vmax rgb(17 24 39/.35);pointer-events:none}
button{font:inherit;cursor:pointer}
.x{position:absolute;top:12px;inset-inline-end:12px;width:36px;height:36px;border:0;border-radius:50%;background:0;color:inherit;font-size:22px}
.btn,.sc span{display:inline-flex;align-items:center;justify-content:center;min-height:40px;padding:8px 16px;border:2px solid var(--a);border-radius:var(--rd);background:var(--b);color:var(--a);font-weight:600;text-decoration:none}
.pri,.sc :checked+span{background:var(--a);color:var(--at)}
.btn:disabled{opacity:.6}
.row{display:flex;flex-wrap:wrap;gap:8px;justify-content:end;align-items:center;margin-top:16px}
.n{margin-inline-end:auto;font-size:13px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
.dbg{margin:12px 0 0;font:12px monospace}
.ln{position:fixed;bottom:16px;inset-inline-end:16px;min-height:48px;padding:0 20px;border:0;border-radius:24px;background:var(--a);color:var(--at);font-weight:700;box-shadow:0 6px 20px rgb(0 0 0/.25)}
.ls{list-style:none;padding:0}
.ls li{display:flex;gap:12px;padding:10px 0;border-top:1px solid var(--l)}
.lk{padding:0;border:0;background:0;color:var(--a);font-weight:600;text-align:start;text-decoration:underline}
.ic{flex:none;display:grid;place-items:center;width:22px;height:22px;border:2px solid;border-radius:50%;font-size:13px;font-weight:700}
.done .ic{border-color:#15803d;background:#15803d;color:#fff}
.overdue{color:#b91c1c}
.overdue .lk{color:inherit}
.st{font-size:13px}
.bn{position:fixed;top:0;width:100vw;display:flex;flex-wrap:wrap;align-items:center;justify-content:center;gap:8px 16px;padding:10px 56px;background:var(--a);color:var(--at);font-weight:600}
.bn *{margin:0;color:inherit}
.bn .x{top:50%;margin-top:-18px}
.bn :focus-visible{outline-color:var(--at)}
.bc{position:fixed;top:var(--by);left:var(--bx);width:24px;height:24px;border:3px solid var(--b);border-radius:50%;background:var(--a);box-shadow:0 0 0 2px var(--a)}
.bc::after{content:"";position:absolute;inset:-3px;border-radius:50%;background:var(--a);animation:jp 1.6s infinite}
@keyframes jp{to{transform:scale(2.4);opacity:0}}
fieldset{margin:0;padding:0;border:0}
legend{margin-bottom:12px}
.sc{display:flex;flex-wrap:wrap;gap:4px}
.sc label{position:relative;flex:1 0 32px}
.sc input{position:absolute;opacity:0}
.sc span{display:flex;padding:0;border-radius:6px}
.ends{display:flex;justify-content:space-between;margin:6px 0 16px;font-size:13px}
textarea{display:block;width:100%;min-height:72px;margin-top:4px;padding:8px;border:2px solid var(--l);border-radius:6px;background:var(--b);color:var(--t);font:inherit}
.pg p{margin:0 0 8px;font-size:14px}
@media (prefers-reduced-motion:reduce){*,::after{animation:none!important}}`

/** Adopts the chunk's styles into `root`, returns the rule that holds the guide's positions. */
export function createStyles(root: ShadowRoot, nonce: string | undefined): (vars: Record<string, number>) => void {
  let rule: CSSStyleRule | undefined
  try {
    // Constructable stylesheets: no <style> element, nothing for a strict CSP to refuse.
    const sheet = new CSSStyleSheet()
    sheet.replaceSync(CSS)
    if (!('adoptedStyleSheets' in root)) throw 0
    root.adoptedStyleSheets = [sheet]
    rule = sheet.cssRules[0] as CSSStyleRule
  } catch {
    // Older browsers: a <style> carrying the page's nonce (`style-src 'nonce-…'`).
    const style = document.createElement('style')
    if (nonce) style.nonce = nonce
    style.textContent = CSS
    root.appendChild(style)
    rule = style.sheet?.cssRules[0] as CSSStyleRule | undefined
  }
  // CSSOM writes are not inline styles: a CSP without 'unsafe-inline' allows them.
  return (vars) => {
    for (const k in vars) rule?.style?.setProperty('--' + k, Math.round(vars[k]) + 'px')
  }
}
