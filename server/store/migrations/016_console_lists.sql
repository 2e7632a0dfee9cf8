-- What the console's accounts page shows and sorts on, and what its overview counts
-- (server/store/account-snapshots.ts, account-overview.ts). The evaluator writes the new columns
-- with each snapshot, from the journey state it computed: the account's `name` trait, its renewal
-- date, its NPS, and the UTC day of its latest event. NULL until the next evaluation (the sweep at
-- start fills every account). One ALTER: a migration that changes a distributed table is one
-- statement (citusdata/citus#6608).
ALTER TABLE account_snapshots
  ADD COLUMN IF NOT EXISTS name           text COLLATE "C",
  ADD COLUMN IF NOT EXISTS renewal_at     timestamptz,
  ADD COLUMN IF NOT EXISTS nps            float8,
  ADD COLUMN IF NOT EXISTS last_active_at timestamptz;

-- The overview's renewals and the listing's renewal window are a range of renewal dates.
CREATE INDEX IF NOT EXISTS account_snapshots_renewal ON account_snapshots (workspace_id, renewal_at, account_id)
  WHERE renewal_at IS NOT NULL;

-- Each change of band or phase, and each red flag raised, that a snapshot brought, written by
-- putSnapshots in the snapshot's transaction whether or not any webhook endpoint exists (the
-- webhook outbox keeps events only for endpoints). `kind`: 'band' or 'phase' (from_value and
-- to_value the band or phase before and after) or 'red_flag' (to_value the flag). Kept 90 days
-- (the evaluator's sweep prunes older rows); the overview reads the last 7.
CREATE TABLE IF NOT EXISTS account_changes (
  workspace_id text        NOT NULL,
  at           timestamptz NOT NULL,
  account_id   text        COLLATE "C" NOT NULL,
  kind         text        NOT NULL CHECK (kind IN ('band', 'phase', 'red_flag')),
  to_value     text        NOT NULL,
  from_value   text,
  PRIMARY KEY (workspace_id, at, account_id, kind, to_value)
);

-- NPS answers of a workspace by time (the overview's weekly NPS), without reading every fact.
CREATE INDEX IF NOT EXISTS account_facts_name_ts ON account_facts (workspace_id, name, ts);
