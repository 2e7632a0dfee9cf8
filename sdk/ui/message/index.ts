/** The intervention messages' chunk (`jornada.ui.message.mjs`). */
import { DIALOG_CSS } from '../Dialog'
import { Message } from './Message'

export { texts } from './texts'
export const view = { message: Message }
export const css = [DIALOG_CSS]
