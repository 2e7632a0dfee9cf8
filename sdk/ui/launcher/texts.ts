/**
 * The launcher's texts: its name, and the title of every kind it may list. Each in English and in
 * Brazilian Portuguese, side by side (the type wants both); its chunk merges them into the catalogs
 * (../i18n/) when it arrives.
 */
import type { Texts } from '../i18n'

export const texts: Texts = {
  launcher: ['Help & resources', 'Ajuda e recursos'],
  'launcher.nps': ['Give feedback', 'Dar sua opinião'],
  'value.title': ['Your results', 'Seus resultados'],
  'recovery.title': ['We are sorry', 'Sentimos muito'],
  'advocacy.title': ['Thanks for being a fan!', 'Obrigado pela preferência!'],
  'situation.low_usage.title': ['We miss you', 'Sentimos sua falta'],
  'situation.single_user.title': ['Invite your team', 'Convide seu time'],
  'situation.usage_declining.title': ['How is it going?', 'Como estão as coisas?'],
  'banner.renewal': ['Your plan renews on {date}, {when}.', 'Seu plano será renovado em {date}, {when}.'],
}
