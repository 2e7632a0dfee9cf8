/** The charts' text equivalents, in both languages. */
import { defineMessages, translator } from '../i18n'

export const chartMessages = defineMessages(
  {
    table: '{title}: as a table',
    'bars.item': '{label}: {value} ({share})',
    'bars.total': 'Total {total}.',
    'line.last': 'Latest {value} on {date}',
    'line.change': 'from {first} on {firstDate} ({delta})',
    'line.range': 'Lowest {min} on {minDate}, highest {max} on {maxDate}.',
    'line.gap': '1 point without data.',
    'line.gaps': '{n} points without data.',
    'line.empty': 'No data in this period.',
    'timeline.summary': '{done} of {total} milestones done, {overdue} overdue; account day {day}.',
    'timeline.milestone': 'Milestone',
    'timeline.window': 'Window (days)',
    'timeline.status': 'Status',
    'timeline.completed': 'Completed',
    'timeline.day': 'day {n}',
    'col.label': 'Item',
    'col.value': 'Value',
    'col.date': 'Date',
    'col.share': 'Share',
  },
  {
    table: '{title}: como tabela',
    'bars.item': '{label}: {value} ({share})',
    'bars.total': 'Total {total}.',
    'line.last': 'Último valor {value} em {date}',
    'line.change': 'de {first} em {firstDate} ({delta})',
    'line.range': 'Mínimo {min} em {minDate}, máximo {max} em {maxDate}.',
    'line.gap': '1 ponto sem dados.',
    'line.gaps': '{n} pontos sem dados.',
    'line.empty': 'Sem dados neste período.',
    'timeline.summary': '{done} de {total} marcos concluídos, {overdue} atrasados; dia {day} da conta.',
    'timeline.milestone': 'Marco',
    'timeline.window': 'Janela (dias)',
    'timeline.status': 'Situação',
    'timeline.completed': 'Concluído',
    'timeline.day': 'dia {n}',
    'col.label': 'Item',
    'col.value': 'Valor',
    'col.date': 'Data',
    'col.share': 'Parcela',
  },
)

export const tch = translator(chartMessages)
