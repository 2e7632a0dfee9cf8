/** @jsxRuntime classic */ /** @jsx h */ /** @jsxFrag Fragment */
import { Fragment, h } from 'preact'
import type { ChecklistExperience, ChecklistItem } from '../../wire'
import { Close, CtaButton, Reason } from '../controls'
import type { Model } from '../model'
import { isDone } from './items'

/**
 * The onboarding checklist (inline lane): the milestones with their status and due date, a call to
 * action on the open ones. Never takes focus. `inPanel`: inside the launcher, without its own card.
 */
export function Checklist({ m, exp, inPanel }: { m: Model; exp: ChecklistExperience; inPanel?: boolean }) {
  const { t } = m.i18n
  const tracked = m.tracked.value
  const items = exp.items || []
  const done = items.filter((i) => isDone(i, tracked)).length
  const body = (
    <>
      <p>{done == items.length ? t('checklist.complete') : t('checklist.progress', { done, total: items.length })}</p>
      <ul class="ls" part="checklist">
        {items.map((item) => (
          <Item key={item.id} m={m} exp={exp} item={item} done={isDone(item, tracked)} />
        ))}
      </ul>
    </>
  )
  if (inPanel) return body
  return (
    <aside class="c ck" part="panel" aria-labelledby={'jc-' + exp.id}>
      <Close label={t('dismiss')} onClick={() => m.dismiss(exp)} />
      <h2 id={'jc-' + exp.id} part="title">
        {t('checklist.title')}
      </h2>
      {body}
      <Reason m={m} exp={exp} />
    </aside>
  )
}

function Item({ m, exp, item, done }: { m: Model; exp: ChecklistExperience; item: ChecklistItem; done: boolean }) {
  const { t, date } = m.i18n
  const title = item.title || t('milestone.' + item.id, undefined, item.id)
  const status = done ? (item.status == 'done_late' ? 'done_late' : 'done') : item.status
  const click = () => m.send('checklist_item_clicked', exp, { item: item.id })
  return (
    <li part="item" class={status}>
      <span class="ic" aria-hidden="true">
        {done ? '✓' : status == 'overdue' ? '!' : ''}
      </span>
      <div>
        {item.cta && !done ? (
          <CtaButton m={m} url={item.cta.url} guide={item.cta.guide} label={title} onClick={click} look="lk" />
        ) : (
          <div>{title}</div>
        )}
        <div class="st">{t('status.' + status, { date: date(item.dueDate, true) })}</div>
      </div>
    </li>
  )
}
