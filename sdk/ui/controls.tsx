/** @jsxRuntime classic */ /** @jsx h */
/**
 * The small controls every kind uses (a dialog's or a card's close button, the debug reason, a call
 * to action): they live in the UI's base, not in a chunk of their own (vite.config.ts).
 */
import { h } from 'preact'
import type { Experience } from '../wire'
import type { Model } from './model'
import { safeUrl } from './url'

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
