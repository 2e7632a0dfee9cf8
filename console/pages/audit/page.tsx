/**
 * Audit log (console.md, "Audit log"): every change, by a member or a key, with before and after;
 * sign-ins and failed sign-ins too. Filters by actor, action and days, held in the URL.
 */
import { useEffect, useMemo, useState } from 'preact/hooks'
import { useLocation } from 'preact-iso/router'
import { formatTime } from '../../format'
import { defineMessages, translator } from '../../i18n'
import { common } from '../../i18n/common'
import { paths } from '../../paths'
import { useServices } from '../../services'
import type { AuditEntry } from '../../types'
import { LoadError, Loading, PageTitle, TableWrap } from '../../ui/parts'
import { readQuery, toQuery } from '../../url'
import { AUDIT_FILTERS, createAuditModel } from './model'
import type { AuditFilters } from './model'

const tc = translator(common)
const t = translator(
  defineMessages(
    {
      title: 'Audit log',
      actor: 'Actor (member id or email)',
      action: 'Action',
      from: 'From',
      to: 'To',
      filter: 'Filter',
      clear: 'Clear filters',
      at: 'When',
      who: 'Who',
      what: 'Action',
      target: 'Target',
      change: 'Before → after',
      key: 'a key',
      none: 'No entry.',
      before: 'Before',
      after: 'After',
    },
    {
      title: 'Registro de auditoria',
      actor: 'Quem (id ou e-mail do membro)',
      action: 'Ação',
      from: 'De',
      to: 'Até',
      filter: 'Filtrar',
      clear: 'Limpar filtros',
      at: 'Quando',
      who: 'Quem',
      what: 'Ação',
      target: 'Alvo',
      change: 'Antes → depois',
      key: 'uma chave',
      none: 'Nenhum registro.',
      before: 'Antes',
      after: 'Depois',
    },
  ),
)

const json = (v: unknown) => JSON.stringify(v, null, 1)

function Change({ e }: { e: AuditEntry }) {
  if (e.before === undefined && e.after === undefined) return <>–</>
  return (
    <details>
      <summary>
        {e.before !== undefined ? t('before') : ''}
        {e.before !== undefined && e.after !== undefined ? ' → ' : ''}
        {e.after !== undefined ? t('after') : ''}
      </summary>
      {e.before !== undefined && (
        <>
          <p class="hint">{t('before')}</p>
          <pre class="json">{json(e.before)}</pre>
        </>
      )}
      {e.after !== undefined && (
        <>
          <p class="hint">{t('after')}</p>
          <pre class="json">{json(e.after)}</pre>
        </>
      )}
    </details>
  )
}

export function AuditTable({ items }: { items: readonly AuditEntry[] }) {
  if (items.length === 0) return <p>{t('none')}</p>
  return (
    <TableWrap label={t('title')}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('at')}</th>
            <th scope="col">{t('who')}</th>
            <th scope="col">{t('what')}</th>
            <th scope="col">{t('target')}</th>
            <th scope="col">{t('change')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((e) => (
            <tr key={e.id}>
              <th scope="row">{formatTime(e.at)}</th>
              <td>{e.actor.kind === 'key' ? `${t('key')} (${e.actor.id})` : (e.actor.email ?? e.actor.id)}</td>
              <td>
                <code>{e.action}</code>
              </td>
              <td>{e.target}</td>
              <td>
                <Change e={e} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  )
}

export default function AuditPage() {
  const { api } = useServices()
  const { query, route } = useLocation()
  const filters = readQuery(AUDIT_FILTERS, query)
  const key = JSON.stringify(filters)
  const model = useMemo(() => createAuditModel(api), [api])
  const [draft, setDraft] = useState<AuditFilters>(filters)
  useEffect(() => {
    setDraft(filters)
    void model.load(filters)
  }, [model, key])
  const { data, error } = model.log
  const set = (k: keyof AuditFilters) => (e: { currentTarget: HTMLInputElement }) =>
    setDraft({ ...draft, [k]: e.currentTarget.value || undefined })
  return (
    <>
      <PageTitle title={t('title')}>{t('title')}</PageTitle>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault()
          route(paths.audit + toQuery(AUDIT_FILTERS, readQuery(AUDIT_FILTERS, toQuery(AUDIT_FILTERS, draft))))
        }}
      >
        <div class="field">
          <label for="audit-actor">{t('actor')}</label>
          <input id="audit-actor" value={draft.actor ?? ''} onInput={set('actor')} />
        </div>
        <div class="field">
          <label for="audit-action">{t('action')}</label>
          <input id="audit-action" value={draft.action ?? ''} onInput={set('action')} />
        </div>
        <div class="field">
          <label for="audit-from">{t('from')}</label>
          <input id="audit-from" type="date" value={draft.from ?? ''} onInput={set('from')} />
        </div>
        <div class="field">
          <label for="audit-to">{t('to')}</label>
          <input id="audit-to" type="date" value={draft.to ?? ''} onInput={set('to')} />
        </div>
        <button type="submit">{t('filter')}</button>
        <a href={paths.audit}>{t('clear')}</a>
      </form>
      {error.value ? (
        <LoadError error={error.value} retry={() => void model.load(filters)} />
      ) : !data.value ? (
        <Loading />
      ) : (
        <>
          <AuditTable items={data.value.items} />
          {data.value.nextCursor && (
            <button type="button" class="secondary" onClick={() => void model.more()}>
              {tc('common.loadMore')}
            </button>
          )}
        </>
      )}
    </>
  )
}
