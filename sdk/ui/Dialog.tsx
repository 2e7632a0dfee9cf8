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

const focused = new WeakSet<HTMLElement>()

/** A ref that moves focus into an element once, when it is first rendered (key a dialog to focus it again). */
export function autofocus(el: HTMLElement | null) {
  if (el && !focused.has(el)) {
    focused.add(el)
    el.focus({ preventScroll: true })
  }
}

/**
 * A dialog (WCAG 2.2 dialog pattern): `role="dialog"`, `aria-modal`, labelled by its heading (one
 * dialog at a time, so one id), focus moved in when it mounts (key it to move focus again), Tab kept inside. Escape and focus
 * return are the model's (`close`), so they work for every dialog the same way.
 */
export function Dialog(props: {
  m: Model
  exp: Experience
  title: string
  children?: ComponentChildren
  /** `tip`: a guide's tooltip (positioned by the guide, no backdrop). */
  tip?: boolean
}) {
  const { m, exp } = props

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
      {!props.tip && <div class="bd" part="backdrop" />}
      <div
        ref={autofocus}
        class={props.tip ? 'c tip' : 'c dlg'}
        part={props.tip ? 'dialog tooltip' : 'dialog'}
        role="dialog"
        aria-modal="true"
        aria-labelledby="jt"
        tabIndex={-1}
        onKeyDown={trap}
      >
        <Close label={m.i18n.t('close')} onClick={() => m.close('close')} />
        <h2 id="jt" part="title">{props.title}</h2>
        {props.children}
        <Reason m={m} exp={exp} />
      </div>
    </>
  )
}

/** The × button of dialogs, the checklist and the banner. */
export function Close(props: { label: string; onClick: () => void }) {
  return (
    <button class="x" part="close button" aria-label={props.label} onClick={props.onClick}>
      <span aria-hidden="true">×</span>
    </button>
  )
}

/** Debug mode: the server's reason for showing `exp`. */
export function Reason({ m, exp }: { m: Model; exp: Experience }) {
  return m.host.debug ? <p class="dbg" part="debug">{exp.reason}</p> : null
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
    return <a class={cls} part={part} href={props.url} onClick={props.onClick}>{props.label}</a>
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
