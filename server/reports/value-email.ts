/**
 * The monthly value email (seed "Demonstrando Valor": "Email de valor | Mensal | Automatizado";
 * journey.md "Value statement"). A ready-to-send message: a subject on one line, a plain-text part
 * that is the seed's template lines as they are, and simple HTML that mail clients render alike:
 * tables, inline styles, no images (nothing remote to block), no scripts, every datum escaped.
 * It says who sends it: the vendor (the workspace's name) in the subject, the header and the footer.
 */
import type { ValueStatement } from '../../sdk/wire'
import { escapeHtml, formatDate, oneLine } from './html'

export interface ValueEmailInput {
  statement: ValueStatement
  accountName: string
  /** The sender: the vendor's product or workspace name. Absent or blank: the message names no sender. */
  vendorName?: string | null
  locale: 'en' | 'pt-BR'
}

export interface ValueEmail {
  subject: string
  html: string
  text: string
}

const TEXT = {
  en: {
    subject: (name: string, n: number, vendor: string | null) =>
      `${name}: your results${vendor === null ? '' : ` with ${vendor}`} in the last ${n} days`,
    heading: 'Your results',
    period: (from: string, to: string) => `${from} – ${to}`,
    hours: 'hours of manual work saved',
    roi: 'estimated return on the subscription',
    money: (m: string) => `${m} of work time saved`,
    metric: 'Metric',
    before: 'Before',
    now: 'Now',
    change: 'Change',
    nothing: 'There is nothing to report for this period yet.',
    footer: (n: number, vendor: string | null) =>
      `Figures from your account’s usage over the last ${n} days. ${vendor === null ? 'Reply' : `Sent by ${vendor}: reply`} to this email to talk to us.`,
  },
  'pt-BR': {
    subject: (name: string, n: number, vendor: string | null) =>
      `${name}: seus resultados${vendor === null ? '' : ` com ${vendor}`} nos últimos ${n} dias`,
    heading: 'Seus resultados',
    period: (from: string, to: string) => `${from} – ${to}`,
    hours: 'horas de trabalho manual economizadas',
    roi: 'retorno estimado sobre a assinatura',
    money: (m: string) => `${m} em tempo de trabalho economizado`,
    metric: 'Métrica',
    before: 'Antes',
    now: 'Agora',
    change: 'Variação',
    nothing: 'Ainda não há o que relatar neste período.',
    footer: (n: number, vendor: string | null) =>
      `Números do uso da sua conta nos últimos ${n} dias. ${vendor === null ? 'Responda' : `Enviado por ${vendor}: responda`} a este email para falar com a gente.`,
  },
} as const

/** A currency amount; an unknown currency code (config is free text) falls back to "1,234.50 XYZ". */
function formatMoney(amount: number, currency: string, locale: string): string {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount)
  } catch {
    return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(amount)} ${currency}`
  }
}

const FONT = 'font-family:Arial,Helvetica,sans-serif'

/** The value email of `statement` for `accountName`, in `locale`. Pure: same input, same message. */
export function renderValueEmail(input: ValueEmailInput): ValueEmail {
  const { statement: s, locale } = input
  const t = TEXT[locale] ?? TEXT.en
  const name = oneLine(input.accountName) || '—'
  const vendor = oneLine(input.vendorName ?? '') || null
  const num = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 })
  const pct = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1, signDisplay: 'always' })
  const period = t.period(formatDate(s.from, locale), formatDate(s.to, locale))

  const subject = oneLine(t.subject(name, s.periodDays, vendor))

  // The text part: the statement's own lines (seed template), between a header and a footer.
  const body = s.text !== '' ? s.text : t.nothing
  const text = `${vendor === null ? '' : `${vendor}\n`}${name} · ${t.heading}\n${period}\n\n${body}\n\n${t.footer(s.periodDays, vendor)}\n`

  // Headline figures: big numbers a customer sees first.
  const figures: { value: string; label: string }[] = []
  if (s.hoursSaved !== null && s.hoursSaved > 0) figures.push({ value: num.format(s.hoursSaved), label: t.hours })
  if (s.roi !== null && s.roi > 0) figures.push({ value: `${num.format(s.roi)}x`, label: t.roi })

  const lines = s.text === '' ? [] : s.text.split('\n')
  const intro = lines.length > 0 ? lines[0] : t.nothing
  const bullets = lines.slice(1).map((l) => l.replace(/^- /, ''))

  const figureCells = figures
    .map(
      (f) =>
        `<td valign="top" style="padding:12px 16px;background:#f2f7f5;border-radius:6px;${FONT};">` +
        `<div style="font-size:28px;font-weight:bold;color:#0b6e4f;">${escapeHtml(f.value)}</div>` +
        `<div style="font-size:13px;color:#3d4a45;">${escapeHtml(f.label)}</div></td>`,
    )
    .join('<td width="12" style="font-size:0;">&nbsp;</td>')

  const metricRows = s.metrics
    .map(
      (m) =>
        `<tr><td style="padding:6px 8px;border-top:1px solid #e3e8e6;${FONT};font-size:14px;">${escapeHtml(m.label)}</td>` +
        `<td align="right" style="padding:6px 8px;border-top:1px solid #e3e8e6;${FONT};font-size:14px;">${escapeHtml(num.format(m.previous))}</td>` +
        `<td align="right" style="padding:6px 8px;border-top:1px solid #e3e8e6;${FONT};font-size:14px;">${escapeHtml(num.format(m.current))}</td>` +
        `<td align="right" style="padding:6px 8px;border-top:1px solid #e3e8e6;${FONT};font-size:14px;color:#0b6e4f;font-weight:bold;">${escapeHtml(pct.format(m.change))}</td></tr>`,
    )
    .join('')

  const html = [
    '<!DOCTYPE html>',
    `<html lang="${escapeHtml(locale)}"><head><meta charset="utf-8">`,
    '<meta name="viewport" content="width=device-width,initial-scale=1">',
    `<title>${escapeHtml(subject)}</title></head>`,
    `<body style="margin:0;padding:0;background:#eef1f0;">`,
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#eef1f0;"><tr><td align="center" style="padding:24px 12px;">`,
    `<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;width:100%;background:#ffffff;border-radius:8px;">`,
    `<tr><td style="padding:24px 28px 8px 28px;${FONT};">`,
    vendor === null
      ? ''
      : `<div style="font-size:15px;font-weight:bold;color:#0b6e4f;margin-bottom:10px;">${escapeHtml(vendor)}</div>`,
    `<div style="font-size:13px;color:#5b6b65;text-transform:uppercase;letter-spacing:0.04em;">${escapeHtml(name)}</div>`,
    `<h1 style="margin:4px 0 0 0;font-size:22px;color:#14201c;">${escapeHtml(t.heading)}</h1>`,
    `<div style="font-size:13px;color:#5b6b65;margin-top:2px;">${escapeHtml(period)}</div>`,
    `</td></tr>`,
    figures.length > 0
      ? `<tr><td style="padding:12px 28px;"><table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr>${figureCells}</tr></table></td></tr>`
      : '',
    `<tr><td style="padding:12px 28px;${FONT};font-size:15px;color:#14201c;line-height:1.5;">`,
    `<p style="margin:0 0 6px 0;">${escapeHtml(intro)}</p>`,
    bullets.length > 0
      ? `<ul style="margin:0;padding-left:20px;">${bullets.map((b) => `<li style="margin:2px 0;">${escapeHtml(b)}</li>`).join('')}</ul>`
      : '',
    s.moneySaved !== null && s.moneySaved > 0
      ? `<p style="margin:10px 0 0 0;font-size:13px;color:#5b6b65;">${escapeHtml(t.money(formatMoney(s.moneySaved, s.currency, locale)))}</p>`
      : '',
    `</td></tr>`,
    s.metrics.length > 0
      ? `<tr><td style="padding:8px 28px 12px 28px;"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">` +
        `<tr><th align="left" style="padding:6px 8px;${FONT};font-size:12px;color:#5b6b65;">${escapeHtml(t.metric)}</th>` +
        `<th align="right" style="padding:6px 8px;${FONT};font-size:12px;color:#5b6b65;">${escapeHtml(t.before)}</th>` +
        `<th align="right" style="padding:6px 8px;${FONT};font-size:12px;color:#5b6b65;">${escapeHtml(t.now)}</th>` +
        `<th align="right" style="padding:6px 8px;${FONT};font-size:12px;color:#5b6b65;">${escapeHtml(t.change)}</th></tr>` +
        `${metricRows}</table></td></tr>`
      : '',
    `<tr><td style="padding:16px 28px 24px 28px;${FONT};font-size:12px;color:#7a8a84;border-top:1px solid #e3e8e6;">${escapeHtml(t.footer(s.periodDays, vendor))}</td></tr>`,
    `</table></td></tr></table></body></html>`,
  ].join('\n')

  return { subject, html, text }
}
