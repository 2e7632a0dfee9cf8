/** Small parts every page uses: the page's heading, fields with their errors, notices, a band, a reason. */
import type { ComponentChildren, InputHTMLAttributes, TargetedEvent } from 'preact'
import { useEffect, useId, useRef, useState } from 'preact/hooks'
import { ApiError, fieldMessages, otherMessages } from '../api'
import { translator, labelOf } from '../i18n'
import { common } from '../i18n/common'
import { accountPath } from '../paths'
import { errorMessage } from './errors'

const tc = translator(common)

/** Pages after the first: the heading takes the focus, so a screen reader announces the new page. */
let firstPage = true

/** The page's one `<h1>`; sets the document's title and, after a navigation, takes the focus. */
export function PageTitle({ children, title }: { children: ComponentChildren; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    document.title = `${title} · ${tc('app.name')}`
  }, [title])
  useEffect(() => {
    if (firstPage) firstPage = false
    else ref.current?.focus()
  }, [])
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  )
}

export function Loading() {
  return (
    <p class="loading" role="status">
      {tc('app.loading')}
    </p>
  )
}

/** An error of a load, with a retry. */
export function LoadError({
  error,
  retry,
  optional = false,
}: {
  error: unknown
  retry?: () => void
  /** A part that an older server does not offer: its 404 says so, "not found" alone would not say what. */
  optional?: boolean
}) {
  const missing = optional && error instanceof ApiError && error.status === 404
  return (
    <div class="notice notice-error" role="alert">
      <p>{missing ? tc('error.unavailable') : errorMessage(error)}</p>
      {retry && (
        <button type="button" onClick={retry}>
          {tc('app.retry')}
        </button>
      )}
    </div>
  )
}

/**
 * What a form's last error says that no field of the form shows: the code's sentence and the issues
 * naming other paths. Nothing when there is no error.
 */
export function FormError({ error, fields = [] }: { error: unknown; fields?: readonly string[] }) {
  if (!error) return null
  const others = error instanceof ApiError ? otherMessages(error.issues, fields) : []
  return (
    <div class="notice notice-error" role="alert">
      <p>{errorMessage(error)}</p>
      {others.length > 0 && (
        <ul>
          {others.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
    </div>
  )
}

/** The message for one field from a form's last error (`issues` with that path), if any. */
export function fieldError(error: unknown, path: string): string | undefined {
  return error instanceof ApiError ? fieldMessages(error.issues)[path] : undefined
}

/** What the console's fields set on their input. */
interface InputProps {
  type?: 'text' | 'email' | 'password' | 'search' | 'date' | 'url' | 'number'
  name?: string
  value?: string
  required?: boolean
  autoComplete?: string
  minLength?: number
  maxLength?: number
  min?: string
  max?: string
  placeholder?: string
  onInput?: (e: TargetedEvent<HTMLInputElement>) => void
}

/**
 * A label, an optional hint and an error around one control, tied to it for screen readers: the
 * control gets the id and `aria-describedby` from `control(id, describedBy)`.
 */
function Labelled({
  label,
  hint,
  error,
  control,
}: {
  label: string
  hint?: string | undefined
  error?: string | undefined
  control: (id: string, describedBy: string | undefined) => ComponentChildren
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
      {control(id, described || undefined)}
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  )
}

/** A labelled input; its error (from the API's issues or the form's own check) is tied to it for screen readers. */
export function Field({
  label,
  error,
  hint,
  ...input
}: InputProps & { label: string; error?: string | undefined; hint?: string | undefined }) {
  return (
    <Labelled
      label={label}
      hint={hint}
      error={error}
      control={(id, described) => (
        <input
          id={id}
          aria-invalid={error ? true : undefined}
          aria-describedby={described}
          {...(input as InputHTMLAttributes<HTMLInputElement>)}
        />
      )}
    />
  )
}

/** A labelled textarea, its hint and error tied to it as a Field's are. */
export function TextArea({
  label,
  hint,
  error,
  value,
  placeholder,
  rows = 3,
  onInput,
}: {
  label: string
  hint?: string | undefined
  error?: string | undefined
  value: string
  placeholder?: string | undefined
  rows?: number
  onInput: (value: string) => void
}) {
  return (
    <Labelled
      label={label}
      hint={hint}
      error={error}
      control={(id, described) => (
        <textarea
          id={id}
          rows={rows}
          value={value}
          placeholder={placeholder}
          aria-invalid={error ? true : undefined}
          aria-describedby={described}
          onInput={(e) => onInput(e.currentTarget.value)}
        />
      )}
    />
  )
}

/** A labelled select of ids with their labels; `''` first when `empty` is given. */
export function Select({
  label,
  value,
  options,
  empty,
  onChange,
  error,
  name,
}: {
  label: string
  value: string
  options: readonly { value: string; label: string }[]
  empty?: string
  onChange: (value: string) => void
  error?: string | undefined
  name?: string
}) {
  return (
    <Labelled
      label={label}
      error={error}
      control={(id, described) => (
        <select
          id={id}
          name={name}
          value={value}
          aria-invalid={error ? true : undefined}
          aria-describedby={described}
          onChange={(e) => onChange(e.currentTarget.value)}
        >
          {empty !== undefined && <option value="">{empty}</option>}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    />
  )
}

/** A health band as a word and a colour (never the colour alone). */
export function BandBadge({ band }: { band: string | null | undefined }) {
  if (!band) return <span class="band band-none">–</span>
  return <span class={`band band-${band}`}>{labelOf(common, 'band', band)}</span>
}

/** The engine's reason for a number, beside it. */
export function Reason({ children }: { children: ComponentChildren }) {
  if (!children) return null
  return (
    <p class="reason">
      <span class="reason-label">{tc('common.reason')}:</span> {children}
    </p>
  )
}

/** A secret shown this once (a new key, an invite link, a webhook's signing secret), with a copy button. */
export function ShownOnce({ label, value, note }: { label: string; value: string; note: string }) {
  const [copied, setCopied] = useState(false)
  const id = useId()
  return (
    <div class="notice notice-secret" role="status">
      <label for={id}>{label}</label>
      <div class="secret-row">
        <input id={id} readOnly value={value} onFocus={(e) => e.currentTarget.select()} />
        <button
          type="button"
          onClick={() => {
            void navigator.clipboard?.writeText(value).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }}
        >
          {copied ? tc('common.copied') : tc('common.copy')}
        </button>
      </div>
      <p class="hint">{note}</p>
    </div>
  )
}

/** An account's name linking to its page, its id beside it when the name differs. */
export function AccountLink({ id, name }: { id: string; name?: string | null | undefined }) {
  return (
    <>
      <a href={accountPath(id)}>{name || id}</a>
      {name && name !== id && <span class="hint"> {id}</span>}
    </>
  )
}

/**
 * A table that may be wider than the page: it scrolls sideways inside its own region, which the
 * keyboard can reach (a region that scrolls must take focus, or keyboard users cannot scroll it).
 */
export function TableWrap({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    // A named section is a region; it scrolls, so it takes focus (WCAG 2.1.1).
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard
    <section class="table-wrap" aria-label={label} tabIndex={0}>
      {children}
    </section>
  )
}
