/** The package version, put in by the build and the tests (vite.config.ts `define`): no JSON import for bundler users to resolve. */
declare const __JORNADA_VERSION__: string
/** The UI base's file name, content-hashed (sdk/build.ts builds the UI first and puts its name here). */
declare const __JORNADA_UI_FILE__: string
const version = __JORNADA_VERSION__
import type { WireEvent } from './wire'
import { ACCOUNT_FACTS } from './wire'
import { createEmitter } from './core/emitter'
import { createExperiences } from './core/experiences'
import type { JornadaEvents, Listener } from './core/emitter'
import { createIdentity, type Ids } from './core/identity'
import { createLog } from './core/log'
import { createQueue } from './core/queue'
import { createSession } from './core/session'
import { createKv, createQueueStore, defaultLocalStorage } from './core/storage'
import { createLock } from './core/tabs'
import { beacon, envelope, post } from './core/transport'
import { uuidv7 } from './core/uuid'

export type { JornadaEvents } from './core/emitter'
export type { WireEvent } from './wire'

export interface JornadaOptions {
  /** The workspace's public write key (`pk_…`). Required. */
  writeKey: string
  /** Origin of the Jornada API; default: the page's origin. */
  apiHost?: string
  /** Logs what the SDK does and refuses to the console, prefixed `[jornada]`. */
  debug?: boolean
  /** Send as soon as this many events are queued; default 20. */
  flushAt?: number
  /** Otherwise send this many ms after an event is queued; default 1000. */
  flushInterval?: number
  /** Most events kept; beyond it the oldest are dropped (and counted); default 1000. */
  maxQueue?: number
  /** Send `$page` on start and on single-page route changes; default true. */
  autoPage?: boolean
  /** Injection points (tests, unusual hosts). */
  fetch?: typeof fetch
  /** Clock (ms since epoch); default Date.now. */
  now?: () => number
  /** localStorage; null for memory only. */
  storage?: Storage | null
  /** Web Locks; null for the localStorage lease. */
  locks?: LockManager | null
  /** false: keep the queue in memory instead of IndexedDB. */
  indexedDB?: boolean
  /** Jitter source for retry delays; default Math.random. */
  random?: () => number
  /** false: never ask for in-app experiences (tracking only); default true. */
  experiences?: boolean
  /** The page's CSP nonce, for the UI's `<style>` fallback where constructable stylesheets are missing. */
  nonce?: string
  /** The UI's language (`en`, `pt-BR`…); default: the `locale` trait of `identify`, the page's `lang`, the browser's. */
  locale?: string
  /** Where the UI chunk is; default the UI's base beside the core, `jornada.ui.<hash>.mjs` (bundler users: where they serve `jornada/dist/sdk/jornada.ui.mjs`). */
  uiUrl?: string
}

/** The SDK instance (the same methods are reachable as `jornada('method', …args)` after the script tag). */
export interface Jornada {
  /**
   * Names the current user: later events carry `userId`, and an `identify` event carries `traits`
   * (`email`, `name`, `role`, `stakeholder`…). When identity verification is on, your server
   * proves who the user is: `userHash`, hex HMAC-SHA256 of `userId` with the workspace's identity
   * secret, proves the user; `userToken`, a JWT signed with that secret naming the user and their
   * accounts, proves both (docs/security.md, "Identity verification").
   * A `locale` trait unlike the last one switches the UI's language, even for the same user: what
   * is open stays open and re-renders in it.
   */
  identify(userId: string, traits?: Record<string, unknown>, options?: { userHash?: string; userToken?: string }): void
  /** Names the user's account (company): later events carry `accountId`; a `group` event carries its `traits`. */
  group(accountId: string, traits?: Record<string, unknown>): void
  /**
   * Queues event `event` with `properties`. Account-level facts (`ACCOUNT_FACTS`: `renewed`,
   * `ticket_opened`…) are refused: only the secret key may send them.
   */
  track(event: string, properties?: Record<string, unknown>): void
  /** Records a page view (`$page`) of the current URL; sent automatically unless `autoPage: false`. */
  page(name?: string, properties?: Record<string, unknown>): void
  /** Forgets the user and account (log out): a new anonymous id, and a new session at the next activity. */
  reset(): void
  /** Sends everything queued now, ignoring a pending retry delay. Resolves when done; never rejects. */
  flush(): Promise<void>
  /** Stops all tracking on this site (remembered in localStorage) and discards the queue. */
  optOut(): void
  /** Resumes tracking after `optOut()`. */
  optIn(): void
  /** Listens to `track` (an event was queued), `sent` ({ count }) or `drop` ({ count, reason }); returns the unsubscribe function. */
  on<K extends keyof JornadaEvents>(event: K, fn: Listener<JornadaEvents[K]>): () => void
  /**
   * Opens an in-app experience now: a guide by its id (`reports-tour`) or any experience by its id
   * (`checklist`, `guide:reports-tour`). Loads the UI when needed; unknown ids are ignored.
   */
  show(id: string): void
  /** Closes the open experience (the launcher stays). */
  hide(): void
}

const LIBRARY = { name: 'jornada', version }

const obj = (x: unknown) => (x && typeof x == 'object' ? x : {}) as Record<string, unknown>

/**
 * Starts the SDK for bundler users (`import { createJornada } from 'jornada'`). Throws only on misuse
 * (no `writeKey`); nothing after that throws into the page.
 */
export function createJornada(options: JornadaOptions): Jornada {
  if (!options || !options.writeKey || typeof options.writeKey != 'string')
    throw new Error('[jornada] writeKey is required')
  const o = options
  const { writeKey } = o
  const log = createLog(o.debug)
  const now = o.now || (() => Date.now())
  const kv = createKv(o.storage === undefined ? defaultLocalStorage() : o.storage)
  // Unbound window.fetch throws "Illegal invocation" in some browsers.
  const f: typeof fetch = o.fetch || ((...a) => fetch(...a))
  const api = (o.apiHost || location.origin).replace(/\/+$/, '')
  const url = api + '/v1/batch'
  const emitter = createEmitter()
  const identity = createIdentity(kv, now)
  // identify's proofs of the user, per write key (signed with one workspace's secret: two keys on a
  // page keep their own), sent with every event of that user and not with another's; SDK 0.1 kept one as `hash`.
  const HASH = 'hash:' + writeKey
  type Proof = { u: string; h?: string; t?: string }
  const who = (): Ids => {
    const ids = identity.get()
    const p = kv.get<Proof>(HASH) || kv.get<Proof>('hash')
    return p && p.u == ids.userId ? { ...ids, ...(p.h && { userHash: p.h }), ...(p.t && { userToken: p.t }) } : ids
  }
  const session = createSession(kv, now)
  const queue = createQueue({
    // The queue is per write key (storage.ts); ids and session describe the person and stay per site.
    store: createQueueStore(log, o.indexedDB, writeKey),
    kv,
    writeKey,
    lock: createLock('jornada:send:' + writeKey, o.locks === undefined ? navigator.locks : o.locks, kv, now),
    send: (batch) => post(f, url, envelope(batch, writeKey, now()), now),
    beacon: (events) => beacon(f, url, events, writeKey, now()),
    emitter,
    log,
    now,
    flushAt: o.flushAt || 20,
    flushInterval: o.flushInterval ?? 1000,
    maxQueue: o.maxQueue || 1000,
    random: o.random,
  })

  // The page as events describe it; on SPA route changes the previous URL becomes the referrer.
  let referrer = document.referrer
  let href = location.href
  let route = location.pathname + location.search

  const push = (type: WireEvent['type'], fields: Partial<WireEvent>, sessionId: string) => {
    const t = now()
    // JSON round trip: a snapshot the host cannot mutate later, without values IndexedDB cannot clone.
    const e: WireEvent = JSON.parse(
      JSON.stringify({
        id: uuidv7(t),
        type,
        ...fields,
        ...who(),
        timestamp: new Date(t).toISOString(),
        context: {
          library: LIBRARY,
          locale: navigator.language,
          sessionId,
          page: { url: location.href, path: location.pathname, referrer, title: document.title },
        },
      }),
    )
    queue.add(e)
  }

  /**
   * Every user activity goes through here: the first one of a session for this write key is preceded
   * by `$login` (the session is the person's, shared by the site's tabs and keys; each key's
   * workspace gets its own `$login`).
   */
  const record = (type: WireEvent['type'], fields: Partial<WireEvent>) => {
    if (kv.get('optout')) return log('opted out:', type, 'ignored')
    const [sessionId, login] = session.touch(writeKey)
    if (login) push('track', { event: '$login' }, sessionId)
    push(type, fields, sessionId)
  }

  const ui = createExperiences({
    f,
    url: api + '/v1/experience', // Beside this file (`new URL(…, import.meta.url)` would make bundlers resolve it at build time).
    uiUrl: o.uiUrl || import.meta.url.replace(/[^/?#]*([?#].*)?$/, __JORNADA_UI_FILE__),
    writeKey,
    kv,
    log,
    debug: !!o.debug,
    nonce: o.nonce,
    locale: o.locale,
    locks: o.locks === undefined ? navigator.locks : o.locks,
    now,
    ids: who,
    sessionId: () => kv.get<{ id: string }>('session')?.id,
    flush: () => queue.flush(true),
    track: (event, properties) => record('track', { event, properties }),
  })
  // identify and group called together ask once.
  let asking: ReturnType<typeof setTimeout> | undefined
  const ask = () => {
    if (o.experiences === false || kv.get('optout')) return
    clearTimeout(asking)
    asking = setTimeout(() => ui.refresh().catch(log))
  }

  // Every public method: errors are logged in debug mode, never thrown into the page.
  const safe =
    <A extends unknown[], R>(fn: (...a: A) => R, fallback?: R) =>
    (...a: A): R => {
      try {
        return fn(...a)
      } catch (e) {
        log(e)
        return fallback as R
      }
    }
  const noop = () => {}

  const j: Jornada = {
    identify: safe((userId, traits, opts) => {
      if (!userId || typeof userId != 'string') return log('identify: userId must be a non-empty string')
      const changed = identity.get().userId != userId
      identity.set({ userId })
      if (opts?.userHash || opts?.userToken) kv.set(HASH, { u: userId, h: opts.userHash, t: opts.userToken })
      record('identify', { traits: obj(traits) })
      // A new locale asks again even for the same user: the UI re-renders what is open in it.
      if (ui.remember(obj(traits).locale) || changed) ask()
    }),
    group: safe((accountId, traits) => {
      if (!accountId || typeof accountId != 'string') return log('group: accountId must be a non-empty string')
      const changed = identity.get().accountId != accountId
      identity.set({ accountId })
      record('group', { traits: obj(traits) })
      if (changed) ask()
    }),
    track: safe((event, properties) => {
      if (!event || typeof event != 'string') return log('track: event must be a non-empty string')
      // The server answers 403 to a write key sending these; refusing here keeps the batch deliverable.
      if ((ACCOUNT_FACTS as readonly string[]).includes(event))
        return log('track:', event, 'is an account-level fact: send it with the secret key')
      record('track', { event, properties: obj(properties) })
      ui.tracked(event)
    }),
    page: safe((name, properties) => {
      record('page', { name: name || document.title || undefined, properties: obj(properties) })
    }),
    reset: safe(() => {
      ui.reset()
      identity.reset()
      session.reset()
      kv.del(HASH)
      kv.del('hash')
    }),
    flush: safe(() => queue.flush(true), Promise.resolve()),
    optOut: safe(() => {
      kv.set('optout', 1)
      queue.clear().catch(log)
    }),
    optIn: safe(() => kv.del('optout')),
    on: safe((event, fn) => emitter.on(event, fn), noop),
    show: safe((id) => {
      if (o.experiences !== false && typeof id == 'string') ui.show(id).catch(log)
    }),
    hide: safe(() => ui.hide()),
  }

  try {
    const check = () => {
      const r = location.pathname + location.search
      if (r != route) (route = r), (referrer = href), (href = location.href), j.page()
    }
    if (o.autoPage !== false) {
      // Patched methods call the original with the host's arguments and return its result; the check
      // runs a task later, when SPA routers have usually set the new title.
      for (const m of ['pushState', 'replaceState'] as const) {
        const orig = history[m]
        history[m] = function (this: History, ...a: Parameters<History['pushState']>) {
          const r = orig.apply(this, a)
          setTimeout(safe(check))
          return r
        }
      }
      addEventListener('popstate', safe(check))
    }
    addEventListener('online', () => void queue.flush())
    addEventListener('pagehide', safe(queue.unload))
    document.addEventListener(
      'visibilitychange',
      safe(() => document.visibilityState == 'hidden' && queue.unload()),
    )
    // A microtask later, so that calls made right after creation (identify, group) come first.
    Promise.resolve().then(() => {
      if (o.autoPage !== false) j.page()
      // A returning user (ids in localStorage): ask what to show now.
      ask()
    })
    queue.wake()
  } catch (e) {
    log(e)
  }
  return j
}

type Dispatcher = ((method: string, ...args: unknown[]) => unknown) & {
  q?: ArrayLike<unknown>[] | { push(a: ArrayLike<unknown>): void }
  j?: Jornada
}

/**
 * Called by the loader (script tag): starts the SDK, replaces the stub `window.jornada` with a
 * dispatcher `jornada(method, ...args)` and replays the calls the stub recorded, in order.
 */
export function boot(options: JornadaOptions): Jornada {
  const w = window as unknown as { jornada?: Dispatcher }
  const stub = w.jornada
  if (stub?.j) return stub.j
  const j = createJornada(options)
  const log = createLog(options.debug)
  const d: Dispatcher = (m, ...a) => {
    try {
      // The dispatcher's methods are the instance's own ones; anything else is ignored.
      if ({}.hasOwnProperty.call(j, m)) return (j[m as keyof Jornada] as (...x: unknown[]) => unknown)(...a)
      log('unknown method', m, 'ignored')
    } catch (e) {
      log(e)
    }
  }
  d.j = j
  // The stub pushes to `window.jornada.q`: code still holding the stub reaches the dispatcher this way.
  d.q = { push: (a: ArrayLike<unknown>) => d(...(Array.from(a) as [string])) }
  w.jornada = d
  const q = (Array.isArray(stub?.q) && stub.q) || []
  for (let i = 0; i < q.length; i++) d(...(Array.from(q[i]) as [string]))
  return j
}
