/**
 * The launcher's texts: its name, and the title of every kind it may list. Its chunk carries them
 * in both locales and merges them into the catalogs (../i18n/) when it arrives. The same keys in
 * both (the type says so).
 */
const en = {
  launcher: 'Help & resources',
  'launcher.nps': 'Give feedback',
  'value.title': 'Your results',
  'recovery.title': 'We are sorry',
  'advocacy.title': 'Thanks for being a fan!',
  'situation.low_usage.title': 'We miss you',
  'situation.single_user.title': 'Invite your team',
  'situation.usage_declining.title': 'How is it going?',
  'banner.renewal': 'Your plan renews on {date}, {when}.',
}

const ptBR: Record<keyof typeof en, string> = {
  launcher: 'Ajuda e recursos',
  'launcher.nps': 'Dar sua opinião',
  'value.title': 'Seus resultados',
  'recovery.title': 'Sentimos muito',
  'advocacy.title': 'Obrigado pela preferência!',
  'situation.low_usage.title': 'Sentimos sua falta',
  'situation.single_user.title': 'Convide seu time',
  'situation.usage_declining.title': 'Como estão as coisas?',
  'banner.renewal': 'Seu plano será renovado em {date}, {when}.',
}

export const texts = { en, 'pt-BR': ptBR }
