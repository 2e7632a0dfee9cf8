-- The workspace's features (the adoption denominator when the config lists none) are those its
-- accounts used: an event that belongs to no account (anonymous, or of a user no group call put
-- in one) widens no account's denominator (server/store/rollup-writes.ts). Rebuilt from the events
-- that belong to an account. One DO block: a migration that changes a distributed table is one
-- statement (citusdata/citus#6608).
DO $$
BEGIN
  DELETE FROM workspace_feature_days;
  INSERT INTO workspace_feature_days (workspace_id, day, feature, first_ts)
  SELECT workspace_id, (ts AT TIME ZONE 'UTC')::date, properties ->> 'feature', min(ts)
  FROM events
  WHERE type = 'track' AND name = 'feature_used' AND account_id IS NOT NULL
    AND jsonb_typeof(properties -> 'feature') = 'string'
  GROUP BY 1, 2, 3;
END
$$;
