-- One row per (event, recipient). The id is the notification's cursor: increasing, and for one
-- recipient assigned in commit order (see repositories/notifications.ts).
CREATE TABLE notifications (
  id bigserial PRIMARY KEY,
  event_id uuid NOT NULL,
  recipient_id text NOT NULL,
  kind text NOT NULL CHECK (
    kind IN ('DOCUMENT_CREATED', 'DOCUMENT_UPDATED', 'DOCUMENT_DELETED', 'PROJECT_MEMBER_ADDED')
  ),
  message text NOT NULL,
  actor_id text,
  subject_type text NOT NULL CHECK (subject_type IN ('Document', 'Project')),
  subject_id text NOT NULL,
  read_at timestamptz,
  published_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- A redelivered event stores nothing twice.
  UNIQUE (event_id, recipient_id)
);

-- A recipient's list (newest first), replay after a cursor (oldest first).
CREATE INDEX notifications_recipient_idx ON notifications (recipient_id, id);

-- unreadCount and `unreadOnly` pages read only the unread rows.
CREATE INDEX notifications_recipient_unread_idx ON notifications (recipient_id, id)
  WHERE read_at IS NULL;
