/**
 * A guide's texts: the step counter and its buttons. Its chunk carries them in both locales and
 * merges them into the catalogs (../i18n/) when it arrives. The same keys in both (the type says
 * so).
 */
const en = {
  next: 'Next',
  back: 'Back',
  done: 'Done',
  step: 'Step {n} of {total}',
}

const ptBR: Record<keyof typeof en, string> = {
  next: 'Próximo',
  back: 'Voltar',
  done: 'Concluir',
  step: 'Passo {n} de {total}',
}

export const texts = { en, 'pt-BR': ptBR }
