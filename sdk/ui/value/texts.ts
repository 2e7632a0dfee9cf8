/**
 * The value statement's lines (`{hours}`, `{change}`, `{money}` come formatted in the locale). Each
 * in English and in Brazilian Portuguese, side by side (the type wants both); its chunk merges them
 * into the catalogs (../i18n/) when it arrives.
 */
import type { Texts } from '../i18n'

export const texts: Texts = {
  'value.title': ['Your results', 'Seus resultados'],
  'value.period': ['In the last {days} days, you:', 'Nos últimos {days} dias, você:'],
  'value.hours': ['saved {hours} of manual work', 'economizou {hours} de trabalho manual'],
  'value.higher': ['increased {metric} by {change}', 'aumentou {metric} em {change}'],
  'value.lower': ['reduced {metric} by {change}', 'reduziu {metric} em {change}'],
  'value.money': ['saved {money}', 'economizou {money}'],
  'value.roi': ['estimated ROI: {roi}', 'ROI estimado: {roi}'],
}
