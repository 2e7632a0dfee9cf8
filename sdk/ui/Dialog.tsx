/** @jsxRuntime classic */ /** @jsx h */ /** @jsxFrag Fragment */
import { Fragment, h, type ComponentChildren } from 'preact'
import type { Experience } from '../wire'
import { Close, Reason } from './controls'
import type { Model } from './model'

/** A dialog's frame, its backdrop, its buttons (every kind with a dialog carries them: see ./kinds.ts). */
export const DIALOG_CSS = `.c:focus{outline:0}
.dlg{inset:0;margin:auto;width:min(460px,calc(100vw - 32px));height:fit-content;padding:24px}
.bd{position:fixed;inset:0;background:rgb(17 24 39/.5)}
.btn{display:inline-flex;align-items:center;justify-content:center;min-height:40px;padding:8px 16px;border:2px solid var(--a);border-radius:var(--rd);background:var(--b);color:var(--a);font-weight:600;text-decoration:none}
.pri{background:var(--a);color:var(--at)}
.btn:disabled{opacity:.6}
.row{display:flex;flex-wrap:wrap;gap:8px;justify-content:end;align-items:center;margin-top:16px}`

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
