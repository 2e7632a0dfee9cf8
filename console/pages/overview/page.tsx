/**
 * Overview (console.md, "Pages"): accounts by phase and by band, what changed in the last 7 days,
 * renewals in the next 90 days, NPS over time. Every account links to its page, where each number
 * has its reason.
 */
import { useEffect, useMemo } from 'preact/hooks'
import { BarChart } from '../../charts/bars'
import { LineChart } from '../../charts/line'
import { formatDay, formatNumber, formatTime } from '../../format'
import { defineMessages, labelOf, translator } from '../../i18n'
import { common } from '../../i18n/common'
import { useServices } from '../../services'
import type { Overview } from '../../types'
import { AccountLink, BandBadge, LoadError, Loading, PageTitle, TableWrap } from '../../ui/parts'
import { BANDS, PHASES } from '../../vocabulary'
import { createOverviewModel } from './model'

const t = translator(
  defineMessages(
    {
      title: 'Overview',
      asOf: 'As of {time}.',
      byPhase: 'Accounts by phase',
      byBand: 'Accounts by health band',
      accounts: 'Accounts',
      changes: 'What changed since {since}',
      bandChanges: 'Health band changes',
      phaseChanges: 'Phase changes',
      flagsRaised: 'Red flags raised',
      noChanges: 'No change.',
      account: 'Account',
      change: 'Change',
      flag: 'Red flag',
      when: 'When',
      renewals: 'Renewals in the next 90 days',
      renewalDate: 'Renewal date',
      daysLeft: 'Days left',
      band: 'Health band',
      noRenewals: 'No renewal in the next 90 days.',
      nps: 'NPS by week (last 26 weeks)',
      npsScore: 'NPS',
      responses: 'Answers',
      week: 'Week of',
    },
    {
      title: 'Visão geral',
      asOf: 'Em {time}.',
      byPhase: 'Contas por fase',
      byBand: 'Contas por faixa de saúde',
      accounts: 'Contas',
      changes: 'O que mudou desde {since}',
      bandChanges: 'Mudanças de faixa de saúde',
      phaseChanges: 'Mudanças de fase',
      flagsRaised: 'Alertas levantados',
      noChanges: 'Nenhuma mudança.',
      account: 'Conta',
      change: 'Mudança',
      flag: 'Alerta',
      when: 'Quando',
      renewals: 'Renovações nos próximos 90 dias',
      renewalDate: 'Data de renovação',
      daysLeft: 'Dias restantes',
      band: 'Faixa de saúde',
      noRenewals: 'Nenhuma renovação nos próximos 90 dias.',
      nps: 'NPS por semana (últimas 26 semanas)',
      npsScore: 'NPS',
      responses: 'Respostas',
      week: 'Semana de',
    },
  ),
)

function Changes({
  title,
  rows,
  label,
}: {
  title: string
  rows: readonly { accountId: string; name: string | null; change: string; at: string }[]
  label: string
}) {
  return (
    <section class="card">
      <h3>{title}</h3>
      {rows.length === 0 ? (
        <p>{t('noChanges')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('account')}</th>
              <th scope="col">{label}</th>
              <th scope="col">{t('when')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.accountId}-${r.at}-${r.change}`}>
                <th scope="row">
                  <AccountLink id={r.accountId} name={r.name} />
                </th>
                <td>{r.change}</td>
                <td>{formatTime(r.at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

export function OverviewView({ data }: { data: Overview }) {
  const phases = PHASES.map((p) => ({ id: p, label: labelOf(common, 'phase', p), value: data.phases[p] ?? 0 }))
  const bands = BANDS.map((b) => ({ id: b, label: labelOf(common, 'band', b), value: data.bands[b], tone: b }))
  const arrow = (from: string, to: string, prefix: string) =>
    `${labelOf(common, prefix, from)} → ${labelOf(common, prefix, to)}`
  return (
    <>
      <p class="hint">{t('asOf', { time: formatTime(data.at) })}</p>
      <div class="cards">
        <section class="card">
          <h2>{t('byPhase')}</h2>
          <BarChart title={t('byPhase')} items={phases} valueLabel={t('accounts')} />
        </section>
        <section class="card">
          <h2>{t('byBand')}</h2>
          <BarChart title={t('byBand')} items={bands} valueLabel={t('accounts')} />
        </section>
      </div>
      <h2>{t('changes', { since: formatDay(data.changes.since) })}</h2>
      <div class="cards">
        <Changes
          title={t('bandChanges')}
          label={t('change')}
          rows={data.changes.band.map((c) => ({ ...c, change: arrow(c.from, c.to, 'band') }))}
        />
        <Changes
          title={t('phaseChanges')}
          label={t('change')}
          rows={data.changes.phase.map((c) => ({ ...c, change: arrow(c.from, c.to, 'phase') }))}
        />
        <Changes
          title={t('flagsRaised')}
          label={t('flag')}
          rows={data.changes.redFlags.map((c) => ({ ...c, change: labelOf(common, 'flag', c.flag) }))}
        />
      </div>
      <h2>{t('renewals')}</h2>
      {data.renewals.length === 0 ? (
        <p>{t('noRenewals')}</p>
      ) : (
        <TableWrap label={t('renewals')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('account')}</th>
                <th scope="col">{t('renewalDate')}</th>
                <th scope="col" class="num">
                  {t('daysLeft')}
                </th>
                <th scope="col">{t('band')}</th>
              </tr>
            </thead>
            <tbody>
              {data.renewals.map((r) => (
                <tr key={r.accountId}>
                  <th scope="row">
                    <AccountLink id={r.accountId} name={r.name} />
                  </th>
                  <td>{formatDay(r.renewalDate)}</td>
                  <td class="num">{formatNumber(r.daysToRenewal)}</td>
                  <td>
                    <BandBadge band={r.band} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <h2>{t('nps')}</h2>
      <LineChart
        title={t('nps')}
        points={data.nps.map((w) => ({ date: w.week, value: w.score }))}
        min={-100}
        max={100}
        valueLabel={t('npsScore')}
      />
      <p class="hint">
        {t('responses')}: {formatNumber(data.nps.reduce((n, w) => n + w.responses, 0))}
      </p>
    </>
  )
}

export default function OverviewPage() {
  const { api } = useServices()
  const model = useMemo(() => createOverviewModel(api), [api])
  useEffect(() => void model.load(), [model])
  const { data, error } = model.overview
  return (
    <>
      <PageTitle title={t('title')}>{t('title')}</PageTitle>
      {error.value ? (
        <LoadError optional error={error.value} retry={() => void model.load()} />
      ) : data.value ? (
        <OverviewView data={data.value} />
      ) : (
        <Loading />
      )}
    </>
  )
}
