/**
 * The results of the experiences (docs/http-api.md, "Results"): the SDK's engagement events of a
 * time range counted per experience, per dismissal reason, per guide step and per checklist item,
 * in one statement over one workspace. The events are read from `account_facts` (every engagement
 * event of an account is a fact, fact-names.ts) through its index by name and time
 * (`account_facts_name_ts`), so the statement reads the range's engagement events and nothing else.
 */
import { EXPERIENCE_KINDS } from '../journey/vocabulary'
import type { ExperienceKind } from '../journey/vocabulary'
import type { Db, EngagementQuery, EngagementRows, Store } from './types'

/** The accounts of the snapshots that match the query's segment and phase (added when either is given). */
export function snapshotFilter(
  params: unknown[],
  column: string,
  filter: { segment?: string | undefined; phase?: string | undefined },
): string {
  if (filter.segment === undefined && filter.phase === undefined) return ''
  let where = 'workspace_id = $1'
  if (filter.segment !== undefined) where += ` AND segment = $${params.push(filter.segment)}`
  if (filter.phase !== undefined) where += ` AND phase = $${params.push(filter.phase)}`
  // account_snapshots.account_id is COLLATE "C": the comparison names it.
  return ` AND ${column} COLLATE "C" IN (SELECT account_id FROM account_snapshots WHERE ${where})`
}

/**
 * `e`: the range's engagement events with a string `experienceId` and a known `kind`, and `step`
 * when it is a non-negative integer number. Each document is parsed once (`raw`, materialised: a
 * subquery would be flattened and parse it once per use), and `e` is read by every part below.
 * - x: per experience, shown / completed / dismissed events; u and a: its distinct users and accounts;
 * - r: dismissals per reason (`none` when the event has no string reason);
 * - s: per guide step, `guide_step_viewed` and `guide_target_missing` events;
 * - l: per guide step, the users whose latest view of the guide in the range was that step, with
 *   no `experience_completed` of the guide at or after that view: each user's latest view or
 *   completion (a completion first on a tie), counted when it is a view;
 * - i: per checklist and item, of the accounts the checklist reached in the range, those whose
 *   item was done by `to` (a fact named one of the item's milestone events at or before `to`), and
 *   the lower median of the account day of each one's first such fact (`start`, below);
 * - p: per advocacy ask or NPS survey and program, its `advocacy_accepted` events with a string
 *   `program`, and their distinct users and accounts.
 * No part joins two sets of `e`'s rows: the planner cannot estimate them (JSON conditions), and a
 * nested loop over them took minutes on a million events.
 *
 * `start`: each reached account's start as a day number (days since 1970-01-01, UTC), as the engine
 * takes it (journey/context.ts `contractStartOf`) but from the account's latest traits: the UTC day
 * of `traits.contractStart` when it is a readable time, else that of `first_seen` (its first event).
 * A number is epoch ms (at most 8.64e15 either way, as a JavaScript date); a string is one of the
 * ISO-8601 forms of CONTRACT_START_RE with a month 1-12, a day 1-31 (a day past the month's end runs
 * into the next month, as JavaScript's Date.parse reads it), a time up to 23:59:59 and an offset up
 * to 23:59; a time without an offset is UTC. Nothing is cast that could fail: an unreadable trait is
 * NULL here, and the account's first event is its start.
 */
function engagementSql(filter: string): string {
  return `
WITH raw AS MATERIALIZED (
  SELECT account_id, user_id, name, ts, event_id, doc::jsonb -> 'properties' AS p
  FROM account_facts
  WHERE workspace_id = $1 AND name = ANY($2::text[])
    AND ts >= to_timestamp($3::float8 / 1000) AND ts <= to_timestamp($4::float8 / 1000)${filter}
), e AS MATERIALIZED (
  SELECT account_id, user_id, name, ts, event_id, p ->> 'experienceId' AS id, p ->> 'kind' AS kind,
         CASE WHEN jsonb_typeof(p -> 'reason') = 'string' THEN p ->> 'reason' ELSE 'none' END AS reason,
         CASE WHEN jsonb_typeof(p -> 'step') = 'number' AND p ->> 'step' ~ '^[0-9]{1,6}$' THEN (p ->> 'step')::int END AS step,
         CASE WHEN jsonb_typeof(p -> 'program') = 'string' THEN p ->> 'program' END AS program
  FROM raw
  WHERE jsonb_typeof(p -> 'experienceId') = 'string' AND p ->> 'kind' = ANY($5::text[])
), latest AS (
  SELECT DISTINCT ON (id, kind, account_id, user_id) id, kind, name, step
  FROM e
  WHERE kind = 'guide' AND user_id IS NOT NULL
    AND (name = 'experience_completed' OR (name = 'guide_step_viewed' AND step IS NOT NULL))
  ORDER BY id, kind, account_id, user_id, ts DESC, name = 'experience_completed' DESC, event_id DESC
), reached AS (
  SELECT DISTINCT id, kind, account_id FROM e WHERE kind = 'checklist'
), items AS (
  SELECT item, names, ord FROM jsonb_to_recordset($6::text::jsonb) AS x(item text, names text[], ord int)
), done AS (
  SELECT i.item, f.account_id, min(f.ts) AS first_ts FROM items i
  JOIN account_facts f ON f.workspace_id = $1 AND f.name = ANY(i.names) AND f.ts <= to_timestamp($4::float8 / 1000)
  GROUP BY i.item, f.account_id
), trait AS (
  SELECT account_id, first_seen, traits -> 'contractStart' -> 'v' AS v,
         CASE WHEN jsonb_typeof(traits -> 'contractStart' -> 'v') = 'string'
              THEN regexp_match(traits -> 'contractStart' ->> 'v', '${CONTRACT_START_RE}') END AS m
  FROM accounts
  WHERE workspace_id = $1 AND account_id IN (SELECT account_id FROM reached)
), start AS (
  SELECT account_id, coalesce(
    CASE WHEN jsonb_typeof(v) = 'number' AND abs((v #>> '{}')::numeric) <= 8.64e15
         THEN floor((v #>> '{}')::numeric / 86400000) END,
    CASE WHEN m[1]::int >= 1 AND m[2]::int BETWEEN 1 AND 12 AND m[3]::int BETWEEN 1 AND 31
          AND coalesce(m[4]::int, 0) <= 23 AND coalesce(m[5]::int, 0) <= 59 AND coalesce(m[6]::int, 0) <= 59
          AND coalesce(m[9]::int, 0) <= 23 AND coalesce(m[10]::int, 0) <= 59
         THEN floor(((make_date(m[1]::int, m[2]::int, 1) - DATE '1970-01-01' + m[3]::int - 1)::numeric * 86400
                     + coalesce(m[4]::int, 0) * 3600 + coalesce(m[5]::int, 0) * 60 + coalesce(m[6]::int, 0)
                     - (CASE m[8] WHEN '-' THEN -1 ELSE 1 END) * (coalesce(m[9]::int, 0) * 3600 + coalesce(m[10]::int, 0) * 60))
                    / 86400) END,
    floor(extract(epoch FROM first_seen) / 86400)) AS day0
  FROM trait
)
SELECT 'x' AS part, id, kind, NULL::text AS key,
       count(*) FILTER (WHERE name = 'experience_shown')::int AS a,
       count(*) FILTER (WHERE name = 'experience_completed')::int AS b,
       count(*) FILTER (WHERE name = 'experience_dismissed')::int AS c,
       NULL::numeric AS d
FROM e GROUP BY id, kind
UNION ALL
SELECT 'u', id, kind, NULL, count(*)::int, 0, 0, NULL
FROM (SELECT DISTINCT id, kind, user_id FROM e WHERE user_id IS NOT NULL) AS du GROUP BY id, kind
UNION ALL
SELECT 'a', id, kind, NULL, count(*)::int, 0, 0, NULL
FROM (SELECT DISTINCT id, kind, account_id FROM e) AS da GROUP BY id, kind
UNION ALL
SELECT 'r', id, kind, reason, count(*)::int, 0, 0, NULL
FROM e WHERE name = 'experience_dismissed' GROUP BY id, kind, reason
UNION ALL
SELECT 's', id, kind, step::text, count(*) FILTER (WHERE name = 'guide_step_viewed')::int,
       count(*) FILTER (WHERE name = 'guide_target_missing')::int, 0, NULL
FROM e WHERE kind = 'guide' AND step IS NOT NULL AND name IN ('guide_step_viewed', 'guide_target_missing')
GROUP BY id, kind, step
UNION ALL
SELECT 'l', id, kind, step::text, count(*)::int, 0, 0, NULL
FROM latest WHERE name = 'guide_step_viewed' GROUP BY id, kind, step
UNION ALL
SELECT 'i', r.id, r.kind, i.item, count(d.account_id)::int, count(*)::int, min(i.ord)::int,
       percentile_disc(0.5) WITHIN GROUP (ORDER BY floor(extract(epoch FROM d.first_ts) / 86400) - s.day0)
FROM reached r CROSS JOIN items i
LEFT JOIN done d ON d.item = i.item AND d.account_id = r.account_id
LEFT JOIN start s ON s.account_id = r.account_id
GROUP BY r.id, r.kind, i.item
UNION ALL
SELECT 'p', id, kind, program, count(*)::int, count(DISTINCT user_id)::int, count(DISTINCT account_id)::int, NULL
FROM e WHERE name = 'advocacy_accepted' AND program IS NOT NULL AND kind IN ('advocacy', 'nps')
GROUP BY id, kind, program`
}

/**
 * A contract start as text: `YYYY-MM-DD`, optionally a time (`T`, `t` or a space, then `hh:mm`,
 * `hh:mm:ss` or `hh:mm:ss.fff…`) and after it `Z` or an offset `±hh:mm` / `±hhmm`; blanks around it.
 * Groups: 1-3 the date, 4-6 the time, 7 the zone, 8-10 the offset's sign, hours and minutes.
 */
const CONTRACT_START_RE =
  '^[[:space:]]*([0-9]{4})-([0-9]{2})-([0-9]{2})' +
  '(?:[Tt ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.][0-9]+)?)?([Zz]|([+-])([0-9]{2}):?([0-9]{2}))?)?[[:space:]]*$'

const ENGAGEMENT_EVENTS = [
  'experience_shown',
  'experience_completed',
  'experience_dismissed',
  'guide_step_viewed',
  'guide_target_missing',
  'advocacy_accepted',
]

interface Row {
  part: 'x' | 'u' | 'a' | 'r' | 's' | 'l' | 'i' | 'p'
  id: string
  /** One of EXPERIENCE_KINDS: the statement keeps no other. */
  kind: ExperienceKind
  key: string | null
  a: number
  b: number
  c: number
  /** Part i: the median day (a whole number, as numeric); NULL elsewhere. */
  d: number | string | null
}

/** Store.engagementResults: the rows of engagementSql, sorted into their parts. */
export function createEngagementResults(db: Db): Pick<Store, 'engagementResults'> {
  return {
    async engagementResults(workspaceId, query: EngagementQuery): Promise<EngagementRows> {
      const params: unknown[] = [
        workspaceId,
        ENGAGEMENT_EVENTS,
        query.from,
        query.to,
        [...EXPERIENCE_KINDS],
        JSON.stringify(query.checklistItems.map((i, ord) => ({ item: i.id, names: i.events, ord }))),
      ]
      const filter = snapshotFilter(params, 'account_id', query)
      const rows = await db.query<Row>(engagementSql(filter), params)
      const out: EngagementRows = { experiences: [], reasons: [], steps: [], items: [], programs: [] }
      const experiences = new Map<string, EngagementRows['experiences'][number]>()
      const steps = new Map<string, EngagementRows['steps'][number]>()
      // Parts x, u and a of one experience fill one entry; parts s and l of one step, another.
      const experience = (r: Row) => {
        const k = JSON.stringify([r.id, r.kind])
        let x = experiences.get(k)
        if (x === undefined) {
          x = { id: r.id, kind: r.kind, shown: 0, completed: 0, dismissed: 0, users: 0, accounts: 0 }
          experiences.set(k, x)
          out.experiences.push(x)
        }
        return x
      }
      const step = (r: Row) => {
        const k = JSON.stringify([r.id, r.kind, r.key])
        let s = steps.get(k)
        if (s === undefined) {
          s = { id: r.id, kind: r.kind, step: Number(r.key), viewed: 0, left: 0, targetMissing: 0 }
          steps.set(k, s)
          out.steps.push(s)
        }
        return s
      }
      for (const r of rows) {
        const [a, b, c] = [Number(r.a), Number(r.b), Number(r.c)]
        if (r.part === 'x') Object.assign(experience(r), { shown: a, completed: b, dismissed: c })
        else if (r.part === 'u') experience(r).users = a
        else if (r.part === 'a') experience(r).accounts = a
        else if (r.part === 'r') out.reasons.push({ id: r.id, kind: r.kind, reason: r.key ?? 'none', count: a })
        else if (r.part === 's') Object.assign(step(r), { viewed: a, targetMissing: b })
        else if (r.part === 'l') step(r).left = a
        else if (r.part === 'p')
          out.programs.push({ id: r.id, kind: r.kind, program: r.key ?? '', accepted: a, users: b, accounts: c })
        else {
          const medianDay = r.d === null ? null : Number(r.d)
          out.items.push({ id: r.id, kind: r.kind, item: r.key ?? '', done: a, accounts: b, order: c, medianDay })
        }
      }
      return out
    },
  }
}
