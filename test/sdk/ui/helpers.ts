import type { Experience, ExperienceResponse } from '../../../sdk/wire'
import type { Decision, UiHost } from '../../../sdk/ui/host'
import { KINDS, type Kind } from '../../../sdk/ui/kinds'

/** Every kind with a chunk of its own. */
export const ALL_KINDS: Kind[] = ['checklist', 'guide', 'nps', 'advocacy', 'value', 'message', 'banner', 'launcher']

/**
 * Loads every kind's chunk into the page's registry, as a page that showed each of them once has
 * them: mounts after this render each kind at once. Tests of what the kinds do call it first; the
 * lazy loading itself has its own tests (kinds.test.ts), each with a registry of its own.
 */
export const loadKinds = () =>
  Promise.all(ALL_KINDS.map((k) => new Promise((ok, fail) => KINDS.use(k, fail, (loaded) => loaded && ok(k)))))

/** A fake host: records events, keeps a store, claims as told. */
export function fakeHost(decision: Decision, over: Partial<UiHost> = {}, store = new Map<string, unknown>()) {
  const events: Record<string, unknown>[] = []
  const claims: string[] = []
  const host: UiHost = {
    decision,
    locale: 'en',
    debug: false,
    track: (event, props) => void events.push({ event, ...props }),
    claim: async (e: Experience) => {
      claims.push(e.id)
      return true
    },
    get: (k) => store.get(k),
    set: (k, v) => void (v == null ? store.delete(k) : store.set(k, v)),
    tab: 'tab-1',
    log: () => {},
    ...over,
  }
  return { host, events, claims, store, names: () => events.map((e) => e.event) }
}

/** The widget's shadow root. */
export const shadow = () => document.querySelector('jornada-ui')!.shadowRoot!

/** Lets promises (claims) and signal-driven renders settle. */
export const settle = () => new Promise((r) => setTimeout(r, 0))

export const decisionOf = (experiences: Experience[], launcher: Experience[] = []): ExperienceResponse => ({
  experiences,
  launcher,
  locale: 'en',
})
