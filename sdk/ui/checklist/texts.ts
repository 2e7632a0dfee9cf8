/**
 * The checklist's texts: its progress, each item's status and due date, the journey's milestones by
 * id (`milestone.<id>`). Its chunk carries them in both locales and merges them into the catalogs
 * (../i18n/) when it arrives. The same keys in both (the type says so).
 */
const en = {
  'checklist.title': 'Getting started',
  'checklist.progress': '{done} of {total} done',
  'checklist.complete': 'All done!',
  'status.done': 'Done',
  'status.done_late': 'Done late',
  'status.upcoming': 'Due {date}',
  'status.due': 'Due {date}',
  'status.overdue': 'Overdue since {date}',
  'milestone.welcome': 'Welcome',
  'milestone.kickoff': 'Kickoff meeting',
  'milestone.setup': 'Setup',
  'milestone.first_value': 'First result',
  'milestone.training': 'Training',
  'milestone.health_check': 'Health check',
}

const ptBR: Record<keyof typeof en, string> = {
  'checklist.title': 'Primeiros passos',
  'checklist.progress': '{done} de {total} concluídos',
  'checklist.complete': 'Tudo pronto!',
  'status.done': 'Concluído',
  'status.done_late': 'Concluído com atraso',
  'status.upcoming': 'Até {date}',
  'status.due': 'Até {date}',
  'status.overdue': 'Atrasado desde {date}',
  'milestone.welcome': 'Boas-vindas',
  'milestone.kickoff': 'Reunião de kickoff',
  'milestone.setup': 'Configuração',
  'milestone.first_value': 'Primeiro resultado',
  'milestone.training': 'Treinamento',
  'milestone.health_check': 'Check-up de saúde',
}

export const texts = { en, 'pt-BR': ptBR }
