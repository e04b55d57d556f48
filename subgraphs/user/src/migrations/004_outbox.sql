-- Transactional outbox: each mutation inserts its event here in the transaction that makes its
-- change, so the event exists exactly when the change does; the relay publishes it to Kafka and
-- then sets published_at.
CREATE TABLE outbox (
  id bigserial PRIMARY KEY,
  -- the versioned envelope (@platform/events), validated against the catalog when created
  event jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);

-- The relay's poll: the oldest unpublished events, without scanning the published ones.
CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL;
