/**
 * The kinds' own chunks. The base (this chunk: mount, model, stylesheet, i18n, small controls) holds
 * what every kind needs; each kind's views, styles and texts come in a chunk of their own,
 * `import()`ed when something of that kind is to be shown: an experience of the decision, one
 * opened by `show` or from the launcher, a checklist item's guide; the launcher's when it has
 * something to offer. A page that shows only the checklist never downloads the tour engine or the
 * NPS survey.
 *
 * The dynamic imports are relative: the browser resolves them against the base's own URL, so the
 * chunks are found beside `jornada.ui.mjs` wherever it is served.
 */
import { signal, type Signal } from '@preact/signals-core'
import type { ComponentType } from 'preact'
import type { Experience, GuideExperience } from '../wire'
import { CATALOGS, type Key, type Texts } from './i18n'
import type { Model } from './model'
import type { Tour } from './guide/tour'

/** What has a chunk of its own: every kind of experience, and the launcher. */
export type Kind = Experience['kind'] | 'launcher'

/** A kind's view: the experience `exp` (the checklist also `inPanel`, inside the launcher; the launcher, what it lists). */
// biome-ignore lint/suspicious/noExplicitAny: each view takes its own kind of experience
export type View = ComponentType<{ m: Model; exp: any; inPanel?: boolean }>

/** What a kind's chunk exports. */
export interface Chunk {
  /** Its views by experience kind (the NPS chunk also holds advocacy's: a survey's follow-up shows programs). */
  view: Partial<Record<Kind, View>>
  /** Its styles, adopted into each shadow root after the base's (each text once: kinds share a dialog's). */
  css: string[]
  /** Its texts by key, in both catalog locales (`[en, pt-BR]`), merged into the base's catalogs. */
  texts: Texts
  /** The guide chunk: the tour engine. */
  tour?: (m: Model, g: GuideExperience) => Tour
}

/** Loads the chunk of a kind (`checklist`, `guide`, …). */
export type Load = (kind: Kind) => Promise<Chunk>

export interface Kinds {
  /** The chunks that arrived, by kind: a render reads it and renders again when one arrives. */
  loaded: Signal<Partial<Record<Kind, Chunk>>>
  /**
   * Calls `then(true)` once the chunk of `kind` is here: at once when it is, else when it arrives.
   * A chunk that cannot be loaded throws nothing: it is logged with `log`, `then(false)` is called
   * (what needed it shows nothing), and the next call asks for it again.
   */
  use(kind: Kind, log: (...a: unknown[]) => void, then?: (ok: boolean) => unknown): void
}

/**
 * The built chunks: `jornada.ui.<kind>.mjs` beside this one (vite.config.ts names them). A chunk
 * imports what it shares with other kinds (a dialog's frame, the markdown subset) from chunks of
 * their own, which the browser fetches when it reads those imports.
 */
export const load: Load = (kind) =>
  kind == 'checklist'
    ? import('./checklist')
    : kind == 'guide'
      ? import('./guide')
      : kind == 'nps' || kind == 'advocacy'
        ? import('./nps')
        : kind == 'value'
          ? import('./value')
          : kind == 'message'
            ? import('./message')
            : kind == 'banner'
              ? import('./banner')
              : import('./launcher')

/** A registry over `load`: each chunk is asked for once (again only after a failure). */
export function createKinds(load: Load): Kinds {
  const loading: Partial<Record<string, Promise<unknown>>> = {}
  const loaded: Kinds['loaded'] = signal({})
  return {
    loaded,
    use(kind, log, then) {
      if (loaded.peek()[kind]) return void then?.(true)
      ;(loading[kind] ||= Promise.resolve(kind)
        .then(load)
        .then((c) => {
          // The catalogs' type names the base's keys; each kind adds its own.
          for (const k in c.texts) [CATALOGS.en![k as Key], CATALOGS['pt-BR']![k as Key]] = c.texts[k]!
          loaded.value = { ...loaded.peek(), [kind]: c }
        })
        .catch((e) => {
          delete loading[kind]
          throw e
        }))
        .then(
          () => then?.(true),
          (e) => {
            log('ui: the ' + kind + ' chunk failed to load', e)
            return then?.(false)
          },
        )
        .catch((e) => log('ui:', e))
    },
  }
}

/** The page's registry: every mount of this chunk shares what arrived. */
export const KINDS = createKinds(load)
