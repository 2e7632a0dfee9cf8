/** @jsxRuntime classic */ /** @jsx h */ /** @jsxFrag Fragment */
import { Fragment, h, type ComponentChildren } from 'preact'
import type { Experience } from '../wire'
import { safeUrl } from './markdown'
import type { Model } from './model'

/**
 * Tab stops of a dialog; radio buttons are left out (a group is one stop, and never the first or last here).
 * Buttons outside the NPS form need no `type="button"`: without a form they submit nothing.
 */
const TABBABLE = 'button:not(:disabled),a[href],textarea,input:not([type=radio])'

/**
 * Decides once per element, when it is first rendered, whether it takes focus (key a dialog to
 * decide again); `jf` on the element marks it decided.
 */
const once = (el: (HTMLElement & { jf?: 1 }) | null, take: unknown) => {
  if (el && !el.jf) {
    el.jf = 1
    if (take) el.focus({ preventScroll: true })
  }
}

/** A ref that moves focus into an element when it is first rendered. */
export const autofocus = (el: HTMLElement | null) => once(el, 1)

/**
 * A ref for what a guide shows beside the page (a tooltip, a beacon): it takes focus only when the
 * user is moving through the tour from the widget (`kb`) and focus was lost (the Next button or the
 * beacon went away with its step), never from an element of the page.
 */
export const follow = (kb: boolean | undefined) => (el: HTMLElement | null) =>
  once(el, kb && document.activeElement == document.body)

/**
 * A dialog (WCAG 2.2 dialog pattern): `role="dialog"`, `aria-modal`, labelled by its heading (one
 * dialog at a time, so one id), focus moved in when it mounts (key it to move focus again), Tab kept inside. Escape and focus
 * return are the model's (`close`), so they work for every dialog the same way.
 *
 * `tip`: a guide's tooltip, a non-modal dialog: no backdrop, no `aria-modal`, no Tab trap (the
 * page stays usable: the step asks the user to click something there), focus only as `follow` says.
 */
export function Dialog(props: {
  m: Model
  exp: Experience
  title: string
  children?: ComponentChildren
  /** A guide's tooltip (positioned by the guide). */
  tip?: boolean
  /** For a tooltip: the tour's `kb` (see `follow`). */
  kb?: boolean
}) {
  const { m, exp, tip } = props

  const trap = (e: KeyboardEvent) => {
    const box = e.currentTarget as HTMLElement
    if (e.key != 'Tab') return
    const all = box.querySelectorAll<HTMLElement>(TABBABLE)
    const first = all[0]
    const last = all[all.length - 1]
    const active = (box.getRootNode() as ShadowRoot).activeElement
    if (e.shiftKey && (active == first || active == box)) {
      e.preventDefault()
      last?.focus()
    } else if (!e.shiftKey && active == last) {
      e.preventDefault()
      first?.focus()
    }
  }

  return (
    <>
      {!tip && <div class="bd" part="backdrop" />}
      <div
        ref={tip ? follow(props.kb) : autofocus}
        class={tip ? 'c tip' : 'c dlg'}
        part={tip ? 'dialog tooltip' : 'dialog'}
        role="dialog"
        aria-modal={tip ? undefined : 'true'}
        aria-labelledby="jt"
        tabIndex={-1}
        onKeyDown={tip ? undefined : trap}
      >
        <Close label={m.i18n.t('close')} onClick={() => m.close('close')} />
        <h2 id="jt" part="title">
          {props.title}
        </h2>
        {props.children}
        <Reason m={m} exp={exp} />
      </div>
    </>
  )
}

/** The × button of dialogs, the checklist and the banner (its name is the label: the × itself is not read). */
export function Close(props: { label: string; onClick: () => void }) {
  return (
    <button class="x" part="close button" aria-label={props.label} onClick={props.onClick}>
      ×
    </button>
  )
}

/** Debug mode: the server's reason for showing `exp`. */
export function Reason({ m, exp }: { m: Model; exp: Experience }) {
  return m.host.debug ? (
    <p class="dbg" part="debug">
      {exp.reason}
    </p>
  ) : null
}

/** A call-to-action: a link for `url` (http(s) or relative only), a button starting a guide for `guide`. */
export function CtaButton(props: {
  m: Model
  url?: string
  guide?: string
  label: string
  onClick: () => void
  /** `btn pri` (default): the main action; `btn`: a secondary one; `lk`: looks like a link. */
  look?: 'btn pri' | 'btn' | 'lk'
}) {
  const cls = props.look || 'btn pri'
  const part = cls == 'lk' ? 'link' : 'button'
  if (props.url && safeUrl(props.url))
    return (
      <a class={cls} part={part} href={props.url} onClick={props.onClick}>
        {props.label}
      </a>
    )
  return (
    <button
      class={cls}
      part={part}
      onClick={() => {
        props.onClick()
        if (props.guide) props.m.show(props.guide)
      }}
    >
      {props.label}
    </button>
  )
}
