-- The dispatcher claims due deliveries one workspace at a time (server/store/webhook-deliveries.ts claimDue:
-- every locking statement names one workspace, ready for distribution by workspace_id): this index
-- serves that claim; webhook_deliveries_due (004) still finds which workspaces have something due.
CREATE INDEX IF NOT EXISTS webhook_deliveries_due_ws ON webhook_deliveries (workspace_id, next_attempt_at NULLS FIRST, seq) WHERE status = 'pending';
