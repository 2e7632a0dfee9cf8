/**
 * The NPS survey's texts and its follow-ups': the advocacy programs (`program.<id>`) and the
 * recovery message. Each in English and in Brazilian Portuguese, side by side (the type wants
 * both); its chunk merges them into the catalogs (../i18n/) when it arrives.
 */
import type { Texts } from '../i18n'

export const texts: Texts = {
  later: ['Ask me later', 'Perguntar depois'],
  'launcher.nps': ['Give feedback', 'Dar sua opinião'],
  'nps.title': ['A quick question', 'Uma pergunta rápida'],
  'nps.question': [
    'How likely are you to recommend us to a friend or colleague?',
    'Qual a probabilidade de você nos recomendar a um amigo ou colega?',
  ],
  'nps.low': ['0: not likely', '0: pouco provável'],
  'nps.high': ['10: very likely', '10: muito provável'],
  'nps.comment': ['Why this score? (optional)', 'Por que essa nota? (opcional)'],
  'nps.submit': ['Send', 'Enviar'],
  thanks: ['Thank you for your answer!', 'Obrigado pela sua resposta!'],
  'nps.thanks_body': ['Your feedback helps us improve.', 'Sua opinião nos ajuda a melhorar.'],
  'recovery.title': ['We are sorry', 'Sentimos muito'],
  'recovery.body': [
    'Sorry we fell short. What should we improve? Someone from our team will reach out.',
    'Sentimos muito. O que devemos melhorar? Alguém do nosso time vai entrar em contato.',
  ],
  'advocacy.title': ['Thanks for being a fan!', 'Obrigado pela preferência!'],
  'advocacy.accept': ['Count me in', 'Quero participar'],
  'advocacy.accepted': ['Thanks! We will be in touch.', 'Obrigado! Entraremos em contato.'],
  'program.review': ['Write a review', 'Escrever uma avaliação'],
  'program.beta_program': ['Join the beta program', 'Participar do programa beta'],
  'program.referral': ['Refer a friend', 'Indicar um amigo'],
  'program.case_study': ['Share your story in a case study', 'Contar sua história num estudo de caso'],
  'program.advisory_board': ['Join our customer advisory board', 'Participar do nosso conselho de clientes'],
  'program.speaking': ['Speak at our events', 'Palestrar em nossos eventos'],
}
