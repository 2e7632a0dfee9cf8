/**
 * One guide in progress: which step, its target (find.ts: selector lists, text, open shadow roots),
 * whether it can show on this page. Waits for late-rendered targets (observers and a 250 ms check
 * until `waitMs`), follows SPA route changes (it polls the URL), saves its progress with
 * `host.set('tour', { g, s, t, v })` (guide, step, this tab's id, shown) so that a reload of this tab
 * resumes it, and no other tab (cleared at the end and on dismissal); a resumed tour is not shown
 * anew (no second `experience_shown`). Keeps the tooltip and beacon beside the target through scrolling (any scroll
 * container of the page: listened to in the capture phase; a scroll inside a shadow root is not
 * composed and stays unheard), resizing and re-layout.
 */
import { effect, signal, type Signal } from '@preact/signals-core'
import type { GuideExperience } from '../../wire'
import { type Model, PROGRESS, type Progress } from '../model'
import { findTarget, searchRoots, type Root } from './find'
import { inView, placeBeacon, placeTip } from './place'

export interface Tour {
  exp: GuideExperience
  step: Signal<number>
  /** The step's element; null when it shows as a modal (no selector, or missing with `missingTarget: 'modal'`). */
  target: Signal<Element | null>
  /** The step can show now (its path matches, its target was found or given up on). */
  ready: Signal<boolean>
  /** A hotspot's beacon was opened into its tooltip. */
  expanded: Signal<boolean>
  /**
   * The user moves through the tour from inside the widget (Next, Back, the beacon, the launcher): a
   * step that appears while focus is lost (on the body, its button gone) takes it. Otherwise a
   * tooltip or beacon never takes focus from the page.
   */
  kb?: boolean
  /** Goes to step `i` (`dir` -1 when going back: a skipped step skips backwards). Past the last: completed. */
  go(i: number, dir?: 1 | -1): void
  dispose(): void
}

/** Starts `g` at this tab's saved step (or the first). */
export function createTour(m: Model, g: GuideExperience): Tour {
  const p = m.host.get(PROGRESS) as Progress | undefined
  const saved = p?.g == g.guideId && p.t == m.host.tab ? p : undefined
  const steps = g.steps || []
  const viewed = new Set<number>()
  // Shown (and counted) when it began, before a reload: resuming is not a new show.
  let shown = saved?.v
  let stop = () => {}
  // SPA route changes (steps limited to a path), back/forward and pushState/replaceState alike, by
  // looking at the URL every 200 ms while the tour runs (a router that kept its own reference to
  // history.pushState before this chunk loaded would never call a wrapper: the better guide tools
  // watch history and poll, rather than wait for the host to call a refresh).
  const path = signal(location.pathname)
  const poll = setInterval(() => (path.value = location.pathname), 200)
  const save = (s: number) => m.host.set(PROGRESS, { g: g.guideId, s, t: m.host.tab, v: shown })

  const tour: Tour = {
    exp: g,
    step: signal(saved && saved.s < steps.length ? saved.s : 0),
    target: signal(null),
    ready: signal(false),
    expanded: signal(false),

    go(i, dir = 1) {
      stop()
      tour.kb ||= m.inside()
      if (i < 0) i = 0
      if (i >= steps.length) {
        m.host.set(PROGRESS, null)
        // Every step skipped for want of its target: nothing was shown, so it is not completed.
        if (shown) m.complete(g, { guideId: g.guideId })
        else m.close('target_missing')
        m.close()
        return
      }
      save(i)
      tour.step.value = i
      tour.ready.value = false
      tour.expanded.value = false
      resolve(i, dir)
    },

    dispose() {
      clearInterval(poll)
      stop()
      stopRoute()
      stopFollow()
    },
  }

  function show(i: number, target: Element | null) {
    tour.target.value = target
    tour.ready.value = true
    if (target && !inView(target.getBoundingClientRect(), innerWidth, innerHeight))
      target.scrollIntoView({ block: 'center' })
    if (!shown) {
      m.shown(g)
      shown = 1
      save(i)
    }
    if (!viewed.has(i)) m.send('guide_step_viewed', g, { guideId: g.guideId, step: i })
    viewed.add(i)
  }

  function resolve(i: number, dir: 1 | -1) {
    const s = steps[i]
    // A step limited to a path waits for the route (the `path` effect calls back).
    if (s.path && !path.peek().startsWith(s.path)) return
    if (s.kind == 'modal' || !s.selector) return show(i, null)
    const { selector, text } = s
    // The search reaches into open shadow roots, so the wait must hear about them too: an observer
    // on the document is never told of changes inside a shadow root, so every root found is
    // observed as well. Walking the page for roots is the costly part (find.ts), so a mutation
    // only queries the roots already found (the observer passes its records: `quick`); the check
    // every 250 ms walks again, which also catches what no observer reports: a custom element
    // defined late (upgrading attaches its shadow root without a mutation), a new web component,
    // a target shown by a stylesheet alone. All of it stops at `waitMs`.
    let roots: Root[] = []
    const look = (quick?: unknown) => {
      if (!quick)
        for (const r of (roots = searchRoots())) obs.observe(r, { childList: true, subtree: true, attributes: true })
      const el = findTarget(roots, selector, text)
      if (el) {
        stop()
        show(i, el)
      }
    }
    const obs = new MutationObserver(look)
    const poll = setInterval(look, 250)
    const timer = setTimeout(() => {
      stop()
      m.send('guide_target_missing', g, { guideId: g.guideId, step: i, selector })
      if (g.missingTarget == 'modal') show(i, null)
      else tour.go(i + dir, dir)
    }, g.waitMs)
    stop = () => {
      obs.disconnect()
      clearInterval(poll)
      clearTimeout(timer)
    }
    look()
  }

  // The start, and route changes: a step for another path hides (and waits); its path shows it.
  const stopRoute = effect(() => {
    // Read first, whatever the step: the effect hears of every route change.
    const at = path.value
    const s = steps[tour.step.peek()]
    if (s?.path && !at.startsWith(s.path)) {
      stop()
      tour.ready.value = false
    } else if (s && !tour.ready.peek()) tour.go(tour.step.peek())
  })

  // Positions: computed in an animation frame, after the step rendered and before it is painted.
  const stopFollow = effect(() => {
    const target = tour.target.value
    if (!tour.ready.value || !target) return
    tour.step.value
    tour.expanded.value
    let frame = 0
    const place = () => {
      frame = 0
      // The target left the DOM (a re-render): look for it again.
      if (!target.isConnected) {
        tour.ready.value = false
        return resolve(tour.step.peek(), 1)
      }
      const r = target.getBoundingClientRect()
      const { clientWidth: vw, clientHeight: vh } = document.documentElement
      const b = placeBeacon(r, m.i18n.dir == 'rtl', vw, vh)
      const tip = m.root.querySelector('.tip')?.getBoundingClientRect()
      const p = placeTip(r, tip?.width || 340, tip?.height || 160, vw, vh)
      m.pos({ tx: p.x, ty: p.y, bx: b.x, by: b.y, hx: r.left - 4, hy: r.top - 4, hw: r.width + 8, hh: r.height + 8 })
    }
    const later = () => {
      frame ||= requestAnimationFrame(place)
    }
    later()
    // Capture: scrolls of any container (scroll events do not bubble); never cancelable, so no `passive`.
    addEventListener('scroll', later, true)
    addEventListener('resize', later)
    // No feature test: every browser that parses this ES2020 chunk has ResizeObserver.
    const ro = new ResizeObserver(later)
    ro.observe(target)
    // The tooltip's own size changes with its text (and its first frame has no size yet).
    requestAnimationFrame(() => {
      const tip = m.root.querySelector('.tip')
      if (tip) ro.observe(tip)
    })
    return () => {
      cancelAnimationFrame(frame)
      removeEventListener('scroll', later, true)
      removeEventListener('resize', later)
      ro.disconnect()
    }
  })

  if (!steps.length) queueMicrotask(() => m.close())
  return tour
}
