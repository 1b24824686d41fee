-- 0005: volunteer service certificates (志愿服务记录证明). A certificate snapshots the figures at
-- issue time; the SHA-256 of the canonical snapshot is kept beside it, and the public verification
-- page answers by serial. The serial carries the city code (WMZ-1401-20261123-7K3QXD), so a
-- look-up by serial alone goes to one city (one shard on Citus). City table: keys include city_code.

CREATE TABLE certificates (
  city_code text NOT NULL,
  id uuid NOT NULL,
  serial text NOT NULL,
  volunteer_id uuid NOT NULL,
  -- The account that asked for it (the volunteer or a staff member); a plain column, accounts
  -- are not referenced by foreign keys from city tables.
  issued_by uuid NOT NULL,
  issued_at timestamptz NOT NULL DEFAULT now(),
  snapshot jsonb NOT NULL,
  content_hash text NOT NULL,
  revoked_at timestamptz,
  revoked_by uuid,
  revoked_reason text,
  CONSTRAINT certificates_pkey PRIMARY KEY (city_code, id),
  CONSTRAINT certificates_serial_key UNIQUE (city_code, serial),
  CONSTRAINT certificates_volunteer_fkey FOREIGN KEY (city_code, volunteer_id) REFERENCES volunteers (city_code, id),
  CONSTRAINT certificates_serial_check CHECK (serial ~ '^WMZ-[0-9]{4}-[0-9]{8}-[0-9A-Z]{6}$' AND substr(serial, 5, 4) = city_code),
  CONSTRAINT certificates_hash_check CHECK (content_hash ~ '^[0-9a-f]{64}$'),
  CONSTRAINT certificates_revoked_check CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL))
);
CREATE INDEX certificates_volunteer_idx ON certificates (city_code, volunteer_id, issued_at);
