/**
 * Keeps the accounts listing current: computes journey states and stores what the listing filters
 * on (`AccountSnapshot`). Two triggers: accounts whose events were just ingested (every
 * `intervalMs`, default 1 s), and a full sweep of every account of every workspace in the store,
 * because dates pass without events (a milestone becomes overdue at midnight with nobody sending
 * anything, renewal tasks fall due): at start, then in every UTC hour (so right after midnight).
 * The workspaces come from the store (listWorkspaceIds), not from what this process has seen: after
 * a restart, a workspace that receives no event still gets its date-driven webhooks. Several
 * processes on one PostgreSQL claim each workspace's hourly sweep (Store.claimSweep): one of them
 * sweeps it; a sweep that fails gives its claim back and is tried again at the next tick; a process
 * that dies mid-sweep leaves that hour to the next one. The journey
 * routes compute states on demand; the listing reads snapshots, and the journey map of now reads
 * the map summaries that sweeps store with them (reports/account-map-summary.ts).
 *
 * The same evaluation detects webhook events (webhooks/detect.ts: what holds now, against the
 * previous snapshot) and puts them in the outbox in the snapshot's transaction; the outbox keeps one
 * event per cause, so a condition that keeps holding fires once, and a date passing fires at the
 * sweep after midnight.
 */
import { journeyContext, stateOf } from './journey'
import type { AccountFacts, JourneyConfig, JourneyState } from './journey'
import type { AccountSnapshot, Store } from './store/types'
import { DAY_MS } from './journey/time'
import { accountMapSummary } from './reports/account-map-summary'
import { detectWebhookEvents } from './webhooks/detect'
import type { WebhookEvent } from './webhooks/types'

/** A full sweep at least this often. */
export const SWEEP_EVERY_MS = 60 * 60 * 1000
/** Accounts per putSnapshots call during a sweep. */
const SWEEP_CHUNK = 200
/** loadFacts calls in flight at once (PostgreSQL's pool serves them in parallel; PGlite queues them). */
const CONCURRENCY = 8

export interface EvaluatorDeps {
  store: Store
  clock: () => number
  /** The effective journey config of a workspace (routes/config.ts, configSource). */
  configFor: (workspaceId: string) => Promise<JourneyConfig>
  /** Timer runs report here: sweep timings, and failures (timers never throw). Default: failures to console.error. */
  log?: (line: Record<string, unknown>) => void
}

export interface StartOptions {
  /** How often touched accounts are evaluated (and the sweep schedule checked), ms; default 1000. */
  intervalMs?: number
  /**
   * Workspaces swept by the timer besides every workspace of the store (listWorkspaceIds); also
   * swept when listing the store's workspaces fails, as are the workspaces seen in touched accounts.
   */
  workspaceIds?: string[]
}

export interface Evaluator {
  /**
   * Computes the states of these accounts at `clock()`, stores their snapshots and, in the same
   * transaction, the webhook events that hold (Store.putSnapshots). Returns how many were stored.
   */
  evaluate(workspaceId: string, accountIds: string[]): Promise<number>
  /** Evaluates the accounts the store saw events for since the last call. */
  evaluateTouched(): Promise<number>
  /** Evaluates every account of the workspace. */
  sweep(workspaceId: string): Promise<number>
  /**
   * Every account of every workspace of the store. `claim`: only the workspaces whose sweep of this
   * UTC hour no process has claimed yet (Store.claimSweep), as the timer does. Returns how many were stored.
   */
  sweepAll(opts?: { claim?: boolean }): Promise<number>
  /** The timer's sweep when one is due: at start (unclaimed), then once per UTC hour, claimed. Returns how many were stored. */
  sweepIfDue(): Promise<number>
  start(opts?: StartOptions): void
  /** Stops the timers; resolves once a run in progress has finished. */
  stop(): Promise<void>
}

/** Recorded changes (Store.listAccountChanges) are kept this long; the overview reads the last 7 days. */
export const CHANGES_KEPT_MS = 90 * DAY_MS

/**
 * What the listing shows of a state, and of the facts it was computed from: the account's `name`
 * trait (a non-empty string, else none) and the UTC day of its latest event.
 */
export function snapshotOf(state: JourneyState, computedAt: number, facts?: AccountFacts): AccountSnapshot {
  const name = facts?.traits?.name
  const renewalAt = state.renewal.renewalDate === null ? null : Date.parse(state.renewal.renewalDate)
  return {
    accountId: state.accountId,
    segment: state.segment,
    phase: state.phase.id,
    health: state.health.score,
    band: state.health.band,
    flags: state.redFlags.map((f) => f.id),
    computedAt,
    name: typeof name === 'string' && name.trim() !== '' ? name : null,
    renewalAt: Number.isFinite(renewalAt) ? renewalAt : null,
    nps: state.nps.score,
    lastActiveAt: facts?.days.at(-1)?.date ?? null,
  }
}

/** Runs `fn` over `items` with at most `limit` calls in flight; results in input order. */
async function pool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i]!)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return out
}

const errorsToConsole = (line: Record<string, unknown>) => {
  if (line.error !== undefined) console.error(JSON.stringify(line))
}

export function createEvaluator({ store, clock, configFor, log = errorsToConsole }: EvaluatorDeps): Evaluator {
  const known = new Set<string>()
  let timer: ReturnType<typeof setInterval> | undefined
  let running: Promise<void> | null = null
  // The UTC hour of the last scheduled sweep; -1: none yet (the first one, at start, is not claimed:
  // snapshots may be stale or missing from before a restart, or computed with another start config);
  // -2: a claimed sweep failed, try again (claimed) at the next tick.
  let lastSlot = -1

  /** `map`: also each account's journey-map summary (sweeps only: it costs about as much as the state again). */
  async function evaluate(workspaceId: string, accountIds: string[], map = false): Promise<number> {
    if (accountIds.length === 0) return 0
    const at = clock()
    const config = await configFor(workspaceId)
    const vendorName = (await store.getWorkspace(workspaceId))?.name ?? null
    let stored = 0
    for (let i = 0; i < accountIds.length; i += SWEEP_CHUNK) {
      const chunk = accountIds.slice(i, i + SWEEP_CHUNK)
      const previous = new Map((await store.getSnapshots(workspaceId, chunk)).map((s) => [s.accountId, s]))
      const results = await pool(chunk, CONCURRENCY, async (id) => {
        const facts = await store.loadFacts(workspaceId, id, at)
        // No event at or before `at`: nothing to show yet (an import with only future times).
        if (facts === null) return null
        const ctx = journeyContext(config, facts, at)
        const state = stateOf(ctx)
        let events: WebhookEvent[] = []
        try {
          events = detectWebhookEvents(state, facts, config, at, {
            previous: previous.get(id) ?? null,
            ctx,
            vendorName,
          })
        } catch (err) {
          // Never on data (detection is total); if it ever does, the listing still gets its snapshot.
          log({
            t: new Date(at).toISOString(),
            evaluator: 'webhooks',
            workspace: workspaceId,
            account: id,
            error: String(err),
          })
        }
        let mapSummary: string | null = null
        try {
          if (map) mapSummary = JSON.stringify(accountMapSummary(config, facts, at, { ctx, state }))
        } catch (err) {
          log({
            t: new Date(at).toISOString(),
            evaluator: 'journey-map',
            workspace: workspaceId,
            account: id,
            error: String(err),
          })
        }
        return { snapshot: { ...snapshotOf(state, at, facts), mapSummary }, events }
      })
      const done = results.filter((r) => r !== null)
      const snapshots = done.map((r) => r.snapshot)
      const events = done.flatMap((r) => r.events)
      if (snapshots.length > 0) {
        await store.putSnapshots(workspaceId, snapshots, events)
      }
      stored += snapshots.length
    }
    return stored
  }

  /** Touched accounts whose evaluation failed: tried again on the next call. */
  const pending = new Map<string, Set<string>>()

  async function evaluateTouched(): Promise<number> {
    const byWorkspace = pending.size > 0 ? new Map(pending) : new Map<string, Set<string>>()
    pending.clear()
    for (const { workspaceId, accountId } of store.takeTouchedAccounts()) {
      known.add(workspaceId)
      let ids = byWorkspace.get(workspaceId)
      if (!ids) byWorkspace.set(workspaceId, (ids = new Set()))
      ids.add(accountId)
    }
    let stored = 0
    let failure: unknown
    for (const [ws, ids] of byWorkspace) {
      try {
        stored += await evaluate(ws, [...ids].sort())
      } catch (err) {
        pending.set(ws, ids)
        failure ??= err
      }
    }
    if (failure !== undefined) throw failure
    return stored
  }

  async function sweep(workspaceId: string): Promise<number> {
    known.add(workspaceId)
    // Days before yesterday are closed (late events still add rows, packed at a later sweep).
    await store.compactRollups(workspaceId, Math.floor(clock() / DAY_MS) - 1)
    await store.pruneAccountChanges(workspaceId, clock() - CHANGES_KEPT_MS)
    const stored = await evaluate(workspaceId, await store.listAccountIds(workspaceId), true)
    await store.analyzeSnapshots()
    return stored
  }

  /** Every workspace of the store and the known ones; only the known ones when the store cannot list them. */
  async function workspacesToSweep(now: number): Promise<string[]> {
    try {
      const all = new Set(await store.listWorkspaceIds())
      for (const ws of known) all.add(ws)
      return [...all]
    } catch (err) {
      log({ t: new Date(now).toISOString(), evaluator: 'sweep', error: `listing workspaces: ${String(err)}` })
      return [...known]
    }
  }

  /** Sweeps every workspace, one after another; a failing workspace is logged and the others go on. */
  async function sweepAll({ claim = false } = {}): Promise<number> {
    const now = clock()
    const slot = Math.floor(now / SWEEP_EVERY_MS)
    let stored = 0
    for (const ws of await workspacesToSweep(now)) {
      const t0 = performance.now()
      try {
        // Several processes on one PostgreSQL: one of them sweeps a workspace in a given hour.
        if (claim && !(await store.claimSweep(ws, slot))) continue
        const n = await sweep(ws).catch(async (err: unknown) => {
          // Failed (the database went away a moment): the hour goes back, and this process tries
          // again at its next tick (so may another), rather than leave it to the next hour.
          if (claim) {
            await store.releaseSweep(ws, slot).catch(() => undefined)
            lastSlot = -2
          }
          throw err
        })
        stored += n
        log({
          t: new Date(now).toISOString(),
          evaluator: 'sweep',
          workspace: ws,
          accounts: n,
          ms: Math.round(performance.now() - t0),
        })
      } catch (err) {
        log({ t: new Date(now).toISOString(), evaluator: 'sweep', workspace: ws, error: String(err) })
      }
    }
    return stored
  }

  /** One timer run: touched accounts always; every workspace when a sweep is due. */
  async function tick(): Promise<void> {
    try {
      await evaluateTouched()
    } catch (err) {
      log({ t: new Date(clock()).toISOString(), evaluator: 'touched', error: String(err) })
    }
    await sweepIfDue()
  }

  async function sweepIfDue(): Promise<number> {
    // Every UTC hour, so also right after midnight, when dates pass.
    const slot = Math.floor(clock() / SWEEP_EVERY_MS)
    if (slot === lastSlot) return 0
    const first = lastSlot === -1
    lastSlot = slot
    return sweepAll({ claim: !first })
  }

  return {
    evaluate,
    evaluateTouched,
    sweep,
    sweepAll,
    sweepIfDue,
    start({ intervalMs = 1000, workspaceIds = [] } = {}) {
      if (timer) return
      for (const ws of workspaceIds) known.add(ws)
      timer = setInterval(() => {
        if (running) return // a long sweep is still going: skip, never pile up
        running = tick().finally(() => {
          running = null
        })
      }, intervalMs)
      timer.unref?.()
    },
    async stop() {
      if (timer) clearInterval(timer)
      timer = undefined
      await running
    },
  }
}
