/**
 * The ingest path's group commit: `ingest` calls that arrive while a transaction is in flight are
 * written together by the next one (up to ~10,000 events, one workspace per group), and each
 * caller gets its own counts once that transaction has committed. What a group writes is
 * event-writes.ts; this file decides who goes together, when, and what the process remembers.
 */
import { rowKey, type Row } from './event-inserts'
import { FIRST_SEEN_CACHE_MAX, writeGroup, type FirstSeenCache, type FirstUseCache, type Pending } from './event-writes'
import { checkEvent, checkText, stringify } from './sql-values'
import type { Db, IngestResult, IngestStats, NewEvent, Store } from './types'

/** Events per group-commit transaction (a single larger call still goes alone, in one transaction). */
const MAX_GROUP_EVENTS = 10_000

export interface GroupCommit extends Pick<Store, 'ingest' | 'stats' | 'takeTouchedAccounts'> {
  /** Resolves once every group in flight now has committed or failed. */
  settled(): Promise<void>
  /** Refuses new calls; resolves once the calls already accepted have committed or failed. */
  close(): Promise<void>
}

export interface GroupCommitDeps {
  /** The process clock: tells late events from live ones (rollup-writes.ts). */
  clock: () => number
  /** Runs first in each group's transaction (workspace-config.ts: the names its config makes facts). */
  prepare(tx: Db, workspaceIds: string[]): Promise<void>
  /** The event names the workspace's config makes facts, as `prepare` left them. */
  configured(workspaceId: string): ReadonlySet<string> | null
}

export function createGroupCommit(db: Db, kind: 'pglite' | 'postgres', deps: GroupCommitDeps): GroupCommit {
  const queue: Pending[] = []
  // Groups in flight at once. PGlite runs one statement at a time in this thread: one. PostgreSQL:
  // three, so that this process serialises the next groups while the server runs the others (rows
  // are sorted by key in every group, so concurrent groups lock in one order). The rollups go last,
  // with COMMIT pipelined behind them (postgres.ts), so a group holds its account-day rollup rows'
  // locks for one statement only: 3 measured ~15% faster than 2 (bench, HTTP); 4 no faster.
  const maxInFlight = kind === 'pglite' ? 1 : 3
  // Transactions of this process and others may run at once on PostgreSQL only (event-inserts.ts lockUsers).
  const lockUsers = kind === 'postgres'
  // PGlite is one PostgreSQL: a row's xmin is the transaction's own id (event-inserts.ts INSERTED_HERE).
  const countInserts = kind === 'pglite'
  let inFlight = 0
  let scheduled = false
  let closed = false
  let drained: (() => void)[] = []
  const counters: IngestStats = { transactions: 0, events: 0 }
  const firstSeen: FirstSeenCache = new Map()
  const firstUse: FirstUseCache = new Map()
  // Accounts of committed new events, by rollup-writes.ts `touchKey`, until takeTouchedAccounts.
  let touched = new Map<string, { workspaceId: string; accountId: string }>()
  // Transactions of groups in flight.
  const running = new Set<Promise<unknown>>()

  const schedule = () => {
    if (scheduled || inFlight >= maxInFlight || queue.length === 0) return
    scheduled = true
    // setImmediate, not a microtask: it runs after the event loop has read every request that is
    // ready, so all the calls those requests make join one group (with PGlite, requests pile up in
    // the sockets while a transaction runs, and the next group takes them all).
    setImmediate(() => {
      scheduled = false
      void runGroup()
    })
  }

  const runGroup = async () => {
    if (inFlight >= maxInFlight || queue.length === 0) return
    inFlight++
    // One workspace per group: every statement of its transaction stays on one shard once the
    // tables are distributed by workspace_id (Citus). The others wait, in order, for the next group.
    const ws = queue[0]!.workspaceId
    const group: Pending[] = []
    let n = 0
    for (let i = 0; i < queue.length; ) {
      const p = queue[i]!
      if (p.workspaceId !== ws) i++
      else if (group.length > 0 && n + p.count > MAX_GROUP_EVENTS) break
      else {
        queue.splice(i, 1)
        group.push(p)
        n += p.count
      }
    }
    // More waiting than one group takes: start the next one now, if a slot is free.
    if (queue.length) schedule()
    try {
      const txn = db.transaction(async (tx) => {
        await deps.prepare(
          tx,
          group.map((p) => p.workspaceId),
        )
        return writeGroup(tx, group, firstSeen, firstUse, deps.clock(), deps.configured, { lockUsers, countInserts })
      })
      running.add(txn)
      void txn.then(
        () => running.delete(txn),
        () => running.delete(txn),
      )
      const { accepted, seen, firstUses, touched: accounts } = await txn
      if (firstSeen.size > FIRST_SEEN_CACHE_MAX) firstSeen.clear()
      for (const [k, t] of seen) firstSeen.set(k, Math.min(t, firstSeen.get(k) ?? t))
      if (firstUse.size > FIRST_SEEN_CACHE_MAX) firstUse.clear()
      for (const [k, t] of firstUses) firstUse.set(k, Math.min(t, firstUse.get(k) ?? t))
      for (const [k, a] of accounts) touched.set(k, a)
      counters.transactions++
      counters.events += n
      group.forEach((p, i) => p.resolve({ accepted: accepted[i]!, duplicates: p.count - accepted[i]! }))
    } catch (err) {
      for (const p of group) p.reject(err)
    } finally {
      inFlight--
      if (queue.length) schedule()
      else if (inFlight === 0) {
        const waiters = drained
        drained = []
        for (const w of waiters) w()
      }
    }
  }

  return {
    ingest(workspaceId: string, events: NewEvent[]): Promise<IngestResult> {
      if (closed) return Promise.reject(new Error('store is closed'))
      if (events.length === 0) return Promise.resolve({ accepted: 0, duplicates: 0 })
      const rows: Row[] = []
      try {
        const wsProblem = checkText(workspaceId, 'workspaceId', false)
        if (wsProblem) throw new Error(wsProblem)
        events.forEach((e, i) => {
          const problem = checkEvent(e)
          if (problem) throw new Error(`event ${i}: ${problem}`)
          rows.push({
            ws: workspaceId,
            e,
            props: stringify(e.properties ?? {}, `event ${i}: properties`),
            traits: e.traits == null ? null : stringify(e.traits, `event ${i}: traits`),
            ctx: e.context == null ? null : stringify(e.context, `event ${i}: context`),
            key: rowKey(workspaceId, e.id),
          })
        })
      } catch (err) {
        return Promise.reject(err)
      }
      return new Promise<IngestResult>((resolve, reject) => {
        queue.push({ workspaceId, rows, count: events.length, resolve, reject })
        schedule()
      })
    },

    stats() {
      return { ...counters }
    },

    takeTouchedAccounts() {
      const out = [...touched.values()]
      touched = new Map()
      return out
    },

    async settled() {
      await Promise.allSettled([...running])
    },

    async close() {
      closed = true
      // Let accepted calls commit before the connection goes away.
      if (inFlight > 0 || queue.length) await new Promise<void>((resolve) => drained.push(resolve))
    },
  }
}
