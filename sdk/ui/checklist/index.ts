/**
 * The checklist's chunk (`jornada.ui.checklist.mjs`): the onboarding checklist, on the page and in
 * the launcher's panel, its statuses' styles and its texts.
 */
import { Checklist } from './Checklist'

export { texts } from './texts'
export const view = { checklist: Checklist }
export const css = [
  `.ic{flex:none;display:grid;place-items:center;width:22px;height:22px;border:2px solid;border-radius:50%;font-size:13px;font-weight:700}
.done .ic{border-color:#15803d;background:#15803d;color:#fff}
.overdue{color:#b91c1c}
.overdue .lk{color:inherit}
.st{font-size:13px}`,
]
