CREATE TABLE api_keys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name text NOT NULL,
  scopes text[] NOT NULL
    CHECK (cardinality(scopes) > 0 AND scopes <@ ARRAY['read', 'write']::text[]),
  prefix text NOT NULL,
  -- sha256 of the secret (hex); the secret itself is never stored.
  secret_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);

-- apiKeys: the caller's keys, newest first.
CREATE INDEX api_keys_user_id_created_at_idx ON api_keys (user_id, created_at DESC, id DESC);
