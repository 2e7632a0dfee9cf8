/**
 * The value statement: its period and phases, the minutes each event saves, the metrics it reports
 * (label per locale, which way is better), and the hourly rate, price and currency of the ROI.
 * The events and the metrics are written whole on every change, as the guides are.
 */
import { Field, Select } from '../../../ui/parts'
import { fromInput, toInput } from '../config-doc'
import { t } from '../messages'
import type { ContentModel } from '../model'
import { clean, current, DocField, Group, issueAt, LocalizedText, PhaseBoxes, setValue } from './fields'
import type { Localized } from './fields'

interface Metric {
  id?: string
  label?: Localized
  better?: string
}

function MinutesSaved({ model }: { model: ContentModel }) {
  const path = 'value.minutesSaved'
  const rows = Object.entries((current(model, path) ?? {}) as Record<string, unknown>)
  const write = (next: [string, unknown][]) => setValue(model, path, Object.fromEntries(next))
  return (
    <Group model={model} path={path} legend={t('value.minutesSaved')}>
      <p class="hint">{t('value.minutesSavedHint')}</p>
      {rows.map(([event, minutes], i) => {
        // One path for the name and its minutes: the issue goes where the value is wrong.
        const issue = issueAt(model, `${path}.${event}`)
        const badMinutes = typeof minutes !== 'number' || !(minutes >= 0)
        return (
          <div key={i} class="cards">
            <Field
              label={t('value.event', { n: i + 1 })}
              value={event}
              error={badMinutes ? undefined : issue}
              onInput={(e) => write(rows.map((r, j) => (j === i ? [e.currentTarget.value, r[1]] : r)))}
            />
            <Field
              label={t('value.minutes', { n: i + 1 })}
              type="number"
              value={toInput(minutes)}
              error={badMinutes ? issue : undefined}
              onInput={(e) =>
                write(rows.map((r, j) => (j === i ? [r[0], fromInput('number', e.currentTarget.value)] : r)))
              }
            />
            <button type="button" class="danger" onClick={() => write(rows.filter((_, j) => j !== i))}>
              {t('value.removeEvent', { n: i + 1 })}
            </button>
          </div>
        )
      })}
      <button type="button" onClick={() => write([...rows, [`event_${rows.length + 1}`, 5]])}>
        {t('value.addEvent')}
      </button>
    </Group>
  )
}

function Metrics({ model }: { model: ContentModel }) {
  const path = 'value.metrics'
  const metrics = ((current(model, path) ?? []) as Metric[]).map((m) => ({ ...m }))
  const write = (next: Metric[]) => setValue(model, path, next)
  const set = (i: number, patch: Partial<Metric>) =>
    write(metrics.map((m, j) => (j === i ? clean({ ...m, ...patch }) : m)))
  return (
    <Group model={model} path={path} legend={t('value.metrics')}>
      <p class="hint">{t('value.metricsHint')}</p>
      {metrics.map((m, i) => (
        <div key={i} class="card">
          <div class="cards">
            <Field
              label={t('value.metricId', { n: i + 1 })}
              value={toInput(m.id)}
              error={issueAt(model, `${path}.${i}.id`)}
              onInput={(e) => set(i, { id: fromInput('text', e.currentTarget.value) as string })}
            />
            <Select
              label={t('value.better', { n: i + 1 })}
              value={m.better ?? 'higher'}
              options={(['higher', 'lower'] as const).map((b) => ({ value: b, label: t(`value.${b}`) }))}
              error={issueAt(model, `${path}.${i}.better`)}
              onChange={(v) => set(i, { better: v })}
            />
          </div>
          <LocalizedText
            model={model}
            path={`${path}.${i}.label`}
            label={t('value.metricLabel', { n: i + 1 })}
            value={m.label}
            onChange={(v) => set(i, { label: v })}
          />
          <button type="button" class="danger" onClick={() => write(metrics.filter((_, j) => j !== i))}>
            {t('value.removeMetric', { n: i + 1 })}
          </button>
        </div>
      ))}
      <button
        type="button"
        onClick={() => write([...metrics, { id: `metric_${metrics.length + 1}`, better: 'higher' }])}
      >
        {t('value.addMetric')}
      </button>
    </Group>
  )
}

export function ValueForm({ model }: { model: ContentModel }) {
  return (
    <>
      <Group model={model} path="experiences.value" legend={t('value.when')}>
        <DocField model={model} path="experiences.value.periodDays" label={t('value.periodDays')} />
        <PhaseBoxes model={model} path="experiences.value.phases" />
      </Group>
      <MinutesSaved model={model} />
      <Metrics model={model} />
      <Group model={model} path="value" legend={t('value.roi')}>
        <div class="cards">
          <DocField model={model} kind="number" path="value.hourlyRate" label={t('value.hourlyRate')} />
          <DocField model={model} kind="number" path="value.pricePerMonth" label={t('value.pricePerMonth')} />
          <DocField model={model} kind="text" path="value.currency" label={t('value.currency')} />
        </div>
      </Group>
    </>
  )
}
