/**
 * The guide's chunk (`jornada.ui.guide.mjs`): the tour engine (targets, waiting, positions,
 * progress), the step's view (modal, tooltip, hotspot), their styles and texts. Also loaded when a
 * guide is started on demand (`show`, a checklist item's call to action, the launcher).
 */
import { DIALOG_CSS } from '../Dialog'
import { Guide } from './Guide'

export { texts } from './texts'
export { createTour as tour } from './tour'
export const view = { guide: Guide }
export const css = [
  DIALOG_CSS,
  `.tip{top:var(--ty);left:var(--tx);width:min(340px,calc(100vw - 16px))}
.hl{position:fixed;top:var(--hy);left:var(--hx);width:var(--hw);height:var(--hh);border-radius:6px;box-shadow:0 0 0 4px var(--a),0 0 0 100vmax rgb(17 24 39/.35);pointer-events:none}
.n{margin-inline-end:auto;font-size:13px}
.bc{position:fixed;top:var(--by);left:var(--bx);width:24px;height:24px;border:3px solid var(--b);border-radius:50%;background:var(--a);box-shadow:0 0 0 2px var(--a)}
.bc::after{content:"";position:absolute;inset:-3px;border-radius:50%;background:var(--a);animation:jp 1.6s infinite}
@keyframes jp{to{transform:scale(2.4);opacity:0}}`,
]
