/**
 * The in-app messages of interventions by situation (`situation.<id>.*`) and their answers
 * (`option.<id>`). Its chunk carries them in both locales and merges them into the catalogs
 * (../i18n/) when it arrives. The same keys in both (the type says so).
 */
const en = {
  open: 'Open',
  thanks: 'Thank you for your answer!',
  'nps.thanks_body': 'Your feedback helps us improve.',
  'situation.low_usage.title': 'We miss you',
  'situation.low_usage.body': 'There is more you can do here. Pick up where you left off.',
  'situation.low_usage.cta': 'Show me how',
  'situation.single_user.title': 'Invite your team',
  'situation.single_user.body': 'Invite your teammates so that everyone works in the same place.',
  'situation.single_user.cta': 'Invite teammates',
  'situation.usage_declining.title': 'How is it going?',
  'situation.usage_declining.body': 'You have been using us less lately. What is getting in the way?',
  'situation.usage_declining.cta': 'Tell us more',
  'option.no_time': 'No time',
  'option.missing_feature': 'A feature is missing',
  'option.other': 'Other',
  'option.too_complex': 'Too complex',
  'option.switched_tool': 'I switched tools',
}

const ptBR: Record<keyof typeof en, string> = {
  open: 'Abrir',
  thanks: 'Obrigado pela sua resposta!',
  'nps.thanks_body': 'Sua opinião nos ajuda a melhorar.',
  'situation.low_usage.title': 'Sentimos sua falta',
  'situation.low_usage.body': 'Há muito mais que você pode fazer aqui. Continue de onde parou.',
  'situation.low_usage.cta': 'Mostrar como',
  'situation.single_user.title': 'Convide seu time',
  'situation.single_user.body': 'Convide seus colegas para que todos trabalhem no mesmo lugar.',
  'situation.single_user.cta': 'Convidar colegas',
  'situation.usage_declining.title': 'Como estão as coisas?',
  'situation.usage_declining.body': 'Você tem nos usado menos. O que está atrapalhando?',
  'situation.usage_declining.cta': 'Contar mais',
  'option.no_time': 'Sem tempo',
  'option.missing_feature': 'Falta um recurso',
  'option.other': 'Outro motivo',
  'option.too_complex': 'Muito complexo',
  'option.switched_tool': 'Mudei de ferramenta',
}

export const texts = { en, 'pt-BR': ptBR }
