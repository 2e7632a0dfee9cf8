/**
 * The checklist's texts: its progress, each item's status and due date, the journey's milestones by
 * id (`milestone.<id>`). Each in English and in Brazilian Portuguese, side by side (the type wants
 * both); its chunk merges them into the catalogs (../i18n/) when it arrives.
 */
import type { Texts } from '../i18n'

export const texts: Texts = {
  'checklist.title': ['Getting started', 'Primeiros passos'],
  'checklist.progress': ['{done} of {total} done', '{done} de {total} concluídos'],
  'checklist.complete': ['All done!', 'Tudo pronto!'],
  'status.done': ['Done', 'Concluído'],
  'status.done_late': ['Done late', 'Concluído com atraso'],
  'status.upcoming': ['Due {date}', 'Até {date}'],
  'status.due': ['Due {date}', 'Até {date}'],
  'status.overdue': ['Overdue since {date}', 'Atrasado desde {date}'],
  'milestone.welcome': ['Welcome', 'Boas-vindas'],
  'milestone.kickoff': ['Kickoff meeting', 'Reunião de kickoff'],
  'milestone.setup': ['Setup', 'Configuração'],
  'milestone.first_value': ['First result', 'Primeiro resultado'],
  'milestone.training': ['Training', 'Treinamento'],
  'milestone.health_check': ['Health check', 'Check-up de saúde'],
}
