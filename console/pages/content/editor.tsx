/**
 * The draft editor: forms for the most-used parts of the config, the whole document as JSON, the
 * translations missing, the dry run and a preview of the checklist. Forms and text edit one
 * document (the model keeps them in step); the server validates it on save, and each of its issues
 * is shown at its field (forms) and at its line (text), tied to the input for screen readers.
 */
import { Fragment } from 'preact'
import type { ComponentChildren } from 'preact'
import { useId, useRef, useState } from 'preact/hooks'
import {
  EXPERIENCE_KINDS,
  GUIDE_STEP_KINDS,
  LOCALES,
  ONBOARDING_MILESTONES,
  PHASES,
} from '../../../server/journey/vocabulary'
import { formatNumber } from '../../format'
import { labelOf } from '../../i18n'
import { common } from '../../i18n/common'
import { AccountLink, Field, FormError, Select, TableWrap } from '../../ui/parts'
import { getAt, lineOf, messageAt, parseJsonText, toInput, fromInput } from './config-doc'
import type { FieldKind, Locale } from './config-doc'
import { t, tk } from './messages'
import { builderUrl } from './model'
import type { ContentModel } from './model'

export const TABS = [
  'checklist',
  'guides',
  'nps',
  'attention',
  'messages',
  'banner',
  'advocacy',
  'value',
  'json',
] as const
export type Tab = (typeof TABS)[number]

/** The draft's value at `path`, else the config in force's (what an empty field follows). */
function current(model: ContentModel, path: string): unknown {
  return getAt(model.editing.value?.doc, path) ?? getAt(model.inForce.data.value, path)
}

/** One value of the document as a labelled input; its issue shown below it and tied to it. */
function DocField({
  model,
  path,
  label,
  kind = 'int',
  hint,
}: {
  model: ContentModel
  path: string
  label: string
  kind?: FieldKind
  hint?: string
}) {
  const doc = model.editing.value?.doc
  return (
    <Field
      label={label}
      type={kind === 'text' ? 'text' : 'number'}
      value={toInput(getAt(doc, path))}
      placeholder={toInput(getAt(model.inForce.data.value, path))}
      hint={hint}
      error={messageAt(model.issues.value, path, true)}
      onInput={(e) => model.setField(path, fromInput(kind, e.currentTarget.value))}
    />
  )
}

/** A labelled textarea, its issue tied to it as the Field's is. */
function DocText({ model, path, label }: { model: ContentModel; path: string; label: string }) {
  const id = useId()
  const error = messageAt(model.issues.value, path)
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <textarea
        id={id}
        rows={3}
        value={toInput(getAt(model.editing.value?.doc, path))}
        placeholder={toInput(getAt(model.inForce.data.value, path))}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onInput={(e) => model.setField(path, fromInput('text', e.currentTarget.value))}
      />
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  )
}

/** A group of fields with its legend, and the issue naming the group itself (a list, a record). */
function Group({
  model,
  path,
  legend,
  children,
}: {
  model: ContentModel
  path?: string
  legend: string
  children: ComponentChildren
}) {
  const id = useId()
  const error = path ? messageAt(model.issues.value, path) : undefined
  return (
    <fieldset aria-describedby={error ? id : undefined}>
      <legend>{legend}</legend>
      {error && (
        <p class="field-error" id={id}>
          {error}
        </p>
      )}
      {children}
    </fieldset>
  )
}

const CHECKLIST = 'experiences.checklist'
const milestoneLabel = (id: string, locale?: Locale) =>
  locale ? (common[locale][`milestone.${id}` as keyof (typeof common)['en']] ?? id) : labelOf(common, 'milestone', id)

function PhaseBoxes({ model, path }: { model: ContentModel; path: string }) {
  const phases = (current(model, path) as string[] | undefined) ?? []
  return (
    <Group model={model} path={path} legend={t('phases')}>
      {PHASES.map((p) => (
        <label key={p} class="row">
          <input
            type="checkbox"
            checked={phases.includes(p)}
            onChange={(e) =>
              model.setField(
                path,
                e.currentTarget.checked
                  ? PHASES.filter((x) => x === p || phases.includes(x))
                  : phases.filter((x) => x !== p),
              )
            }
          />
          {labelOf(common, 'phase', p)}
        </label>
      ))}
    </Group>
  )
}

function ChecklistForm({ model }: { model: ContentModel }) {
  const items = (current(model, `${CHECKLIST}.items`) as string[] | undefined) ?? []
  const hidden = ONBOARDING_MILESTONES.filter((m) => !items.includes(m))
  const setItems = (next: string[]) => model.setField(`${CHECKLIST}.items`, next)
  const move = (i: number, by: number) => {
    const next = [...items]
    const [m] = next.splice(i, 1)
    next.splice(i + by, 0, m!)
    setItems(next)
  }
  return (
    <>
      <PhaseBoxes model={model} path={`${CHECKLIST}.phases`} />
      <Group model={model} path={`${CHECKLIST}.items`} legend={t('items')}>
        <p class="hint">{t('itemTitleHint')}</p>
        <ol class="items">
          {[...items, ...hidden].map((id, i) => {
            const shown = i < items.length
            const name = milestoneLabel(id)
            return (
              <li key={id} class="card">
                <div class="row">
                  <label class="row">
                    <input
                      type="checkbox"
                      checked={shown}
                      onChange={(e) =>
                        setItems(e.currentTarget.checked ? [...items, id] : items.filter((x) => x !== id))
                      }
                    />
                    <strong>{name}</strong> <code>{id}</code>
                  </label>
                  {shown && (
                    <>
                      <button
                        type="button"
                        disabled={i === 0}
                        aria-label={t('up', { name })}
                        onClick={() => move(i, -1)}
                      >
                        ↑
                      </button>
                      <button
                        type="button"
                        disabled={i === items.length - 1}
                        aria-label={t('down', { name })}
                        onClick={() => move(i, 1)}
                      >
                        ↓
                      </button>
                    </>
                  )}
                </div>
                {shown && (
                  <div class="cards">
                    <DocField
                      model={model}
                      kind="text"
                      path={`${CHECKLIST}.titles.${id}`}
                      label={`${t('itemTitle')}: ${name}`}
                    />
                    <DocField
                      model={model}
                      kind="text"
                      path={`${CHECKLIST}.cta.${id}.url`}
                      label={`${t('ctaUrl')}: ${name}`}
                    />
                    <DocField
                      model={model}
                      kind="text"
                      path={`${CHECKLIST}.cta.${id}.guide`}
                      label={`${t('ctaGuide')}: ${name}`}
                    />
                  </div>
                )}
              </li>
            )
          })}
        </ol>
      </Group>
      <div class="cards">
        {LOCALES.map((l) => (
          <ChecklistPreview key={l} model={model} locale={l} items={items} />
        ))}
      </div>
    </>
  )
}

/** The checklist as an end user would read it, simplified (no theme, every item still to do). */
function ChecklistPreview({ model, locale, items }: { model: ContentModel; locale: Locale; items: string[] }) {
  const heading = useId()
  return (
    <section class="card preview" aria-labelledby={heading} lang={locale}>
      <h3 id={heading}>{t('preview', { locale })}</h3>
      <p class="hint" lang={undefined}>
        {t('previewNote')}
      </p>
      <div class="preview-box">
        <p class="preview-title">{locale === 'pt-BR' ? 'Primeiros passos' : 'Getting started'}</p>
        <ul>
          {items.map((id) => {
            const title = current(model, `${CHECKLIST}.titles.${id}`)
            return <li key={id}>☐ {typeof title === 'string' && title !== '' ? title : milestoneLabel(id, locale)}</li>
          })}
        </ul>
      </div>
    </section>
  )
}

interface GuideStep {
  kind?: string
  selector?: string | string[]
  text?: string
  title?: string
  body?: string
  path?: string
}
interface Guide {
  id?: string
  feature?: string
  steps?: GuideStep[]
}

/** Selectors one per line: one line is a selector, several a list in order of preference. */
export function selectorsFromInput(text: string): string | string[] | undefined {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
  return lines.length === 0 ? undefined : lines.length === 1 ? lines[0] : lines
}
const selectorsToInput = (v: unknown) => (Array.isArray(v) ? v.join('\n') : toInput(v))

/**
/**
 * Where the app's URL for builder mode is remembered. localStorage is the console's origin's, and an
 * origin's console serves one workspace: the URL is remembered per workspace (and per browser).
 */
const APP_URL_KEY = 'jornada.console.appUrl'
function readAppUrl(): string {
  try {
    return localStorage.getItem(APP_URL_KEY) ?? ''
  } catch {
    return ''
  }
}
function keepAppUrl(url: string): void {
  try {
    localStorage.setItem(APP_URL_KEY, url)
  } catch {
    // Private mode or storage full: it is asked for again next time.
  }
}

/**
 * The guides and their steps. The list is written whole on every change (from the config in force
 * when the draft has none yet), so that an index always names the same guide as the server's issues.
 * Each step can be opened in builder mode on the app ("Pick on my app"), from the app URL above.
 */
function GuidesForm({ model }: { model: ContentModel }) {
  const [appUrl, setAppUrl] = useState(readAppUrl)
  const [appUrlError, setAppUrlError] = useState<string | undefined>(undefined)
  const appUrlInput = useRef<HTMLDivElement>(null)
  const pick = async (guideId: string, step: number) => {
    if (builderUrl(appUrl, 'token') === null) {
      setAppUrlError(t('appUrlInvalid'))
      appUrlInput.current?.querySelector('input')?.focus()
      return
    }
    setAppUrlError(undefined)
    keepAppUrl(appUrl.trim())
    await model.pickOnApp.run(appUrl, guideId, step)
  }
  const guides = ((current(model, 'guides') as Guide[] | undefined) ?? []).map((g) => ({ ...g }))
  const write = (next: Guide[]) => model.setField('guides', next)
  const setGuide = (gi: number, patch: Partial<Guide>) =>
    write(guides.map((g, i) => (i === gi ? clean({ ...g, ...patch }) : g)))
  const setStep = (gi: number, si: number, patch: Partial<GuideStep>) =>
    setGuide(gi, { steps: (guides[gi]!.steps ?? []).map((st, j) => (j === si ? clean({ ...st, ...patch }) : st)) })
  const err = (path: string, under = false) => messageAt(model.issues.value, path, under)
  return (
    <>
      <div ref={appUrlInput}>
        <Field
          label={t('appUrl')}
          type="url"
          hint={t('appUrlHint')}
          value={appUrl}
          placeholder="https://app.example.com/"
          error={appUrlError}
          onInput={(e) => setAppUrl(e.currentTarget.value)}
        />
      </div>
      {guides.map((g, gi) => {
        const base = `guides.${gi}`
        return (
          <Group key={gi} model={model} path={base} legend={t('guideN', { id: g.id ?? String(gi + 1) })}>
            <div class="cards">
              <Field
                label={t('guideId')}
                value={toInput(g.id)}
                error={err(`${base}.id`)}
                onInput={(e) => setGuide(gi, { id: fromInput('text', e.currentTarget.value) as string })}
              />
              <Field
                label={t('guideFeature')}
                value={toInput(g.feature)}
                error={err(`${base}.feature`)}
                onInput={(e) => setGuide(gi, { feature: fromInput('text', e.currentTarget.value) as string })}
              />
            </div>
            <ol class="items">
              {(g.steps ?? []).map((st, si) => {
                const sp = `${base}.steps.${si}`
                const n = { n: si + 1 }
                return (
                  <li key={si} class="card">
                    <h3>{t('stepN', n)}</h3>
                    <div class="cards">
                      <Select
                        label={t('stepKind', n)}
                        value={st.kind ?? ''}
                        empty={t('stepKindDefault')}
                        options={GUIDE_STEP_KINDS.map((k) => ({ value: k, label: tk(`step.${k}`) }))}
                        error={err(`${sp}.kind`)}
                        onChange={(v) => setStep(gi, si, { kind: v || undefined })}
                      />
                      <Field
                        label={t('stepPath', n)}
                        value={toInput(st.path)}
                        error={err(`${sp}.path`)}
                        onInput={(e) => setStep(gi, si, { path: fromInput('text', e.currentTarget.value) as string })}
                      />
                      <Field
                        label={t('stepText', n)}
                        value={toInput(st.text)}
                        error={err(`${sp}.text`)}
                        onInput={(e) => setStep(gi, si, { text: fromInput('text', e.currentTarget.value) as string })}
                      />
                    </div>
                    <Lines
                      label={t('stepSelector', n)}
                      hint={t('selectorHint')}
                      value={selectorsToInput(st.selector)}
                      error={err(`${sp}.selector`, true)}
                      onInput={(v) => setStep(gi, si, { selector: selectorsFromInput(v) })}
                    />
                    <Field
                      label={t('stepTitle', n)}
                      value={toInput(st.title)}
                      error={err(`${sp}.title`)}
                      onInput={(e) => setStep(gi, si, { title: e.currentTarget.value })}
                    />
                    <Lines
                      label={t('stepBody', n)}
                      value={toInput(st.body)}
                      error={err(`${sp}.body`)}
                      onInput={(v) => setStep(gi, si, { body: v })}
                    />
                    <StepPreview step={st} n={si + 1} of={(g.steps ?? []).length} />
                    <button
                      type="button"
                      disabled={model.pickOnApp.busy.value || !g.id}
                      onClick={() => void pick(g.id!, si)}
                    >
                      {t('pickOnApp', n)}
                    </button>
                    {model.pickFor.value?.guideId === g.id && model.pickFor.value?.step === si && (
                      <PickOutcome model={model} guideId={g.id!} step={si} />
                    )}
                    <button
                      type="button"
                      class="danger"
                      onClick={() => setGuide(gi, { steps: (g.steps ?? []).filter((_, j) => j !== si) })}
                    >
                      {t('removeStep', n)}
                    </button>
                  </li>
                )
              })}
            </ol>
            <div class="row">
              <button
                type="button"
                onClick={() => setGuide(gi, { steps: [...(g.steps ?? []), { title: '', body: '' }] })}
              >
                {t('addStep')}
              </button>
              <button type="button" class="danger" onClick={() => write(guides.filter((_, i) => i !== gi))}>
                {t('removeGuide', { id: g.id ?? String(gi + 1) })}
              </button>
            </div>
          </Group>
        )
      })}
      <button
        type="button"
        onClick={() =>
          write([...guides, { id: `guide_${guides.length + 1}`, steps: [{ kind: 'modal', title: '', body: '' }] }])
        }
      >
        {t('addGuide')}
      </button>
    </>
  )
}

/**
 * What "Pick on my app" did for one step: the error, or builder mode opened, with its link (a
 * browser that blocked the new tab) and the way to read the draft again once a target was saved.
 */
function PickOutcome({ model, guideId, step }: { model: ContentModel; guideId: string; step: number }) {
  const opened = model.builder.value
  if (model.pickOnApp.busy.value) return <p role="status">{t('pickOpening')}</p>
  if (model.pickOnApp.error.value) return <FormError error={model.pickOnApp.error.value} />
  if (!opened || opened.guideId !== guideId || opened.step !== step) return null
  return (
    <div class="notice" role="status">
      <p>{t('pickOpened', { n: step + 1, guide: guideId })}</p>
      <p>
        <a href={opened.url} target="_blank" rel="noopener noreferrer">
          {t('pickLink')}
        </a>
      </p>
      <button
        type="button"
        disabled={model.reload.busy.value}
        onClick={() => {
          if (model.dirty.value && !confirm(t('confirmReload'))) return
          void model.reload.run()
        }}
      >
        {t('reloadDraft')}
      </button>
      <FormError error={model.reload.error.value} />
    </div>
  )
}

/** The end user's words around a step, per locale (the in-app UI's own, simplified here). */
const STEP_CHROME: Record<Locale, { of: string; next: string; done: string }> = {
  en: { of: 'Step {n} of {total}', next: 'Next', done: 'Done' },
  'pt-BR': { of: 'Passo {n} de {total}', next: 'Próximo', done: 'Concluir' },
}

/**
 * A guide step as the end user reads it, in each locale: a simplified rendering (the body as plain
 * text, markdown marks included; no theme, no target), never the text injected as HTML.
 */
function StepPreview({ step, n, of }: { step: GuideStep; n: number; of: number }) {
  return (
    <details>
      <summary>{t('stepPreview', { n })}</summary>
      <p class="hint">{t('previewNote')}</p>
      <div class="cards">
        {LOCALES.map((l) => {
          const c = STEP_CHROME[l]
          return (
            <div key={l} class="preview-box" lang={l}>
              <p class="hint" lang={undefined}>
                {l}
                {step.kind ? ` · ${tk(`step.${step.kind}`)}` : ''}
              </p>
              <p class="preview-title">{step.title}</p>
              <p class="pre-line">{step.body}</p>
              <p class="hint">
                {c.of.replace('{n}', String(n)).replace('{total}', String(of))} · {n === of ? c.done : c.next}
              </p>
            </div>
          )
        })}
      </div>
    </details>
  )
}

/** Keys whose value is undefined left out (an optional field emptied). */
function clean<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
}

/** A labelled textarea over a value the caller reads and writes. */
function Lines({
  label,
  hint,
  value,
  error,
  onInput,
}: {
  label: string
  hint?: string
  value: string
  error?: string | undefined
  onInput: (value: string) => void
}) {
  const id = useId()
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ')
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <textarea
        id={id}
        rows={2}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={described || undefined}
        onInput={(e) => onInput(e.currentTarget.value)}
      />
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  )
}

const NPS_FIELDS = [
  'everyDays',
  'notBeforeDay',
  'healthCheckDay',
  'fromDay',
  'afterRenewalDays',
  'dismissRetryDays',
  'maxDismissals',
] as const

function NpsForm({ model }: { model: ContentModel }) {
  return (
    <Group model={model} path="nps.survey" legend={t('npsTiming')}>
      <p class="hint">{t('npsTextsNote')}</p>
      <div class="cards">
        {NPS_FIELDS.map((f) => (
          <DocField key={f} model={model} path={`nps.survey.${f}`} label={tk(`nps.${f}`)} />
        ))}
      </div>
    </Group>
  )
}

const CAPPED = ['guide', 'value', 'advocacy', 'message'] as const

function AttentionForm({ model }: { model: ContentModel }) {
  return (
    <>
      <Group model={model} path="experiences.budget" legend={t('budget')}>
        <div class="cards">
          {(['perSession', 'perDay', 'gapMinutes'] as const).map((f) => (
            <DocField
              key={f}
              model={model}
              kind={f === 'gapMinutes' ? 'number' : 'int'}
              path={`experiences.budget.${f}`}
              label={tk(`budget.${f}`)}
            />
          ))}
        </div>
      </Group>
      <Group model={model} path="experiences.priority" legend={t('priority')}>
        <div class="cards">
          {EXPERIENCE_KINDS.map((k) => (
            <DocField key={k} model={model} kind="number" path={`experiences.priority.${k}`} label={tk(`kind.${k}`)} />
          ))}
        </div>
      </Group>
      <Group model={model} path="experiences.caps" legend={t('caps')}>
        <div class="cards">
          {CAPPED.map((k) => (
            <div key={k}>
              <DocField
                model={model}
                path={`experiences.caps.${k}.max`}
                label={t('capMax', { kind: tk(`kind.${k}`) })}
              />
              <DocField
                model={model}
                path={`experiences.caps.${k}.days`}
                label={t('capDays', { kind: tk(`kind.${k}`) })}
              />
            </div>
          ))}
        </div>
      </Group>
    </>
  )
}

function MessagesForm({ model }: { model: ContentModel }) {
  return (
    <>
      {(['low_usage', 'single_user', 'usage_declining'] as const).map((m) => {
        const base = `experiences.messages.${m}`
        const name = tk(`msg.${m}`)
        return (
          <Group key={m} model={model} path={base} legend={name}>
            <DocField model={model} kind="text" path={`${base}.title`} label={`${t('msgTitle')}: ${name}`} />
            <DocText model={model} path={`${base}.body`} label={`${t('msgBody')}: ${name}`} />
            <DocField model={model} kind="text" path={`${base}.cta.url`} label={`${t('ctaUrl')}: ${name}`} />
          </Group>
        )
      })}
    </>
  )
}

function BannerForm({ model }: { model: ContentModel }) {
  return (
    <Group model={model} path="experiences.banner" legend={t('tab.banner')}>
      <DocField model={model} path="experiences.banner.daysBefore" label={t('banner.daysBefore')} />
      <DocField model={model} path="experiences.banner.snoozeDays" label={t('banner.snoozeDays')} />
      <DocField model={model} kind="text" path="experiences.banner.cta.url" label={t('ctaUrl')} />
    </Group>
  )
}

/**
 * Each program's benefit, one input per locale. A benefit given as one text for every locale
 * becomes one per locale when a locale's input is changed, the other keeping the old text.
 */
function AdvocacyForm({ model }: { model: ContentModel }) {
  const base = 'experiences.advocacy.benefits'
  const benefits = (current(model, base) ?? {}) as Record<string, unknown>
  return (
    <Group model={model} path={base} legend={t('benefits')}>
      {Object.keys(benefits).map((program) => {
        const value = getAt(model.editing.value?.doc, `${base}.${program}`)
        return (
          <div key={program} class="cards">
            {LOCALES.map((l) => {
              const path = `${base}.${program}.${l}`
              const text = typeof value === 'string' ? value : getAt(value, l)
              return (
                <Field
                  key={l}
                  label={t('benefitIn', { program, locale: l })}
                  value={toInput(text)}
                  placeholder={toInput(getAt(model.inForce.data.value, path))}
                  error={messageAt(model.issues.value, path) ?? messageAt(model.issues.value, `${base}.${program}`)}
                  onInput={(e) => {
                    const whole =
                      typeof value === 'string' ? Object.fromEntries(LOCALES.map((x) => [x, value])) : (value ?? {})
                    model.setField(`${base}.${program}`, {
                      ...(whole as object),
                      [l]: fromInput('text', e.currentTarget.value),
                    })
                  }}
                />
              )
            })}
          </div>
        )
      })}
    </Group>
  )
}

function ValueForm({ model }: { model: ContentModel }) {
  return (
    <Group model={model} path="value" legend={t('tab.value')}>
      <DocField model={model} path="experiences.value.periodDays" label={t('value.periodDays')} />
      <PhaseBoxes model={model} path="experiences.value.phases" />
      <DocField model={model} kind="number" path="value.hourlyRate" label={t('value.hourlyRate')} />
      <DocField model={model} kind="number" path="value.pricePerMonth" label={t('value.pricePerMonth')} />
      <DocField model={model} kind="text" path="value.currency" label={t('value.currency')} />
    </Group>
  )
}

/** The whole document as text; a syntax error and the server's issues listed with their lines. */
function JsonView({ model }: { model: ContentModel }) {
  const id = useId()
  const area = useRef<HTMLTextAreaElement>(null)
  const e = model.editing.value!
  const syntax = model.syntax.value
  const parsed = syntax ? null : parseJsonText(e.text)
  const lines = parsed?.ok ? parsed.lines : new Map<string, number>()
  const problems = syntax
    ? [{ line: syntax.line, text: t('syntaxError', { ...syntax }) }]
    : model.issues.value.map((i) => ({ line: lineOf(lines, i.path), text: `${i.path || '(document)'}: ${i.message}` }))
  const goTo = (line: number) => {
    const el = area.current
    if (!el) return
    const start =
      e.text
        .split('\n')
        .slice(0, line - 1)
        .join('\n').length + (line > 1 ? 1 : 0)
    el.focus()
    el.setSelectionRange(start, start + (e.text.split('\n')[line - 1]?.length ?? 0))
  }
  return (
    <div class="field">
      <label for={id}>{t('jsonLabel')}</label>
      <p class="hint" id={`${id}-hint`}>
        {t('jsonHint')}
      </p>
      <textarea
        id={id}
        ref={area}
        class="json-text"
        rows={24}
        spellcheck={false}
        value={e.text}
        aria-invalid={problems.length > 0 ? true : undefined}
        aria-describedby={`${id}-hint${problems.length > 0 ? ` ${id}-error` : ''}`}
        onInput={(ev) => model.setText(ev.currentTarget.value)}
      />
      {problems.length > 0 && (
        <ul class="field-error" id={`${id}-error`}>
          {problems.map((p) => (
            <li key={p.text}>
              <button type="button" class="link" onClick={() => goTo(p.line)}>
                {t('atLine', { line: p.line })}
              </button>{' '}
              {p.text}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

export function TabBody({ model, tab }: { model: ContentModel; tab: Tab }) {
  switch (tab) {
    case 'checklist':
      return <ChecklistForm model={model} />
    case 'guides':
      return <GuidesForm model={model} />
    case 'nps':
      return <NpsForm model={model} />
    case 'attention':
      return <AttentionForm model={model} />
    case 'messages':
      return <MessagesForm model={model} />
    case 'banner':
      return <BannerForm model={model} />
    case 'advocacy':
      return <AdvocacyForm model={model} />
    case 'value':
      return <ValueForm model={model} />
    default:
      return <JsonView model={model} />
  }
}

/** The texts given per locale that lack one, as field × locale. */
export function Gaps({ model }: { model: ContentModel }) {
  const gaps = model.gaps.value
  return (
    <section aria-labelledby="gaps-h">
      <h2 id="gaps-h">{t('gaps')}</h2>
      {gaps.length === 0 ? (
        <p>{t('noGaps')}</p>
      ) : (
        <div class="notice notice-warning">
          <p>{t('gapsIntro')}</p>
          <ul>
            {gaps.map((g) => (
              <li key={`${g.path}:${g.missing}`}>
                <code>{g.path}</code>: {t('missingIn', { locale: g.missing })}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  )
}

const change = (b: unknown, a: unknown) =>
  `${Array.isArray(b) ? b.join(', ') || '–' : String(b ?? '–')} → ${Array.isArray(a) ? a.join(', ') || '–' : String(a ?? '–')}`

/** The dry run's answer: counts, whether it is partial, the accounts and the experiences. */
export function DryRunResult({ model }: { model: ContentModel }) {
  const r = model.dryRun.value
  if (!r) return null
  const kinds = ['accounts', 'phase', 'band', 'redFlags', 'milestones'] as const
  return (
    <div role="status">
      <p class={r.complete ? '' : 'notice notice-warning'}>
        {r.complete
          ? t('complete', { total: formatNumber(r.total) })
          : t('partial', { examined: formatNumber(r.examined), total: formatNumber(r.total) })}
      </p>
      <h3>{t('changedAccounts')}</h3>
      <dl class="facts">
        {kinds.map((k) => (
          <Fragment key={k}>
            <dt>{tk(`changed.${k}`)}</dt>
            <dd>{formatNumber(r.changed[k])}</dd>
          </Fragment>
        ))}
      </dl>
      {r.accounts.length === 0 ? (
        <p>{t('noAccountChange')}</p>
      ) : (
        <TableWrap label={t('changedAccounts')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('account')}</th>
                <th scope="col">{t('what')}</th>
              </tr>
            </thead>
            <tbody>
              {r.accounts.map((a) => (
                <tr key={a.accountId}>
                  <td>
                    <AccountLink id={a.accountId} />
                  </td>
                  <td>
                    <ul class="plain">
                      {a.phase && (
                        <li>
                          {t('changed.phase')}: {labelOf(common, 'phase', a.phase.before)} →{' '}
                          {labelOf(common, 'phase', a.phase.after)}
                        </li>
                      )}
                      {a.band && (
                        <li>
                          {t('changed.band')}: {labelOf(common, 'band', a.band.before)} →{' '}
                          {labelOf(common, 'band', a.band.after)}
                        </li>
                      )}
                      {a.redFlags && (
                        <li>
                          {t('changed.redFlags')}:{' '}
                          {change(
                            a.redFlags.before.map((f) => labelOf(common, 'flag', f)),
                            a.redFlags.after.map((f) => labelOf(common, 'flag', f)),
                          )}
                        </li>
                      )}
                      {a.milestones?.map((m) => (
                        <li key={m.id}>
                          {labelOf(common, 'milestone', m.id)}: {change(m.before, m.after)}
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {r.truncated && <p class="hint">{t('truncated', { n: formatNumber(r.accounts.length) })}</p>}
      <h3>{t('offered')}</h3>
      {r.experiences.length === 0 ? (
        <p>{t('noneOffered')}</p>
      ) : (
        <TableWrap label={t('offered')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('experience')}</th>
                <th scope="col">{t('kind')}</th>
                <th scope="col">{t('users')}</th>
              </tr>
            </thead>
            <tbody>
              {r.experiences.map((x) => (
                <tr key={x.id}>
                  <td>
                    <code>{x.id}</code>
                  </td>
                  <td>{tk(`kind.${x.kind}`)}</td>
                  <td class="num">{formatNumber(x.users)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {r.usersSkipped > 0 && <p class="hint">{t('usersSkipped', { n: formatNumber(r.usersSkipped) })}</p>}
    </div>
  )
}
