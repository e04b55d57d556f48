-- Events per UTC bucket, per event type and in total (name 'events'); the bucket is the start of
-- the minute, hour or day the event occurred in.
CREATE TABLE metric_buckets (
  name text NOT NULL,
  granularity text NOT NULL CHECK (granularity IN ('MINUTE', 'HOUR', 'DAY')),
  bucket timestamptz NOT NULL,
  value bigint NOT NULL,
  PRIMARY KEY (name, granularity, bucket)
);
