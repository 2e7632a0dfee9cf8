-- Jornada schema, version 1. One set of migrations for PGlite and PostgreSQL.
--
-- Distribution-ready: every primary key begins with workspace_id and every query filters on one
-- workspace, so Citus can shard the event tables by workspace_id (create_distributed_table) later.
-- `workspaces` and `api_keys` are small and become Citus reference tables (create_reference_table):
-- the key lookup by hash (Store.findKey) is the one query that does not name a workspace.

CREATE TABLE IF NOT EXISTS workspaces (
  workspace_id    text        NOT NULL,
  name            text        NOT NULL,
  allowed_origins text[]      NOT NULL DEFAULT '{}',
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id)
);

-- Keys are stored as sha256 hex, never in clear. One key per (workspace, label).
CREATE TABLE IF NOT EXISTS api_keys (
  workspace_id text        NOT NULL REFERENCES workspaces (workspace_id) ON DELETE CASCADE,
  label        text        NOT NULL,
  kind         text        NOT NULL CHECK (kind IN ('write', 'secret')),
  key_hash     text        NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, label)
);
CREATE UNIQUE INDEX IF NOT EXISTS api_keys_key_hash ON api_keys (key_hash);

-- No foreign keys to workspaces below: a distributed table may reference a reference table in
-- Citus, but the hot ingest path should not pay for the check either.
CREATE TABLE IF NOT EXISTS events (
  workspace_id text        NOT NULL,
  event_id     text        NOT NULL,
  type         text        NOT NULL CHECK (type IN ('track', 'identify', 'group', 'page')),
  name         text,
  user_id      text,
  anonymous_id text,
  account_id   text,
  ts           timestamptz NOT NULL,
  received_at  timestamptz NOT NULL,
  properties   jsonb       NOT NULL DEFAULT '{}',
  traits       jsonb,
  context      jsonb,
  PRIMARY KEY (workspace_id, event_id)
);
-- Reads go by account and time (the journey engine: an account's events of one day). No index by
-- user: every index costs each insert (about 12% of the ingest rate for this one, measured).
CREATE INDEX IF NOT EXISTS events_account_ts ON events (workspace_id, account_id, ts);

-- traits: { key: { "v": value, "t": epoch ms of the event that set it } }, merged by
-- jornada_merge_traits so that events arriving late and out of order merge in timestamp order.
CREATE TABLE IF NOT EXISTS users (
  workspace_id text        NOT NULL,
  user_id      text        NOT NULL,
  traits       jsonb       NOT NULL DEFAULT '{}',
  account_id   text,
  account_at   timestamptz,
  first_seen   timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, user_id)
);

CREATE TABLE IF NOT EXISTS accounts (
  workspace_id text        NOT NULL,
  account_id   text        NOT NULL,
  traits       jsonb       NOT NULL DEFAULT '{}',
  first_seen   timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, account_id)
);

-- One row per `group` call: which account a user joined, and when (by event timestamp). Events
-- without an account resolve to the user's latest membership at or before their timestamp.
CREATE TABLE IF NOT EXISTS memberships (
  workspace_id text        NOT NULL,
  user_id      text        NOT NULL,
  ts           timestamptz NOT NULL,
  account_id   text        NOT NULL,
  PRIMARY KEY (workspace_id, user_id, ts, account_id)
);

-- Merges two stamped trait maps key by key: the value with the later (or equal) "t" wins, a key
-- absent from `inc` is kept. Used on upsert (ON CONFLICT DO UPDATE) so that concurrent writers
-- from several processes cannot lose updates. server/store/traits.ts is the same rule in JS.
CREATE OR REPLACE FUNCTION jornada_merge_traits(cur jsonb, inc jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(cur, '{}'::jsonb) || coalesce((
    SELECT jsonb_object_agg(i.key, i.value)
    FROM jsonb_each(coalesce(inc, '{}'::jsonb)) AS i
    WHERE cur IS NULL
       OR NOT (cur ? i.key)
       OR (i.value ->> 't')::float8 >= coalesce((cur -> i.key ->> 't')::float8, '-infinity'::float8)
  ), '{}'::jsonb)
$$;
