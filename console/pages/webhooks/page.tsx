/**
 * Webhooks (webhooks.md): the endpoints, each one's recent deliveries with their status, and, for
 * admins, adding, pausing, resuming and removing endpoints and replaying a delivery. Everyone else
 * reads; the buttons are not offered (the API would refuse them too).
 */
import { useEffect, useMemo, useState } from 'preact/hooks'
import { useLocation } from 'preact-iso/router'
import { DELIVERY_STATUSES, WEBHOOK_EVENT_TYPES, WEBHOOK_FORMATS } from '../../../server/webhooks/types'
import { formatNumber, formatTime } from '../../format'
import { defineMessages, translator } from '../../i18n'
import { common } from '../../i18n/common'
import { paths } from '../../paths'
import { useServices } from '../../services'
import type { WebhookEndpoint } from '../../types'
import {
  Field,
  FormError,
  LoadError,
  Loading,
  PageTitle,
  TableWrap,
  Select,
  ShownOnce,
  fieldError,
} from '../../ui/parts'
import { oneOf, readQuery, text, toQuery } from '../../url'
import { createWebhooksModel } from './model'
import type { WebhooksModel } from './model'

const tc = translator(common)
const t = translator(
  defineMessages(
    {
      title: 'Webhooks',
      endpoints: 'Endpoints',
      none: 'No endpoint yet.',
      url: 'URL',
      events: 'Events',
      everyEvent: 'every event',
      format: 'Format',
      state: 'State',
      created: 'Created',
      actions: 'Actions',
      enabled: 'active',
      paused: 'paused',
      pause: 'Pause',
      resume: 'Resume',
      remove: 'Remove',
      confirmRemove: 'Remove the endpoint {url}? Its deliveries stop.',
      deliveries: 'Deliveries',
      deliveriesOf: 'Deliveries to {url}',
      showDeliveries: 'Deliveries',
      status: 'Status',
      anyStatus: 'Any status',
      type: 'Event',
      attempts: 'Attempts',
      last: 'Last answer',
      next: 'Next attempt',
      updated: 'Updated',
      replay: 'Replay',
      noDeliveries: 'No delivery.',
      add: 'Add an endpoint',
      addHint: 'Leave every event unticked to receive them all.',
      save: 'Add the endpoint',
      secret: 'Signing secret of the new endpoint',
      secretNote: 'Shown this once: keep it where your receiver verifies signatures.',
      'status.pending': 'pending',
      'status.delivered': 'delivered',
      'status.dead': 'failed for good',
    },
    {
      title: 'Webhooks',
      endpoints: 'Endpoints',
      none: 'Nenhum endpoint ainda.',
      url: 'URL',
      events: 'Eventos',
      everyEvent: 'todos os eventos',
      format: 'Formato',
      state: 'Estado',
      created: 'Criado',
      actions: 'Ações',
      enabled: 'ativo',
      paused: 'pausado',
      pause: 'Pausar',
      resume: 'Retomar',
      remove: 'Remover',
      confirmRemove: 'Remover o endpoint {url}? As entregas param.',
      deliveries: 'Entregas',
      deliveriesOf: 'Entregas para {url}',
      showDeliveries: 'Entregas',
      status: 'Situação',
      anyStatus: 'Qualquer situação',
      type: 'Evento',
      attempts: 'Tentativas',
      last: 'Última resposta',
      next: 'Próxima tentativa',
      updated: 'Atualizado',
      replay: 'Reenviar',
      noDeliveries: 'Nenhuma entrega.',
      add: 'Adicionar um endpoint',
      addHint: 'Deixe todos os eventos desmarcados para receber todos.',
      save: 'Adicionar o endpoint',
      secret: 'Segredo de assinatura do novo endpoint',
      secretNote: 'Mostrado só esta vez: guarde-o onde o receptor verifica as assinaturas.',
      'status.pending': 'pendente',
      'status.delivered': 'entregue',
      'status.dead': 'falhou de vez',
    },
  ),
)

const WEBHOOKS_VIEW = { endpoint: text(200), status: oneOf(DELIVERY_STATUSES) }
const statusLabel = (s: string) => t(`status.${s}` as Parameters<typeof t>[0])

function AddEndpoint({ model }: { model: WebhooksModel }) {
  const [url, setUrl] = useState('')
  const [events, setEvents] = useState<string[]>([])
  const [format, setFormat] = useState<'standard' | 'slack'>('standard')
  const error = model.create.error.value
  return (
    <form
      class="card"
      aria-labelledby="add-endpoint-h"
      onSubmit={async (e) => {
        e.preventDefault()
        await model.create.run({ url: url.trim(), format, ...(events.length ? { events } : {}) })
        if (!model.create.error.value) {
          setUrl('')
          setEvents([])
        }
      }}
    >
      <h2 id="add-endpoint-h">{t('add')}</h2>
      <FormError error={error} fields={['url', 'events', 'format']} />
      <Field
        label={t('url')}
        type="url"
        name="url"
        required
        value={url}
        error={fieldError(error, 'url')}
        onInput={(e) => setUrl(e.currentTarget.value)}
      />
      <fieldset>
        <legend>{t('events')}</legend>
        <p class="hint">{t('addHint')}</p>
        {WEBHOOK_EVENT_TYPES.map((type) => (
          <label key={type} class="row">
            <input
              type="checkbox"
              checked={events.includes(type)}
              onChange={(e) =>
                setEvents(e.currentTarget.checked ? [...events, type] : events.filter((x) => x !== type))
              }
            />
            <code>{type}</code>
          </label>
        ))}
        {fieldError(error, 'events') && <p class="field-error">{fieldError(error, 'events')}</p>}
      </fieldset>
      <Select
        label={t('format')}
        value={format}
        options={WEBHOOK_FORMATS.map((f) => ({ value: f, label: f }))}
        onChange={(v) => setFormat(v as 'standard' | 'slack')}
        error={fieldError(error, 'format')}
      />
      <button type="submit" disabled={model.create.busy.value}>
        {t('save')}
      </button>
    </form>
  )
}

function Endpoints({
  model,
  items,
  admin,
  selected,
}: {
  model: WebhooksModel
  items: readonly WebhookEndpoint[]
  admin: boolean
  selected?: string | undefined
}) {
  if (items.length === 0) return <p>{t('none')}</p>
  return (
    <TableWrap label={t('endpoints')}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('url')}</th>
            <th scope="col">{t('events')}</th>
            <th scope="col">{t('format')}</th>
            <th scope="col">{t('state')}</th>
            <th scope="col">{t('created')}</th>
            <th scope="col">{t('actions')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((w) => (
            <tr key={w.id}>
              <th scope="row">
                <code>{w.url}</code>
              </th>
              <td>{w.events ? w.events.join(', ') : t('everyEvent')}</td>
              <td>{w.format}</td>
              <td>{w.enabled ? t('enabled') : t('paused')}</td>
              <td>{formatTime(w.createdAt)}</td>
              <td class="row">
                <a
                  href={paths.webhooks + toQuery(WEBHOOKS_VIEW, { endpoint: w.id })}
                  aria-current={selected === w.id ? 'true' : undefined}
                >
                  {t('showDeliveries')}
                </a>
                {admin && (
                  <>
                    <button
                      type="button"
                      class="secondary"
                      disabled={model.setEnabled.busy.value}
                      onClick={() => void model.setEnabled.run(w.id, !w.enabled)}
                    >
                      {w.enabled ? t('pause') : t('resume')}
                    </button>
                    <button
                      type="button"
                      class="danger"
                      onClick={() => {
                        if (confirm(t('confirmRemove', { url: w.url }))) void model.remove.run(w.id)
                      }}
                    >
                      {t('remove')}
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  )
}

function Deliveries({
  model,
  endpoint,
  status,
  admin,
}: {
  model: WebhooksModel
  endpoint: WebhookEndpoint
  status?: string | undefined
  admin: boolean
}) {
  const { route } = useLocation()
  const { data, error } = model.deliveries
  const d = data.value
  return (
    <section aria-labelledby="deliveries-h">
      <h2 id="deliveries-h">{t('deliveriesOf', { url: endpoint.url })}</h2>
      <div class="filters">
        <Select
          label={t('status')}
          value={status ?? ''}
          empty={t('anyStatus')}
          options={DELIVERY_STATUSES.map((s) => ({ value: s, label: statusLabel(s) }))}
          onChange={(v) =>
            route(
              paths.webhooks +
                toQuery(WEBHOOKS_VIEW, { endpoint: endpoint.id, status: (v || undefined) as 'pending' | undefined }),
            )
          }
        />
      </div>
      <FormError error={model.replay.error.value} />
      {error.value ? (
        <LoadError error={error.value} retry={() => void model.loadDeliveries(endpoint.id, status)} />
      ) : !d ? (
        <Loading />
      ) : d.items.length === 0 ? (
        <p>{t('noDeliveries')}</p>
      ) : (
        <>
          <TableWrap label={t('deliveries')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('updated')}</th>
                  <th scope="col">{t('type')}</th>
                  <th scope="col">{t('status')}</th>
                  <th scope="col" class="num">
                    {t('attempts')}
                  </th>
                  <th scope="col">{t('last')}</th>
                  <th scope="col">{t('next')}</th>
                  {admin && <th scope="col">{t('actions')}</th>}
                </tr>
              </thead>
              <tbody>
                {d.items.map((x) => (
                  <tr key={x.id}>
                    <th scope="row">{formatTime(x.updatedAt)}</th>
                    <td>
                      <code>{x.type}</code>
                    </td>
                    <td>{statusLabel(x.status)}</td>
                    <td class="num">{formatNumber(x.attempts)}</td>
                    <td>
                      {x.lastStatus ?? ''} {x.lastError ?? x.lastResponse ?? ''}
                    </td>
                    <td>{formatTime(x.nextAttemptAt)}</td>
                    {admin && (
                      <td>
                        <button
                          type="button"
                          class="secondary"
                          disabled={model.replay.busy.value}
                          onClick={() => void model.replay.run(endpoint.id, x.id)}
                        >
                          {t('replay')}
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          {d.nextCursor && (
            <button type="button" class="secondary" onClick={() => void model.more()}>
              {tc('common.loadMore')}
            </button>
          )}
        </>
      )}
    </section>
  )
}

export default function WebhooksPage() {
  const { api, session } = useServices()
  const { query } = useLocation()
  const view = readQuery(WEBHOOKS_VIEW, query)
  const model = useMemo(() => createWebhooksModel(api), [api])
  const admin = session.can('admin')
  useEffect(() => void model.endpoints.load(), [model])
  useEffect(() => {
    if (view.endpoint) void model.loadDeliveries(view.endpoint, view.status)
  }, [model, view.endpoint, view.status])
  const { data, error } = model.endpoints
  const created = model.created.value
  const selected = data.value?.items.find((w) => w.id === view.endpoint)
  return (
    <>
      <PageTitle title={t('title')}>{t('title')}</PageTitle>
      {created && <ShownOnce label={t('secret')} value={created.secret} note={t('secretNote')} />}
      <FormError error={model.setEnabled.error.value ?? model.remove.error.value} />
      <h2>{t('endpoints')}</h2>
      {error.value ? (
        <LoadError error={error.value} retry={() => void model.endpoints.load()} />
      ) : data.value ? (
        <Endpoints model={model} items={data.value.items} admin={admin} selected={view.endpoint} />
      ) : (
        <Loading />
      )}
      {selected && <Deliveries model={model} endpoint={selected} status={view.status} admin={admin} />}
      {admin && <AddEndpoint model={model} />}
    </>
  )
}
