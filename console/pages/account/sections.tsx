/** The journey state's parts, one section each, every number beside the engine's reason for it. */
import type { ComponentChildren } from 'preact'
import { MilestoneTimeline } from '../../charts/timeline'
import { formatDay, formatNumber, formatTime } from '../../format'
import { labelOf, translator } from '../../i18n'
import { common } from '../../i18n/common'
import type { JourneyState, Qbr } from '../../types'
import { Reason } from '../../ui/parts'
import { t } from './messages'
import type { AccountKey } from './messages'

const tc = translator(common)
type Feedback = Qbr['currentSituation']['feedback']

/** A section with its heading, reachable from the page's table of contents by its id. */
export function Section({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section id={id} aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{title}</h2>
      {children}
    </section>
  )
}

const yes = (b: boolean) => (b ? tc('common.yes') : tc('common.no'))
const label = (prefix: string, id: string) => t(`${prefix}.${id}` as AccountKey)

/** A list of checks (signals, blockers, criteria): met or not, and why. */
function Checks({
  caption,
  items,
}: {
  caption: string
  items: readonly { id: string; met: boolean; reason: string }[]
}) {
  if (items.length === 0) return null
  return (
    // Fixed columns: the criteria tables of one section stack, and line up.
    <table class="criteria">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('criterion')}</th>
          <th scope="col">{t('met')}</th>
          <th scope="col">{tc('common.reason')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((c) => (
          <tr key={c.id}>
            <th scope="row">
              <code>{c.id}</code>
            </th>
            <td>{yes(c.met)}</td>
            <td>{c.reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

export function MilestonesSection({ state }: { state: JourneyState }) {
  return (
    <Section id="milestones" title={t('milestones')}>
      <p>{state.timeToFirstValue !== null ? t('ttfv', { n: state.timeToFirstValue }) : t('ttfvNone')}</p>
      <MilestoneTimeline title={t('milestones')} milestones={state.milestones} day={state.day} />
      <ul>
        {state.milestones.map((m) => (
          <li key={m.id}>
            <strong>{labelOf(common, 'milestone', m.id)}</strong> ({labelOf(common, 'status', m.status)}
            {m.completedAt ? `, ${formatDay(m.completedAt)}` : ''}): {m.reason}
          </li>
        ))}
      </ul>
    </Section>
  )
}

export function RedFlagsSection({ state }: { state: JourneyState }) {
  return (
    <Section id="red-flags" title={t('redFlags')}>
      {state.redFlags.length === 0 ? (
        <p>{t('noFlags')}</p>
      ) : (
        <ul>
          {state.redFlags.map((f) => (
            <li key={f.id}>
              <span class="flag">{labelOf(common, 'flag', f.id)}</span> {t('since', { date: formatDay(f.since) })}
              <Reason>{f.reason}</Reason>
            </li>
          ))}
        </ul>
      )}
    </Section>
  )
}

export function AdoptionSection({ state }: { state: JourneyState }) {
  const a = state.adoption
  return (
    <Section id="adoption" title={t('adoption')}>
      <p>
        {t('adoptionLevel', { level: label('adoption', a.level) })} · {t('activeUsers', { n: a.activeUsers })}
      </p>
      <Reason>{a.reason}</Reason>
      {a.checks.map((c) => (
        <Checks key={c.level} caption={`${label('adoption', c.level)}: ${yes(c.met)}`} items={c.criteria} />
      ))}
      <p>
        {t('features', { n: a.featureCount })}: {a.featuresUsed.length ? a.featuresUsed.join(', ') : tc('common.none')}
      </p>
    </Section>
  )
}

export function NpsSection({ state, feedback }: { state: JourneyState; feedback: Feedback | null }) {
  const n = state.nps
  return (
    <Section id="nps" title={t('nps')}>
      <p class="big">{formatNumber(n.score)}</p>
      <p>
        {t('npsCounts', {
          responses: n.responses,
          promoters: n.promoters,
          passives: n.passives,
          detractors: n.detractors,
        })}
      </p>
      <Reason>{n.reason}</Reason>
      <h3>{t('answers')}</h3>
      {!feedback || feedback.comments.length === 0 ? (
        <p>{t('noAnswers')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('user')}</th>
              <th scope="col" class="num">
                {t('score')}
              </th>
              <th scope="col">{t('comment')}</th>
              <th scope="col">{t('at')}</th>
            </tr>
          </thead>
          <tbody>
            {feedback.comments.map((c) => (
              <tr key={`${c.userId}-${c.at}`}>
                <th scope="row">{c.userId ?? '–'}</th>
                <td class="num">{formatNumber(c.score)}</td>
                <td>{c.comment}</td>
                <td>{formatDay(c.at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  )
}

export function ExpansionSection({ state }: { state: JourneyState }) {
  const e = state.expansion
  return (
    <Section id="expansion" title={t('expansion')}>
      <p>
        <strong>{e.ready ? t('ready') : t('notReady')}</strong>
      </p>
      <Reason>{e.reason}</Reason>
      <Checks caption={t('signals')} items={e.signals} />
      <Checks caption={t('blockers')} items={e.blockers} />
      {e.opportunities.length > 0 && (
        <>
          <h3>{t('opportunities')}</h3>
          <ul>
            {e.opportunities.map((o) => (
              <li key={o.id}>
                <code>{o.id}</code>: {o.reason}
              </li>
            ))}
          </ul>
        </>
      )}
    </Section>
  )
}

export function RenewalSection({ state }: { state: JourneyState }) {
  const r = state.renewal
  return (
    <Section id="renewal" title={t('renewal')}>
      <p>
        {r.renewalDate
          ? t('renewalOn', { date: formatDay(r.renewalDate), n: formatNumber(r.daysToRenewal) })
          : t('noRenewal')}
      </p>
      <Reason>{r.reason}</Reason>
      {r.tasks.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('task')}</th>
              <th scope="col">{t('due')}</th>
              <th scope="col">{t('status')}</th>
              <th scope="col">{t('channel')}</th>
              <th scope="col">{t('owner')}</th>
              <th scope="col">{tc('common.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {r.tasks.map((task) => (
              <tr key={task.id}>
                <th scope="row">{task.label}</th>
                <td>{formatDay(task.due)}</td>
                <td>{labelOf(common, 'status', task.status)}</td>
                <td>{labelOf(common, 'channel', task.channel)}</td>
                <td>{labelOf(common, 'owner', task.owner)}</td>
                <td>{task.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  )
}

export function AdvocacySection({ state }: { state: JourneyState }) {
  const a = state.advocacy
  return (
    <Section id="advocacy" title={t('advocacy')}>
      <p>
        {a.level ? t('advocacyLevel', { level: label('level', a.level) }) : t('noLevel')}
        {a.score !== null && ` (${formatNumber(a.score)})`}
      </p>
      <Reason>{a.reason}</Reason>
      {a.recovery && <p>{t('recovery')}</p>}
      {a.programs.length > 0 && (
        <>
          <h3>{t('programs')}</h3>
          <ul>
            {a.programs.map((p) => (
              <li key={p.id}>
                <code>{p.id}</code>: {p.benefit}
              </li>
            ))}
          </ul>
        </>
      )}
    </Section>
  )
}

export function InterventionsSection({ state }: { state: JourneyState }) {
  return (
    <Section id="interventions" title={t('interventions')}>
      {state.interventions.length === 0 ? (
        <p>{t('noInterventions')}</p>
      ) : (
        <ul>
          {state.interventions.map((i) => (
            <li key={`${i.situation}-${i.action}`}>
              <strong>
                <code>{i.situation}</code> → <code>{i.action}</code>
              </strong>{' '}
              ({labelOf(common, 'channel', i.channel)}, {labelOf(common, 'owner', i.owner)}
              {i.feature ? `, ${i.feature}` : ''}): {i.message}
              <Reason>{i.reason}</Reason>
            </li>
          ))}
        </ul>
      )}
    </Section>
  )
}

export function TouchpointsSection({ state }: { state: JourneyState }) {
  return (
    <Section id="touchpoints" title={t('touchpoints')}>
      {state.touchpoints.length === 0 ? (
        <p>{t('noTouchpoints')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('task')}</th>
              <th scope="col">{t('due')}</th>
              <th scope="col">{t('status')}</th>
              <th scope="col">{t('channel')}</th>
              <th scope="col">{t('owner')}</th>
              <th scope="col">{tc('common.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {state.touchpoints.map((p) => (
              <tr key={p.id}>
                <th scope="row">{p.label}</th>
                <td>{formatDay(p.due)}</td>
                <td>{label('touch', p.status)}</td>
                <td>{labelOf(common, 'channel', p.channel)}</td>
                <td>{labelOf(common, 'owner', p.owner)}</td>
                <td>{p.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  )
}

export function MomentsSection({ state }: { state: JourneyState }) {
  return (
    <Section id="moments" title={t('moments')}>
      {state.moments.length === 0 ? (
        <p>{t('noMoments')}</p>
      ) : (
        <ul>
          {state.moments.map((m) => (
            <li key={`${m.id}-${m.at}`}>
              <strong>
                <code>{m.id}</code>
              </strong>{' '}
              {formatTime(m.at)} ({tc('common.day', { n: m.day })})
              <dl class="facts">
                <dt>{t('outcome')}</dt>
                <dd>{m.outcome}</dd>
                <dt>{t('risk')}</dt>
                <dd>{m.risk}</dd>
                <dt>{t('opportunity')}</dt>
                <dd>{m.opportunity}</dd>
              </dl>
            </li>
          ))}
        </ul>
      )}
    </Section>
  )
}
