-- The journey config as revisions (docs/spec/console.md, "Revisions"; server/store/config-revisions.ts):
-- drafts, the published one, and the ones published before it. `published_at` is when a revision
-- was first published (NULL: a draft); which one is published now is workspace_config.revision_id,
-- whose `doc` stays a copy of that revision's document, so that every reader of the config in force
-- (the routes, the evaluator, ingest's fact names) reads one row, as before. Keyed by workspace
-- first, as every table is.
CREATE TABLE IF NOT EXISTS config_revisions (
  workspace_id text        NOT NULL,
  revision_id  text        NOT NULL,
  created_at   timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL,
  author       text,
  message      text        NOT NULL,
  doc          jsonb       NOT NULL,
  published_at timestamptz,
  PRIMARY KEY (workspace_id, revision_id)
);

ALTER TABLE workspace_config ADD COLUMN IF NOT EXISTS revision_id text;

-- The config stored before revisions becomes the first published revision of its workspace. Its
-- author is the last one the audit log names for a config change (none: unknown). The id has the
-- shape of the store's (rev_, ten base-36 digits of time, eight hex digits), with time 0: it sorts
-- first. Safe to run again: only configs without a revision get one.
INSERT INTO config_revisions (workspace_id, revision_id, created_at, updated_at, author, message, doc, published_at)
SELECT c.workspace_id,
       'rev_0000000000' || substr(md5(c.workspace_id), 1, 8),
       c.updated_at,
       c.updated_at,
       (SELECT coalesce(a.actor_email, a.actor_id) FROM audit_log a
         WHERE a.workspace_id = c.workspace_id AND a.action = 'config.update'
         ORDER BY a.id DESC LIMIT 1),
       'the config in force when revisions began',
       c.doc,
       c.updated_at
FROM workspace_config c
WHERE c.revision_id IS NULL
ON CONFLICT DO NOTHING;

UPDATE workspace_config SET revision_id = 'rev_0000000000' || substr(md5(workspace_id), 1, 8)
WHERE revision_id IS NULL;
