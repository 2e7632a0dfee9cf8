/**
 * The store contract. Two adapters (PGlite, PostgreSQL) share one implementation over `Db`
 * (sql-store.ts) and one set of migrations; test/store/contract.ts runs against both.
 *
 * Distribution-ready: every table's key begins with `workspace_id`, and every query names one
 * workspace (Citus can shard by it later).
 */

import type { AccountFacts, PhaseOverride } from '../journey/facts'
import type { ExperienceKind } from '../journey/vocabulary'
import type { WebhookEvent } from '../webhooks/types'
import type { WebhookStore } from './webhook-types'
import type { AuditStore, BuilderStore, ConfigRevisionStore, ConfigRevisionWithDoc, MemberStore } from './console-types'

export * from './console-types'
export * from './webhook-types'

export type EventType = 'track' | 'identify' | 'group' | 'page'
export type KeyKind = 'write' | 'secret'

/** An event that passed validation, normalised by the route, ready to store. Times are epoch ms. */
export interface NewEvent {
  id: string
  type: EventType
  /** `track`: the event name; `page`: `$page`; `identify`/`group`: null. */
  name: string | null
  userId: string | null
  anonymousId: string | null
  /**
   * null: resolved by the store from the user's latest `group` call at or before `timestamp`,
   * whenever that call arrives (journey.md, "Entities"). An event without a user stays without one.
   */
  accountId: string | null
  timestamp: number
  receivedAt: number
  properties: Record<string, unknown>
  /** `identify` (user traits) and `group` (account traits) only. */
  traits: Record<string, unknown> | null
  context: Record<string, unknown> | null
}

export interface StoredEvent extends NewEvent {
  /**
   * Present when the store resolved `accountId` from the user's `group` calls (none was given; null:
   * none at the event's time). A group call that dates before such an event may change it.
   */
  accountResolved?: true
}

export interface Workspace {
  id: string
  name: string
  /** Origins allowed to use this workspace's write key; `*` for any. The server's own origin always is. */
  allowedOrigins: string[]
  /** When set, write-key `identify` events and `/v1/experience` need `userHash` (server/identity.ts). */
  identitySecret: string | null
  createdAt: number
}

export interface UserRecord {
  userId: string
  /** Merged in timestamp order (journey.md, "Entities"). */
  traits: Record<string, unknown>
  /** The account of the user's latest `group` call (by event timestamp). */
  accountId: string | null
  firstSeen: number
}

export interface AccountRecord {
  accountId: string
  traits: Record<string, unknown>
  firstSeen: number
}

export interface IngestResult {
  /** Events newly stored. */
  accepted: number
  /** Events whose id the workspace had already stored (or that came twice in this call): nothing changed. */
  duplicates: number
}

export interface EventQuery {
  userId?: string
  accountId?: string
  name?: string
  limit?: number
  /** Newest first (timestamp, then id, descending): with `limit`, the latest events. Default: oldest first. */
  newestFirst?: boolean
}

/** Counters of the ingest path's group commit. */
export interface IngestStats {
  /** Ingest transactions committed (one per group of concurrent `ingest` calls). */
  transactions: number
  /** Events submitted in those transactions, duplicates included. */
  events: number
}

/** One change of an account's phase override: kept forever, in order (the account's audit list). */
export interface OverrideChange {
  /** `set` puts `override` in force from `at`; `lift` ends any override from `at`. */
  action: 'set' | 'lift'
  override: PhaseOverride | null
  by: string
  reason: string
  at: number
}

/** What the accounts listing shows and filters on, computed by the journey engine and stored. */
export interface AccountSnapshot {
  accountId: string
  segment: string
  phase: string
  /** null when every health component lacks data. */
  health: number | null
  band: string | null
  flags: string[]
  /** The `at` the snapshot was computed for. */
  computedAt: number
  /**
   * getSnapshots only: the computedAt of the first snapshot showing this phase (after one with
   * another); the same in every snapshot of that stretch. Written by putSnapshots itself.
   */
  phaseSince?: number
  /**
   * The account's journey-map summary at computedAt (reports/journey-map.ts), JSON. Absent or null:
   * the stored one stays (with its own time). Written, not read back by getSnapshots/listSnapshots.
   */
  mapSummary?: string | null
  /** The account's `name` trait; absent or null: none. */
  name?: string | null
  /** The renewal date (epoch ms) the engine found; absent or null: none. */
  renewalAt?: number | null
  /** The account's NPS as the engine computes it; absent or null: no answer in its window. */
  nps?: number | null
  /** UTC midnight of the account's latest day with an event; absent or null: none. */
  lastActiveAt?: number | null
}

/** The orders the listing takes besides its default (riskiest first). */
export const SNAPSHOT_SORTS = [
  'name',
  'accountId',
  'segment',
  'phase',
  'health',
  'band',
  'flags',
  'daysToRenewal',
  'nps',
  'lastActiveAt',
] as const
export type SnapshotSort = (typeof SNAPSHOT_SORTS)[number]

export interface SnapshotQuery {
  phase?: string
  band?: string
  flag?: string
  segment?: string
  /** Part of the account id or of its name, any case. */
  q?: string
  /** Renewal dates from the UTC day of `now` to this many days after it (both days included). */
  renewalWithin?: number
  /** The time `renewalWithin` counts from (epoch ms); default Date.now(). */
  now?: number
  /** Absent: riskiest first (health ascending, no health last, then accountId). */
  sort?: SnapshotSort
  /** With `sort`; default 'asc'. Accounts without the value are last in both orders. */
  order?: 'asc' | 'desc'
  /** 1..500, default 50. */
  limit?: number
  /** Opaque, from a previous page's `nextCursor` of the same filters and order. */
  cursor?: string
  /** false: leave `total` out (a caller reading every page counts once). Default true. */
  withTotal?: boolean
}

/** A change a snapshot brought (account_changes): band or phase from → to, or a red flag raised (to: the flag). */
export interface AccountChange {
  accountId: string
  /** The account's name as its current snapshot has it. */
  name: string | null
  kind: 'band' | 'phase' | 'red_flag'
  from: string | null
  to: string
  at: number
}

/** What the console's overview counts of a workspace's snapshots. */
export interface SnapshotOverview {
  phases: Record<string, number>
  bands: Record<string, number>
  /** Renewal dates in [from, to), soonest first. */
  renewals: { accountId: string; name: string | null; renewalAt: number; band: string | null }[]
}

/** The SQL both adapters speak. Parameters are `$1…`; arrays are passed as JS arrays. */
export interface Db {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>
  /** Runs `fn` in one transaction; commits when it resolves, rolls back when it rejects. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>
  /**
   * In a transaction only, optional: `query` for the transaction's LAST statement. An adapter that
   * pipelines (postgres.ts) sends COMMIT right behind it, saving a round trip; `fn` must then
   * resolve as soon as it has the answer, with nothing left to do that could fail.
   */
  queryLast?<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>
  /**
   * `query` through a named prepared statement, planned once per connection and reused: for a hot
   * read whose planning costs as much as its execution. `types` are the parameters' SQL types.
   * Optional: adapters whose driver already prepares statements (postgres.js) leave it out.
   */
  prepared?<T = Record<string, unknown>>(name: string, sql: string, types: string[], params: unknown[]): Promise<T[]>
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>
  close(): Promise<void>
}

export interface Store {
  readonly kind: 'pglite' | 'postgres'
  /**
   * The underlying SQL connection. Not part of the contract: the server never uses it; tests and
   * benchmarks do, to look at or set up rows no Store method shows.
   */
  readonly db: Db
  /** Webhook endpoints, outbox and deliveries. */
  readonly webhooks: WebhookStore
  /** The console's members, sessions and invitations. */
  readonly members: MemberStore
  /** Every change, by a member or a key. */
  readonly audit: AuditStore
  /** The revisions of the journey config: drafts, the published one, the ones before it. */
  readonly configRevisions: ConfigRevisionStore
  /** Builder mode's single-use tokens and short-lived credentials. */
  readonly builder: BuilderStore
  /** Applies pending migrations; safe to call on every start and from several processes. */
  migrate(): Promise<void>
  createWorkspace(input: {
    id: string
    name: string
    writeKey: string
    secretKey: string
    allowedOrigins?: string[]
    identitySecret?: string | null
  }): Promise<Workspace>
  getWorkspace(id: string): Promise<Workspace | null>
  /** Replaces the origins allowed to use this workspace's write keys. */
  setAllowedOrigins(workspaceId: string, origins: string[]): Promise<void>
  /** The workspace's name: who sends its value emails and presents its QBRs. */
  setWorkspaceName(workspaceId: string, name: string): Promise<void>
  /**
   * Sets this workspace's key with `label` (one key per label: `write`, `secret`, `demo`, …),
   * replacing the previous one. createWorkspace sets the labels `write` and `secret`.
   */
  setKey(workspaceId: string, label: string, key: string, kind: KeyKind): Promise<void>
  /** Sets (or, with null, clears) the workspace's identity secret. */
  setIdentitySecret(workspaceId: string, secret: string | null): Promise<void>
  /**
   * Looks a key up by its hash (keys are stored hashed, never in clear). A key past its `expiresAt`
   * is not found. `label` tells the current secret key (`secret`) from the previous one.
   */
  findKey(key: string): Promise<{ workspace: Workspace; kind: KeyKind; label: string } | null>
  /**
   * Rotation (server/routes/keys.ts), in one transaction: the key labelled `label` is relabelled
   * `previousLabel` and expires at `previousExpiresAt` (a key already there is dropped), and `key`
   * becomes `label`.
   */
  rotateKey(
    workspaceId: string,
    label: string,
    key: string,
    kind: KeyKind,
    previousLabel: string,
    previousExpiresAt: number,
  ): Promise<void>
  /** Removes the workspace's key with `label`; false when there was none. */
  deleteKey(workspaceId: string, label: string): Promise<boolean>
  /**
   * Stores events, idempotently by id. Resolves only after the events are committed. Concurrent
   * calls are written together in one transaction (group commit); each caller gets its own counts.
   * An event of a user sent without `accountId` belongs to the account of the user's latest `group`
   * call at its time, in whatever order the two arrive: a group call stored after events it dates
   * before re-assigns them, with everything loadFacts reads of them (journey.md, "Entities").
   */
  ingest(workspaceId: string, events: NewEvent[]): Promise<IngestResult>
  listEvents(workspaceId: string, query?: EventQuery): Promise<StoredEvent[]>
  countEvents(workspaceId: string): Promise<number>
  getUser(workspaceId: string, userId: string): Promise<UserRecord | null>
  getAccount(workspaceId: string, accountId: string): Promise<AccountRecord | null>
  /**
   * When each user was last seen in the account: the time of their latest `track` or `page` event
   * carrying the account's id, on the UTC day given for them (`day`, days since 1970-01-01; the day
   * of their latest activity, from loadFacts's `days`), so that each user costs one day of the
   * account's events, however long ago that was. Users with no such event that day are left out.
   */
  lastSeenOn(
    workspaceId: string,
    accountId: string,
    users: { userId: string; day: number }[],
  ): Promise<{ userId: string; at: number }[]>
  /** Group-commit counters since this store was created (tests and benchmarks). */
  stats(): IngestStats
  /**
   * What the journey engine needs for one account at `at`, from the rollups kept at ingest (days
   * before `at`'s day) plus the raw events of `at`'s day up to `at`. null: the account has no event
   * and no `group` call at or before `at`.
   */
  loadFacts(workspaceId: string, accountId: string, at: number): Promise<AccountFacts | null>
  /**
   * loadFacts at the end of each of the `days - 1` UTC days before `at`'s day (23:59:59.999), then
   * at `at`, oldest first (`days` ≥ 1): the same values as that many loadFacts calls, from one
   * loadFacts at `at` and one more statement (server/store/history-days.ts).
   */
  loadFactsDaily(workspaceId: string, accountId: string, at: number, days: number): Promise<(AccountFacts | null)[]>
  /**
   * Packs the workspace's rollups of the UTC days before `beforeDay` (a day number since 1970-01-01)
   * into one row per account, month and kind (loadFacts reads a year of them ~10× faster). Nothing
   * loadFacts returns changes. The evaluator's sweep runs it. Returns the packs written.
   */
  compactRollups(workspaceId: string, beforeDay: number): Promise<number>
  /** The published revision's document of the workspace's journey config (validated by the caller), or null. */
  getConfig(workspaceId: string): Promise<unknown | null>
  /**
   * A new revision of the journey config, published at once (`PUT /v1/config`); `meta` as
   * ConfigRevisionStore.createDraft's (default: now, no author, no message). A document that
   * names a new event backfills its facts (the backfill bumps the accounts' versions, so
   * loadFacts's cache sees it).
   */
  setConfig(
    workspaceId: string,
    doc: unknown,
    meta?: { at?: number; author?: string | null; message?: string },
  ): Promise<ConfigRevisionWithDoc>
  /**
   * The config of workspaces without a stored one (node.ts: JORNADA_CONFIG): the event names it
   * refers to are facts there, and their stored events become facts now (idempotent).
   */
  setStartConfig(doc: unknown): Promise<void>
  /** Appends to the account's override audit list (the override in force at a time is derived from it). */
  addOverrideChange(workspaceId: string, accountId: string, change: OverrideChange): Promise<void>
  /** The account's override audit list, oldest first. */
  listOverrideChanges(workspaceId: string, accountId: string): Promise<OverrideChange[]>
  /** Accounts whose events were ingested since the last call (for re-evaluation), then forgets them. */
  takeTouchedAccounts(): { workspaceId: string; accountId: string }[]
  /** Every account id of the workspace (with an event or a `group` call), sorted. */
  listAccountIds(workspaceId: string): Promise<string[]>
  /** Every workspace id, sorted (the evaluator's sweep: dates pass in workspaces nobody sends to). */
  listWorkspaceIds(): Promise<string[]>
  /**
   * Claims the sweep of a workspace for one slot (an hour): true for the first caller of any
   * process, false after. Claims more than 48 slots old are deleted.
   */
  claimSweep(workspaceId: string, slot: number): Promise<boolean>
  /** Gives a claimed slot back (its sweep failed): the next claim of it succeeds. */
  releaseSweep(workspaceId: string, slot: number): Promise<void>
  /**
   * Stores snapshots (one per account; the last one given wins). With `webhookEvents`, the snapshots
   * and those events (WebhookStore.enqueue) commit in one transaction, or neither does (evaluator.ts:
   * the webhooks of what the same evaluation found). In the same transaction, each change of band or
   * phase and each red flag raised against the stored snapshot is recorded (listAccountChanges).
   */
  putSnapshots(workspaceId: string, snapshots: AccountSnapshot[], webhookEvents?: WebhookEvent[]): Promise<void>
  /** Every stored journey-map summary of the workspace (accountId order), with the snapshot's segment and the time the summary was computed for. */
  listMapSummaries(
    workspaceId: string,
  ): Promise<{ accountId: string; segment: string; computedAt: number; summary: string }[]>
  /** The stored snapshots of these accounts (those that have one), in no particular order. */
  getSnapshots(workspaceId: string, accountIds: string[]): Promise<AccountSnapshot[]>
  /**
   * Snapshots filtered, riskiest first (health ascending, nulls last, then accountId) or in the
   * query's `sort`, cursor-paginated; `total`: how many match the filters (all pages). A cursor
   * that is not one of this order's is a RangeError.
   */
  listSnapshots(
    workspaceId: string,
    query: SnapshotQuery,
  ): Promise<{ items: AccountSnapshot[]; nextCursor: string | null; total?: number }>
  /**
   * Accounts by phase and by band, and the renewals dated in [renewalsFrom, renewalsTo), soonest
   * first (at most `limit`, default 1,000).
   */
  snapshotOverview(
    workspaceId: string,
    opts: { renewalsFrom: number; renewalsTo: number; limit?: number },
  ): Promise<SnapshotOverview>
  /** The changes putSnapshots recorded at or after `since`, newest first (at most `limit` of each kind, default 1,000). */
  listAccountChanges(workspaceId: string, since: number, limit?: number): Promise<AccountChange[]>
  /** Forgets the changes recorded before `before` (the sweep keeps 90 days). */
  pruneAccountChanges(workspaceId: string, before: number): Promise<void>
  /**
   * Refreshes the planner's statistics of the snapshots (ANALYZE), after a sweep rewrote them: the
   * embedded store has no autovacuum, and with stale statistics the listing sorts every snapshot of
   * the workspace instead of reading one index range (measured: 13 ms against 0.2 ms a page).
   * Nothing on Citus, whose workers' autovacuum keeps each shard's statistics.
   */
  analyzeSnapshots(): Promise<void>
  /**
   * The fact events named `name` with a time in [from, to), by time: the NPS answers of the overview
   * and of the results; with `filter`, of the accounts whose snapshot has that segment and phase.
   */
  listFactsNamed(
    workspaceId: string,
    name: string,
    from: number,
    to: number,
    filter?: SnapshotFilter,
  ): Promise<{ accountId: string; userId: string | null; at: number; properties: Record<string, unknown> }[]>
  /** The engagement events of a time range, counted (engagement-results.ts; docs/http-api.md, "Results"). */
  engagementResults(workspaceId: string, query: EngagementQuery): Promise<EngagementRows>
  /** true when the database answers. */
  ping(): Promise<boolean>
  close(): Promise<void>
}

/** The accounts whose current snapshot has this segment and this phase (each when given). */
export interface SnapshotFilter {
  segment?: string | undefined
  phase?: string | undefined
}

/** Store.engagementResults's query: a time range [from, to] (epoch ms, both included). */
export interface EngagementQuery extends SnapshotFilter {
  from: number
  to: number
  /** The checklist's items, each with the milestone events that mark it done. */
  checklistItems: { id: string; events: string[] }[]
}

/** Store.engagementResults's answer, in no particular order: the route shapes it. */
export interface EngagementRows {
  experiences: {
    id: string
    kind: ExperienceKind
    shown: number
    completed: number
    dismissed: number
    users: number
    accounts: number
  }[]
  reasons: { id: string; kind: ExperienceKind; reason: string; count: number }[]
  steps: { id: string; kind: ExperienceKind; step: number; viewed: number; left: number; targetMissing: number }[]
  /**
   * `order`: the item's position in the query's checklistItems (0 first); `medianDay`: the lower
   * median of the account day the item was first done, over the `done` accounts (null when none).
   */
  items: {
    id: string
    kind: ExperienceKind
    item: string
    done: number
    accounts: number
    order: number
    medianDay: number | null
  }[]
  /** Per advocacy ask or NPS survey and program: `advocacy_accepted` events, their users and accounts. */
  programs: { id: string; kind: ExperienceKind; program: string; accepted: number; users: number; accounts: number }[]
}
