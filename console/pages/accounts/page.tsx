/**
 * Accounts (console.md, "Pages"): every account with its phase, health and band, red flags, renewal,
 * NPS and last activity; filtered, searched, sorted by any column and paged, the view held in the
 * URL; the filtered list as CSV.
 */
import { useEffect, useMemo, useState } from 'preact/hooks'
import { useLocation } from 'preact-iso/router'
import { formatDay, formatNumber } from '../../format'
import { defineMessages, labelOf, translator } from '../../i18n'
import { common } from '../../i18n/common'
import { paths } from '../../paths'
import { useServices } from '../../services'
import type { AccountItem } from '../../types'
import { AccountLink, BandBadge, LoadError, Loading, PageTitle, TableWrap, Select } from '../../ui/parts'
import { readQuery } from '../../url'
import { BANDS, PHASES, RED_FLAGS, SEGMENTS } from '../../vocabulary'
import type { SnapshotSort } from '../../vocabulary'
import { ACCOUNT_FILTERS, RENEWAL_WINDOWS, accountsHref, csvUrl, withFilter, withSort } from './filters'
import type { AccountFilters } from './filters'
import { createAccountsModel } from './model'

const tc = translator(common)

const t = translator(
  defineMessages(
    {
      title: 'Accounts',
      search: 'Search by name or id',
      searchButton: 'Search',
      phase: 'Phase',
      band: 'Health band',
      flag: 'Red flag',
      segment: 'Segment',
      renewal: 'Renews within',
      any: 'Any',
      clear: 'Clear filters',
      count: '{n} accounts',
      countOne: '1 account',
      csv: 'Export these accounts as CSV',
      caption: 'Accounts, sorted by {column} ({order})',
      captionDefault: 'Accounts, riskiest first',
      asc: 'ascending',
      desc: 'descending',
      'col.name': 'Account',
      'col.segment': 'Segment',
      'col.phase': 'Phase',
      'col.health': 'Health',
      'col.flags': 'Red flags',
      'col.daysToRenewal': 'Days to renewal',
      'col.nps': 'NPS',
      'col.lastActiveAt': 'Last active',
      sortBy: 'Sort by {column}',
      none: 'No account matches these filters.',
      renewsOn: 'on {date}',
    },
    {
      title: 'Contas',
      search: 'Buscar por nome ou id',
      searchButton: 'Buscar',
      phase: 'Fase',
      band: 'Faixa de saúde',
      flag: 'Alerta',
      segment: 'Segmento',
      renewal: 'Renova em até',
      any: 'Qualquer',
      clear: 'Limpar filtros',
      count: '{n} contas',
      countOne: '1 conta',
      csv: 'Exportar estas contas em CSV',
      caption: 'Contas, ordenadas por {column} ({order})',
      captionDefault: 'Contas, as de maior risco primeiro',
      asc: 'crescente',
      desc: 'decrescente',
      'col.name': 'Conta',
      'col.segment': 'Segmento',
      'col.phase': 'Fase',
      'col.health': 'Saúde',
      'col.flags': 'Alertas',
      'col.daysToRenewal': 'Dias até a renovação',
      'col.nps': 'NPS',
      'col.lastActiveAt': 'Última atividade',
      sortBy: 'Ordenar por {column}',
      none: 'Nenhuma conta com estes filtros.',
      renewsOn: 'em {date}',
    },
  ),
)

/** The table's columns, each sortable by the API's `sort` of the same name. */
const COLUMNS: readonly { sort: SnapshotSort; key: Parameters<typeof t>[0]; num?: boolean }[] = [
  { sort: 'name', key: 'col.name' },
  { sort: 'segment', key: 'col.segment' },
  { sort: 'phase', key: 'col.phase' },
  { sort: 'health', key: 'col.health', num: true },
  { sort: 'flags', key: 'col.flags' },
  { sort: 'daysToRenewal', key: 'col.daysToRenewal', num: true },
  { sort: 'nps', key: 'col.nps', num: true },
  { sort: 'lastActiveAt', key: 'col.lastActiveAt' },
]

function Row({ a }: { a: AccountItem }) {
  return (
    <tr>
      <th scope="row">
        <AccountLink id={a.accountId} name={a.name} />
      </th>
      <td>{labelOf(common, 'segment', a.segment)}</td>
      <td>{labelOf(common, 'phase', a.phase)}</td>
      <td class="num">
        {formatNumber(a.health)} <BandBadge band={a.band} />
      </td>
      <td>
        {a.flags.map((f) => (
          <span class="flag" key={f}>
            {labelOf(common, 'flag', f)}
          </span>
        ))}
      </td>
      <td class="num">
        {formatNumber(a.daysToRenewal)}
        {a.renewalDate && <span class="hint"> {t('renewsOn', { date: formatDay(a.renewalDate) })}</span>}
      </td>
      <td class="num">{formatNumber(a.nps)}</td>
      <td>{formatDay(a.lastActiveAt)}</td>
    </tr>
  )
}

export default function AccountsPage() {
  const { api } = useServices()
  const { query, route } = useLocation()
  const filters = readQuery(ACCOUNT_FILTERS, query)
  const model = useMemo(() => createAccountsModel(api), [api])
  const key = JSON.stringify(filters)
  const [search, setSearch] = useState(filters.q ?? '')
  useEffect(() => {
    void model.load(filters)
    setSearch(filters.q ?? '')
  }, [key])

  const go = (f: AccountFilters | null) => f && route(accountsHref(paths.accounts, f))
  const set = (change: Partial<AccountFilters>) => go(withFilter(filters, change))
  const { data, error, loading } = model.list
  const list = data.value
  const opt = (prefix: string, ids: readonly string[]) =>
    ids.map((id) => ({ value: id, label: labelOf(common, prefix, id) }))
  const sortName = COLUMNS.find((c) => c.sort === filters.sort)
  // A server without `total` (an older one): the count is known only when this is the only page.
  const total = list ? (list.total ?? (list.nextCursor || filters.cursor ? null : list.items.length)) : null

  return (
    <>
      <PageTitle title={t('title')}>{t('title')}</PageTitle>
      <search>
        <form
          class="filters"
          onSubmit={(e) => {
            e.preventDefault()
            set({ q: search.trim() || undefined })
          }}
        >
          <div class="field">
            <label for="accounts-q">{t('search')}</label>
            <div class="row">
              <input id="accounts-q" type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
              <button type="submit">{t('searchButton')}</button>
            </div>
          </div>
          <Select
            label={t('phase')}
            value={filters.phase ?? ''}
            empty={t('any')}
            options={opt('phase', PHASES)}
            onChange={(v) => set({ phase: (v || undefined) as AccountFilters['phase'] })}
          />
          <Select
            label={t('band')}
            value={filters.band ?? ''}
            empty={t('any')}
            options={opt('band', BANDS)}
            onChange={(v) => set({ band: (v || undefined) as AccountFilters['band'] })}
          />
          <Select
            label={t('flag')}
            value={filters.flag ?? ''}
            empty={t('any')}
            options={opt('flag', RED_FLAGS)}
            onChange={(v) => set({ flag: (v || undefined) as AccountFilters['flag'] })}
          />
          <Select
            label={t('segment')}
            value={filters.segment ?? ''}
            empty={t('any')}
            options={opt('segment', SEGMENTS)}
            onChange={(v) => set({ segment: (v || undefined) as AccountFilters['segment'] })}
          />
          <Select
            label={t('renewal')}
            value={filters.renewalWithin ? String(filters.renewalWithin) : ''}
            empty={t('any')}
            options={RENEWAL_WINDOWS.map((d) => ({ value: String(d), label: tc('common.days', { n: d }) }))}
            onChange={(v) => set({ renewalWithin: v ? Number(v) : undefined })}
          />
          <a href={paths.accounts}>{t('clear')}</a>
        </form>
      </search>

      {error.value ? (
        <LoadError error={error.value} retry={() => void model.load(filters)} />
      ) : !list ? (
        <Loading />
      ) : (
        <>
          <div class="row">
            <p role="status" aria-busy={loading.value}>
              {total === null ? '' : total === 1 ? t('countOne') : t('count', { n: formatNumber(total) })}
            </p>
            <a href={csvUrl(api, filters)} download>
              {t('csv')}
            </a>
          </div>
          {list.items.length === 0 ? (
            <p>{t('none')}</p>
          ) : (
            <TableWrap label={t('title')}>
              <table>
                <caption>
                  {sortName
                    ? t('caption', { column: t(sortName.key), order: t(filters.order === 'desc' ? 'desc' : 'asc') })
                    : t('captionDefault')}
                </caption>
                <thead>
                  <tr>
                    {COLUMNS.map((c) => {
                      const active = filters.sort === c.sort
                      return (
                        <th
                          key={c.sort}
                          scope="col"
                          class={c.num ? 'num' : undefined}
                          aria-sort={active ? (filters.order === 'desc' ? 'descending' : 'ascending') : undefined}
                        >
                          <button type="button" class="sort" onClick={() => go(withSort(filters, c.sort))}>
                            {t(c.key)}
                            <span aria-hidden="true">{active ? (filters.order === 'desc' ? ' ▼' : ' ▲') : ''}</span>
                          </button>
                        </th>
                      )
                    })}
                  </tr>
                </thead>
                <tbody>
                  {list.items.map((a) => (
                    <Row key={a.accountId} a={a} />
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
          <nav class="pager" aria-label={t('title')}>
            {model.previous.value.length > 0 ? (
              <button type="button" class="secondary" onClick={() => go(model.prev(filters))}>
                {tc('common.previous')}
              </button>
            ) : filters.cursor ? (
              <a href={accountsHref(paths.accounts, withFilter(filters, {}))}>{tc('common.first')}</a>
            ) : null}
            {list.nextCursor && (
              <button type="button" class="secondary" onClick={() => go(model.next(filters))}>
                {tc('common.next')}
              </button>
            )}
          </nav>
        </>
      )}
    </>
  )
}
