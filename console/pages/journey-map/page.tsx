/**
 * Journey map (reports.md, "Journey map"): per phase its objective, its accounts, the touchpoints
 * planned and delivered, the emotion (NPS), the gaps and the actions. The segment is in the URL; the
 * same map as CSV and as a printable page are plain links.
 */
import { useEffect, useMemo } from 'preact/hooks'
import { useLocation } from 'preact-iso/router'
import type { Api } from '../../api'
import { formatNumber, formatTime } from '../../format'
import { defineMessages, labelOf, translator } from '../../i18n'
import { common } from '../../i18n/common'
import { paths } from '../../paths'
import { createResource } from '../../resource'
import { useServices } from '../../services'
import type { JourneyMap } from '../../types'
import { LoadError, Loading, PageTitle, TableWrap, Select } from '../../ui/parts'
import { oneOf, readQuery, toQuery } from '../../url'
import { SEGMENTS } from '../../vocabulary'

const t = translator(
  defineMessages(
    {
      title: 'Journey map',
      segment: 'Segment',
      all: 'Every segment',
      summary: '{accounts} accounts mapped, {churned} churned, as of {at}.',
      csv: 'Download as CSV',
      html: 'Printable map',
      newTab: '(opens in a new tab)',
      phase: 'Phase',
      objective: 'Objective',
      accounts: 'Accounts',
      touchpoints: 'Touchpoints delivered / planned',
      emotion: 'NPS',
      gaps: 'Gaps',
      actions: 'Actions',
      sources: 'Read from {stored} stored summaries (oldest {oldest}) and {computed} computed now.',
    },
    {
      title: 'Mapa da jornada',
      segment: 'Segmento',
      all: 'Todos os segmentos',
      summary: '{accounts} contas mapeadas, {churned} canceladas, em {at}.',
      csv: 'Baixar em CSV',
      html: 'Mapa para imprimir',
      newTab: '(abre em nova aba)',
      phase: 'Fase',
      objective: 'Objetivo',
      accounts: 'Contas',
      touchpoints: 'Pontos de contato feitos / planejados',
      emotion: 'NPS',
      gaps: 'Lacunas',
      actions: 'Ações',
      sources: 'Lido de {stored} resumos guardados (o mais antigo de {oldest}) e {computed} calculados agora.',
    },
  ),
)

const MAP_VIEW = { segment: oneOf(SEGMENTS) }

export function createJourneyMapModel(api: Api) {
  const map = createResource((segment?: string) => api.get<JourneyMap>('/v1/journey-map', { segment }))
  return { map }
}

export function JourneyMapView({ map }: { map: JourneyMap }) {
  return (
    <>
      <p>{t('summary', { accounts: map.accounts, churned: map.churned, at: formatTime(map.at) })}</p>
      <TableWrap label={t('title')}>
        <table class="map">
          <thead>
            <tr>
              <th scope="col">{t('phase')}</th>
              <th scope="col">{t('objective')}</th>
              <th scope="col" class="num">
                {t('accounts')}
              </th>
              <th scope="col" class="num">
                {t('touchpoints')}
              </th>
              <th scope="col" class="num">
                {t('emotion')}
              </th>
              <th scope="col">{t('gaps')}</th>
              <th scope="col">{t('actions')}</th>
            </tr>
          </thead>
          <tbody>
            {map.rows.map((r) => (
              <tr key={r.phase}>
                <th scope="row">{labelOf(common, 'phase', r.phase)}</th>
                <td>{r.objective}</td>
                <td class="num">{formatNumber(r.accounts)}</td>
                <td class="num">
                  {formatNumber(r.touchpoints.delivered)} / {formatNumber(r.touchpoints.planned)}
                </td>
                <td class="num">{formatNumber(r.emotion.nps)}</td>
                <td>
                  <ul>
                    {r.gaps.map((g) => (
                      <li key={g}>{g}</li>
                    ))}
                  </ul>
                </td>
                <td>
                  <ul>
                    {r.actions.map((a) => (
                      <li key={a}>{a}</li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <p class="hint">
        {t('sources', {
          stored: map.sources.stored,
          computed: map.sources.computed,
          oldest: formatTime(map.sources.oldestStored) || '–',
        })}
      </p>
    </>
  )
}

export default function JourneyMapPage() {
  const { api } = useServices()
  const { query, route } = useLocation()
  const { segment } = readQuery(MAP_VIEW, query)
  const model = useMemo(() => createJourneyMapModel(api), [api])
  useEffect(() => void model.map.load(segment), [model, segment])
  const { data, error } = model.map
  return (
    <>
      <PageTitle title={t('title')}>{t('title')}</PageTitle>
      <div class="filters">
        <Select
          label={t('segment')}
          value={segment ?? ''}
          empty={t('all')}
          options={SEGMENTS.map((s) => ({ value: s, label: labelOf(common, 'segment', s) }))}
          onChange={(v) => route(paths.journeyMap + toQuery(MAP_VIEW, { segment: (v || undefined) as typeof segment }))}
        />
        <a href={api.url('/v1/journey-map', { segment, format: 'csv' })} download>
          {t('csv')}
        </a>
        <a href={api.url('/v1/journey-map', { segment, format: 'html' })} target="_blank" rel="noopener">
          {t('html')} <span class="visually-hidden">{t('newTab')}</span>
        </a>
      </div>
      {error.value ? (
        <LoadError error={error.value} retry={() => void model.map.load(segment)} />
      ) : data.value ? (
        <JourneyMapView map={data.value} />
      ) : (
        <Loading />
      )}
    </>
  )
}
