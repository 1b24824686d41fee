-- 0014: uploaded pictures (activity pictures, resource photos, reward pictures, content images).
-- Account table: an upload belongs to the account that sent it, like the notification inbox;
-- city rows refer to uploads by id in plain columns (photo_ids uuid[]), never by foreign key.
-- The bytes live outside the database (DATA_DIR/uploads or an object store); the row keeps
-- what the server checked: the sniffed type, the size and the SHA-256 of the content.

CREATE TABLE uploads (
  id uuid PRIMARY KEY,
  owner_id uuid NOT NULL,
  content_type text NOT NULL,
  byte_size integer NOT NULL,
  sha256 text NOT NULL,
  original_name text,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT uploads_type_check CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp', 'image/gif')),
  CONSTRAINT uploads_size_check CHECK (byte_size > 0),
  CONSTRAINT uploads_sha_check CHECK (sha256 ~ '^[0-9a-f]{64}$')
);
CREATE INDEX uploads_owner_idx ON uploads (owner_id, created_at);
