/**
 * The in-app messages of interventions by situation (`situation.<id>.*`) and their answers
 * (`option.<id>`). Each in English and in Brazilian Portuguese, side by side (the type wants both);
 * its chunk merges them into the catalogs (../i18n/) when it arrives.
 */
import type { Texts } from '../i18n'

export const texts: Texts = {
  open: ['Open', 'Abrir'],
  thanks: ['Thank you for your answer!', 'Obrigado pela sua resposta!'],
  'nps.thanks_body': ['Your feedback helps us improve.', 'Sua opinião nos ajuda a melhorar.'],
  'situation.low_usage.title': ['We miss you', 'Sentimos sua falta'],
  'situation.low_usage.body': [
    'There is more you can do here. Pick up where you left off.',
    'Há muito mais que você pode fazer aqui. Continue de onde parou.',
  ],
  'situation.low_usage.cta': ['Show me how', 'Mostrar como'],
  'situation.single_user.title': ['Invite your team', 'Convide seu time'],
  'situation.single_user.body': [
    'Invite your teammates so that everyone works in the same place.',
    'Convide seus colegas para que todos trabalhem no mesmo lugar.',
  ],
  'situation.single_user.cta': ['Invite teammates', 'Convidar colegas'],
  'situation.usage_declining.title': ['How is it going?', 'Como estão as coisas?'],
  'situation.usage_declining.body': [
    'You have been using us less lately. What is getting in the way?',
    'Você tem nos usado menos. O que está atrapalhando?',
  ],
  'situation.usage_declining.cta': ['Tell us more', 'Contar mais'],
  'option.no_time': ['No time', 'Sem tempo'],
  'option.missing_feature': ['A feature is missing', 'Falta um recurso'],
  'option.other': ['Other', 'Outro motivo'],
  'option.too_complex': ['Too complex', 'Muito complexo'],
  'option.switched_tool': ['I switched tools', 'Mudei de ferramenta'],
}
