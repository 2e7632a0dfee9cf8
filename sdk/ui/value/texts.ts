/**
 * The value statement's lines (`{hours}`, `{change}`, `{money}` come formatted in the locale). Its
 * chunk carries them in both locales and merges them into the catalogs (../i18n/) when it arrives.
 * The same keys in both (the type says so).
 */
const en = {
  'value.title': 'Your results',
  'value.period': 'In the last {days} days, you:',
  'value.hours': 'saved {hours} of manual work',
  'value.higher': 'increased {metric} by {change}',
  'value.lower': 'reduced {metric} by {change}',
  'value.money': 'saved {money}',
  'value.roi': 'estimated ROI: {roi}',
}

const ptBR: Record<keyof typeof en, string> = {
  'value.title': 'Seus resultados',
  'value.period': 'Nos últimos {days} dias, você:',
  'value.hours': 'economizou {hours} de trabalho manual',
  'value.higher': 'aumentou {metric} em {change}',
  'value.lower': 'reduziu {metric} em {change}',
  'value.money': 'economizou {money}',
  'value.roi': 'ROI estimado: {roi}',
}

export const texts = { en, 'pt-BR': ptBR }
