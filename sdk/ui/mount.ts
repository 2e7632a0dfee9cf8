/**
 * `mount(host)`: the UI chunk's one entry. One `<jornada-ui>` element at the end of `document.body`
 * (a custom element name, so that the page's `div { … }` rules never match it), an open shadow root
 * (axe and the page's tests can look inside) styled through constructable stylesheets, Preact
 * rendering the model into it.
 *
 * Attention: every inline experience of the decision shows at once (`experience_shown` once per
 * experience and calendar day of this browser, not on every page load); the first modal one only
 * after `host.claim` says this tab may take the user's attention now. A tour interrupted by a reload
 * resumes in the tab that ran it, without a new claim (it was claimed when it began); other tabs
 * leave it alone.
 *
 * Language: a new locale arriving with `update` (the host app switched its language) re-renders
 * everything in place: what is open stays open at its state, its texts, numbers, dates, `lang` and
 * `dir` switch.
 *
 * Kinds (./kinds.ts): an experience shows, and counts as shown, once its kind's chunk is here; until
 * then nothing of it is on screen (no placeholder, nothing that moves when it arrives). A modal one
 * is claimed only then too, so a chunk that fails to load takes no attention away from another tab.
 */
import { batch, effect } from '@preact/signals-core'
import { h, render } from 'preact'
import { App } from './App'
import type { Experience } from '../wire'
import { allDone } from './checklist/items'
import type { Decision, UiController, UiHost } from './host'
import { KINDS, type Kinds } from './kinds'
import { createModel, savedTour } from './model'
import { createStyles } from './theme'

/**
 * Renders `host.decision` and returns the controller the core drives. `kinds`: where the kinds'
 * chunks come from (the built ones beside this chunk; tests pass their own).
 */
export function mount(host: UiHost, kinds: Kinds = KINDS): UiController {
  const el = document.createElement('jornada-ui')
  const shadow = el.attachShadow({ mode: 'open' })
  const styles = createStyles(shadow, host.nonce)
  // Preact renders into its own element: the <style> fallback beside it stays untouched.
  const root = document.createElement('div')
  root.className = 'r'
  shadow.appendChild(root)
  document.body.appendChild(el)

  const m = createModel(host, root, styles.pos, kinds)
  const claimed = new Set<string>()
  let alive = true
  /** Runs `then` once the chunk of `kind` is here, unless this UI was destroyed meanwhile. */
  const use = (kind: Experience['kind'], then: () => unknown) =>
    kinds.use(kind, host.log, (ok) => ok && alive && then())

  /** Shows what a decision holds: `experience_shown` for each inline one not yet shown today, a claim for the first modal one. */
  const present = (d: Decision) => {
    for (const e of d.experiences)
      if (e.lane == 'inline')
        use(e.kind, () => {
          const day = new Date().toDateString()
          // { [experience id]: the day it was last shown }
          const seen = (host.get('seen') || {}) as Record<string, string>
          // Still in the decision (a newer one may have come while the chunk loaded), not shown today.
          if (seen[e.id] != day && !m.dismissed.peek().includes(e.id) && m.decision.peek().experiences.includes(e)) {
            seen[e.id] = day
            host.set('seen', seen)
            m.shown(e)
          }
        })
    if (m.open.peek()) return
    const resumed = savedTour(m)
    if (resumed) return m.openExp(resumed)
    const first = d.experiences.find((e) => e.lane == 'modal')
    if (!first || claimed.has(first.id)) return
    claimed.add(first.id)
    // Claimed once its chunk is here: what cannot be shown takes no attention.
    use(first.kind, () =>
      Promise.resolve()
        .then(() => host.claim(first))
        .then((ok) => {
          if (ok && alive && !m.open.peek()) m.openExp(first)
        })
        .catch((e) => host.log('ui: claim failed', e)),
    )
  }

  // Escape closes the open dialog (reason `escape`), else the launcher's panel; wherever focus is,
  // unless the page used that Escape itself (its own menu or dialog, beside a non-modal tooltip).
  const onKey = (e: KeyboardEvent) => {
    if (e.key != 'Escape' || e.defaultPrevented) return
    if (m.open.peek()) m.close('escape')
    else if (m.panel.peek()) {
      m.panel.value = false
      root.querySelector<HTMLElement>('.ln')?.focus()
    } else return
    e.stopPropagation()
  }
  document.addEventListener('keydown', onKey)

  // Components are plain functions over the model's signals: one effect renders the tree, and
  // re-renders it when a signal it read changes (the tree is small; Preact diffs the rest away).
  // The locale is one of them: a switch re-renders every text in place, and the root's lang and dir.
  // So are the kinds' chunks: one arriving adopts its styles, then renders what waited for it.
  const stopRender = effect(() => {
    for (const c of Object.values(kinds.loaded.value)) c.css.forEach(styles.add)
    root.dir = m.i18n.dir
    root.lang = m.i18n.locale
    render(h(App, { m }), root)
  })
  present(m.decision.peek())

  return {
    update(decision, locale) {
      batch(() => {
        m.locale(locale)
        m.decision.value = decision
        // What is open stays open: it was claimed and counted, and the next decision may leave it out.
        // When it has it (the value statement, in the launcher), its server-made text is taken from
        // there, in the new locale.
        const open = m.open.peek()
        if (open) m.open.value = m.find(open.id) || open
      })
      present(decision)
    },
    show: (id) => m.show(id),
    hide: () => m.close(),
    tracked(event) {
      const before = m.tracked.peek()
      if (before.includes(event)) return
      const after = (m.tracked.value = [...before, event])
      const d = m.decision.peek()
      // A checklist both on screen and in the launcher is one experience: `complete` counts it once.
      for (const c of [...d.experiences, ...d.launcher])
        if (c.kind == 'checklist' && !allDone(c, before) && allDone(c, after)) m.complete(c)
    },
    destroy() {
      alive = false
      // Nothing opens any more (a chunk on its way), and a tour stops.
      m.close()
      stopRender()
      render(null, root)
      el.remove()
      document.removeEventListener('keydown', onKey)
    },
  }
}
