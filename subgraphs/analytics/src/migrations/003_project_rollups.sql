-- Lifetime totals per project: documents (created minus deleted), edits, last event time.
CREATE TABLE project_stats (
  project_id text PRIMARY KEY,
  documents integer NOT NULL DEFAULT 0,
  edits integer NOT NULL DEFAULT 0,
  last_activity_at timestamptz
);

-- Who may see a project in topProjects: every member id any project or document event named.
-- Project membership only grows (there is no member-removed event), so the union is the truth.
CREATE TABLE project_members (
  project_id text NOT NULL,
  user_id text NOT NULL,
  PRIMARY KEY (project_id, user_id)
);
CREATE INDEX project_members_user_id_idx ON project_members (user_id);

-- Users who created or edited a document of a project, per UTC day (active editors).
CREATE TABLE editor_activity (
  project_id text NOT NULL,
  user_id text NOT NULL,
  day date NOT NULL,
  PRIMARY KEY (project_id, day, user_id)
);

-- Events about a project and its documents per MINUTE (for the last hour) and HOUR bucket (for
-- longer ranges), so a range is summed at the precision it needs (topProjects).
CREATE TABLE project_activity (
  project_id text NOT NULL,
  granularity text NOT NULL CHECK (granularity IN ('MINUTE', 'HOUR')),
  bucket timestamptz NOT NULL,
  events bigint NOT NULL,
  PRIMARY KEY (project_id, granularity, bucket)
);
CREATE INDEX project_activity_granularity_bucket_idx ON project_activity (granularity, bucket);
