-- 0002: volunteers (志愿者报到), teams ("8+N", 总队/分队/服务队), the hours ledger
-- (service records) and the points ledger. City tables: keys include city_code.

-- Per-site settings, inherited down the tree (the nearest ancestor with a value wins).
CREATE TABLE org_settings (
  city_code text NOT NULL,
  org_id uuid NOT NULL,
  points_per_hour integer,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT org_settings_pkey PRIMARY KEY (city_code, org_id),
  CONSTRAINT org_settings_org_fkey FOREIGN KEY (city_code, org_id) REFERENCES orgs (city_code, id),
  CONSTRAINT org_settings_points_check CHECK (points_per_hour IS NULL OR points_per_hour BETWEEN 0 AND 1000)
);

CREATE TABLE volunteers (
  city_code text NOT NULL,
  id uuid NOT NULL,
  user_id uuid NOT NULL,
  org_id uuid NOT NULL,
  real_name text NOT NULL,
  -- The resident ID number: AES-256-GCM ciphertext, a keyed hash for uniqueness and look-up,
  -- and the masked form (first 4 and last 4) for display. The plain number is never stored.
  id_number_enc text NOT NULL,
  id_number_hash text NOT NULL,
  id_number_masked text NOT NULL,
  birth_year integer,
  gender text,
  skills text[] NOT NULL DEFAULT '{}',
  specialties text[] NOT NULL DEFAULT '{}',
  political_status text NOT NULL DEFAULT 'masses',
  work_unit text,
  availability jsonb NOT NULL DEFAULT '[]',
  lat double precision,
  lng double precision,
  status text NOT NULL DEFAULT 'active',
  status_reason text,
  total_hours numeric(10, 1) NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT volunteers_pkey PRIMARY KEY (city_code, id),
  CONSTRAINT volunteers_org_fkey FOREIGN KEY (city_code, org_id) REFERENCES orgs (city_code, id),
  CONSTRAINT volunteers_user_key UNIQUE (city_code, user_id),
  CONSTRAINT volunteers_id_number_key UNIQUE (city_code, id_number_hash),
  CONSTRAINT volunteers_status_check CHECK (status IN ('active', 'suspended')),
  CONSTRAINT volunteers_political_check CHECK (political_status IN ('party', 'league', 'masses')),
  CONSTRAINT volunteers_gender_check CHECK (gender IS NULL OR gender IN ('male', 'female')),
  CONSTRAINT volunteers_hours_check CHECK (total_hours >= 0),
  CONSTRAINT volunteers_latlng_check CHECK ((lat IS NULL) = (lng IS NULL)),
  CONSTRAINT volunteers_name_check CHECK (length(real_name) BETWEEN 1 AND 50)
);
CREATE INDEX volunteers_id_idx ON volunteers (id);
CREATE INDEX volunteers_user_idx ON volunteers (user_id);
CREATE INDEX volunteers_org_idx ON volunteers (city_code, org_id);
CREATE INDEX volunteers_skills_idx ON volunteers USING gin (skills);
CREATE INDEX volunteers_name_trgm_idx ON volunteers USING gin (real_name gin_trgm_ops);
-- Proximity search (earthdistance) for matching volunteers to orders.
CREATE INDEX volunteers_earth_idx ON volunteers USING gist (ll_to_earth(lat, lng)) WHERE lat IS NOT NULL AND status = 'active';

CREATE TABLE teams (
  city_code text NOT NULL,
  id uuid NOT NULL,
  org_id uuid NOT NULL,
  parent_team_id uuid,
  name text NOT NULL,
  tier text NOT NULL,
  type text NOT NULL,
  category text NOT NULL,
  leader_user_id uuid,
  description text,
  status text NOT NULL DEFAULT 'active',
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT teams_pkey PRIMARY KEY (city_code, id),
  CONSTRAINT teams_org_fkey FOREIGN KEY (city_code, org_id) REFERENCES orgs (city_code, id),
  CONSTRAINT teams_parent_fkey FOREIGN KEY (city_code, parent_team_id) REFERENCES teams (city_code, id),
  CONSTRAINT teams_category_fkey FOREIGN KEY (category) REFERENCES categories (code),
  CONSTRAINT teams_name_key UNIQUE (city_code, org_id, name),
  CONSTRAINT teams_tier_check CHECK (tier IN ('corps', 'squad', 'unit')),
  CONSTRAINT teams_type_check CHECK (type IN ('party', 'professional', 'social')),
  CONSTRAINT teams_status_check CHECK (status IN ('active', 'disbanded')),
  CONSTRAINT teams_name_check CHECK (length(name) BETWEEN 1 AND 100)
);
CREATE INDEX teams_id_idx ON teams (id);
CREATE INDEX teams_org_idx ON teams (city_code, org_id);
CREATE INDEX teams_leader_idx ON teams (leader_user_id);

CREATE TABLE team_members (
  city_code text NOT NULL,
  team_id uuid NOT NULL,
  volunteer_id uuid NOT NULL,
  joined_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT team_members_pkey PRIMARY KEY (city_code, team_id, volunteer_id),
  CONSTRAINT team_members_team_fkey FOREIGN KEY (city_code, team_id) REFERENCES teams (city_code, id),
  CONSTRAINT team_members_volunteer_fkey FOREIGN KEY (city_code, volunteer_id) REFERENCES volunteers (city_code, id)
);
CREATE INDEX team_members_volunteer_idx ON team_members (city_code, volunteer_id);

-- The hours ledger: one record per volunteer and source (activity, order, manual entry).
CREATE TABLE service_records (
  city_code text NOT NULL,
  id uuid NOT NULL,
  volunteer_id uuid NOT NULL,
  org_id uuid NOT NULL,
  team_id uuid,
  source_type text NOT NULL,
  source_id uuid NOT NULL,
  hours numeric(5, 1) NOT NULL,
  started_at timestamptz,
  ended_at timestamptz,
  title text,
  note text,
  status text NOT NULL DEFAULT 'pending',
  created_by uuid,
  decided_by uuid,
  decided_at timestamptz,
  decision_note text,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT service_records_pkey PRIMARY KEY (city_code, id),
  CONSTRAINT service_records_volunteer_fkey FOREIGN KEY (city_code, volunteer_id) REFERENCES volunteers (city_code, id),
  CONSTRAINT service_records_org_fkey FOREIGN KEY (city_code, org_id) REFERENCES orgs (city_code, id),
  CONSTRAINT service_records_team_fkey FOREIGN KEY (city_code, team_id) REFERENCES teams (city_code, id),
  CONSTRAINT service_records_source_key UNIQUE (city_code, volunteer_id, source_type, source_id),
  CONSTRAINT service_records_source_check CHECK (source_type IN ('activity', 'order', 'manual', 'pairing')),
  CONSTRAINT service_records_status_check CHECK (status IN ('pending', 'verified', 'rejected', 'revoked')),
  CONSTRAINT service_records_hours_check CHECK (hours > 0 AND hours <= 24),
  CONSTRAINT service_records_time_check CHECK (ended_at IS NULL OR started_at IS NULL OR ended_at >= started_at)
);
CREATE INDEX service_records_id_idx ON service_records (id);
CREATE INDEX service_records_volunteer_idx ON service_records (city_code, volunteer_id, created_at);
CREATE INDEX service_records_pending_idx ON service_records (city_code, org_id) WHERE status = 'pending';

-- The points ledger (以行积分): append-only, one row per (user, reason, source); corrections are
-- reversal rows. The balance row is updated in the same transaction and never goes negative.
CREATE TABLE points_accounts (
  city_code text NOT NULL,
  user_id uuid NOT NULL,
  balance integer NOT NULL DEFAULT 0,
  earned integer NOT NULL DEFAULT 0,
  spent integer NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT points_accounts_pkey PRIMARY KEY (city_code, user_id),
  CONSTRAINT points_accounts_balance_check CHECK (balance >= 0)
);

CREATE TABLE points_ledger (
  city_code text NOT NULL,
  id uuid NOT NULL,
  user_id uuid NOT NULL,
  delta integer NOT NULL,
  reason text NOT NULL,
  source_type text NOT NULL,
  source_id uuid NOT NULL,
  note text,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT points_ledger_pkey PRIMARY KEY (city_code, id),
  CONSTRAINT points_ledger_account_fkey FOREIGN KEY (city_code, user_id) REFERENCES points_accounts (city_code, user_id),
  CONSTRAINT points_ledger_source_key UNIQUE (city_code, user_id, reason, source_type, source_id),
  CONSTRAINT points_ledger_delta_check CHECK (delta <> 0)
);
CREATE INDEX points_ledger_user_idx ON points_ledger (user_id, created_at);
