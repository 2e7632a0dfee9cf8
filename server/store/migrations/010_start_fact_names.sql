-- The event names the start config (JORNADA_CONFIG) has made facts of, per workspace without a
-- config of its own (Store.setStartConfig): their stored events were backfilled once, so a restart
-- with the same config scans no events. A name the start config stops naming is forgotten here:
-- naming it again backfills what arrived meanwhile. Keys begin with workspace_id, as in 001.
CREATE TABLE IF NOT EXISTS start_fact_names (
  workspace_id text NOT NULL,
  name         text NOT NULL,
  PRIMARY KEY (workspace_id, name)
);
