/**
 * The `slack` endpoint format: a Slack incoming-webhook message (`{ text, blocks }`) a person reads
 * in a channel, e.g. "*Acme* (acme) entered phase *renewal* (was value)". `text` is the whole
 * message (notifications, clients without blocks); `blocks` adds the account and time as context.
 */
import type { WebhookBody, WebhookEventType } from './types'

export interface SlackMessage {
  text: string
  blocks: Record<string, unknown>[]
}

/** Slack mrkdwn needs `&`, `<` and `>` escaped (api.slack.com, "Formatting text"). */
function esc(v: unknown): string {
  return String(v).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
}

/** The first of `keys` that `data` holds as a string or number. */
function pick(data: Record<string, unknown>, ...keys: string[]): string | undefined {
  for (const k of keys) {
    const v = data[k]
    if (typeof v === 'string' && v !== '') return v
    if (typeof v === 'number' && Number.isFinite(v)) return String(v)
  }
  return undefined
}

/** "x_y" ids read as words in a sentence. */
const words = (id: string) => id.replaceAll('_', ' ')

type Sentence = (d: Record<string, unknown>) => string

const SENTENCES: Record<WebhookEventType, Sentence> = {
  'phase.changed': (d) => {
    const to = pick(d, 'to', 'phase')
    const from = pick(d, 'from', 'previous')
    return `entered phase *${esc(to ?? '?')}*${from ? ` (was ${esc(from)})` : ''}`
  },
  'red_flag.raised': (d) => `raised red flag *${esc(words(pick(d, 'flag', 'id') ?? '?'))}*`,
  'red_flag.cleared': (d) => `cleared red flag *${esc(words(pick(d, 'flag', 'id') ?? '?'))}*`,
  'milestone.overdue': (d) => `is overdue on milestone *${esc(words(pick(d, 'milestone', 'id') ?? '?'))}*`,
  'nps.detractor': (d) =>
    `got an NPS answer of *${esc(pick(d, 'score') ?? '?')}* (detractor)${pick(d, 'userId') ? ` from ${esc(pick(d, 'userId'))}` : ''}`,
  'nps.promoter': (d) =>
    `got an NPS answer of *${esc(pick(d, 'score') ?? '?')}* (promoter)${pick(d, 'userId') ? ` from ${esc(pick(d, 'userId'))}` : ''}`,
  'expansion.ready': () => 'is *ready for expansion*',
  'renewal.task_due': (d) => {
    const due = pick(d, 'due', 'dueAt')
    const label = pick(d, 'label') ?? words(pick(d, 'task', 'id') ?? '?')
    return `has renewal task *${esc(label)}* due${due ? ` ${esc(due.slice(0, 10))}` : ''}`
  },
  'intervention.created': (d) => {
    const action = pick(d, 'action', 'id') ?? '?'
    const channel = pick(d, 'channel')
    const owner = pick(d, 'owner')
    const by = [channel && `by ${esc(words(channel))}`, owner && `owner ${esc(owner)}`].filter(Boolean).join(', ')
    return `needs *${esc(words(action))}*${by ? ` (${by})` : ''}`
  },
  'value.statement_ready': (d) => {
    const end = pick(d, 'periodEnd')
    return `has a value statement ready${end ? ` (period ending ${esc(end.slice(0, 10))})` : ''}`
  },
}

/**
 * The Slack message of a webhook body: the account's name in bold (`data.accountName` or
 * `data.name`, else its id), what happened, and `data.reason` when there is one.
 */
export function slackMessage(body: WebhookBody): SlackMessage {
  const d = body.data ?? {}
  const name = pick(d, 'accountName', 'name')
  // detect.ts sends the id as accountName when the account has no `name` trait: say it once.
  const who = name && name !== body.accountId ? `*${esc(name)}* (${esc(body.accountId)})` : `*${esc(body.accountId)}*`
  const sentence = (SENTENCES[body.type] ?? (() => esc(body.type)))(d)
  const reason = pick(d, 'reason')
  const text = `${who} ${sentence}${reason ? `: ${esc(reason)}` : ''}`
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `${esc(body.type)} · ${esc(body.accountId)} · ${esc(body.timestamp)}` }],
      },
    ],
  }
}
