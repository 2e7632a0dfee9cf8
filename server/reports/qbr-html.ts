/**
 * The renewal QBR pack as the customer reads it at the meeting: one printable HTML page in their
 * locale, without the CSM's internal notes (qbr.ts says which).
 */
import type { JourneyState } from '../journey'
import type { Locale } from '../journey/value'
import { escapeHtml, formatDate } from './html'
import type { Qbr } from './qbr'

/** Seed "Momentos da Verdade", as the customer reads them. */
const MOMENT_NAMES: Record<string, Record<Locale, string>> = {
  kickoff: { en: 'Kickoff', 'pt-BR': 'Kickoff' },
  first_value: { en: 'First value', 'pt-BR': 'Primeiro valor' },
  first_bug: { en: 'First support ticket', 'pt-BR': 'Primeiro chamado de suporte' },
  qbr: { en: 'Business review (QBR)', 'pt-BR': 'Revisão de negócios (QBR)' },
  renewal: { en: 'Renewal', 'pt-BR': 'Renovação' },
}

/** Next steps as the customer reads them: renewal tasks by task id, other touchpoints by id; else the config's label. */
const STEP_NAMES: Record<string, Record<Locale, string>> = {
  start_renewal: { en: 'Start of the renewal', 'pt-BR': 'Início da renovação' },
  renewal_qbr: { en: 'Renewal business review', 'pt-BR': 'Reunião de renovação (QBR)' },
  proposal_sent: { en: 'Renewal proposal', 'pt-BR': 'Proposta de renovação' },
  negotiation: { en: 'Terms discussion', 'pt-BR': 'Negociação dos termos' },
  contract_sent: { en: 'Contract for signature', 'pt-BR': 'Contrato para assinatura' },
  final_follow_up: { en: 'Final follow-up', 'pt-BR': 'Acompanhamento final' },
  renewal_or_churn: { en: 'Renewal', 'pt-BR': 'Renovação' },
  renewal_notice: { en: 'Auto-renewal notice', 'pt-BR': 'Aviso de renovação automática' },
  kickoff_call: { en: 'Kickoff meeting', 'pt-BR': 'Reunião de kickoff' },
  setup_help: { en: 'Setup session', 'pt-BR': 'Sessão de configuração' },
  training: { en: 'Training', 'pt-BR': 'Treinamento' },
  check_in: { en: 'Check-in', 'pt-BR': 'Check-in' },
  health_check: { en: 'Account check-up', 'pt-BR': 'Check-up da conta' },
  monthly_check_in: { en: 'Check-in call', 'pt-BR': 'Conversa de acompanhamento' },
  qbr: { en: 'Business review (QBR)', 'pt-BR': 'Revisão de negócios (QBR)' },
  expansion_call: { en: 'Growth planning call', 'pt-BR': 'Conversa sobre crescimento' },
}

const L = {
  en: {
    title: 'Renewal QBR',
    prepared: 'Prepared',
    renewal: 'Renewal',
    p1: '1. Retrospective',
    p2: '2. Current situation',
    p3: '3. Looking ahead',
    p4: '4. Proposal',
    results: (n: number) => `Results of the last ${n} days`,
    valueDelivered: 'Value delivered',
    moments: 'Moments of truth',
    hours: 'hours saved',
    money: 'work time saved',
    roi: 'estimated ROI',
    ttfv: 'days to first value',
    milestones: 'milestones reached',
    noResults: 'No measured results in this period.',
    noMoments: 'No moments of truth recorded yet.',
    moment: 'Moment',
    date: 'Date',
    outcome: 'Outcome',
    held: 'Held',
    afterStart: (n: number) => `${n} day${n === 1 ? '' : 's'} after the start`,
    resolved: (n: number) => (n === 0 ? 'Resolved the same day' : `Resolved in ${n} day${n === 1 ? '' : 's'}`),
    open: 'Open',
    renewed: 'Renewed',
    ended: 'Ended',
    health: 'Account health',
    bands: { green: 'On track', yellow: 'Needs attention', red: 'Needs action' } as Record<string, string>,
    usage: (n: number) => `Usage and adoption (last ${n} days)`,
    adoption: 'adoption level',
    levels: { none: 'Getting started', basic: 'Basic', regular: 'Regular', power: 'Advanced' } as Record<
      string,
      string
    >,
    activeUsers: 'active users',
    activeDays: 'active days',
    logins: 'logins',
    features: 'features used',
    featuresUsed: 'Features used',
    feedback: 'Feedback',
    nps: 'NPS',
    answers: (n: number, days: number) => `${n} answer${n === 1 ? '' : 's'} in the last ${days} days`,
    noNps: 'No survey answers yet.',
    noComments: 'No comments yet.',
    goals: 'Goals for the next period',
    noGoals: 'To be agreed in this meeting.',
    opportunities: 'Opportunities',
    renewalDate: 'Renewal date',
    daysTo: (n: number) => `${n} days from now`,
    daysAgo: (n: number) => `${n} days ago`,
    terms: 'Renewal terms',
    plan: 'Plan',
    seats: 'Seats',
    listPrice: 'List price per month',
    term: 'Term',
    price: 'Price',
    discount: 'Discount',
    options: 'Expansion options',
    nextSteps: 'Next steps',
    noSteps: 'Nothing scheduled.',
    step: 'Step',
    when: 'When',
    how: 'How',
    soon: 'As soon as possible',
    channels: { meeting: 'Meeting', call: 'Call', email: 'Email', in_app: 'In the app', task: '' } as Record<
      string,
      string
    >,
    none: '—',
    blank: '____________',
  },
  'pt-BR': {
    title: 'QBR de renovação',
    prepared: 'Preparado em',
    renewal: 'Renovação',
    p1: '1. Retrospectiva',
    p2: '2. Situação atual',
    p3: '3. Visão de futuro',
    p4: '4. Proposta',
    results: (n: number) => `Resultados dos últimos ${n} dias`,
    valueDelivered: 'Valor entregue',
    moments: 'Momentos da verdade',
    hours: 'horas economizadas',
    money: 'em tempo de trabalho',
    roi: 'ROI estimado',
    ttfv: 'dias até o primeiro valor',
    milestones: 'marcos atingidos',
    noResults: 'Nenhum resultado medido neste período.',
    noMoments: 'Nenhum momento da verdade registrado ainda.',
    moment: 'Momento',
    date: 'Data',
    outcome: 'Resultado',
    held: 'Realizado',
    afterStart: (n: number) => `${n} dia${n === 1 ? '' : 's'} após o início`,
    resolved: (n: number) => (n === 0 ? 'Resolvido no mesmo dia' : `Resolvido em ${n} dia${n === 1 ? '' : 's'}`),
    open: 'Em aberto',
    renewed: 'Renovado',
    ended: 'Encerrado',
    health: 'Saúde da conta',
    bands: { green: 'No caminho certo', yellow: 'Requer atenção', red: 'Requer ação' } as Record<string, string>,
    usage: (n: number) => `Uso e adoção (últimos ${n} dias)`,
    adoption: 'nível de adoção',
    levels: { none: 'Inicial', basic: 'Básico', regular: 'Regular', power: 'Avançado' } as Record<string, string>,
    activeUsers: 'usuários ativos',
    activeDays: 'dias ativos',
    logins: 'logins',
    features: 'funcionalidades usadas',
    featuresUsed: 'Funcionalidades usadas',
    feedback: 'Feedback',
    nps: 'NPS',
    answers: (n: number, days: number) => `${n} resposta${n === 1 ? '' : 's'} nos últimos ${days} dias`,
    noNps: 'Nenhuma resposta de pesquisa ainda.',
    noComments: 'Nenhum comentário ainda.',
    goals: 'Objetivos do próximo período',
    noGoals: 'A definir nesta reunião.',
    opportunities: 'Oportunidades',
    renewalDate: 'Data de renovação',
    daysTo: (n: number) => `em ${n} dias`,
    daysAgo: (n: number) => `há ${n} dias`,
    terms: 'Termos de renovação',
    plan: 'Plano',
    seats: 'Licenças',
    listPrice: 'Preço de tabela por mês',
    term: 'Prazo',
    price: 'Preço',
    discount: 'Desconto',
    options: 'Opções de expansão',
    nextSteps: 'Próximos passos',
    noSteps: 'Nada agendado.',
    step: 'Passo',
    when: 'Quando',
    how: 'Como',
    soon: 'O quanto antes',
    channels: { meeting: 'Reunião', call: 'Ligação', email: 'Email', in_app: 'No aplicativo', task: '' } as Record<
      string,
      string
    >,
    none: '—',
    blank: '____________',
  },
} as const

type Text = (typeof L)[Locale]

/** A moment's outcome in the customer's words (moments.ts writes English notes for the CSM); unknown notes as they are. */
function outcomeText(m: JourneyState['moments'][number], t: Text): string {
  if (m.id === 'kickoff' || m.id === 'qbr') return t.held
  if (m.id === 'first_value') return t.afterStart(m.day)
  if (m.id === 'renewal') return m.outcome === 'renewed' ? t.renewed : t.ended
  if (m.id === 'first_bug') {
    const closed = /^closed after (\d+) days?$/.exec(m.outcome)
    if (closed) return t.resolved(Number(closed[1]))
    if (m.outcome === 'open') return t.open
  }
  return m.outcome
}

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 Arial,Helvetica,sans-serif;color:#14201c;background:#fff}
main{max-width:900px;margin:0 auto;padding:28px 32px}
header{border-bottom:3px solid #0b6e4f;padding-bottom:12px;margin-bottom:8px}
header .kicker{font-size:12px;text-transform:uppercase;letter-spacing:.06em;color:#5b6b65}
h1{font-size:26px;margin:2px 0 6px}
h2{font-size:18px;color:#0b6e4f;border-bottom:1px solid #cfdad6;padding-bottom:4px;margin:26px 0 10px}
h3{font-size:14px;margin:16px 0 6px;color:#14201c}
.meta{display:flex;flex-wrap:wrap;gap:6px 22px;font-size:13px;color:#3d4a45}
.meta b{color:#14201c}
.figures{display:flex;flex-wrap:wrap;gap:10px;margin:6px 0}
.figure{background:#f2f7f5;border-radius:6px;padding:8px 14px;min-width:130px}
.figure .n{font-size:22px;font-weight:bold;color:#0b6e4f}
.figure .l{font-size:12px;color:#3d4a45}
table{border-collapse:collapse;width:100%;margin:4px 0 8px;font-size:13px}
th{text-align:left;font-size:11px;text-transform:uppercase;letter-spacing:.04em;color:#5b6b65;border-bottom:1px solid #cfdad6;padding:5px 6px}
td{border-bottom:1px solid #e3e8e6;padding:5px 6px;vertical-align:top}
.muted{color:#5b6b65}
.small{font-size:12px}
.band{display:inline-block;padding:2px 10px;border-radius:10px;font-weight:bold;font-size:13px}
.band-green{background:#d8f0e4;color:#0b6e4f}.band-yellow{background:#fbefc8;color:#7a5a00}.band-red{background:#f8d9d6;color:#9b1c10}
blockquote{margin:6px 0;padding:4px 12px;border-left:3px solid #cfdad6}
blockquote .who{font-size:12px;color:#5b6b65}
ul{margin:4px 0;padding-left:20px}
.blank{color:#7a8a84;letter-spacing:.05em}
section{break-inside:auto}
table,blockquote,.figures{break-inside:avoid}
@page{size:A4;margin:14mm}
@media print{main{padding:0;max-width:none}h2{break-after:avoid}h3{break-after:avoid}.part{break-before:auto}}
`

/**
 * The QBR pack as a printable HTML document for the customer (see the top of qbr.ts: no internal
 * notes): print CSS, no scripts, every datum escaped.
 */
export function renderQbrHtml(q: Qbr): string {
  const t: Text = L[q.locale] ?? L.en
  const lc = q.locale
  const num = new Intl.NumberFormat(lc, { maximumFractionDigits: 1 })
  const e = escapeHtml
  const date = (iso: string | null) => (iso ? formatDate(iso, lc) : t.none)
  const r = q.retrospective
  const v = r.valueDelivered
  const s = q.currentSituation
  const p = q.proposal

  const figure = (n: string, l: string) =>
    `<div class="figure"><div class="n">${e(n)}</div><div class="l">${e(l)}</div></div>`
  const money = (x: number) => {
    try {
      return new Intl.NumberFormat(lc, { style: 'currency', currency: v.currency }).format(x)
    } catch {
      return `${num.format(x)} ${v.currency}`
    }
  }

  const figs: string[] = []
  if (v.hoursSaved !== null) figs.push(figure(num.format(v.hoursSaved), t.hours))
  if (v.moneySaved !== null) figs.push(figure(money(v.moneySaved), t.money))
  if (v.roi !== null) figs.push(figure(`${num.format(v.roi)}x`, t.roi))
  if (v.timeToFirstValue !== null) figs.push(figure(String(v.timeToFirstValue), t.ttfv))
  figs.push(figure(`${v.milestonesDone}/${v.milestonesTotal}`, t.milestones))

  const resultLines = r.results.text === '' ? [] : r.results.text.split('\n')
  const results =
    resultLines.length === 0
      ? `<p class="muted">${e(t.noResults)}</p>`
      : `<p>${e(resultLines[0])}</p><ul>${resultLines
          .slice(1)
          .map((l) => `<li>${e(l.replace(/^- /, ''))}</li>`)
          .join('')}</ul>`

  // Moments of truth: what happened and when; the seed's risk and opportunity are the CSM's (JSON).
  const moments =
    r.moments.length === 0
      ? `<p class="muted">${e(t.noMoments)}</p>`
      : `<table><tr><th>${e(t.moment)}</th><th>${e(t.date)}</th><th>${e(t.outcome)}</th></tr>` +
        r.moments
          .map(
            (m) =>
              `<tr><td>${e(MOMENT_NAMES[m.id]?.[lc] ?? m.id)}</td><td>${e(date(m.at))}</td><td>${e(outcomeText(m, t))}</td></tr>`,
          )
          .join('') +
        `</table>`

  // Health as a plain status; the score's components and weights are the CSM's (JSON).
  const h = s.health
  const health = `<p><span class="band band-${e(h.band)}">${e(t.bands[h.band] ?? h.band)}</span></p>`

  const u = s.usage
  const usage =
    `<div class="figures">` +
    figure(t.levels[u.adoptionLevel] ?? u.adoptionLevel, t.adoption) +
    figure(u.seats !== null ? `${u.activeUsers}/${u.seats}` : String(u.activeUsers), t.activeUsers) +
    figure(`${u.activeDays}/${u.periodDays}`, t.activeDays) +
    figure(String(u.logins), t.logins) +
    figure(`${u.featuresUsed.length}/${u.featureCount}`, t.features) +
    `</div>` +
    (u.featuresUsedNames.length > 0
      ? `<p class="small muted">${e(t.featuresUsed)}: ${e(u.featuresUsedNames.join(', '))}</p>`
      : '')

  // Feedback: the score and the comments, without who said what.
  const fb = s.feedback
  const feedback =
    (fb.nps.score === null
      ? `<p class="muted">${e(t.noNps)}</p>`
      : `<p><b>${e(t.nps)} ${e(fb.nps.score)}</b> <span class="muted small">${e(t.answers(fb.nps.responses, fb.windowDays))}</span></p>`) +
    (fb.comments.length === 0
      ? `<p class="muted small">${e(t.noComments)}</p>`
      : fb.comments
          .map(
            (c) =>
              `<blockquote><div>“${e(c.comment)}”</div><div class="who">${c.score !== null ? `${e(c.score)}/10 · ` : ''}${e(date(c.at))}</div></blockquote>`,
          )
          .join(''))

  // Looking ahead: the goals, and what could come next (the readiness verdict and signals are the CSM's).
  const f = q.future
  const offers = p.expansionOptions.map((o) => `<li>${e(o.offer)}</li>`).join('')
  const goals =
    f.goals.length === 0
      ? `<p class="muted">${e(t.noGoals)}</p>`
      : `<ul>${f.goals.map((g) => `<li>${e(g)}</li>`).join('')}</ul>`
  const opps = offers === '' ? '' : `<h3>${e(t.opportunities)}</h3><ul>${offers}</ul>`

  const blank = `<span class="blank">${e(t.blank)}</span>`
  const filled = (x: string | number | null) => (x === null ? blank : e(x))
  const days = p.daysToRenewal
  const renewal =
    p.renewalDate === null
      ? blank
      : `${e(date(p.renewalDate))}${days !== null ? ` <span class="muted">(${e(days >= 0 ? t.daysTo(days) : t.daysAgo(-days))})</span>` : ''}`
  const terms =
    `<table><tr><td>${e(t.renewalDate)}</td><td>${renewal}</td></tr>` +
    `<tr><td>${e(t.plan)}</td><td>${filled(p.terms.plan)}</td></tr>` +
    `<tr><td>${e(t.seats)}</td><td>${filled(p.terms.seats)}</td></tr>` +
    `<tr><td>${e(t.listPrice)}</td><td>${p.terms.listPricePerMonth === null ? blank : e(money(p.terms.listPricePerMonth))}</td></tr>` +
    `<tr><td>${e(t.term)}</td><td>${blank}</td></tr><tr><td>${e(t.price)}</td><td>${blank}</td></tr><tr><td>${e(t.discount)}</td><td>${blank}</td></tr></table>`
  const options =
    offers === ''
      ? ''
      : `<h3>${e(t.options)}</h3><table>${p.expansionOptions.map((o) => `<tr><td>${e(o.offer)}</td><td>${blank}</td></tr>`).join('')}</table>`
  // Next steps: what and when; a step past its day is "as soon as possible" (statuses and owners are the CSM's).
  const steps =
    p.nextSteps.length === 0
      ? `<p class="muted">${e(t.noSteps)}</p>`
      : `<table><tr><th>${e(t.step)}</th><th>${e(t.when)}</th><th>${e(t.how)}</th></tr>` +
        p.nextSteps
          .map(
            (x) =>
              `<tr><td>${e(STEP_NAMES[x.ref ?? x.id]?.[lc] ?? x.label)}</td><td>${e(x.status === 'overdue' ? t.soon : date(x.due))}</td><td>${e(t.channels[x.channel] ?? x.channel)}</td></tr>`,
          )
          .join('') +
        `</table>`

  const kicker = q.vendorName === null ? t.title : `${q.vendorName} · ${t.title}`
  return [
    '<!DOCTYPE html>',
    `<html lang="${e(lc)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`,
    `<title>${e(t.title)} · ${e(q.accountName)}</title><style>${CSS}</style></head><body><main>`,
    `<header><div class="kicker">${e(kicker)}</div><h1>${e(q.accountName)}</h1>`,
    `<div class="meta"><span>${e(t.prepared)}: <b>${e(date(q.at))}</b></span>`,
    `<span>${e(t.renewal)}: <b>${p.renewalDate === null ? e(t.none) : e(date(p.renewalDate))}</b></span></div></header>`,
    `<section class="part"><h2>${e(t.p1)}</h2><h3>${e(t.results(r.results.periodDays))}</h3>${results}`,
    `<h3>${e(t.valueDelivered)}</h3><div class="figures">${figs.join('')}</div>`,
    `<h3>${e(t.moments)}</h3>${moments}</section>`,
    `<section class="part"><h2>${e(t.p2)}</h2><h3>${e(t.health)}</h3>${health}<h3>${e(t.usage(u.periodDays))}</h3>${usage}<h3>${e(t.feedback)}</h3>${feedback}</section>`,
    `<section class="part"><h2>${e(t.p3)}</h2><h3>${e(t.goals)}</h3>${goals}${opps}</section>`,
    `<section class="part"><h2>${e(t.p4)}</h2><h3>${e(t.terms)}</h3>${terms}${options}<h3>${e(t.nextSteps)}</h3>${steps}</section>`,
    '</main></body></html>',
  ].join('\n')
}
