/**
 * The parts every form of the draft editor is made of. Each names its value by its path in the
 * config document (`experiences.checklist.items`); the model's `scope` decides where that path is
 * read and written: the workspace's values, or one segment's overrides of them
 * (`segments.smb.experiences.checklist.items`). An empty field follows what it overrides, shown as
 * the field's placeholder: the config in force for the workspace's values, the workspace's value in
 * this draft (else in force) for a segment's. The server's issues are shown at their field.
 */
import type { ComponentChildren } from 'preact'
import { useId } from 'preact/hooks'
import { LOCALES, PHASES } from '../../../../server/journey/vocabulary'
import { labelOf } from '../../../i18n'
import { common } from '../../../i18n/common'
import { Field, TextArea } from '../../../ui/parts'
import { fromInput, getAt, messageAt, toInput } from '../config-doc'
import type { FieldKind, Locale } from '../config-doc'
import { t } from '../messages'
import type { ContentModel } from '../model'

/** The path in the document of `path` in the model's scope. */
export function scoped(model: ContentModel, path: string): string {
  const s = model.scope.value
  return s === '' ? path : `segments.${s}.${path}`
}

/** What an empty field at `path` follows (see above). */
export function inherited(model: ContentModel, path: string): unknown {
  const inForce = getAt(model.inForce.data.value, path)
  return model.scope.value === '' ? inForce : (getAt(model.editing.value?.doc, path) ?? inForce)
}

/** The draft's value at `path` in scope, else what it follows: what a form shows and edits. */
export function current(model: ContentModel, path: string): unknown {
  return getAt(model.editing.value?.doc, scoped(model, path)) ?? inherited(model, path)
}

/** Writes `value` at `path` in scope (undefined removes it: the field then follows). */
export function setValue(model: ContentModel, path: string, value: unknown): void {
  model.setField(scoped(model, path), value)
}

/** The server's issue at `path` in scope (`under`: also one about a value inside it). */
export function issueAt(model: ContentModel, path: string, under = false): string | undefined {
  return messageAt(model.issues.value, scoped(model, path), under)
}

/** One value of the document as a labelled input. */
export function DocField({
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
  return (
    <Field
      label={label}
      type={kind === 'text' ? 'text' : 'number'}
      value={toInput(getAt(model.editing.value?.doc, scoped(model, path)))}
      placeholder={toInput(inherited(model, path))}
      hint={hint}
      error={issueAt(model, path, true)}
      onInput={(e) => setValue(model, path, fromInput(kind, e.currentTarget.value))}
    />
  )
}

/** A group of fields with its legend, and the issue naming the group itself (a list, a record). */
export function Group({
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
  const error = path ? issueAt(model, path) : undefined
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

/** The phases an experience shows in, as checkboxes. */
export function PhaseBoxes({ model, path }: { model: ContentModel; path: string }) {
  const phases = (current(model, path) as string[] | undefined) ?? []
  return (
    <Group model={model} path={path} legend={t('phases')}>
      {PHASES.map((p) => (
        <label key={p} class="row">
          <input
            type="checkbox"
            checked={phases.includes(p)}
            onChange={(e) =>
              setValue(
                model,
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

/** A text given once for every locale, or per locale (server/journey/texts.ts). */
export type Localized = string | Partial<Record<Locale, string>>

/** The text of `v` a reader in `locale` gets: the one for all, else this locale's (no fallback: a form shows what is written). */
export const textIn = (v: unknown, locale: Locale): string | undefined =>
  typeof v === 'string' ? v : typeof getAt(v, locale) === 'string' ? (getAt(v, locale) as string) : undefined

/**
 * A text the end user reads, one input per locale. A text written once for every locale becomes
 * one per locale when one locale's input changes, the others keeping the old text; emptied in
 * every locale, it is removed (it follows again). Each input's placeholder is what it follows.
 */
export function LocalizedText({
  model,
  path,
  label,
  rows,
  hint,
  value = getAt(model.editing.value?.doc, scoped(model, path)),
  onChange = (v) => setValue(model, path, v),
}: {
  model: ContentModel
  /** Where the text is in the document: read and written there, and its issues shown. */
  path: string
  label: string
  /** A textarea of this many rows; an input without. */
  rows?: number
  hint?: string
  /** A text inside a list the caller writes whole (a guide's step): its value and how to change it. */
  value?: unknown
  onChange?: (value: Localized | undefined) => void
}) {
  const following = inherited(model, path)
  const write = (l: Locale, text: string) => {
    const whole: Record<string, unknown> =
      typeof value === 'string'
        ? Object.fromEntries(LOCALES.map((x) => [x, value]))
        : { ...((value as object | undefined) ?? {}) }
    whole[l] = fromInput('text', text)
    const kept = Object.fromEntries(Object.entries(whole).filter(([, v]) => v !== undefined))
    onChange(Object.keys(kept).length > 0 ? (kept as Localized) : undefined)
  }
  return (
    <div class="cards">
      {LOCALES.map((l, i) => {
        const props = {
          label: `${label} (${l})`,
          hint: i === 0 ? hint : undefined,
          value: toInput(textIn(value, l)),
          placeholder: toInput(textIn(following, l)),
          error: issueAt(model, `${path}.${l}`) ?? issueAt(model, path),
        }
        return rows ? (
          <TextArea key={l} {...props} rows={rows} onInput={(v) => write(l, v)} />
        ) : (
          <Field key={l} {...props} onInput={(e) => write(l, e.currentTarget.value)} />
        )
      })}
    </div>
  )
}

/** Keys whose value is undefined left out (an optional field emptied). */
export function clean<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
}
