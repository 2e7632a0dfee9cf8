-- Builder mode (docs/spec/console.md, "Content", "Builder mode"; server/store/builder-grants.ts):
-- the single-use tokens the console puts in a page's URL (kind `token`, valid 10 minutes) and the
-- short-lived credentials a token is exchanged for once (kind `session`, valid 1 hour). Only their
-- sha256 is kept. Each names who made it (the member, or the key) for the audit log, and what it
-- works on: a draft (none yet: the first save makes one from the published config), a guide and a
-- step. Keyed by workspace first, as every table is.
CREATE TABLE IF NOT EXISTS builder_grants (
  workspace_id text        NOT NULL,
  token_hash   text        NOT NULL,
  kind         text        NOT NULL CHECK (kind IN ('token', 'session')),
  actor_kind   text        NOT NULL,
  actor_id     text        NOT NULL,
  actor_email  text,
  draft_id     text,
  guide_id     text,
  step         integer,
  created_at   timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  used_at      timestamptz,
  PRIMARY KEY (workspace_id, token_hash)
);
