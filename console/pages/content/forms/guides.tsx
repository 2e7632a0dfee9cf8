/**
 * The guides and their steps. The list is written whole on every change (from what it follows when
 * the draft has none yet), so that an index always names the same guide as the server's issues.
 * Each step can be opened in builder mode on the app ("Pick on my app"), from the app URL above.
 */
import { useRef, useState } from 'preact/hooks'
import { GUIDE_STEP_KINDS } from '../../../../server/journey/vocabulary'
import { Field, FormError, Select, TextArea } from '../../../ui/parts'
import { fromInput, toInput } from '../config-doc'
import { t, tk } from '../messages'
import { builderUrl } from '../model'
import type { ContentModel } from '../model'
import { clean, current, Group, issueAt, LocalizedText, setValue } from './fields'
import type { Localized } from './fields'

interface GuideStep {
  kind?: string
  selector?: string | string[]
  text?: string
  title?: Localized
  body?: Localized
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

export function GuidesForm({ model }: { model: ContentModel }) {
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
  const write = (next: Guide[]) => setValue(model, 'guides', next)
  const setGuide = (gi: number, patch: Partial<Guide>) =>
    write(guides.map((g, i) => (i === gi ? clean({ ...g, ...patch }) : g)))
  const setStep = (gi: number, si: number, patch: Partial<GuideStep>) =>
    setGuide(gi, { steps: (guides[gi]!.steps ?? []).map((st, j) => (j === si ? clean({ ...st, ...patch }) : st)) })
  const err = (path: string, under = false) => issueAt(model, path, under)
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
            {/* The list as a whole (no steps, too many): not a field of one step. */}
            {err(`${base}.steps`) && <p class="field-error">{err(`${base}.steps`)}</p>}
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
                    <TextArea
                      label={t('stepSelector', n)}
                      hint={t('selectorHint')}
                      rows={2}
                      value={selectorsToInput(st.selector)}
                      error={err(`${sp}.selector`, true)}
                      onInput={(v) => setStep(gi, si, { selector: selectorsFromInput(v) })}
                    />
                    <LocalizedText
                      model={model}
                      path={`${sp}.title`}
                      label={t('stepTitle', n)}
                      value={st.title}
                      onChange={(v) => setStep(gi, si, { title: v ?? '' })}
                    />
                    <LocalizedText
                      model={model}
                      path={`${sp}.body`}
                      label={t('stepBody', n)}
                      rows={3}
                      value={st.body}
                      onChange={(v) => setStep(gi, si, { body: v ?? '' })}
                    />
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
