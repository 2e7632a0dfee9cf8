/**
 * The NPS survey's chunk (`jornada.ui.nps.mjs`), with the advocacy ask: a survey's follow-up shows
 * the advocacy programs or the recovery message, so both kinds travel together.
 */
import { Advocacy } from '../advocacy/Advocacy'
import { DIALOG_CSS } from '../Dialog'
import { Nps } from './Nps'

export { texts } from './texts'
export const view = { nps: Nps, advocacy: Advocacy }
export const css = [
  DIALOG_CSS,
  `.sc :focus-visible+span{outline:3px solid var(--a);outline-offset:2px}
fieldset{margin:0;padding:0;border:0}
legend{margin-bottom:12px}
.sc{display:flex;flex-wrap:wrap;gap:4px}
.sc label{position:relative;flex:1 0 32px}
.sc input{position:absolute;opacity:0}
.sc span{display:flex;align-items:center;justify-content:center;min-height:40px;border:2px solid var(--a);border-radius:6px;background:var(--b);color:var(--a);font-weight:600}
.sc :checked+span{background:var(--a);color:var(--at)}
.ends{display:flex;justify-content:space-between;margin:6px 0 16px;font-size:13px}
textarea{display:block;width:100%;min-height:72px;margin-top:4px;padding:8px;border:2px solid var(--l);border-radius:6px;background:var(--b);color:var(--t);font:inherit}
.pg p{margin:0 0 8px;font-size:14px}`,
]
