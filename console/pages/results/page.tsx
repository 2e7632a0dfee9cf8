/**
 * Results (docs/console.md, "Results"): what the in-app experiences achieved in a range of days,
 * for the accounts' current segment and phase: per experience a table of shown, completed,
 * dismissed (by reason), users and accounts; each guide's funnel; the checklist's items done across
 * the accounts it reached, with the median account day each was done on against its window; the
 * advocacy programs accepted; the NPS over time, its promoters, passives and detractors per
 * interval, and its answers with their comments. The view is held in the URL; each part downloads
 * as CSV.
 */
import type { ComponentChildren } from 'preact'
import { useEffect, useMemo, useState } from 'preact/hooks'
import { useLocation } from 'preact-iso/router'
import { BarChart } from '../../charts/bars'
import { FunnelChart } from '../../charts/funnel'
import { LineChart } from '../../charts/line'
import { formatDay, formatMonth, formatNumber, formatTime, utcDay } from '../../format'
import { labelOf } from '../../i18n'
import { common } from '../../i18n/common'
import { paths } from '../../paths'
import type { Query } from '../../api'
import type { Resource } from '../../resource'
import { useServices } from '../../services'
import type { ExperienceResult, ExperienceResults, NpsResults } from '../../types'
import { AccountLink, Field, fieldError, LoadError, Loading, PageTitle, Select, TableWrap } from '../../ui/parts'
import { readQuery } from '../../url'
import { NPS_INTERVALS, PHASES, SEGMENTS } from '../../vocabulary'
import { csvUrls, RESULTS_FILTERS, rangeOf, resultsHref, withFilter } from './filters'
import type { ResultsFilters } from './filters'
import { t } from './messages'
import { createResultsModel } from './model'
import type { ResultsModel } from './model'

type Key = Parameters<typeof t>[0]
/** A label of the page's own catalog for an id (`kind.guide`, `reason.later`), or the id itself. */
const label = (prefix: string, id: string) => {
  const key = `${prefix}.${id}` as Key
  const text = t(key)
  return text === key ? id : text
}

/** `guide:tour` → `tour`: the id the config gives the guide. */
const guideName = (x: ExperienceResult) => (x.id.startsWith('guide:') ? x.id.slice('guide:'.length) : x.id)

function Dismissed({ x }: { x: ExperienceResult }) {
  const reasons = Object.entries(x.dismissed.byReason)
  return (
    <>
      {formatNumber(x.dismissed.total)}
      {reasons.length > 0 && (
        <span class="hint reasons">
          {' '}
          ({reasons.map(([r, n]) => t('byReason', { reason: label('reason', r), n: formatNumber(n) })).join(', ')})
        </span>
      )}
    </>
  )
}

export function ExperiencesTable({ data }: { data: ExperienceResults }) {
  if (data.experiences.length === 0) return <p>{t('noExperiences')}</p>
  const num = (key: Key) => (
    <th scope="col" class="num">
      {t(key)}
    </th>
  )
  return (
    <TableWrap label={t('experiences')}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('experience')}</th>
            <th scope="col">{t('kind')}</th>
            {num('shown')}
            {num('completed')}
            {num('dismissed')}
            {num('users')}
            {num('accounts')}
          </tr>
        </thead>
        <tbody>
          {data.experiences.map((x) => (
            <tr key={`${x.id} ${x.kind}`}>
              <th scope="row">{x.id}</th>
              <td>{label('kind', x.kind)}</td>
              <td class="num">{formatNumber(x.shown)}</td>
              <td class="num">{formatNumber(x.completed)}</td>
              <td class="num">
                <Dismissed x={x} />
              </td>
              <td class="num">{formatNumber(x.users)}</td>
              <td class="num">{formatNumber(x.accounts)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  )
}

export function Guides({ data }: { data: ExperienceResults }) {
  const guides = data.experiences.filter((x) => x.kind === 'guide')
  if (guides.length === 0) return <p>{t('noGuides')}</p>
  return (
    <>
      {guides.map((g) => {
        const title = t('guide', { id: guideName(g) })
        return (
          <section key={g.id} aria-label={title}>
            <h3>{title}</h3>
            <p class="hint">
              {t('guideCounts', {
                shown: formatNumber(g.shown),
                users: formatNumber(g.users),
                completed: formatNumber(g.completed),
              })}
            </p>
            <FunnelChart title={title} steps={g.steps ?? []} />
          </section>
        )
      })}
    </>
  )
}

type ChecklistItem = NonNullable<ExperienceResult['items']>[number]

/** `window 1–3`, or `window day 0` when it is one day. */
const windowText = ([from, to]: readonly [number, number]) =>
  from === to
    ? t('windowDay', { day: formatNumber(from) })
    : t('window', { from: formatNumber(from), to: formatNumber(to) })

/**
 * `median day 4 (window 3–7)`: when the accounts did the item, against its window; `alert` when the
 * median is after the window's last day (said in words too).
 */
export function itemNote(i: ChecklistItem): { note: string; alert: boolean } {
  const window = windowText(i.window)
  if (i.medianDay === null) return { note: t('noMedian', { window }), alert: false }
  const late = i.medianDay > i.window[1]
  return { note: t(late ? 'medianLate' : 'median', { day: formatNumber(i.medianDay), window }), alert: late }
}

export function Checklist({ data }: { data: ExperienceResults }) {
  const lists = data.experiences.filter((x) => x.kind === 'checklist' && (x.items?.length ?? 0) > 0)
  if (lists.length === 0) return <p>{t('noChecklist')}</p>
  return (
    <>
      <p class="hint">{t('medianHint')}</p>
      {lists.map((c) => {
        const items = c.items ?? []
        // Every item counts of the same accounts: the ones the checklist reached in the range.
        const reached = Math.max(0, ...items.map((i) => i.accounts))
        const title = t('checklistTitle', { n: formatNumber(reached) })
        return (
          <BarChart
            key={c.id}
            title={title}
            valueLabel={t('done')}
            outOf={reached}
            noteLabel={t('whenDone')}
            items={items.map((i) => ({
              id: i.id,
              label: labelOf(common, 'milestone', i.id),
              value: i.done,
              ...itemNote(i),
            }))}
          />
        )
      })}
    </>
  )
}

/** The programs accepted, one row per program and experience that offered it (an advocacy ask, an NPS survey). */
export function Programs({ data }: { data: ExperienceResults }) {
  const rows = data.experiences.flatMap((x) => (x.programs ?? []).map((p) => ({ x, p })))
  if (rows.length === 0) return <p>{t('noPrograms')}</p>
  const num = (key: Key) => (
    <th scope="col" class="num">
      {t(key)}
    </th>
  )
  return (
    <>
      <p class="hint">{t('programsHint')}</p>
      <TableWrap label={t('programs')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('program')}</th>
              <th scope="col">{t('experience')}</th>
              <th scope="col">{t('kind')}</th>
              {num('accepted')}
              {num('users')}
              {num('accounts')}
            </tr>
          </thead>
          <tbody>
            {rows.map(({ x, p }) => (
              <tr key={`${x.id} ${x.kind} ${p.id}`}>
                <th scope="row">{label('program', p.id)}</th>
                <td>{x.id}</td>
                <td>{label('kind', x.kind)}</td>
                <td class="num">{formatNumber(p.accepted)}</td>
                <td class="num">{formatNumber(p.users)}</td>
                <td class="num">{formatNumber(p.accounts)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </>
  )
}

export function Nps({ data, model }: { data: NpsResults; model: ResultsModel }) {
  if (data.totalAnswers === 0) return <p>{t('noNps')}</p>
  const start = (day: string) => (data.interval === 'month' ? formatMonth(day) : formatDay(day))
  const shown = data.answers.slice(0, model.answersShown.value)
  const num = (key: Key) => (
    <th scope="col" class="num">
      {t(key)}
    </th>
  )
  return (
    <>
      <LineChart
        title={t(`npsLine.${data.interval}`)}
        points={data.series.map((s) => ({ date: s.start, value: s.score }))}
        min={-100}
        max={100}
        valueLabel={t('score')}
      />
      <TableWrap label={t(`npsLine.${data.interval}`)}>
        <table>
          <caption>{t(`npsLine.${data.interval}`)}</caption>
          <thead>
            <tr>
              <th scope="col">{t(`start.${data.interval}`)}</th>
              {num('score')}
              {num('responses')}
              {num('promoters')}
              {num('passives')}
              {num('detractors')}
            </tr>
          </thead>
          <tbody>
            {data.series.map((s) => (
              <tr key={s.start}>
                <th scope="row">{start(s.start)}</th>
                <td class="num">{formatNumber(s.score)}</td>
                <td class="num">{formatNumber(s.responses)}</td>
                <td class="num">{formatNumber(s.promoters)}</td>
                <td class="num">{formatNumber(s.passives)}</td>
                <td class="num">{formatNumber(s.detractors)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <h3>{t('answers')}</h3>
      <p role="status">
        {t('answersCount', { shown: formatNumber(shown.length), total: formatNumber(data.totalAnswers) })}
      </p>
      <TableWrap label={t('answers')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('when')}</th>
              <th scope="col">{t('account')}</th>
              <th scope="col">{t('user')}</th>
              {num('answerScore')}
              <th scope="col">{t('comment')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((a) => (
              <tr key={`${a.at} ${a.userId} ${a.accountId}`}>
                <th scope="row">{formatTime(a.at)}</th>
                <td>
                  <AccountLink id={a.accountId} />
                </td>
                <td>{a.userId}</td>
                <td class="num">{formatNumber(a.score)}</td>
                <td class="pre-line">{a.comment ?? <span class="hint">{t('noComment')}</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {shown.length < data.answers.length && (
        <button type="button" class="secondary" onClick={() => model.showMoreAnswers()}>
          {t('moreAnswers')}
        </button>
      )}
    </>
  )
}

/** A part of the page over one resource: its error with a retry, loading, or what `children` draws. */
function Part<T>({
  resource,
  retry,
  children,
}: {
  resource: Resource<T, [Query]>
  retry: () => void
  children: (data: T) => ComponentChildren
}) {
  const { data, error, loading } = resource
  if (error.value) return <LoadError error={error.value} retry={retry} />
  if (!data.value) return <Loading />
  return <div aria-busy={loading.value}>{children(data.value)}</div>
}

export default function ResultsPage() {
  const { api } = useServices()
  const { query, route } = useLocation()
  const filters = readQuery(RESULTS_FILTERS, query)
  const model = useMemo(() => createResultsModel(api), [api])
  const today = utcDay(Date.now())
  const range = rangeOf(filters, today)
  const key = JSON.stringify(filters)
  const [from, setFrom] = useState(range.from)
  const [to, setTo] = useState(range.to)
  useEffect(() => {
    void model.load(filters, today)
    setFrom(range.from)
    setTo(range.to)
  }, [key])

  const set = (change: Partial<Record<keyof ResultsFilters, string>>) =>
    route(resultsHref(paths.results, withFilter(filters, change)))
  const retry = () => void model.load(filters, today, true)
  const csv = csvUrls(api, filters, today)
  const opt = (prefix: string, ids: readonly string[]) =>
    ids.map((id) => ({ value: id, label: labelOf(common, prefix, id) }))
  // A range the API refused (a day in the future, from after to) is said at its field.
  const refused = model.experiences.error.value ?? model.nps.error.value
  const experiences = model.experiences.data.value

  return (
    <>
      <PageTitle title={t('title')}>{t('title')}</PageTitle>
      <p>{t('intro')}</p>
      <search aria-label={t('filters')}>
        <form
          class="filters"
          onSubmit={(e) => {
            e.preventDefault()
            set({ from, to })
          }}
        >
          <Field
            label={t('from')}
            type="date"
            name="from"
            required
            value={from}
            max={to}
            error={fieldError(refused, 'from')}
            onInput={(e) => setFrom(e.currentTarget.value)}
          />
          <Field
            label={t('to')}
            type="date"
            name="to"
            required
            value={to}
            min={from}
            max={today}
            error={fieldError(refused, 'to')}
            onInput={(e) => setTo(e.currentTarget.value)}
          />
          <button type="submit">{t('apply')}</button>
          <Select
            label={t('segment')}
            value={filters.segment ?? ''}
            empty={t('any')}
            options={opt('segment', SEGMENTS)}
            onChange={(v) => set({ segment: v })}
          />
          <Select
            label={t('phase')}
            value={filters.phase ?? ''}
            empty={t('any')}
            options={opt('phase', PHASES)}
            onChange={(v) => set({ phase: v })}
          />
          <Select
            label={t('interval')}
            value={filters.interval ?? NPS_INTERVALS[0]}
            options={NPS_INTERVALS.map((i) => ({ value: i, label: t(`interval.${i}`) }))}
            onChange={(v) => set({ interval: v === NPS_INTERVALS[0] ? '' : v })}
          />
          <a href={paths.results}>{t('clear')}</a>
        </form>
      </search>
      {experiences && (
        <p class="hint">{t('period', { from: formatDay(experiences.from), to: formatDay(experiences.to) })}</p>
      )}

      <div class="section-head">
        <h2>{t('experiences')}</h2>
        <a href={csv.experiences} download>
          {t('experiencesCsv')}
        </a>
      </div>
      <Part resource={model.experiences} retry={retry}>
        {(data) => (
          <>
            <ExperiencesTable data={data} />
            <h2>{t('guides')}</h2>
            <Guides data={data} />
            <h2>{t('checklist')}</h2>
            <Checklist data={data} />
            <h2>{t('programs')}</h2>
            <Programs data={data} />
          </>
        )}
      </Part>

      <div class="section-head">
        <h2>{t('nps')}</h2>
        <a href={csv.nps} download>
          {t('npsCsv')}
        </a>
      </div>
      <Part resource={model.nps} retry={retry}>
        {(data) => <Nps data={data} model={model} />}
      </Part>
    </>
  )
}
