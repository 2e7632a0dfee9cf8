-- The evaluator's hourly sweeps, claimed per workspace and hour (server/evaluator.ts): with several
-- API processes on one PostgreSQL, one of them sweeps a workspace in a given UTC hour, not each.
-- `slot` is the hour (epoch ms / 3,600,000); rows older than two days are deleted as new ones come.
CREATE TABLE IF NOT EXISTS sweep_claims (
  workspace_id text        NOT NULL,
  slot         bigint      NOT NULL,
  claimed_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, slot)
);
