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
 *   item was done by `to` (a fact named one of the item's milestone events at or before `to`).
 * No part joins two sets of `e`'s rows: the planner cannot estimate them (JSON conditions), and a
 * nested loop over them took minutes on a million events.
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
         CASE WHEN jsonb_typeof(p -> 'step') = 'number' AND p ->> 'step' ~ '^[0-9]{1,6}$' THEN (p ->> 'step')::int END AS step
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
  SELECT DISTINCT i.item, f.account_id FROM items i
  JOIN account_facts f ON f.workspace_id = $1 AND f.name = ANY(i.names) AND f.ts <= to_timestamp($4::float8 / 1000)
)
SELECT 'x' AS part, id, kind, NULL::text AS key,
       count(*) FILTER (WHERE name = 'experience_shown')::int AS a,
       count(*) FILTER (WHERE name = 'experience_completed')::int AS b,
       count(*) FILTER (WHERE name = 'experience_dismissed')::int AS c
FROM e GROUP BY id, kind
UNION ALL
SELECT 'u', id, kind, NULL, count(*)::int, 0, 0
FROM (SELECT DISTINCT id, kind, user_id FROM e WHERE user_id IS NOT NULL) AS du GROUP BY id, kind
UNION ALL
SELECT 'a', id, kind, NULL, count(*)::int, 0, 0
FROM (SELECT DISTINCT id, kind, account_id FROM e) AS da GROUP BY id, kind
UNION ALL
SELECT 'r', id, kind, reason, count(*)::int, 0, 0
FROM e WHERE name = 'experience_dismissed' GROUP BY id, kind, reason
UNION ALL
SELECT 's', id, kind, step::text, count(*) FILTER (WHERE name = 'guide_step_viewed')::int,
       count(*) FILTER (WHERE name = 'guide_target_missing')::int, 0
FROM e WHERE kind = 'guide' AND step IS NOT NULL AND name IN ('guide_step_viewed', 'guide_target_missing')
GROUP BY id, kind, step
UNION ALL
SELECT 'l', id, kind, step::text, count(*)::int, 0, 0
FROM latest WHERE name = 'guide_step_viewed' GROUP BY id, kind, step
UNION ALL
SELECT 'i', r.id, r.kind, i.item, count(d.account_id)::int, count(*)::int, min(i.ord)::int
FROM reached r CROSS JOIN items i
LEFT JOIN done d ON d.item = i.item AND d.account_id = r.account_id
GROUP BY r.id, r.kind, i.item`
}

const ENGAGEMENT_EVENTS = [
  'experience_shown',
  'experience_completed',
  'experience_dismissed',
  'guide_step_viewed',
  'guide_target_missing',
]

interface Row {
  part: 'x' | 'u' | 'a' | 'r' | 's' | 'l' | 'i'
  id: string
  /** One of EXPERIENCE_KINDS: the statement keeps no other. */
  kind: ExperienceKind
  key: string | null
  a: number
  b: number
  c: number
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
      const out: EngagementRows = { experiences: [], reasons: [], steps: [], items: [] }
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
        else out.items.push({ id: r.id, kind: r.kind, item: r.key ?? '', done: a, accounts: b, order: c })
      }
      return out
    },
  }
}
