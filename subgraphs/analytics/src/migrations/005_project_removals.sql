-- Members leave projects (project.member_removed) and projects go (project.deleted). Events are
-- applied in any order, so membership is decided by time: a member counts while an event named
-- them (last_named_at) after their last removal.
ALTER TABLE project_members ADD COLUMN last_named_at timestamptz;

CREATE TABLE project_member_removals (
  project_id text NOT NULL,
  user_id text NOT NULL,
  removed_at timestamptz NOT NULL,
  PRIMARY KEY (project_id, user_id)
);

-- Deleted projects: topProjects lists them to no one.
CREATE TABLE deleted_projects (
  project_id text PRIMARY KEY,
  deleted_at timestamptz NOT NULL
);
