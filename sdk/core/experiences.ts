import type { Experience, ExperienceRequest, EngagementEvent } from '../wire'
import type { Decision, Mount, UiController, UiHost } from '../ui/host'
import type { Ids } from './identity'
import type { Log } from './log'
import type { Kv } from './storage'
import { uuidv7 } from './uuid'

/** Another tab's modal experience blocks this tab's for this long (the server's default gap). */
const CLAIM_MS = 10 * 60_000

export interface ExperienceDeps {
  f: typeof fetch
  /** `https://host/v1/experience`. */
  url: string
  /** `…/jornada.ui.mjs`, beside the core. */
  uiUrl: string
  writeKey: string
  kv: Kv
  log: Log
  debug: boolean
  nonce?: string
  locks: LockManager | null | undefined
  now: () => number
  ids: () => Ids
  /** The session id without touching the session. */
  sessionId: () => string | undefined
  /** Locale override from the options. */
  locale?: string
  /** Sends what is queued, so that the decision sees this user's latest events. */
  flush: () => Promise<void>
  track: (event: EngagementEvent, properties: Record<string, unknown>) => void
}

/**
 * The thin, always-loaded side of in-app experiences (as PostHog keeps a thin surveys manager beside a lazy UI): asks
 * the server what to show, and only when the answer has something downloads the UI chunk
 * (sdk/ui/, `jornada.ui.mjs`) and mounts it. Also the tabs' coordination: a modal experience is
 * claimed by one tab (Web Locks around a localStorage record), and a checklist event tracked in one
 * tab reaches the others through the `storage` event.
 */
export function createExperiences(d: ExperienceDeps) {
  const { kv, log, now } = d
  let ui: UiController | undefined
  let mounting: Promise<UiController | undefined> | undefined
  let last: Decision | undefined
  let seq = 0
  let tab: string
  try {
    tab = sessionStorage.getItem('jornada:tab') || uuidv7(now())
    // sessionStorage survives a reload of the same tab: a tour resumed after a reload is still this tab's.
    sessionStorage.setItem('jornada:tab', tab)
  } catch {
    tab = uuidv7(now())
  }

  const locale = () => d.locale || kv.get<string>('locale') || document.documentElement.lang || navigator.language

  addEventListener('storage', (e) => {
    // Another tab's write: nothing in it may throw into this page.
    try {
      if (e.key == 'jornada:tracked' && e.newValue) ui?.tracked(JSON.parse(e.newValue).e)
    } catch (err) {
      log(err)
    }
  })

  /** One tab at a time decides, so two tabs opened together cannot both show the survey. */
  const exclusive = <T>(fn: () => T): Promise<T> =>
    d.locks ? (d.locks.request('jornada:ui', async () => fn()) as Promise<T>) : Promise.resolve().then(fn)

  const claim = (x: Experience) =>
    exclusive(() => {
      const rec = kv.get<{ id: string; tab: string; t: number }>('modal')
      if (rec && rec.tab != tab && now() - rec.t < CLAIM_MS)
        return (log('experience', x.id, 'held: tab', rec.tab, 'shows', rec.id), false)
      kv.set('modal', { id: x.id, tab, t: now() })
      return true
    })

  // The UI's own keys live in one record (`jornada:ui`), so that reset() empties it in one go.
  const uiKv = () => kv.get<Record<string, unknown>>('ui') || {}
  const host = (decision: Decision): UiHost => ({
    decision,
    tab,
    locale: locale(),
    debug: d.debug,
    nonce: d.nonce,
    track: (event, properties) => d.track(event, { ...properties, sessionId: d.sessionId() }),
    claim,
    get: (k) => uiKv()[k],
    set: (k, v) => kv.set('ui', { ...uiKv(), [k]: v ?? undefined }),
    log,
  })

  // Mounts with the latest decision when the chunk has arrived: a newer answer that came while
  // it loaded (the user switched accounts) is not lost.
  let gen = 0
  const mount = (g = gen): Promise<UiController | undefined> =>
    (mounting ||= import(/* @vite-ignore */ d.uiUrl)
      // After a reset() (log out) while it loaded: nothing to show any more.
      .then((m: { mount: Mount }) => (g == gen && last ? (ui = m.mount(host(last))) : undefined))
      .catch((e) => {
        mounting = undefined
        log('ui chunk failed to load', e)
        return undefined
      }))

  /** Asks the server again (identity changed, `show`) and updates or mounts the UI. */
  async function refresh(): Promise<Decision | undefined> {
    const ids = d.ids()
    if (!ids.userId || !ids.accountId) return
    const mine = ++seq
    await d.flush()
    const lang = locale()
    const body: ExperienceRequest = {
      userId: ids.userId,
      accountId: ids.accountId,
      url: location.href,
      locale: lang,
      sessionId: d.sessionId(),
      ...(ids.userHash && { userHash: ids.userHash }),
      ...(ids.userToken && { userToken: ids.userToken }),
    }
    let res: Response
    try {
      res = await d.f(d.url + (d.debug ? '?debug=1' : ''), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + d.writeKey },
        body: JSON.stringify(body),
      })
    } catch (e) {
      return void log('experience: network error', e)
    }
    if (!res.ok) return void log('experience: HTTP', res.status)
    const decision = (await res.json()) as Decision & { notes?: string[] }
    // An older answer arriving after a newer request's is stale.
    if (mine != seq) return
    if (decision.notes) log('experience notes:', decision.notes)
    last = decision
    // The locale asked in goes along, also when only the page's `lang` changed since the last ask.
    if (ui) ui.update(decision, lang)
    // Nothing of the UI is downloaded while there is nothing to show.
    // (`guides` alone is not something to show: they wait for `show`.)
    else if (decision.experiences.length || decision.launcher.length) await mount()
    return decision
  }

  return {
    refresh,
    /** `jornada('show', id)`: an experience id (`guide:reports-tour`) or a guide id. */
    async show(id: string) {
      const has = (r?: Decision) =>
        r &&
        [...r.experiences, ...r.launcher, ...(r.guides || [])].some(
          (x) => x.id == id || ('guideId' in x && x.guideId == id),
        )
      const decision = has(last) ? last : await refresh()
      if (!decision || !has(decision)) return log('show: nothing called', id)
      const c = ui || (await mount())
      if (c && !c.show(id)) log('show: nothing called', id)
    },
    hide: () => ui?.hide(),
    /**
     * `reset()` (log out): the UI goes with the user, and what it kept: tour progress, what was shown
     * today, the `locale` trait, this site's modal claim (the next user starts clean, in every tab).
     */
    reset() {
      ui?.destroy()
      kv.del('ui')
      kv.del('locale')
      kv.del('modal')
      ui = mounting = last = undefined
      seq++
      gen++
    },
    /** This tab tracked `event`: the UI and every other tab hear of it (checklist items done). */
    tracked(event: string) {
      ui?.tracked(event)
      kv.set('tracked', { e: event, t: now() })
    },
    /**
     * `identify`'s `locale` trait, kept for the next decision. True when it changed what `locale()`
     * gives (not pinned by the `locale` option): the caller asks again, and the UI switches in place.
     */
    remember(traitLocale?: unknown): boolean {
      if (typeof traitLocale != 'string' || traitLocale == kv.get('locale')) return false
      kv.set('locale', traitLocale)
      return !d.locale
    },
  }
}
