-- When the account's snapshots started showing their phase (the computed_at of the first snapshot
-- with it, after one with another phase): two processes that read two different snapshots of one
-- stretch read the same value, so a phase change the rules cannot date gets one webhook cause key
-- (server/webhooks/detect.ts). Kept by the snapshot upsert while the phase does not change.
ALTER TABLE account_snapshots ADD COLUMN IF NOT EXISTS phase_since timestamptz;
UPDATE account_snapshots SET phase_since = computed_at WHERE phase_since IS NULL;
