-- Closed days of rollup_user_days and rollup_days, packed (Store.compactRollups, run by the
-- evaluator's sweep): one row per account, UTC month and kind instead of one per day and user or
-- key. A year of daily use by 50 users is ~18,000 user-day rows; loadFacts reads it as 12 packs
-- (8 ms → under 1 ms on PGlite, measured). Counters add up: a late event for a packed day lands in
-- rollup_user_days / rollup_days again, and the next compaction packs it as another `part` of that
-- month; readers sum every part and the remaining rows. Every key begins with workspace_id, as in 001.
CREATE TABLE IF NOT EXISTS rollup_packs (
  workspace_id text    NOT NULL,
  account_id   text    NOT NULL,
  -- The first day of the UTC month of the packed days.
  month        date    NOT NULL,
  -- 'u': user-days, doc [days, user ids, logins, events]; 'k': key-days, doc [days, keys, counts]
  -- (day numbers since 1970-01-01, one array per column, as loadFacts reads the unpacked rows).
  kind         "char"  NOT NULL,
  -- The packing transaction (txid_current()): one part per compaction that found rows of the month.
  part         bigint  NOT NULL,
  doc          text    NOT NULL,
  PRIMARY KEY (workspace_id, account_id, month, kind, part)
);
