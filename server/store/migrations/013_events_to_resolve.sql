-- The events whose account the store resolves, by user and time: a `group` call finds those it
-- dates before (server/store/late-groups.ts) with one probe. Partial: events sent with an account
-- (the SDK's) or without a user are not in it, so their inserts do not pay for it. The predicate
-- is server/store/event-inserts.ts `toResolve` (queries must repeat it to use this index).
CREATE INDEX IF NOT EXISTS events_to_resolve ON events (workspace_id, user_id, ts)
  WHERE account_resolved OR (account_id IS NULL AND user_id IS NOT NULL AND type <> 'group');
