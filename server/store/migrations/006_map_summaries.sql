-- Each account's part of the journey map (server/reports/journey-map.ts AccountMapSummary, JSON
-- text) and the time it was computed for, written by the evaluator's sweeps (hourly): GET
-- /v1/journey-map of now aggregates these instead of loading every account's facts. A snapshot
-- written without one (the evaluation of touched accounts, an override) keeps the last one.
-- NULL: never computed; the map computes that account itself.
ALTER TABLE account_snapshots ADD COLUMN IF NOT EXISTS map_summary text;
ALTER TABLE account_snapshots ADD COLUMN IF NOT EXISTS map_at timestamptz;
