-- Jornada schema, version 2: what the journey engine reads (Store.loadFacts), kept at ingest.
--
-- Rollups are written in the ingest transaction, from newly inserted events only (a duplicate
-- changes nothing), so they always agree with `events`. loadFacts reads them for the days before
-- `at`'s UTC day and the raw events of that day up to `at`. Days are UTC dates. Every key begins
-- with workspace_id, as in 001.

-- One row per account, UTC day and user: `$login` events and `track` + `page` events.
CREATE TABLE IF NOT EXISTS rollup_user_days (
  workspace_id text    NOT NULL,
  account_id   text    NOT NULL,
  day          date    NOT NULL,
  user_id      text    NOT NULL,
  logins       integer NOT NULL,
  events       integer NOT NULL,
  PRIMARY KEY (workspace_id, account_id, day, user_id)
);

-- One row per account, UTC day and key: `name:<event>` counts `track` events by name,
-- `feature:<id>` counts `feature_used` events by their string `feature` property.
CREATE TABLE IF NOT EXISTS rollup_days (
  workspace_id text    NOT NULL,
  account_id   text    NOT NULL,
  day          date    NOT NULL,
  key          text    NOT NULL,
  count        integer NOT NULL,
  PRIMARY KEY (workspace_id, account_id, day, key)
);

-- Features used anywhere in the workspace (any account, or none), by UTC day, with the earliest
-- use that day: loadFacts's `workspaceFeatures` takes the days up to `at`'s and, on that day,
-- the features first used at or before `at`. first_ts only ever decreases, so the ingest path
-- caches it and skips rows that would change nothing.
CREATE TABLE IF NOT EXISTS workspace_feature_days (
  workspace_id text        NOT NULL,
  day          date        NOT NULL,
  feature      text        NOT NULL,
  first_ts     timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, day, feature)
);

-- Fact events: `track` events of an account whose name is not `$login`, `$page` or
-- `feature_used` (milestones, tickets, NPS answers, renewal steps …). `doc` is the engine's
-- FactEvent as JSON text, written once at ingest: loadFacts concatenates the docs of an index
-- range and parses them once, with no per-row jsonb conversion (3x faster on PGlite, measured).
CREATE TABLE IF NOT EXISTS account_facts (
  workspace_id text        NOT NULL,
  account_id   text        NOT NULL,
  ts           timestamptz NOT NULL,
  event_id     text        NOT NULL,
  name         text        NOT NULL,
  user_id      text,
  doc          text        NOT NULL,
  PRIMARY KEY (workspace_id, account_id, ts, event_id)
);

-- The users of an account: whoever has an event under it (a `group` call included), from the
-- first one. first_ts only ever decreases: the ingest path caches it and skips rows that would
-- change nothing, so ordinary traffic does not write here.
CREATE TABLE IF NOT EXISTS account_users (
  workspace_id text        NOT NULL,
  account_id   text        NOT NULL,
  user_id      text        NOT NULL,
  first_ts     timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, account_id, user_id)
);

-- Trait history, one row per trait key set by an event: kind 'u' for `identify` (by user, whatever
-- the account), 'a' for `group` (by account). The value in force at `at` is one backward index
-- probe per key (the keys are those of users.traits / accounts.traits, which never lose one).
-- Ties in time go to the greater event id: COLLATE "C" keeps that in index order on any server.
CREATE TABLE IF NOT EXISTS trait_values (
  workspace_id text        NOT NULL,
  kind         "char"      NOT NULL,
  subject_id   text        NOT NULL,
  key          text        NOT NULL,
  ts           timestamptz NOT NULL,
  event_id     text COLLATE "C" NOT NULL,
  value        jsonb,
  PRIMARY KEY (workspace_id, kind, subject_id, key, ts, event_id)
);

-- Bumped, in the ingest transaction, when activity or a fact lands on a day before the ingesting
-- process's UTC today (a late event, an import). loadFacts caches an account's decoded history
-- up to the day before yesterday of `at` and reuses it while this version is unchanged: live
-- traffic (today's events) never writes here and never invalidates that cache.
CREATE TABLE IF NOT EXISTS account_versions (
  workspace_id text   NOT NULL,
  account_id   text   NOT NULL,
  version      bigint NOT NULL,
  PRIMARY KEY (workspace_id, account_id)
);

-- The journey config document, validated by the caller.
CREATE TABLE IF NOT EXISTS workspace_config (
  workspace_id text        NOT NULL,
  doc          jsonb       NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id)
);

-- The phase override audit list: every change, kept forever. `change` is the OverrideChange as
-- given; `at` repeats its time for the query of the change in force.
CREATE TABLE IF NOT EXISTS override_changes (
  workspace_id text        NOT NULL,
  account_id   text        NOT NULL,
  seq          bigint      GENERATED ALWAYS AS IDENTITY,
  at           timestamptz NOT NULL,
  change       jsonb       NOT NULL,
  PRIMARY KEY (workspace_id, account_id, seq)
);

-- What the accounts listing shows, computed by the engine. sort_health puts "no health" last, so
-- that the listing's order (health ascending, nulls last, then account) is one index range and a
-- keyset cursor is a row comparison. COLLATE "C": the same order on every server.
CREATE TABLE IF NOT EXISTS account_snapshots (
  workspace_id text COLLATE "C" NOT NULL,
  account_id   text COLLATE "C" NOT NULL,
  segment      text        NOT NULL,
  phase        text        NOT NULL,
  health       float8,
  band         text,
  flags        text[]      NOT NULL DEFAULT '{}',
  computed_at  timestamptz NOT NULL,
  sort_health  float8      GENERATED ALWAYS AS (coalesce(health, 'Infinity'::float8)) STORED,
  PRIMARY KEY (workspace_id, account_id)
);
CREATE INDEX IF NOT EXISTS account_snapshots_order ON account_snapshots (workspace_id, sort_health, account_id);

-- Backfill from the events stored before this migration (same rules as the ingest path,
-- server/store/rollup-writes.ts `collectRollups`).
INSERT INTO rollup_user_days (workspace_id, account_id, day, user_id, logins, events)
SELECT workspace_id, account_id, (ts AT TIME ZONE 'UTC')::date, user_id,
       count(*) FILTER (WHERE type = 'track' AND name = '$login'), count(*)
FROM events
WHERE type IN ('track', 'page') AND account_id IS NOT NULL AND user_id IS NOT NULL
GROUP BY 1, 2, 3, 4
ON CONFLICT DO NOTHING;

INSERT INTO rollup_days (workspace_id, account_id, day, key, count)
SELECT workspace_id, account_id, (ts AT TIME ZONE 'UTC')::date, 'name:' || name, count(*)
FROM events
WHERE type = 'track' AND name IS NOT NULL AND account_id IS NOT NULL
GROUP BY 1, 2, 3, 4
UNION ALL
SELECT workspace_id, account_id, (ts AT TIME ZONE 'UTC')::date, 'feature:' || (properties ->> 'feature'), count(*)
FROM events
WHERE type = 'track' AND name = 'feature_used' AND account_id IS NOT NULL AND jsonb_typeof(properties -> 'feature') = 'string'
GROUP BY 1, 2, 3, 4
ON CONFLICT DO NOTHING;

INSERT INTO workspace_feature_days (workspace_id, day, feature, first_ts)
SELECT workspace_id, (ts AT TIME ZONE 'UTC')::date, properties ->> 'feature', min(ts)
FROM events
WHERE type = 'track' AND name = 'feature_used' AND jsonb_typeof(properties -> 'feature') = 'string'
GROUP BY 1, 2, 3
ON CONFLICT DO NOTHING;

INSERT INTO account_facts (workspace_id, account_id, ts, event_id, name, user_id, doc)
SELECT workspace_id, account_id, ts, event_id, name, user_id,
       json_build_object('id', event_id, 'name', name, 'at', (extract(epoch FROM ts) * 1000)::float8, 'userId', user_id, 'properties', properties)::text
FROM events
WHERE type = 'track' AND account_id IS NOT NULL AND name IS NOT NULL AND name NOT IN ('$login', '$page', 'feature_used')
ON CONFLICT DO NOTHING;

INSERT INTO account_users (workspace_id, account_id, user_id, first_ts)
SELECT workspace_id, account_id, user_id, min(ts)
FROM events
WHERE account_id IS NOT NULL AND user_id IS NOT NULL
GROUP BY 1, 2, 3
ON CONFLICT DO NOTHING;

INSERT INTO trait_values (workspace_id, kind, subject_id, key, ts, event_id, value)
SELECT e.workspace_id, CASE e.type WHEN 'identify' THEN 'u' ELSE 'a' END, CASE e.type WHEN 'identify' THEN e.user_id ELSE e.account_id END,
       t.key, e.ts, e.event_id, t.value
FROM events e CROSS JOIN LATERAL jsonb_each(CASE WHEN jsonb_typeof(e.traits) = 'object' THEN e.traits ELSE '{}'::jsonb END) AS t
WHERE (e.type = 'identify' AND e.user_id IS NOT NULL) OR (e.type = 'group' AND e.account_id IS NOT NULL)
ON CONFLICT DO NOTHING;
