-- Jornada schema, version 4: webhooks. An outbox of typed events, one row per
-- (workspace, cause), written in the same transaction as what caused it (server/store/webhook-deliveries.ts),
-- and one delivery row per (event, endpoint) that the dispatcher claims, POSTs and retries
-- (server/webhooks/dispatcher.ts). Every key begins with workspace_id, as in 001; the foreign keys
-- stay inside one workspace (they include workspace_id), so a sharding by workspace keeps them local.

CREATE TABLE IF NOT EXISTS webhook_endpoints (
  workspace_id text        NOT NULL,
  id           text        NOT NULL,                 -- whe_…
  url          text        NOT NULL,
  events       text[],                               -- the types it receives; NULL: every type
  format       text        NOT NULL DEFAULT 'standard' CHECK (format IN ('standard', 'slack')),
  secret       text        NOT NULL,                 -- whsec_ + base64 of 24 random bytes
  disabled     boolean     NOT NULL DEFAULT false,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id)
);

CREATE TABLE IF NOT EXISTS webhook_events (
  workspace_id text        NOT NULL,
  id           text        NOT NULL,                 -- evt_…, also the webhook-id header
  type         text        NOT NULL,
  account_id   text        NOT NULL,
  cause_key    text        NOT NULL,
  -- JSON text, not jsonb: delivered byte for byte as enqueued.
  payload      text        NOT NULL,
  occurred_at  timestamptz NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  UNIQUE (workspace_id, cause_key)
);

CREATE TABLE IF NOT EXISTS webhook_deliveries (
  workspace_id    text        NOT NULL,
  id              text        NOT NULL,              -- dlv_…
  event_id        text        NOT NULL,
  endpoint_id     text        NOT NULL,
  status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts        integer     NOT NULL DEFAULT 0,
  -- pending: NULL is "due now"; a time is the next retry, or the lease of a claimed row.
  next_attempt_at timestamptz,
  -- The claim that holds the row: only that claim may record its result.
  claim_token     text,
  last_status     integer,
  last_response   text,
  last_error      text,
  seq             bigserial   NOT NULL,              -- creation order (listing, claim order)
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  UNIQUE (workspace_id, endpoint_id, event_id),
  FOREIGN KEY (workspace_id, event_id) REFERENCES webhook_events (workspace_id, id) ON DELETE CASCADE,
  FOREIGN KEY (workspace_id, endpoint_id) REFERENCES webhook_endpoints (workspace_id, id) ON DELETE CASCADE
);

-- The dispatcher's claim: pending rows by due time, across workspaces.
CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON webhook_deliveries (next_attempt_at NULLS FIRST, seq) WHERE status = 'pending';
-- GET /v1/webhooks/:id/deliveries, newest first.
CREATE INDEX IF NOT EXISTS webhook_deliveries_endpoint ON webhook_deliveries (workspace_id, endpoint_id, seq DESC);
