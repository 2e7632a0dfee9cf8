/** @jsxRuntime classic */ /** @jsx h */ /** @jsxFrag Fragment */
import { Fragment, h } from 'preact'
import { Dialog, follow } from '../Dialog'
import { markdown } from '../markdown'
import type { Model } from '../model'

/**
 * A guide's current step: a modal step as a dialog; a tooltip next to its target, with the target
 * ringed (a non-modal dialog: the page stays usable); a hotspot as a pulsing beacon (a button in the
 * tab order) that opens the tooltip. Neither takes focus from the page. The tour keeps the positions current.
 */
export function Guide({ m }: { m: Model }) {
  const { t } = m.i18n
  const tour = m.tour.value
  if (!tour) return null
  const g = tour.exp
  const i = tour.step.value
  const s = g.steps[i]
  const target = tour.target.value
  if (!tour.ready.value || !s) return null
  if (target && s.kind == 'hotspot' && !tour.expanded.value)
    return (
      <button
        key={i}
        ref={follow(tour.kb)}
        class="bc"
        part="beacon"
        aria-label={s.title}
        aria-haspopup="dialog"
        onClick={() => {
          tour.kb = true
          tour.expanded.value = true
        }}
      />
    )
  const last = i == g.steps.length - 1
  return (
    <>
      {target && s.kind == 'tooltip' && <div class="hl" part="highlight" />}
      <Dialog key={i} m={m} exp={g} title={s.title} tip={!!target} kb={tour.kb}>
        {markdown(s.body)}
        <div class="row">
          <span class="n">{t('step', { n: i + 1, total: g.steps.length })}</span>
          {i > 0 && (
            <button class="btn" part="button" onClick={() => tour.go(i - 1, -1)}>
              {t('back')}
            </button>
          )}
          <button class="btn pri" part="button primary" onClick={() => tour.go(i + 1)}>
            {t(last ? 'done' : 'next')}
          </button>
        </div>
      </Dialog>
    </>
  )
}
