/**
 * The NPS survey's texts and its follow-ups': the advocacy programs (`program.<id>`) and the
 * recovery message. Its chunk carries them in both locales and merges them into the catalogs
 * (../i18n/) when it arrives. The same keys in both (the type says so).
 */
const en = {
  later: 'Ask me later',
  'launcher.nps': 'Give feedback',
  'nps.title': 'A quick question',
  'nps.question': 'How likely are you to recommend us to a friend or colleague?',
  'nps.low': '0: not likely',
  'nps.high': '10: very likely',
  'nps.comment': 'Why this score? (optional)',
  'nps.submit': 'Send',
  thanks: 'Thank you for your answer!',
  'nps.thanks_body': 'Your feedback helps us improve.',
  'recovery.title': 'We are sorry',
  'recovery.body': 'Sorry we fell short. What should we improve? Someone from our team will reach out.',
  'advocacy.title': 'Thanks for being a fan!',
  'advocacy.accept': 'Count me in',
  'advocacy.accepted': 'Thanks! We will be in touch.',
  'program.review': 'Write a review',
  'program.beta_program': 'Join the beta program',
  'program.referral': 'Refer a friend',
  'program.case_study': 'Share your story in a case study',
  'program.advisory_board': 'Join our customer advisory board',
  'program.speaking': 'Speak at our events',
}

const ptBR: Record<keyof typeof en, string> = {
  later: 'Perguntar depois',
  'launcher.nps': 'Dar sua opinião',
  'nps.title': 'Uma pergunta rápida',
  'nps.question': 'Qual a probabilidade de você nos recomendar a um amigo ou colega?',
  'nps.low': '0: pouco provável',
  'nps.high': '10: muito provável',
  'nps.comment': 'Por que essa nota? (opcional)',
  'nps.submit': 'Enviar',
  thanks: 'Obrigado pela sua resposta!',
  'nps.thanks_body': 'Sua opinião nos ajuda a melhorar.',
  'recovery.title': 'Sentimos muito',
  'recovery.body': 'Sentimos muito. O que devemos melhorar? Alguém do nosso time vai entrar em contato.',
  'advocacy.title': 'Obrigado pela preferência!',
  'advocacy.accept': 'Quero participar',
  'advocacy.accepted': 'Obrigado! Entraremos em contato.',
  'program.review': 'Escrever uma avaliação',
  'program.beta_program': 'Participar do programa beta',
  'program.referral': 'Indicar um amigo',
  'program.case_study': 'Contar sua história num estudo de caso',
  'program.advisory_board': 'Participar do nosso conselho de clientes',
  'program.speaking': 'Palestrar em nossos eventos',
}

export const texts = { en, 'pt-BR': ptBR }
