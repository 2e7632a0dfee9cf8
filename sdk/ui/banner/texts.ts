/**
 * The renewal banner's call to action. Its chunk carries them in both locales and merges them into
 * the catalogs (../i18n/) when it arrives. The same keys in both (the type says so).
 */
const en = {
  'banner.renewal': 'Your plan renews on {date}, {when}.',
  'banner.cta': 'Review your plan',
}

const ptBR: Record<keyof typeof en, string> = {
  'banner.renewal': 'Seu plano será renovado em {date}, {when}.',
  'banner.cta': 'Ver seu plano',
}

export const texts = { en, 'pt-BR': ptBR }
