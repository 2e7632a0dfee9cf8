/** The renewal banner's chunk (`jornada.ui.banner.mjs`). */
import { Banner } from './Banner'

export { texts } from './texts'
export const view = { banner: Banner }
export const css = [
  `.bn{position:fixed;top:0;width:100vw;display:flex;flex-wrap:wrap;align-items:center;justify-content:center;gap:8px 16px;padding:10px 56px;background:var(--a);color:var(--at);font-weight:600}
.bn *{margin:0;color:inherit}
.bn .x{top:50%;margin-top:-18px}
.bn :focus-visible{outline-color:var(--at)}`,
]
