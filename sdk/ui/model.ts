/**
 * The UI's state as one small signal model (Preact devtools-ui style): what the server decided,
 * what is open, what was dismissed or tracked, plus the actions the components call. Components
 * read the signals and re-render by themselves; nothing here touches the DOM except focus.
 */
import { batch, signal, type Signal } from '@preact/signals-core'
import type { EngagementEvent, Experience } from '../wire'
import type { Tour } from './guide/tour'
import type { Decision, UiHost } from './host'
import { createI18n, type I18n } from './i18n'
import { KINDS, type Kinds } from './kinds'

/** The host key of the tour in progress: `{ g: guideId, s: step, t: tab, v: 1 once shown }`. */
export const PROGRESS = 'tour'
export interface Progress {
  g: string
  s: number
  t: string
  v?: 1
}

/** What a dialog remembers while it is open. */
export interface Draft {
  score?: number
  /** The NPS score sent, or true once a message was answered. */
  answered?: number | true
  accepted?: string[]
}

export type DismissReason = 'close' | 'escape' | 'later' | 'target_missing'

export interface Model {
  host: UiHost
  /**
   * The current locale's texts and formatters. A signal underneath: a component that reads it
   * re-renders when `locale` switches it, keeping its state.
   */
  readonly i18n: I18n
  /** Switches to locale `tag` (a no-op for the current one); `undefined` keeps the current one. */
  locale(tag: string | undefined): void
  /** The element Preact renders into (inside the shadow root). */
  root: HTMLElement
  /** The kinds' chunks: what arrived, and the way to ask for one. */
  kinds: Kinds
  decision: Signal<Decision>
  /** The modal experience on screen (claimed, resumed or asked for through `show`). */
  open: Signal<Experience | null>
  /** The guide being toured, when `open` is a guide. */
  tour: Signal<Tour | null>
  /** Ids dismissed during this page's life: inline ones leave their lane, all go to the launcher. */
  dismissed: Signal<string[]>
  /** Event names tracked during this page's life (checklist items complete with them). */
  tracked: Signal<string[]>
  /** The launcher's panel is open. */
  panel: Signal<boolean>
  /** The open dialog's own state (the NPS score, an answer given, programs accepted); reset on open. */
  draft: Signal<Draft>
  /** The polite live region's text. */
  announce: Signal<string>
  /** Writes the guide's positions (px) into the stylesheet: `{ tx, ty, … }` → `--tx`, `--ty`. */
  pos: (vars: Record<string, number>) => void
  /** Sends an engagement event about `exp` (always with `experienceId` and `kind`). */
  send(event: EngagementEvent, exp: Experience, props?: Record<string, unknown>): void
  /** `experience_shown`, and the live region says what appeared. */
  shown(exp: Experience): void
  /** `experience_completed`, once per experience (a second call is ignored); closing it afterwards is not a dismissal. */
  complete(exp: Experience, props?: Record<string, unknown>): void
  /**
   * Opens a modal experience (a guide at its saved step), moving focus into it (a guide's tooltip
   * only when the widget had focus), once its kind's chunk is here: until then what is open stays
   * open; another `openExp` or a `close` meanwhile wins over it.
   */
  openExp(exp: Experience): void
  /**
   * Closes the open one: with a reason, `experience_dismissed`; without (`hide`), silently. Focus goes
   * back where it was when it opened, if it is still inside the widget (never taken from the page).
   */
  close(reason?: DismissReason): void
  /** Focus is inside the widget. */
  inside(): boolean
  /** Dismisses an inline experience (it moves to the launcher). */
  dismiss(exp: Experience, reason?: DismissReason): void
  /** An experience by id, or a guide by its guide id, from the decision's experiences, launcher or guides. */
  find(id: string): Experience | undefined
  /** `UiController.show`. */
  show(id: string): boolean
  /** The title the launcher and the live region use for `exp`. */
  titleOf(exp: Experience): string
}

/** The element that has focus, looking inside shadow roots (ours included). */
export function deepActive(): HTMLElement | null {
  let a = document.activeElement as HTMLElement | null
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement as HTMLElement
  return a
}

/** The model for one `mount`, in `host.locale`. */
export function createModel(host: UiHost, root: HTMLElement, pos: Model['pos'], kinds: Kinds = KINDS): Model {
  const completed = new Set<string>()
  let back: HTMLElement | null = null
  /** What `openExp` waits to open (its chunk is on its way). */
  let next: Experience | undefined
  let tag = host.locale
  const lang = signal(createI18n(tag, () => m.decision.value.texts))

  const m: Model = {
    host,
    root,
    kinds,
    pos,
    get i18n() {
      return lang.value
    },
    locale(t) {
      if (t && t != tag) lang.value = createI18n((tag = t), () => m.decision.value.texts)
    },
    decision: signal(host.decision),
    open: signal(null),
    tour: signal(null),
    dismissed: signal([]),
    tracked: signal([]),
    panel: signal(false),
    draft: signal({}),
    announce: signal(''),

    send(event, exp, props) {
      try {
        host.track(event, { experienceId: exp.id, kind: exp.kind, ...props })
      } catch (e) {
        host.log('ui: track failed', e)
      }
    },

    shown(exp) {
      m.send('experience_shown', exp)
      m.announce.value = m.i18n.t('shown', { title: m.titleOf(exp) })
    },

    complete(exp, props) {
      if (completed.has(exp.id)) return
      completed.add(exp.id)
      m.send('experience_completed', exp, props)
    },

    openExp(exp) {
      next = exp
      kinds.use(exp.kind, host.log, (ok) => {
        if (!ok || next != exp) return
        m.close()
        back = deepActive()
        batch(() => {
          m.panel.value = false
          m.draft.value = {}
          m.open.value = exp
          // A guide says it was shown when its first step is on screen (its target may come late).
          if (exp.kind == 'guide') m.tour.value = kinds.loaded.peek().guide!.tour!(m, exp)
          else m.shown(exp)
        })
      })
    },

    close(reason) {
      next = undefined
      const exp = m.open.value
      if (!exp) return
      if (reason && !completed.has(exp.id)) {
        m.dismiss(exp, reason)
        // This tab's progress only (another tab's tour may be the one saved now).
        if (savedTour(m)?.id == exp.id) host.set(PROGRESS, null)
      }
      const had = m.inside()
      m.tour.value?.dispose()
      batch(() => {
        m.tour.value = null
        m.open.value = null
      })
      if (had && back?.isConnected) back.focus()
      back = null
    },

    inside: () => !!(root.getRootNode() as ShadowRoot).activeElement,

    dismiss(exp, reason = 'close') {
      m.send('experience_dismissed', exp, { reason })
      m.dismissed.value = [...m.dismissed.value, exp.id]
    },

    find(id) {
      const d = m.decision.value
      return [...d.experiences, ...d.launcher, ...(d.guides || [])].find(
        (e) => e.id == id || (e.kind == 'guide' && e.guideId == id),
      )
    },

    show(id) {
      const exp = m.find(id)
      if (!exp) return false
      if (exp.lane == 'inline') {
        if (m.dismissed.value.includes(exp.id)) {
          m.dismissed.value = m.dismissed.value.filter((x) => x != exp.id)
          m.shown(exp)
        }
      } else if (m.open.value?.id != exp.id) m.openExp(exp)
      return true
    },

    titleOf(exp) {
      const { t, date, inDays } = m.i18n
      switch (exp.kind) {
        case 'guide':
          return exp.steps[0]?.title || exp.guideId
        // checklist.title, value.title
        default:
          return t(exp.kind + '.title')
        case 'nps':
          return t('launcher.nps')
        case 'advocacy':
          return t(exp.recovery ? 'recovery.title' : 'advocacy.title')
        case 'message':
          return exp.title || t(`situation.${exp.situation}.title`)
        case 'banner':
          return t('banner.renewal', { date: date(exp.renewalDate), when: inDays(exp.daysToRenewal) })
      }
    },
  }
  return m
}

/** The guide this tab was touring when it reloaded (another tab's tour is that tab's only). */
export function savedTour(m: Model): Experience | undefined {
  const p = m.host.get(PROGRESS) as Progress | undefined
  return p && p.t == m.host.tab ? m.find('guide:' + p.g) : undefined
}
