/**
 * What changed between two days: the API's diff (`/journey/diff`), never two snapshots compared
 * here. The health delta is shown per component, with the engine's reason for each.
 */
import { useEffect, useState } from 'preact/hooks'
import { formatDay, formatDelta, formatNumber, utcDay } from '../../format'
import { labelOf, translator } from '../../i18n'
import { common } from '../../i18n/common'
import type { JourneyDiff } from '../../types'
import { LoadError, Loading } from '../../ui/parts'
import { t } from './messages'
import type { AccountModel, AccountView } from './model'
import { Section } from './sections'

const tc = translator(common)

function Delta({ n }: { n: number }) {
  return <span class={n > 0 ? 'up' : n < 0 ? 'down' : undefined}>{formatDelta(n, 1)}</span>
}

export function DiffView({ diff }: { diff: JourneyDiff }) {
  if (!diff.changed) return <p>{t('noChange')}</p>
  const h = diff.health
  return (
    <>
      <ul>
        {diff.summary.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <p>
        <strong>
          {t('healthDelta', { from: formatNumber(h.from), to: formatNumber(h.to), delta: formatDelta(h.delta, 1) })}
        </strong>
        {h.band &&
          ` · ${t('bandChange', { from: labelOf(common, 'band', h.band.from), to: labelOf(common, 'band', h.band.to) })}`}
      </p>
      {h.components.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('component')}</th>
              <th scope="col" class="num">
                {t('from')}
              </th>
              <th scope="col" class="num">
                {t('to')}
              </th>
              <th scope="col" class="num">
                {t('delta')}
              </th>
              <th scope="col">{tc('common.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {h.components.map((c) => (
              <tr key={c.id}>
                <th scope="row">{labelOf(common, 'component', c.id)}</th>
                <td class="num">{formatNumber(c.from, 1)}</td>
                <td class="num">{formatNumber(c.to, 1)}</td>
                <td class="num">
                  <Delta n={c.delta} />
                </td>
                <td>{c.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {diff.phase && (
        <p>
          {labelOf(common, 'phase', diff.phase.from)} → {labelOf(common, 'phase', diff.phase.to)}: {diff.phase.reason}
        </p>
      )}
      {diff.redFlags.raised.length > 0 && (
        <>
          <h3>{t('flagsRaised')}</h3>
          <ul>
            {diff.redFlags.raised.map((f) => (
              <li key={f.id}>
                {labelOf(common, 'flag', f.id)} ({formatDay(f.since)}): {f.reason}
              </li>
            ))}
          </ul>
        </>
      )}
      {diff.redFlags.cleared.length > 0 && (
        <>
          <h3>{t('flagsCleared')}</h3>
          <ul>
            {diff.redFlags.cleared.map((f) => (
              <li key={f.id}>
                {labelOf(common, 'flag', f.id)}: {f.reason}
              </li>
            ))}
          </ul>
        </>
      )}
      {diff.milestones.length > 0 && (
        <>
          <h3>{t('milestonesChanged')}</h3>
          <ul>
            {diff.milestones.map((m) => (
              <li key={m.id}>
                {labelOf(common, 'milestone', m.id)}: {labelOf(common, 'status', m.from)} →{' '}
                {labelOf(common, 'status', m.to)} ({m.reason})
              </li>
            ))}
          </ul>
        </>
      )}
      {diff.adoption && (
        <p>
          {t('adoption')}: {diff.adoption.from} → {diff.adoption.to} ({diff.adoption.reason})
        </p>
      )}
      {diff.expansion && (
        <p>
          {t('expansion')}: {diff.expansion.to ? t('ready') : t('notReady')} ({diff.expansion.reason})
        </p>
      )}
    </>
  )
}

/** Seven days before the day shown: what a CSM asks first ("what changed this week?"). */
const WEEK = 7 * 86_400_000

export function DiffSection({
  model,
  view,
  onCompare,
}: {
  model: AccountModel
  view: AccountView
  onCompare: (from: string, to: string | undefined) => void
}) {
  const today = utcDay(Date.now())
  const end = view.to ?? view.at ?? today
  const [from, setFrom] = useState(view.from ?? utcDay(Date.parse(`${end}T00:00:00Z`) - WEEK))
  const [to, setTo] = useState(end)
  useEffect(() => {
    if (view.from) setFrom(view.from)
    if (view.to) setTo(view.to)
  }, [view.from, view.to])
  const { data, error, loading } = model.diff
  return (
    <Section id="changed" title={t('changed')}>
      <p class="hint">{t('changedHint')}</p>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault()
          onCompare(from, to === today ? undefined : to)
        }}
      >
        <div class="field">
          <label for="diff-from">{t('from')}</label>
          <input
            id="diff-from"
            type="date"
            required
            max={to}
            value={from}
            onInput={(e) => setFrom(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="diff-to">{t('to')}</label>
          <input
            id="diff-to"
            type="date"
            required
            min={from}
            max={today}
            value={to}
            onInput={(e) => setTo(e.currentTarget.value)}
          />
        </div>
        <button type="submit">{t('compare')}</button>
      </form>
      {view.from &&
        (error.value ? (
          <LoadError error={error.value} />
        ) : loading.value || !data.value ? (
          <Loading />
        ) : (
          <div aria-live="polite">
            <p class="hint">
              {formatDay(data.value.fromAt)} → {formatDay(data.value.toAt)}
            </p>
            <DiffView diff={data.value} />
          </div>
        ))}
    </Section>
  )
}
