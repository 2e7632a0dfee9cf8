-- The console's members, their sessions, invitations and setup links, throttled sign-ins, and the
-- audit log (docs/spec/console.md, "Members, sessions, roles"; server/store/console-members.ts and
-- audit-log.ts). Every key begins with workspace_id, as every table's does: several workspaces,
-- and distribution by workspace, need no migration of these. Secrets are stored as sha256 hex (a
-- session's or an invitation's token) or a memory-hard hash (a password), never in clear.

CREATE TABLE IF NOT EXISTS console_members (
  workspace_id  text        NOT NULL,
  member_id     text        NOT NULL,
  email         text        NOT NULL,
  role          text        NOT NULL CHECK (role IN ('viewer', 'csm', 'editor', 'admin', 'owner')),
  password_hash text,
  created_at    timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, member_id)
);
CREATE UNIQUE INDEX IF NOT EXISTS console_members_email ON console_members (workspace_id, email);

CREATE TABLE IF NOT EXISTS console_sessions (
  workspace_id text        NOT NULL,
  token_hash   text        NOT NULL,
  member_id    text        NOT NULL,
  csrf_token   text        NOT NULL,
  created_at   timestamptz NOT NULL,
  last_used_at timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, token_hash)
);
CREATE INDEX IF NOT EXISTS console_sessions_member ON console_sessions (workspace_id, member_id);

-- Invitations and the first owner's setup link: single use, until expires_at.
CREATE TABLE IF NOT EXISTS console_tokens (
  workspace_id text        NOT NULL,
  token_hash   text        NOT NULL,
  kind         text        NOT NULL CHECK (kind IN ('invite', 'setup')),
  member_id    text        NOT NULL,
  expires_at   timestamptz NOT NULL,
  used_at      timestamptz,
  PRIMARY KEY (workspace_id, token_hash)
);

CREATE TABLE IF NOT EXISTS sign_in_failures (
  workspace_id text        NOT NULL,
  email        text        NOT NULL,
  at           timestamptz NOT NULL,
  id           text        NOT NULL,
  PRIMARY KEY (workspace_id, email, at, id)
);

-- Every change, through the console or the API: who (a member or a key), what, on what, before
-- and after. `id` orders the log (its time first) and pages it.
CREATE TABLE IF NOT EXISTS audit_log (
  workspace_id text        NOT NULL,
  id           text        NOT NULL,
  at           timestamptz NOT NULL,
  actor_kind   text        NOT NULL CHECK (actor_kind IN ('member', 'key')),
  actor_id     text        NOT NULL,
  actor_email  text,
  action       text        NOT NULL,
  target       text        NOT NULL,
  before       jsonb,
  after        jsonb,
  PRIMARY KEY (workspace_id, id)
);
CREATE INDEX IF NOT EXISTS audit_log_action ON audit_log (workspace_id, action, id);
