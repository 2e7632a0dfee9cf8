/** The value statement's chunk (`jornada.ui.value.mjs`). */
import { DIALOG_CSS } from '../Dialog'
import { Value } from './Value'

export { texts } from './texts'
export const view = { value: Value }
export const css = [DIALOG_CSS]
