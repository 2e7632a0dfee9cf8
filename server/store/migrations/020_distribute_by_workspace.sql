-- On Citus (the `citus` extension installed in this database), the schema is distributed by
-- workspace: the small lookup tables become reference tables, copied to every node (`workspaces`,
-- listed by the evaluator; `api_keys`, found by a key's hash before the workspace is known; and
-- the migrations' own `schema_migrations`), and every other table is distributed by workspace_id,
-- colocated with `events`, so that a statement naming one workspace runs on one shard group
-- (docs/scaling.md). Anywhere else this does nothing. A table already distributed is left as it is.
-- Sequential: Citus refuses a reference table's change after a parallel one in the transaction
-- that runs the migrations. Local rows (a database that ran on Citus before this) move to the
-- shards and leave the coordinator's table.
DO $$
DECLARE
  t text;
  moved text[] := '{}';
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
    RETURN;
  END IF;
  PERFORM set_config('citus.multi_shard_modify_mode', 'sequential', true);
  FOREACH t IN ARRAY ARRAY['workspaces', 'api_keys', 'schema_migrations'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = t::regclass) THEN
      PERFORM create_reference_table(t);
      moved := moved || t;
    END IF;
  END LOOP;
  FOREACH t IN ARRAY ARRAY[
    'events', 'users', 'accounts', 'memberships', 'rollup_user_days', 'rollup_days', 'workspace_feature_days',
    'account_facts', 'account_users', 'trait_values', 'account_versions', 'workspace_config', 'override_changes',
    'account_snapshots', 'webhook_endpoints', 'webhook_events', 'webhook_deliveries', 'sweep_claims', 'rollup_packs',
    'start_fact_names', 'console_members', 'console_sessions', 'console_tokens', 'sign_in_failures', 'audit_log',
    'account_changes', 'config_revisions', 'builder_grants'
  ] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = t::regclass) THEN
      PERFORM create_distributed_table(t, 'workspace_id', colocate_with => CASE WHEN t = 'events' THEN 'default' ELSE 'events' END);
      moved := moved || t;
    END IF;
  END LOOP;
  -- Last: a table's local rows can go only once no local table refers to it.
  FOREACH t IN ARRAY moved LOOP
    PERFORM truncate_local_data_after_distributing_table(t);
  END LOOP;
END
$$;
