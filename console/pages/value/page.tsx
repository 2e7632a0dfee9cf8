/**
 * An account's value statement and its ready-to-send value email (`GET /v1/accounts/:id/value`),
 * in the member's language. The email's HTML is shown in a sandboxed frame: nothing in it runs.
 */
import { useEffect, useMemo } from 'preact/hooks'
import { useLocation, useRoute } from 'preact-iso/router'
import type { Api } from '../../api'
import { formatDay, formatDelta, formatNumber } from '../../format'
import { defineMessages, locale, translator } from '../../i18n'
import { accountPath } from '../../paths'
import { createResource } from '../../resource'
import { useServices } from '../../services'
import type { ValueResponse } from '../../types'
import { LoadError, Loading, PageTitle } from '../../ui/parts'
import { intIn, readQuery } from '../../url'

const t = translator(
  defineMessages(
    {
      title: 'Value statement of {id}',
      back: 'Back to the account',
      period: 'Period',
      periodDays: 'Last {n} days',
      show: 'Show',
      range: '{from} to {to}',
      hoursSaved: 'Hours saved: {n}',
      metric: 'Metric',
      previous: 'Period before',
      current: 'This period',
      change: 'Change',
      statement: 'Statement',
      nothing: 'Nothing to report for this period yet.',
      email: 'Value email',
      subject: 'Subject',
      html: 'As the customer sees it',
      text: 'Plain text',
    },
    {
      title: 'Declaração de valor de {id}',
      back: 'Voltar para a conta',
      period: 'Período',
      periodDays: 'Últimos {n} dias',
      show: 'Mostrar',
      range: 'De {from} a {to}',
      hoursSaved: 'Horas economizadas: {n}',
      metric: 'Métrica',
      previous: 'Período anterior',
      current: 'Este período',
      change: 'Mudança',
      statement: 'Declaração',
      nothing: 'Ainda não há o que relatar neste período.',
      email: 'E-mail de valor',
      subject: 'Assunto',
      html: 'Como o cliente vê',
      text: 'Texto simples',
    },
  ),
)

const PERIODS = [7, 30, 90, 365] as const
const VALUE_VIEW = { days: intIn(1, 365) }

export function createValueModel(api: Api, id: string) {
  const value = createResource((days: number, lang: string) =>
    api.get<ValueResponse>(`/v1/accounts/${encodeURIComponent(id)}/value`, { period: `${days}d`, locale: lang }),
  )
  return { value }
}

export function ValueView({ data }: { data: ValueResponse }) {
  const s = data.statement
  return (
    <>
      <p>{t('range', { from: formatDay(s.from), to: formatDay(s.to) })}</p>
      {s.hoursSaved !== null && <p class="big">{t('hoursSaved', { n: formatNumber(s.hoursSaved, 1) })}</p>}
      <h2>{t('statement')}</h2>
      {/* An account with nothing to report yet gets an empty statement: the heading alone would look broken. */}
      <p>{data.text || t('nothing')}</p>
      {s.metrics.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('metric')}</th>
              <th scope="col" class="num">
                {t('previous')}
              </th>
              <th scope="col" class="num">
                {t('current')}
              </th>
              <th scope="col" class="num">
                {t('change')}
              </th>
            </tr>
          </thead>
          <tbody>
            {s.metrics.map((m) => (
              <tr key={m.id}>
                <th scope="row">{m.label}</th>
                <td class="num">{formatNumber(m.previous, 1)}</td>
                <td class="num">{formatNumber(m.current, 1)}</td>
                <td class="num">{formatDelta(m.change * 100)}%</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2 id="email" tabIndex={-1}>
        {t('email')}
      </h2>
      <dl class="facts">
        <dt>{t('subject')}</dt>
        <dd>{data.email.subject}</dd>
      </dl>
      <h3>{t('html')}</h3>
      <iframe class="email" title={t('email')} sandbox="" srcdoc={data.email.html} />
      <details>
        <summary>{t('text')}</summary>
        <pre class="json">{data.email.text}</pre>
      </details>
    </>
  )
}

export default function ValuePage() {
  const { api } = useServices()
  const { params } = useRoute()
  const { query, route, path } = useLocation()
  const id = params.id ?? ''
  const days = readQuery(VALUE_VIEW, query).days ?? 30
  const model = useMemo(() => createValueModel(api, id), [api, id])
  const lang = locale.value
  useEffect(() => void model.value.load(days, lang), [model, days, lang])
  const { data, error } = model.value
  return (
    <>
      <PageTitle title={t('title', { id })}>{t('title', { id })}</PageTitle>
      <p>
        <a href={accountPath(id)}>{t('back')}</a>
      </p>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="value-period">{t('period')}</label>
          <select
            id="value-period"
            value={String(days)}
            onChange={(e) => route(`${path}?days=${e.currentTarget.value}`)}
          >
            {PERIODS.map((d) => (
              <option key={d} value={String(d)}>
                {t('periodDays', { n: d })}
              </option>
            ))}
          </select>
        </div>
      </form>
      {error.value ? (
        <LoadError error={error.value} retry={() => void model.value.load(days, lang)} />
      ) : data.value ? (
        <ValueView data={data.value} />
      ) : (
        <Loading />
      )}
    </>
  )
}
