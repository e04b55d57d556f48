-- What each user did, per MINUTE (for the last hour) and HOUR bucket (for longer ranges).
CREATE TABLE user_activity (
  user_id text NOT NULL,
  granularity text NOT NULL CHECK (granularity IN ('MINUTE', 'HOUR')),
  bucket timestamptz NOT NULL,
  documents_created integer NOT NULL DEFAULT 0,
  document_edits integer NOT NULL DEFAULT 0,
  projects_created integer NOT NULL DEFAULT 0,
  last_active_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, granularity, bucket)
);
