import { createHash } from 'node:crypto'
import { configEventNames, FIXED_FACT_NAMES } from './fact-names'
import { collectRollups, compactRollups, createFactsCache, loadFacts, writeRollups } from './facts'
import { migrate } from './migrate'
import { mergeTraits, plainTraits, type StampedTraits } from './traits'
import type {
  AccountRecord,
  AccountSnapshot,
  Db,
  EventQuery,
  EventType,
  IngestResult,
  IngestStats,
  KeyKind,
  NewEvent,
  OverrideChange,
  SnapshotQuery,
  Store,
  StoredEvent,
  UserRecord,
  Workspace,
} from './types'

/** Rows per statement: keeps parameter arrays and the statements' memory bounded. */
const MAX_ROWS = 5_000
/** Events per group-commit transaction (a single larger call still goes alone, in one transaction). */
const MAX_GROUP_EVENTS = 10_000
/** findKey answers are cached this long: every ingest request looks its key up. */
const KEY_CACHE_MS = 5_000
const KEY_CACHE_MAX = 10_000
/** The event names of a workspace's stored config (fact-names.ts) are re-read this often: another process may have changed it. */
const CONFIG_NAMES_MS = 5_000
/** The range PostgreSQL and JS dates share comfortably: years 1 to 9999. */
const MIN_MS = -62_135_596_800_000
const MAX_MS = 253_402_300_799_999
const EVENT_TYPES: readonly EventType[] = ['track', 'identify', 'group', 'page']

/** The stored form of an API key: sha256 hex. Keys are never stored in clear. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex')
}

/** Parses PostgreSQL's text form of a timestamptz (`2026-11-24 10:00:00.123+00`) to epoch ms. */
export function parseTimestamptz(text: string): number {
  if (text === 'infinity') return Number.POSITIVE_INFINITY
  if (text === '-infinity') return Number.NEGATIVE_INFINITY
  const iso = text.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00').replace(/([+-]\d\d:\d\d):\d\d$/, '$1')
  return Date.parse(iso)
}

/** Epoch ms from whatever a driver returned for a timestamptz (adapters already give numbers). */
function toMs(v: unknown): number {
  if (typeof v === 'number') return v
  if (v instanceof Date) return v.getTime()
  if (typeof v === 'string') return parseTimestamptz(v)
  return Number(v)
}

/** Drivers differ on json columns (object or text); the store returns objects from both. */
function toJson<T>(v: unknown): T {
  return (typeof v === 'string' ? JSON.parse(v) : v) as T
}

/**
 * JSON that PostgreSQL's jsonb rejects: `\u0000`, and lone surrogates (JSON.stringify escapes them),
 * when the backslash is not itself escaped.
 */
const BAD_JSON = /(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/i

/** In `u` mode a paired surrogate is one code point: this matches lone ones only (jsonb refuses them). */
const LONE_SURROGATE = /\p{Cs}/u

function checkText(v: unknown, what: string, nullable: boolean): string | null {
  if (v === null || v === undefined) return nullable ? null : `${what} is required`
  if (typeof v !== 'string') return `${what} must be a string`
  if (!nullable && v === '') return `${what} must not be empty`
  if (v.includes('\u0000')) return `${what} must not contain NUL`
  if (LONE_SURROGATE.test(v)) return `${what} must not contain a lone surrogate`
  return null
}

function checkTime(v: unknown, what: string): string | null {
  return typeof v === 'number' && Number.isFinite(v) && v >= MIN_MS && v <= MAX_MS ? null : `${what} must be epoch ms within years 1-9999`
}

function stringify(v: unknown, what: string): string {
  const s = JSON.stringify(v)
  // BAD_JSON needs a `\u` escape: most documents have none, and includes() is much cheaper.
  if (s.includes('\\u') && BAD_JSON.test(s)) throw new Error(`${what} contains \\u0000 or a lone surrogate, which the database cannot store`)
  return s
}

/**
 * Why the store would refuse `e`, or null when it can store it. The route validates first; this is
 * the store's own guard, so one bad event cannot fail the other callers of a group commit.
 */
export function checkEvent(e: NewEvent): string | null {
  return (
    checkText(e.id, 'id', false) ??
    (EVENT_TYPES.includes(e.type) ? null : 'type must be track, identify, group or page') ??
    checkText(e.name, 'name', true) ??
    checkText(e.userId, 'userId', true) ??
    checkText(e.anonymousId, 'anonymousId', true) ??
    checkText(e.accountId, 'accountId', true) ??
    checkTime(e.timestamp, 'timestamp') ??
    checkTime(e.receivedAt, 'receivedAt')
  )
}

/** An event of one caller, checked and serialised before it joins a group. */
interface Row {
  ws: string
  e: NewEvent
  props: string
  traits: string | null
  ctx: string | null
  key: string
}

interface Pending {
  workspaceId: string
  rows: Row[]
  count: number
  resolve(r: IngestResult): void
  reject(err: unknown): void
}

const rowKey = (ws: string, a: string) => `${ws.length}:${ws}${a}`
const byKey = <T extends { key: string }>(a: T, b: T) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)

function chunks<T>(xs: T[], size = MAX_ROWS): T[][] {
  const out: T[][] = []
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size))
  return out
}

/**
 * The events of a group as ONE JSON document (`eventsDocument`), one statement per ~5,000 rows:
 * cheaper than twelve array parameters, whose JSON columns both drivers would escape element by
 * element into array literals. `::text::jsonb` because postgres.js JSON-encodes a string sent as
 * jsonb. The benchmark's raw-insert ceiling uses this same statement.
 */
export const INSERT_EVENTS = `
INSERT INTO events (workspace_id, event_id, type, name, user_id, anonymous_id, account_id, ts, received_at, properties, traits, context)
SELECT ws, id, type, name, uid, anon, acc, to_timestamp(ts / 1000), to_timestamp(rcv / 1000), props, traits, ctx
FROM jsonb_to_recordset($1::text::jsonb) AS x(ws text, id text, type text, name text, uid text, anon text, acc text, ts float8, rcv float8,
                                        props jsonb, traits jsonb, ctx jsonb)
ON CONFLICT (workspace_id, event_id) DO NOTHING
RETURNING workspace_id, event_id`

/** One row of INSERT_EVENTS's document; the JSON columns come already serialised. */
export interface EventDocRow {
  ws: string
  e: NewEvent
  accountId: string | null
  props: string
  traits: string | null
  ctx: string | null
}

/** INSERT_EVENTS's parameter: the rows as one JSON array, built from the pre-serialised parts. */
export function eventsDocument(rows: EventDocRow[]): string {
  const q = JSON.stringify
  let out = '['
  for (let i = 0; i < rows.length; i++) {
    const { ws, e, accountId, props, traits, ctx } = rows[i]!
    out += `${i ? ',' : ''}{"ws":${q(ws)},"id":${q(e.id)},"type":${q(e.type)},"name":${q(e.name)},"uid":${q(e.userId)},"anon":${q(e.anonymousId)},"acc":${q(accountId)},"ts":${e.timestamp},"rcv":${e.receivedAt},"props":${props},"traits":${traits ?? 'null'},"ctx":${ctx ?? 'null'}}`
  }
  return out + ']'
}

const INSERT_MEMBERSHIPS = `
INSERT INTO memberships (workspace_id, user_id, ts, account_id)
SELECT ws, uid, to_timestamp(ts / 1000), acc FROM unnest($1::text[], $2::text[], $3::float8[], $4::text[]) AS x(ws, uid, ts, acc)
ON CONFLICT DO NOTHING`

// The user's latest `group` call at or before each event (ties: the greatest account id, to be deterministic).
const RESOLVE_ACCOUNTS = `
SELECT x.i, m.account_id
FROM unnest($1::text[], $2::text[], $3::float8[]) WITH ORDINALITY AS x(ws, uid, ts, i)
CROSS JOIN LATERAL (
  SELECT account_id FROM memberships
  WHERE workspace_id = x.ws AND user_id = x.uid AND ts <= to_timestamp(x.ts / 1000)
  ORDER BY ts DESC, account_id DESC LIMIT 1
) m`

// DO UPDATE ... WHERE: a track event of a known user changes nothing, so it rewrites nothing.
const UPSERT_USERS = `
INSERT INTO users AS u (workspace_id, user_id, traits, account_id, account_at, first_seen)
SELECT ws, uid, tr::jsonb, acc, to_timestamp(acc_at / 1000), to_timestamp(fs / 1000)
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[]) AS x(ws, uid, tr, acc, acc_at, fs)
ON CONFLICT (workspace_id, user_id) DO UPDATE SET
  traits = jornada_merge_traits(u.traits, excluded.traits),
  account_id = CASE WHEN excluded.account_at IS NOT NULL AND (u.account_at IS NULL OR excluded.account_at >= u.account_at)
                    THEN excluded.account_id ELSE u.account_id END,
  account_at = CASE WHEN excluded.account_at IS NOT NULL AND (u.account_at IS NULL OR excluded.account_at >= u.account_at)
                    THEN excluded.account_at ELSE u.account_at END,
  first_seen = least(u.first_seen, excluded.first_seen)
WHERE excluded.traits <> '{}'::jsonb OR excluded.first_seen < u.first_seen
   OR (excluded.account_at IS NOT NULL AND (u.account_at IS NULL OR excluded.account_at >= u.account_at))`

const UPSERT_ACCOUNTS = `
INSERT INTO accounts AS a (workspace_id, account_id, traits, first_seen)
SELECT ws, acc, tr::jsonb, to_timestamp(fs / 1000)
FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[]) AS x(ws, acc, tr, fs)
ON CONFLICT (workspace_id, account_id) DO UPDATE SET
  traits = jornada_merge_traits(a.traits, excluded.traits),
  first_seen = least(a.first_seen, excluded.first_seen)
WHERE excluded.traits <> '{}'::jsonb OR excluded.first_seen < a.first_seen`

// The facts of names a config starts naming, from the stored events (the doc as facts.ts writes it).
const BACKFILL_FACTS = `
INSERT INTO account_facts (workspace_id, account_id, ts, event_id, name, user_id, doc)
SELECT workspace_id, account_id, ts, event_id, name, user_id,
       json_build_object('id', event_id, 'name', name, 'at', (extract(epoch FROM ts) * 1000)::float8, 'userId', user_id, 'properties', properties)::text
FROM events
WHERE workspace_id = $1 AND type = 'track' AND account_id IS NOT NULL AND name = ANY($2::text[])
ON CONFLICT DO NOTHING
RETURNING account_id`

/** BACKFILL_FACTS, and the accounts that got new facts have their account_versions bumped (loadFacts's cache). */
const BACKFILL_FACTS_AND_BUMP = `
WITH added AS (${BACKFILL_FACTS})
INSERT INTO account_versions AS r (workspace_id, account_id, version)
SELECT DISTINCT $1::text, account_id, 1 FROM added
ON CONFLICT (workspace_id, account_id) DO UPDATE SET version = r.version + 1`

interface UserAcc {
  key: string
  ws: string
  id: string
  traits: StampedTraits
  accountId: string | null
  accountAt: number | null
  firstSeen: number
}

/** Inserts `rows` (already sorted by key), returns the keys actually inserted. */
async function insertEvents(tx: Db, rows: Row[], accountOf: (r: Row, i: number) => string | null): Promise<Set<string>> {
  const inserted = new Set<string>()
  let offset = 0
  for (const part of chunks(rows)) {
    const doc = eventsDocument(part.map((r, j) => ({ ws: r.ws, e: r.e, accountId: accountOf(r, offset + j), props: r.props, traits: r.traits, ctx: r.ctx })))
    offset += part.length
    const res = await tx.query<{ workspace_id: string; event_id: string }>(INSERT_EVENTS, [doc])
    for (const x of res) inserted.add(rowKey(x.workspace_id, x.event_id))
  }
  return inserted
}

/**
 * Writes one group of callers in the current transaction; returns each caller's accepted count.
 * Order matters: events that need no account resolution go first, so the memberships of this
 * batch's new `group` events exist before the others resolve their account.
 */
/**
 * first_seen values this process has committed, by `rowKey(ws, kind + id)`. first_seen only ever
 * decreases, so the stored value is at most the one cached here: an event no earlier than it, with
 * no traits and no account change, would change nothing, and its upsert is skipped. This keeps the
 * users and accounts tables off the hot path of ordinary track and page events.
 */
export type FirstSeenCache = Map<string, number>
const FIRST_SEEN_CACHE_MAX = 100_000

/**
 * First uses this process has committed, by facts.ts `featureKey` (a workspace's feature on a day)
 * and `memberKey` (a user of an account): like first_seen, they only ever decrease, so a row no
 * earlier than the cached one would change nothing and is not written.
 */
export type FirstUseCache = Map<string, number>

interface GroupResult {
  accepted: number[]
  seen: [string, number][]
  /** facts.ts feature-day and member rows written, with their first use: FirstUseCache entries once committed. */
  firstUses: [string, number][]
  touched: Map<string, { workspaceId: string; accountId: string }>
}

async function writeGroup(
  tx: Db, group: Pending[], firstSeen: FirstSeenCache, firstUse: FirstUseCache, now: number,
  configured: (ws: string) => ReadonlySet<string> | null,
): Promise<GroupResult> {
  // Dedupe across callers and within a call: the first occurrence wins.
  const seen = new Set<string>()
  const rows: Row[] = []
  for (const p of group) {
    for (const r of p.rows) {
      if (seen.has(r.key)) continue
      seen.add(r.key)
      rows.push(r)
    }
  }
  // Sorted by key, so that two processes writing overlapping rows take their locks in one order.
  const needsAccount = (r: Row) => r.e.type !== 'group' && r.e.accountId === null && r.e.userId !== null
  const direct = rows.filter((r) => !needsAccount(r)).sort(byKey)
  const resolve = rows.filter(needsAccount).sort(byKey)
  const finalAccount = new Map<string, string | null>()

  const inserted = await insertEvents(tx, direct, (r) => r.e.accountId)
  for (const r of direct) if (inserted.has(r.key)) finalAccount.set(r.key, r.e.accountId)

  const members = new Map<string, [string, string, number, string]>()
  for (const r of direct) {
    const e = r.e
    if (e.type === 'group' && e.userId !== null && e.accountId !== null && inserted.has(r.key)) {
      members.set(rowKey(r.ws, `${e.userId}\u0000${e.timestamp}\u0000${e.accountId}`), [r.ws, e.userId, e.timestamp, e.accountId])
    }
  }
  const memberRows = [...members.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map((x) => x[1])
  for (const part of chunks(memberRows)) {
    await tx.query(INSERT_MEMBERSHIPS, [part.map((m) => m[0]), part.map((m) => m[1]), part.map((m) => m[2]), part.map((m) => m[3])])
  }

  if (resolve.length) {
    const resolved: (string | null)[] = new Array(resolve.length).fill(null)
    let offset = 0
    for (const part of chunks(resolve)) {
      const res = await tx.query<{ i: number | string; account_id: string }>(RESOLVE_ACCOUNTS, [
        part.map((r) => r.ws),
        part.map((r) => r.e.userId),
        part.map((r) => r.e.timestamp),
      ])
      for (const x of res) resolved[offset + Number(x.i) - 1] = x.account_id
      offset += part.length
    }
    const ins = await insertEvents(tx, resolve, (_r, i) => resolved[i] ?? null)
    resolve.forEach((r, i) => {
      if (ins.has(r.key)) {
        inserted.add(r.key)
        finalAccount.set(r.key, resolved[i] ?? null)
      }
    })
  }

  // Entities from the new events only, in caller order (ties in timestamp go to the later event).
  const users = new Map<string, UserAcc>()
  const accounts = new Map<string, UserAcc>()
  for (const r of rows) {
    if (!inserted.has(r.key)) continue
    const e = r.e
    if (e.userId !== null) {
      const k = rowKey(r.ws, e.userId)
      let u = users.get(k)
      if (!u) users.set(k, (u = { key: k, ws: r.ws, id: e.userId, traits: {}, accountId: null, accountAt: null, firstSeen: e.timestamp }))
      u.firstSeen = Math.min(u.firstSeen, e.timestamp)
      if (e.type === 'identify' && e.traits) u.traits = mergeTraits(u.traits, e.traits, e.timestamp)
      if (e.type === 'group' && e.accountId !== null && (u.accountAt === null || e.timestamp >= u.accountAt)) {
        u.accountId = e.accountId
        u.accountAt = e.timestamp
      }
    }
    const accountId = finalAccount.get(r.key) ?? null
    if (accountId !== null) {
      const k = rowKey(r.ws, accountId)
      let a = accounts.get(k)
      if (!a) accounts.set(k, (a = { key: k, ws: r.ws, id: accountId, traits: {}, accountId: null, accountAt: null, firstSeen: e.timestamp }))
      a.firstSeen = Math.min(a.firstSeen, e.timestamp)
      if (e.type === 'group' && e.traits) a.traits = mergeTraits(a.traits, e.traits, e.timestamp)
    }
  }
  const known = (k: string, t: number) => { const c = firstSeen.get(k); return c !== undefined && c <= t }
  const userRows = [...users.values()].filter((u) => Object.keys(u.traits).length > 0 || u.accountAt !== null || !known('u' + u.key, u.firstSeen))
  const accountRows = [...accounts.values()].filter((a) => Object.keys(a.traits).length > 0 || !known('a' + a.key, a.firstSeen))
  for (const part of chunks(userRows.sort(byKey))) {
    await tx.query(UPSERT_USERS, [
      part.map((u) => u.ws),
      part.map((u) => u.id),
      part.map((u) => JSON.stringify(u.traits)),
      part.map((u) => u.accountId),
      part.map((u) => u.accountAt),
      part.map((u) => u.firstSeen),
    ])
  }
  for (const part of chunks(accountRows.sort(byKey))) {
    await tx.query(UPSERT_ACCOUNTS, [
      part.map((a) => a.ws),
      part.map((a) => a.id),
      part.map((a) => JSON.stringify(a.traits)),
      part.map((a) => a.firstSeen),
    ])
  }

  // Journey rollups, from the new events only, in this same transaction (facts.ts).
  const rollups = collectRollups(
    rows.filter((r) => inserted.has(r.key)).map((r) => ({ ws: r.ws, e: r.e, accountId: finalAccount.get(r.key) ?? null, props: r.props })),
    now,
    configured,
  )
  const firstUses = await writeRollups(tx, rollups, (k, t) => {
    const c = firstUse.get(k)
    return c !== undefined && c <= t
  })

  const accepted = group.map(() => 0)
  const counted = new Set<string>()
  group.forEach((p, i) => {
    for (const r of p.rows) {
      if (inserted.has(r.key) && !counted.has(r.key)) {
        counted.add(r.key)
        accepted[i]!++
      }
    }
  })
  // After the commit, the stored first_seen of each row written here is at most this.
  const committedFirstSeen: [string, number][] = [
    ...userRows.map((u): [string, number] => ['u' + u.key, u.firstSeen]),
    ...accountRows.map((a): [string, number] => ['a' + a.key, a.firstSeen]),
  ]
  return { accepted, seen: committedFirstSeen, firstUses, touched: rollups.touched }
}

// ---- account snapshots (the accounts listing) ----

// A snapshot computed for an earlier time never replaces a later one (a slow sweep behind a fresher evaluation).
const UPSERT_SNAPSHOTS = `
INSERT INTO account_snapshots AS s (workspace_id, account_id, segment, phase, health, band, flags, computed_at, map_summary, map_at, phase_since)
SELECT $1, acc, segment, phase, health, band, flags, to_timestamp(at / 1000), map, CASE WHEN map IS NOT NULL THEN to_timestamp(at / 1000) END, to_timestamp(at / 1000)
FROM jsonb_to_recordset($2::text::jsonb) AS x(acc text, segment text, phase text, health float8, band text, flags text[], at float8, map text)
ON CONFLICT (workspace_id, account_id) DO UPDATE SET
  phase_since = CASE WHEN s.phase = excluded.phase THEN coalesce(s.phase_since, s.computed_at) ELSE excluded.computed_at END,
  segment = excluded.segment, phase = excluded.phase, health = excluded.health, band = excluded.band,
  flags = excluded.flags, computed_at = excluded.computed_at,
  map_summary = coalesce(excluded.map_summary, s.map_summary), map_at = coalesce(excluded.map_at, s.map_at)
WHERE s.computed_at <= excluded.computed_at`

function snapshotDoc(s: AccountSnapshot) {
  return { acc: s.accountId, segment: s.segment, phase: s.phase, health: s.health, band: s.band, flags: s.flags, at: s.computedAt, map: s.mapSummary ?? null }
}

export const SNAPSHOT_LIMIT_DEFAULT = 50
export const SNAPSHOT_LIMIT_MAX = 500

/** The listing position after a row: [health or null, accountId], as base64url JSON. */
function encodeCursor(health: number | null, accountId: string): string {
  return Buffer.from(JSON.stringify([health, accountId])).toString('base64url')
}

function decodeCursor(cursor: string): [number | null, string] {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (Array.isArray(v) && v.length === 2 && (v[0] === null || Number.isFinite(v[0])) && typeof v[1] === 'string') return [v[0], v[1]]
  } catch {
    // fall through
  }
  throw new RangeError('invalid cursor')
}

interface SnapshotRow {
  account_id: string
  segment: string
  phase: string
  health: number | null
  band: string | null
  flags: string[] | null
  computed_at: unknown
  phase_since?: unknown
}

function toSnapshot(r: SnapshotRow): AccountSnapshot {
  return {
    accountId: r.account_id,
    segment: r.segment,
    phase: r.phase,
    health: r.health === null ? null : Number(r.health),
    band: r.band,
    flags: r.flags ?? [],
    computedAt: toMs(r.computed_at),
  }
}

/**
 * Snapshots riskiest first: health ascending, no health last, then account id (byte order), as
 * one range of account_snapshots_order. The cursor is the last row's (sort_health, account_id),
 * so a page is a row comparison, however deep; filters narrow the same range.
 */
async function listSnapshots(db: Db, workspaceId: string, query: SnapshotQuery): Promise<{ items: AccountSnapshot[]; nextCursor: string | null }> {
  const asked = Math.floor(query.limit ?? SNAPSHOT_LIMIT_DEFAULT)
  const limit = Number.isNaN(asked) ? SNAPSHOT_LIMIT_DEFAULT : Math.min(SNAPSHOT_LIMIT_MAX, Math.max(1, asked))
  const params: unknown[] = [workspaceId]
  let where = 'workspace_id = $1'
  if (query.phase !== undefined) where += ` AND phase = $${params.push(query.phase)}`
  if (query.band !== undefined) where += ` AND band = $${params.push(query.band)}`
  if (query.segment !== undefined) where += ` AND segment = $${params.push(query.segment)}`
  if (query.flag !== undefined) where += ` AND flags @> ARRAY[$${params.push(query.flag)}::text]`
  if (query.cursor !== undefined) {
    const [health, accountId] = decodeCursor(query.cursor)
    where += ` AND (sort_health, account_id) > ($${params.push(health ?? Number.POSITIVE_INFINITY)}::float8, $${params.push(accountId)}::text COLLATE "C")`
  }
  const rows = await db.query<SnapshotRow>(
    `SELECT account_id, segment, phase, health, band, flags, computed_at FROM account_snapshots
     WHERE ${where} ORDER BY sort_health, account_id LIMIT $${params.push(limit + 1)}`,
    params,
  )
  const items = rows.slice(0, limit).map(toSnapshot)
  const last = items[items.length - 1]
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.health, last.accountId) : null }
}

interface WorkspaceRow {
  workspace_id: string
  name: string
  allowed_origins: string[] | null
  identity_secret: string | null
  created_at: unknown
}

const WORKSPACE_COLUMNS = 'workspace_id, name, allowed_origins, identity_secret, created_at'

function toWorkspace(r: WorkspaceRow): Workspace {
  return { id: r.workspace_id, name: r.name, allowedOrigins: r.allowed_origins ?? [], identitySecret: r.identity_secret ?? null, createdAt: toMs(r.created_at) }
}

interface EventRow {
  event_id: string
  type: EventType
  name: string | null
  user_id: string | null
  anonymous_id: string | null
  account_id: string | null
  ts: unknown
  received_at: unknown
  properties: unknown
  traits: unknown
  context: unknown
}

function toEvent(r: EventRow): StoredEvent {
  return {
    id: r.event_id,
    type: r.type,
    name: r.name,
    userId: r.user_id,
    anonymousId: r.anonymous_id,
    accountId: r.account_id,
    timestamp: toMs(r.ts),
    receivedAt: toMs(r.received_at),
    properties: toJson<Record<string, unknown>>(r.properties) ?? {},
    traits: toJson<Record<string, unknown> | null>(r.traits),
    context: toJson<Record<string, unknown> | null>(r.context),
  }
}

/**
 * The whole Store over a `Db`, shared by both adapters. `ingest` group-commits: calls that arrive
 * while a transaction is in flight are written together by the next one (up to ~10,000 events),
 * and each caller gets its own counts once that transaction has committed.
 */
export interface SqlStoreOptions {
  /** The process clock (default Date.now): it only tells late events (and which `at`s loadFacts may cache) from live ones. */
  clock?: () => number
  /** User-days and facts loadFacts keeps decoded in memory (default 500,000, ~50 MB; 0: no cache). */
  factsCacheSize?: number
}

export function createSqlStore(db: Db, kind: 'pglite' | 'postgres', opts: SqlStoreOptions = {}): Store {
  const clock = opts.clock ?? Date.now
  const factsCache = opts.factsCacheSize === 0 ? null : createFactsCache(opts.factsCacheSize)
  const queue: Pending[] = []
  // Groups in flight at once. PGlite runs one statement at a time in this thread: one. PostgreSQL:
  // three, so that this process serialises the next groups while the server runs the others (rows
  // are sorted by key in every group, so concurrent groups lock in one order). The rollups go last,
  // with COMMIT pipelined behind them (postgres.ts), so a group holds its account-day rollup rows'
  // locks for one statement only: 3 measured ~15% faster than 2 (bench, HTTP); 4 no faster.
  const maxInFlight = kind === 'pglite' ? 1 : 3
  let inFlight = 0
  let scheduled = false
  let closed = false
  let drained: (() => void)[] = []
  const counters: IngestStats = { transactions: 0, events: 0 }
  const firstSeen: FirstSeenCache = new Map()
  const firstUse: FirstUseCache = new Map()
  // Accounts of committed new events, by facts.ts `touchKey`, until takeTouchedAccounts.
  let touched = new Map<string, { workspaceId: string; accountId: string }>()
  const keyCache = new Map<string, { until: number; value: { workspace: Workspace; kind: KeyKind; label: string } | null }>()
  // Per workspace: the event names its stored config refers to, beyond FIXED_FACT_NAMES (fact-names.ts).
  // `epoch` counts setConfig calls: a load that raced one does not overwrite what it set.
  const configNames = new Map<string, { names: ReadonlySet<string> | null; until: number }>()
  let configEpoch = 0
  // The names the start config (JORNADA_CONFIG, setStartConfig) refers to: workspaces without a stored config use it.
  let startNames: ReadonlySet<string> | null = null
  // Transactions of groups in flight: setConfig waits for those that started with the old names.
  const running = new Set<Promise<unknown>>()
  const namesOf = (doc: unknown): ReadonlySet<string> | null => {
    const names = configEventNames(doc)
    for (const n of FIXED_FACT_NAMES) names.delete(n)
    return names.size ? names : null
  }
  const loadConfigNames = async (q: Db, workspaces: Iterable<string>) => {
    const now = Date.now()
    const stale = [...new Set(workspaces)].filter((ws) => (configNames.get(ws)?.until ?? 0) <= now)
    if (stale.length === 0) return
    const epoch = configEpoch
    const rows = await q.query<{ workspace_id: string; doc: unknown }>(
      'SELECT workspace_id, doc FROM workspace_config WHERE workspace_id = ANY($1::text[])', [stale])
    if (epoch !== configEpoch) return
    const docs = new Map(rows.map((r) => [r.workspace_id, toJson<unknown>(r.doc)]))
    if (configNames.size > KEY_CACHE_MAX) configNames.clear()
    for (const ws of stale) configNames.set(ws, { names: docs.has(ws) ? namesOf(docs.get(ws)) : startNames, until: now + CONFIG_NAMES_MS })
  }
  const configured = (ws: string) => configNames.get(ws)?.names ?? null

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
        await loadConfigNames(tx, group.map((p) => p.workspaceId))
        return writeGroup(tx, group, firstSeen, firstUse, clock(), configured)
      })
      running.add(txn)
      void txn.then(() => running.delete(txn), () => running.delete(txn))
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

  const setKeyIn = async (q: Db, workspaceId: string, label: string, key: string, kind: KeyKind) => {
    await q.query(
      `INSERT INTO api_keys (workspace_id, label, kind, key_hash) VALUES ($1, $2, $3, $4)
       ON CONFLICT (workspace_id, label) DO UPDATE SET kind = excluded.kind, key_hash = excluded.key_hash, created_at = now(), expires_at = NULL`,
      [workspaceId, label, kind, hashKey(key)],
    )
  }

  const store: Store = {
    kind,
    db,
    async migrate() {
      await migrate(db)
    },

    async createWorkspace(input) {
      const ws = await db.transaction(async (tx) => {
        const [row] = await tx.query<WorkspaceRow>(
          `INSERT INTO workspaces (workspace_id, name, allowed_origins, identity_secret) VALUES ($1, $2, $3::text[], $4)
           RETURNING ${WORKSPACE_COLUMNS}`,
          [input.id, input.name, input.allowedOrigins ?? [], input.identitySecret ?? null],
        )
        await setKeyIn(tx, input.id, 'write', input.writeKey, 'write')
        await setKeyIn(tx, input.id, 'secret', input.secretKey, 'secret')
        return toWorkspace(row!)
      })
      keyCache.clear()
      return ws
    },

    async getWorkspace(id) {
      const [row] = await db.query<WorkspaceRow>(
        `SELECT ${WORKSPACE_COLUMNS} FROM workspaces WHERE workspace_id = $1`,
        [id],
      )
      return row ? toWorkspace(row) : null
    },

    async setAllowedOrigins(workspaceId, origins) {
      await db.query('UPDATE workspaces SET allowed_origins = $2::text[] WHERE workspace_id = $1', [workspaceId, origins])
      // findKey answers carry the workspace, origins included.
      keyCache.clear()
    },

    async setWorkspaceName(workspaceId, name) {
      await db.query('UPDATE workspaces SET name = $2 WHERE workspace_id = $1', [workspaceId, name])
      keyCache.clear()
    },

    async setIdentitySecret(workspaceId, secret) {
      await db.query('UPDATE workspaces SET identity_secret = $2 WHERE workspace_id = $1', [workspaceId, secret])
      // findKey answers carry the workspace, its identity secret included.
      keyCache.clear()
    },

    async rotateKey(workspaceId, label, key, kind, previousLabel, previousExpiresAt) {
      await db.transaction(async (tx) => {
        // Two rotations at once take turns here, so each sees the other's new key as the current one.
        await tx.query('SELECT 1 FROM workspaces WHERE workspace_id = $1 FOR UPDATE', [workspaceId])
        await tx.query('DELETE FROM api_keys WHERE workspace_id = $1 AND label = $2', [workspaceId, previousLabel])
        await tx.query(
          'UPDATE api_keys SET label = $3, expires_at = to_timestamp($4::double precision / 1000) WHERE workspace_id = $1 AND label = $2',
          [workspaceId, label, previousLabel, previousExpiresAt],
        )
        await setKeyIn(tx, workspaceId, label, key, kind)
      })
      keyCache.clear()
    },

    async deleteKey(workspaceId, label) {
      const rows = await db.query('DELETE FROM api_keys WHERE workspace_id = $1 AND label = $2 RETURNING label', [workspaceId, label])
      keyCache.clear()
      return rows.length > 0
    },

    async setKey(workspaceId, label, key, kind) {
      await setKeyIn(db, workspaceId, label, key, kind)
      // Another process's setKey is seen here after at most KEY_CACHE_MS.
      keyCache.clear()
    },

    async findKey(key) {
      const hash = hashKey(key)
      const now = Date.now()
      const hit = keyCache.get(hash)
      if (hit && hit.until > now) return hit.value
      const [row] = await db.query<WorkspaceRow & { kind: KeyKind; label: string; expires_at: unknown }>(
        `SELECT k.kind, k.label, k.expires_at, w.workspace_id, w.name, w.allowed_origins, w.identity_secret, w.created_at
         FROM api_keys k JOIN workspaces w ON w.workspace_id = k.workspace_id
         WHERE k.key_hash = $1`,
        [hash],
      )
      const expiresAt = row?.expires_at == null ? Infinity : toMs(row.expires_at)
      const value = row && expiresAt > now ? { workspace: toWorkspace(row), kind: row.kind, label: row.label } : null
      if (keyCache.size >= KEY_CACHE_MAX) keyCache.clear()
      // An expiring key is not served from the cache past its expiry.
      keyCache.set(hash, { until: Math.min(now + KEY_CACHE_MS, expiresAt), value })
      return value
    },

    ingest(workspaceId, events) {
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

    async listEvents(workspaceId, query: EventQuery = {}) {
      const params: unknown[] = [workspaceId]
      let where = 'workspace_id = $1'
      if (query.userId !== undefined) where += ` AND user_id = $${params.push(query.userId)}`
      if (query.accountId !== undefined) where += ` AND account_id = $${params.push(query.accountId)}`
      if (query.name !== undefined) where += ` AND name = $${params.push(query.name)}`
      const limit = query.limit !== undefined ? ` LIMIT $${params.push(Math.max(0, Math.floor(query.limit)))}` : ''
      const rows = await db.query<EventRow>(
        `SELECT event_id, type, name, user_id, anonymous_id, account_id, ts, received_at, properties, traits, context
         FROM events WHERE ${where} ORDER BY ts, event_id${limit}`,
        params,
      )
      return rows.map(toEvent)
    },

    async countEvents(workspaceId) {
      const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE workspace_id = $1', [workspaceId])
      return Number(row?.n ?? 0)
    },

    async getUser(workspaceId, userId): Promise<UserRecord | null> {
      const [row] = await db.query<{ user_id: string; traits: unknown; account_id: string | null; first_seen: unknown }>(
        'SELECT user_id, traits, account_id, first_seen FROM users WHERE workspace_id = $1 AND user_id = $2',
        [workspaceId, userId],
      )
      if (!row) return null
      return {
        userId: row.user_id,
        traits: plainTraits(toJson<StampedTraits>(row.traits)),
        accountId: row.account_id,
        firstSeen: toMs(row.first_seen),
      }
    },

    async getAccount(workspaceId, accountId): Promise<AccountRecord | null> {
      const [row] = await db.query<{ account_id: string; traits: unknown; first_seen: unknown }>(
        'SELECT account_id, traits, first_seen FROM accounts WHERE workspace_id = $1 AND account_id = $2',
        [workspaceId, accountId],
      )
      if (!row) return null
      return { accountId: row.account_id, traits: plainTraits(toJson<StampedTraits>(row.traits)), firstSeen: toMs(row.first_seen) }
    },

    stats() {
      return { ...counters }
    },

    loadFacts(workspaceId, accountId, at) {
      return loadFacts(db, factsCache, workspaceId, accountId, at, clock())
    },

    async getConfig(workspaceId) {
      const [row] = await db.query<{ doc: unknown }>('SELECT doc FROM workspace_config WHERE workspace_id = $1', [workspaceId])
      return row ? toJson<unknown>(row.doc) : null
    },

    async setConfig(workspaceId, doc) {
      const [old] = await db.query<{ doc: unknown }>('SELECT doc FROM workspace_config WHERE workspace_id = $1', [workspaceId])
      await db.query(
        `INSERT INTO workspace_config (workspace_id, doc) VALUES ($1, $2::text::jsonb)
         ON CONFLICT (workspace_id) DO UPDATE SET doc = excluded.doc, updated_at = now()`,
        [workspaceId, stringify(doc ?? null, 'config')],
      )
      // From now on, new groups store the facts of the names the config refers to ...
      const names = namesOf(doc)
      configEpoch++
      configNames.set(workspaceId, { names, until: Date.now() + CONFIG_NAMES_MS })
      // ... and once the groups that started without them have committed, the stored events of
      // names it did not refer to before become facts too (idempotent).
      const before = old ? namesOf(toJson<unknown>(old.doc)) : null
      const added = [...(names ?? [])].filter((n) => !before?.has(n)).sort()
      if (added.length === 0) return
      await Promise.allSettled([...running])
      await db.query(BACKFILL_FACTS_AND_BUMP, [workspaceId, added])
      // Other processes go on with the old names until they re-read the config (CONFIG_NAMES_MS):
      // the same backfill once more after that picks up what they stored meanwhile.
      setTimeout(() => {
        if (!closed) db.query(BACKFILL_FACTS_AND_BUMP, [workspaceId, added]).catch(() => undefined)
      }, 3 * CONFIG_NAMES_MS).unref()
    },

    compactRollups(workspaceId, beforeDay) {
      return compactRollups(db, workspaceId, beforeDay)
    },

    async setStartConfig(doc) {
      startNames = namesOf(doc)
      configEpoch++
      configNames.clear()
      const names = startNames === null ? [] : [...startNames].sort()
      // Workspaces (a small reference table) without a stored config, each backfilled on its own
      // shard, and only for names not backfilled there before (start_fact_names, migration 010).
      const bare = await db.query<{ workspace_id: string }>(
        'SELECT workspace_id FROM workspaces w WHERE NOT EXISTS (SELECT 1 FROM workspace_config c WHERE c.workspace_id = w.workspace_id)')
      for (const { workspace_id: ws } of bare) {
        await db.query('DELETE FROM start_fact_names WHERE workspace_id = $1 AND NOT (name = ANY($2::text[]))', [ws, names])
        const done = new Set((await db.query<{ name: string }>('SELECT name FROM start_fact_names WHERE workspace_id = $1', [ws])).map((r) => r.name))
        const todo = names.filter((n) => !done.has(n))
        if (todo.length === 0) continue
        await db.transaction(async (tx) => {
          await tx.query(BACKFILL_FACTS_AND_BUMP, [ws, todo])
          await tx.query('INSERT INTO start_fact_names (workspace_id, name) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING', [ws, todo])
        })
      }
    },

    async addOverrideChange(workspaceId, accountId, change) {
      const problem = checkTime(change.at, 'at')
      if (problem) throw new Error(problem)
      await db.query(
        'INSERT INTO override_changes (workspace_id, account_id, at, change) VALUES ($1, $2, to_timestamp($3::float8 / 1000), $4::text::jsonb)',
        [workspaceId, accountId, change.at, stringify(change, 'override change')],
      )
    },

    async listOverrideChanges(workspaceId, accountId) {
      const rows = await db.query<{ change: unknown }>(
        'SELECT change FROM override_changes WHERE workspace_id = $1 AND account_id = $2 ORDER BY at, seq',
        [workspaceId, accountId],
      )
      return rows.map((r) => toJson<OverrideChange>(r.change))
    },

    takeTouchedAccounts() {
      const out = [...touched.values()]
      touched = new Map()
      return out
    },

    async listAccountIds(workspaceId) {
      // Every event with an account (a group call included) upserts `accounts` at ingest.
      const rows = await db.query<{ account_id: string }>('SELECT account_id FROM accounts WHERE workspace_id = $1', [workspaceId])
      return rows.map((r) => r.account_id).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    },

    async claimSweep(workspaceId, slot) {
      const rows = await db.transaction(async (tx) => {
        await tx.query('DELETE FROM sweep_claims WHERE workspace_id = $1 AND slot < $2::bigint', [workspaceId, slot - 48])
        return tx.query('INSERT INTO sweep_claims (workspace_id, slot) VALUES ($1, $2::bigint) ON CONFLICT DO NOTHING RETURNING slot', [workspaceId, slot])
      })
      return rows.length > 0
    },

    async releaseSweep(workspaceId, slot) {
      await db.query('DELETE FROM sweep_claims WHERE workspace_id = $1 AND slot = $2::bigint', [workspaceId, slot])
    },

    async listWorkspaceIds() {
      // Names no workspace: it lists them (`workspaces` is small, a reference table once sharded: 001_init.sql).
      const rows = await db.query<{ workspace_id: string }>('SELECT workspace_id FROM workspaces')
      return rows.map((r) => r.workspace_id).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    },

    async putSnapshots(workspaceId, snapshots, also) {
      // Sorted and deduplicated (the last one wins) by account: one lock order, one row per statement.
      const byAccount = new Map<string, AccountSnapshot>()
      for (const s of snapshots) byAccount.set(s.accountId, s)
      const rows = [...byAccount.values()].sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0))
      const write = async (q: Db) => {
        for (const part of chunks(rows)) {
          await q.query(UPSERT_SNAPSHOTS, [workspaceId, stringify(part.map(snapshotDoc), 'snapshots')])
        }
        if (also) await also(q)
      }
      await (also ? db.transaction(write) : write(db))
    },

    async listMapSummaries(workspaceId) {
      const rows = await db.query<{ account_id: string; segment: string; map_at: unknown; map_summary: string }>(
        `SELECT account_id, segment, map_at, map_summary FROM account_snapshots
         WHERE workspace_id = $1 AND map_summary IS NOT NULL ORDER BY account_id`,
        [workspaceId],
      )
      return rows.map((r) => ({ accountId: r.account_id, segment: r.segment, computedAt: toMs(r.map_at), summary: r.map_summary }))
    },

    async getSnapshots(workspaceId, accountIds) {
      if (accountIds.length === 0) return []
      const rows = await db.query<SnapshotRow>(
        `SELECT account_id, segment, phase, health, band, flags, computed_at, phase_since FROM account_snapshots
         WHERE workspace_id = $1 AND account_id = ANY ($2::text[])`,
        [workspaceId, accountIds],
      )
      return rows.map((r) => ({ ...toSnapshot(r), phaseSince: toMs(r.phase_since ?? r.computed_at) }))
    },

    listSnapshots(workspaceId, query) {
      return listSnapshots(db, workspaceId, query)
    },

    async ping() {
      try {
        await db.query('SELECT 1')
        return true
      } catch {
        return false
      }
    },

    async close() {
      if (closed) return
      closed = true
      // Let accepted calls commit before the connection goes away.
      if (inFlight > 0 || queue.length) await new Promise<void>((resolve) => drained.push(resolve))
      keyCache.clear()
      await db.close()
    },
  }
  return store
}
