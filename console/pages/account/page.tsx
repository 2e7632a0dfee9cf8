/**
 * An account (console.md, "Pages"): the whole journey state with every reason, its health over 90
 * days, its users and events; as of any past day (`?at=`, the whole state re-read for that day);
 * what changed between two days (`?from=&to=`); the override form for CSMs and above; links to the
 * value statement, the printable QBR and the value email.
 */
import { useEffect, useMemo, useState } from 'preact/hooks'
import { useLocation, useRoute } from 'preact-iso/router'
import { ApiError } from '../../api'
import { HealthBars } from '../../charts/health'
import { LineChart } from '../../charts/line'
import { formatDay, formatNumber, utcDay } from '../../format'
import { labelOf } from '../../i18n'
import { common } from '../../i18n/common'
import { accountPath, valuePath } from '../../paths'
import { useServices } from '../../services'
import type { JourneyState } from '../../types'
import { BandBadge, LoadError, Loading, PageTitle, Reason } from '../../ui/parts'
import { readQuery, toQuery } from '../../url'
import { ActivitySection } from './activity'
import { DiffSection } from './diff'
import { t } from './messages'
import { ACCOUNT_VIEW, HISTORY_DAYS, createAccountModel } from './model'
import type { AccountModel, AccountView } from './model'
import { PhaseSection } from './override'
import {
  AdoptionSection,
  AdvocacySection,
  ExpansionSection,
  InterventionsSection,
  MilestonesSection,
  MomentsSection,
  NpsSection,
  RedFlagsSection,
  RenewalSection,
  Section,
  TouchpointsSection,
} from './sections'

const TOC: readonly [string, Parameters<typeof t>[0]][] = [
  ['phase', 'phase'],
  ['health', 'health'],
  ['changed', 'changed'],
  ['milestones', 'milestones'],
  ['red-flags', 'redFlags'],
  ['adoption', 'adoption'],
  ['nps', 'nps'],
  ['expansion', 'expansion'],
  ['renewal', 'renewal'],
  ['advocacy', 'advocacy'],
  ['interventions', 'interventions'],
  ['touchpoints', 'touchpoints'],
  ['moments', 'moments'],
  ['users', 'users'],
  ['events', 'events'],
]

function AsOf({ view, onChange }: { view: AccountView; onChange: (at: string | undefined) => void }) {
  const today = utcDay(Date.now())
  const [at, setAt] = useState(view.at ?? today)
  useEffect(() => setAt(view.at ?? today), [view.at])
  return (
    <form
      class="filters"
      onSubmit={(e) => {
        e.preventDefault()
        onChange(at && at !== today ? at : undefined)
      }}
    >
      <div class="field">
        <label for="as-of">{t('asOf')}</label>
        <input
          id="as-of"
          type="date"
          max={today}
          required
          value={at}
          aria-describedby="as-of-hint"
          onInput={(e) => setAt(e.currentTarget.value)}
        />
      </div>
      <button type="submit">{t('show')}</button>
      {view.at && (
        <button type="button" class="secondary" onClick={() => onChange(undefined)}>
          {t('backToNow')}
        </button>
      )}
      <p class="hint" id="as-of-hint">
        {t('asOfHint')}
      </p>
    </form>
  )
}

function HealthSection({ state, model, view }: { state: JourneyState; model: AccountModel; view: AccountView }) {
  const h = state.health
  const history = model.history
  return (
    <Section id="health" title={t('health')}>
      <p class="big">
        {formatNumber(h.score)} <BandBadge band={h.band} />
      </p>
      <Reason>{h.reason}</Reason>
      <HealthBars
        title={t('components')}
        health={h}
        leftOut={t('missing')}
        line={(c) =>
          t('componentLine', {
            value: formatNumber(c.value),
            weight: `${formatNumber(c.weight * 100)}%`,
            contribution: formatNumber(c.contribution, 1),
          })
        }
      />
      <h3>{t('history', { n: HISTORY_DAYS })}</h3>
      {history.error.value ? (
        <LoadError optional error={history.error.value} retry={() => void history.load()} />
      ) : history.data.value ? (
        <LineChart
          title={t('history', { n: HISTORY_DAYS })}
          points={history.data.value.points.map((p) => ({ date: p.date, value: p.score, tone: p.band }))}
          min={0}
          max={100}
          valueLabel={t('healthScore')}
          marker={view.at}
        />
      ) : (
        <Loading />
      )}
    </Section>
  )
}

function Journey({
  state,
  model,
  view,
  go,
}: {
  state: JourneyState
  model: AccountModel
  view: AccountView
  go: (v: AccountView) => void
}) {
  const { api, session } = useServices()
  const feedback = model.feedback.data.value
  return (
    <>
      <dl class="facts">
        <dt>{t('segment')}</dt>
        <dd>{labelOf(common, 'segment', state.segment)}</dd>
        <dt>{t('day')}</dt>
        <dd>{formatNumber(state.day)}</dd>
        <dt>{t('contractStart')}</dt>
        <dd>
          {formatDay(state.contractStart)} <span class="hint">({t(`source.${state.contractStartSource}`)})</span>
        </dd>
      </dl>
      <AsOf view={view} onChange={(at) => go({ ...view, at })} />
      <nav aria-label={t('links')} class="row">
        <a href={valuePath(model.id)}>{t('valueStatement')}</a>
        <a
          href={api.url(`/v1/accounts/${encodeURIComponent(model.id)}/qbr`, { format: 'html', at: view.at })}
          target="_blank"
          rel="noopener"
        >
          {t('qbr')} <span class="visually-hidden">{t('newTab')}</span>
        </a>
        <a href={`${valuePath(model.id)}#email`}>{t('valueEmail')}</a>
      </nav>
      <nav aria-label={t('onThisPage')}>
        <details>
          <summary>{t('onThisPage')}</summary>
          <ul class="row">
            {TOC.map(([id, key]) => (
              <li key={id}>
                <a href={`#${id}`}>{t(key)}</a>
              </li>
            ))}
          </ul>
        </details>
      </nav>
      <PhaseSection state={state} model={model} canOverride={session.can('csm')} asOfNow={!view.at} />
      <HealthSection state={state} model={model} view={view} />
      <DiffSection model={model} view={view} onCompare={(from, to) => go({ ...view, from, to })} />
      <MilestonesSection state={state} />
      <RedFlagsSection state={state} />
      <AdoptionSection state={state} />
      <NpsSection state={state} feedback={feedback} />
      <ExpansionSection state={state} />
      <RenewalSection state={state} />
      <AdvocacySection state={state} />
      <InterventionsSection state={state} />
      <TouchpointsSection state={state} />
      <MomentsSection state={state} />
      {model.activity.data.value ? (
        <ActivitySection activity={model.activity.data.value} />
      ) : (
        // Under the users' heading, so that the error or the wait says which part it is about.
        <Section id="users" title={t('users')}>
          {model.activity.error.value ? (
            <LoadError optional error={model.activity.error.value} retry={() => void model.activity.load()} />
          ) : (
            <Loading />
          )}
        </Section>
      )}
    </>
  )
}

export default function AccountPage() {
  const { api } = useServices()
  const { params } = useRoute()
  const { query, route } = useLocation()
  const id = params.id ?? ''
  const view = readQuery(ACCOUNT_VIEW, query)
  const model = useMemo(() => createAccountModel(api, id), [api, id])
  const [first, setFirst] = useState<AccountModel | null>(null)
  const viewKey = JSON.stringify(view)
  useEffect(() => {
    void model.load(view, first !== model)
    setFirst(model)
  }, [model, viewKey])

  const go = (next: AccountView) => route(accountPath(id) + toQuery(ACCOUNT_VIEW, next))
  const name = model.name.data.value ?? id
  const { data, error } = model.journey
  const title = t('title', { name })
  return (
    <>
      <PageTitle title={title}>
        {name}
        {name !== id && <span class="hint"> {id}</span>}
      </PageTitle>
      <p class="hint" aria-live="polite">
        {view.at ? t('asOfDay', { date: formatDay(view.at) }) : t('asOfNow')}
      </p>
      {error.value ? (
        error.value instanceof ApiError && error.value.status === 404 ? (
          <p role="alert">{t('notFound', { id })}</p>
        ) : (
          <LoadError error={error.value} retry={() => void model.journey.load(view.at)} />
        )
      ) : data.value ? (
        <Journey state={data.value} model={model} view={view} go={go} />
      ) : (
        <Loading />
      )}
    </>
  )
}
