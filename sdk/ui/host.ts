/**
 * The contract between the always-loaded core (sdk/index.ts) and the lazy UI's base (sdk/ui/index.ts).
 * Type-only: the core imports the base with `import()` only when a decision has something to show
 * (the base imports each kind's chunk itself, when that kind is to be shown).
 */
import type { EngagementEvent, Experience, ExperienceResponse } from '../wire'

/**
 * A decision as the UI reads it. `guides`: every configured guide, for `show(id)` (a checklist item's
 * call to action, `jornada('show', id)`) only: never listed or shown by itself, so a workspace's
 * guides alone download nothing (the launcher lists a guide once this user was offered it).
 */
export type Decision = ExperienceResponse

/** What the core gives the UI. */
export interface UiHost {
  /** The first decision (more arrive through `UiController.update`). */
  decision: Decision
  /** The locale to render in (`en`, `pt-BR`, …): from `identify` traits, the page's `lang`, the browser (later ones come with `update`). */
  locale: string
  /** Debug mode: each experience shows the server's reason. */
  debug: boolean
  /** Nonce for a `<style>` fallback where constructable stylesheets are missing (strict CSP). */
  nonce?: string
  /** Sends an engagement event through the core's durable queue. */
  track(event: EngagementEvent, properties: Record<string, unknown>): void
  /**
   * Asks every tab of the site for the right to show this modal experience now (attention budget,
   * one tab only). Resolves false when another tab showed it or anything modal too recently.
   */
  claim(experience: Experience): Promise<boolean>
  /**
   * Small persistent key-value store shared by the site's tabs (guide progress across reloads, what
   * was shown today); `reset()` (log out) empties it. `null` removes a key.
   */
  get(key: string): unknown
  set(key: string, value: unknown): void
  /** This tab's id: the same across reloads of the tab (sessionStorage), another in every other tab. */
  tab: string
  /** Debug log (silent unless debug). */
  log(...args: unknown[]): void
}

/** What the UI gives back. */
export interface UiController {
  /**
   * A new decision (identity or locale changed, a refresh) and the locale to render in now: re-render
   * in place; what is open stays open at its state (a tour's step, an NPS score picked), in `locale`.
   */
  update(decision: Decision, locale: string): void
  /** `jornada('show', id)`: opens an experience by id (`guide:reports-tour`), or a guide by its guide id. false: unknown. */
  show(id: string): boolean
  /** `jornada('hide')`: closes what is open (not the launcher); nothing is reported as dismissed. */
  hide(): void
  /** The user tracked `event`: checklist items completed by it are marked done now. */
  tracked(event: string): void
  /** Removes everything the UI added to the page. */
  destroy(): void
}

export type Mount = (host: UiHost) => UiController
