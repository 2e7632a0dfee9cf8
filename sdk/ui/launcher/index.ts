/**
 * The launcher's chunk (`jornada.ui.launcher.mjs`): the resource center's button and panel, with
 * the title of every kind it may list. Loaded when it has something to offer (something dismissed,
 * something the server lists there that is not on the page).
 */
import { Launcher } from './Launcher'

export { texts } from './texts'
export const view = { launcher: Launcher }
export const css = [
  `.ln{position:fixed;bottom:16px;inset-inline-end:16px;min-height:48px;padding:0 20px;border:0;border-radius:24px;background:var(--a);color:var(--at);font-weight:700;box-shadow:0 6px 20px rgb(0 0 0/.25)}`,
]
