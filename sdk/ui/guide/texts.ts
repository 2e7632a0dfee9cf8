/**
 * A guide's texts: the step counter and its buttons. Each in English and in Brazilian Portuguese,
 * side by side (the type wants both); its chunk merges them into the catalogs (../i18n/) when it
 * arrives.
 */
import type { Texts } from '../i18n'

export const texts: Texts = {
  next: ['Next', 'Próximo'],
  back: ['Back', 'Voltar'],
  done: ['Done', 'Concluir'],
  step: ['Step {n} of {total}', 'Passo {n} de {total}'],
}
