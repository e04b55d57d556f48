-- Sign-in sessions: each signUp, login and changePassword starts one, and its refresh tokens are
-- one family. signOut, changePassword (the user's other sessions) and the reuse of a rotated
-- refresh token revoke it. Access tokens are never looked up here: they are short-lived JWTs.
CREATE TABLE sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- moves forward with every refresh (REFRESH_TOKEN_TTL_SECONDS after it)
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  revoked_reason text CHECK (revoked_reason IN ('SIGNED_OUT', 'PASSWORD_CHANGED', 'TOKEN_REUSED'))
);

-- changePassword revokes a user's live sessions.
CREATE INDEX sessions_user_id_live_idx ON sessions (user_id) WHERE revoked_at IS NULL;

-- A session's refresh tokens; only the SHA-256 of each is stored. A token is used once: refreshing
-- sets rotated_at and issues the next; presenting a rotated one again revokes the session.
CREATE TABLE refresh_tokens (
  token_hash text PRIMARY KEY,
  session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  rotated_at timestamptz
);

CREATE INDEX refresh_tokens_session_id_idx ON refresh_tokens (session_id);
