-- 0029: volunteer organisations (志愿服务组织, issue 21). A registered organisation (统一社会信用代码,
-- 登记机关) under the site that supervises it (org_id, which scopes it: an org_admin of that site's
-- subtree manages it), the sites it serves (service area), its teams (a team belongs to at most one
-- organisation), its members (a volunteer may belong to several) and its own admins (组织管理员, who
-- manage only that organisation). user_id columns are not foreign keys (accounts are not referenced
-- from city tables, scale-out rule).

CREATE TABLE organisations (
  city_code text NOT NULL,
  id uuid NOT NULL,
  org_id uuid NOT NULL,
  name text NOT NULL,
  credit_code text NOT NULL,
  registration_authority text NOT NULL,
  contact_name text NOT NULL,
  contact_phone text NOT NULL,
  address text,
  description text,
  categories text[] NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'active',
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT organisations_pkey PRIMARY KEY (city_code, id),
  CONSTRAINT organisations_org_fkey FOREIGN KEY (city_code, org_id) REFERENCES orgs (city_code, id),
  CONSTRAINT organisations_credit_code_key UNIQUE (city_code, credit_code),
  CONSTRAINT organisations_credit_code_check CHECK (credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$'),
  CONSTRAINT organisations_name_check CHECK (length(name) BETWEEN 1 AND 100),
  CONSTRAINT organisations_status_check CHECK (status IN ('active', 'dissolved'))
);
CREATE INDEX organisations_id_idx ON organisations (id);
CREATE INDEX organisations_org_idx ON organisations (city_code, org_id);
CREATE INDEX organisations_name_trgm_idx ON organisations USING gin (name gin_trgm_ops);

-- The sites an organisation serves (服务区域).
CREATE TABLE organisation_sites (
  city_code text NOT NULL,
  organisation_id uuid NOT NULL,
  org_id uuid NOT NULL,
  CONSTRAINT organisation_sites_pkey PRIMARY KEY (city_code, organisation_id, org_id),
  CONSTRAINT organisation_sites_organisation_fkey FOREIGN KEY (city_code, organisation_id) REFERENCES organisations (city_code, id),
  CONSTRAINT organisation_sites_org_fkey FOREIGN KEY (city_code, org_id) REFERENCES orgs (city_code, id)
);

-- A team belongs to at most one organisation.
CREATE TABLE organisation_teams (
  city_code text NOT NULL,
  organisation_id uuid NOT NULL,
  team_id uuid NOT NULL,
  added_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT organisation_teams_pkey PRIMARY KEY (city_code, organisation_id, team_id),
  CONSTRAINT organisation_teams_team_key UNIQUE (city_code, team_id),
  CONSTRAINT organisation_teams_organisation_fkey FOREIGN KEY (city_code, organisation_id) REFERENCES organisations (city_code, id),
  CONSTRAINT organisation_teams_team_fkey FOREIGN KEY (city_code, team_id) REFERENCES teams (city_code, id)
);

-- A volunteer may belong to several organisations.
CREATE TABLE organisation_members (
  city_code text NOT NULL,
  organisation_id uuid NOT NULL,
  volunteer_id uuid NOT NULL,
  joined_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT organisation_members_pkey PRIMARY KEY (city_code, organisation_id, volunteer_id),
  CONSTRAINT organisation_members_organisation_fkey FOREIGN KEY (city_code, organisation_id) REFERENCES organisations (city_code, id),
  CONSTRAINT organisation_members_volunteer_fkey FOREIGN KEY (city_code, volunteer_id) REFERENCES volunteers (city_code, id)
);
CREATE INDEX organisation_members_volunteer_idx ON organisation_members (city_code, volunteer_id);

-- 组织管理员: an account that manages this organisation only.
CREATE TABLE organisation_admins (
  city_code text NOT NULL,
  organisation_id uuid NOT NULL,
  user_id uuid NOT NULL,
  granted_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT organisation_admins_pkey PRIMARY KEY (city_code, organisation_id, user_id),
  CONSTRAINT organisation_admins_organisation_fkey FOREIGN KEY (city_code, organisation_id) REFERENCES organisations (city_code, id)
);
CREATE INDEX organisation_admins_user_idx ON organisation_admins (user_id);
