CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL,
  name text NOT NULL,
  role text NOT NULL DEFAULT 'USER' CHECK (role IN ('USER', 'ADMIN')),
  password_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One account per address whatever its case; sign-up relies on this index, not on a pre-check.
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));

-- Keyset pagination of users().
CREATE INDEX users_created_at_id_idx ON users (created_at, id);
