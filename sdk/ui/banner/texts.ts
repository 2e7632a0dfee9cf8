/**
 * The renewal banner's call to action. Each in English and in Brazilian Portuguese, side by side
 * (the type wants both); its chunk merges them into the catalogs (../i18n/) when it arrives.
 */
import type { Texts } from '../i18n'

export const texts: Texts = {
  'banner.renewal': ['Your plan renews on {date}, {when}.', 'Seu plano será renovado em {date}, {when}.'],
  'banner.cta': ['Review your plan', 'Ver seu plano'],
}
