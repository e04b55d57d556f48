-- One row per event ever rolled up: the handler inserts here first, in the same transaction as
-- the rollups, so a redelivered event (same id) finds its row and changes no count.
CREATE TABLE processed_events (
  event_id uuid PRIMARY KEY,
  type text NOT NULL,
  occurred_at timestamptz NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now()
);
