-- 0012: pairing (结对帮扶, e.g. 尖草坪区 "3+1晚霞行动"): cared-for residents, plans pairing a
-- group of volunteers with them under recurring rules, and the visit tasks the rules produce.
-- City tables: keys and foreign keys include city_code; no triggers.

-- A cared-for person (帮扶对象), registered at a site. linked_user_id is an optional resident
-- account (accounts are not referenced by foreign keys from city tables).
CREATE TABLE pairing_residents (
  city_code text NOT NULL,
  id uuid NOT NULL,
  org_id uuid NOT NULL,
  name text NOT NULL,
  address text NOT NULL,
  phone text,
  gender text,
  birth_year integer,
  tags text[] NOT NULL DEFAULT '{}',
  note text,
  linked_user_id uuid,
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pairing_residents_pkey PRIMARY KEY (city_code, id),
  CONSTRAINT pairing_residents_org_fkey FOREIGN KEY (city_code, org_id) REFERENCES orgs (city_code, id),
  CONSTRAINT pairing_residents_name_check CHECK (length(name) BETWEEN 1 AND 50),
  CONSTRAINT pairing_residents_address_check CHECK (length(address) BETWEEN 1 AND 200),
  CONSTRAINT pairing_residents_phone_check CHECK (phone IS NULL OR phone ~ '^1[3-9][0-9]{9}$'),
  CONSTRAINT pairing_residents_gender_check CHECK (gender IS NULL OR gender IN ('male', 'female')),
  CONSTRAINT pairing_residents_birth_check CHECK (birth_year IS NULL OR birth_year BETWEEN 1900 AND 2100),
  CONSTRAINT pairing_residents_tags_check CHECK (cardinality(tags) <= 20)
);
CREATE INDEX pairing_residents_id_idx ON pairing_residents (id);
CREATE INDEX pairing_residents_org_idx ON pairing_residents (city_code, org_id);
CREATE INDEX pairing_residents_user_idx ON pairing_residents (linked_user_id) WHERE linked_user_id IS NOT NULL;

-- A plan: recurring rules (jsonb, checked by the application's schema) between start and end dates.
CREATE TABLE pairing_plans (
  city_code text NOT NULL,
  id uuid NOT NULL,
  org_id uuid NOT NULL,
  name text NOT NULL,
  description text,
  state text NOT NULL DEFAULT 'active',
  rules jsonb NOT NULL,
  starts_on date NOT NULL,
  ends_on date,
  visit_hours numeric(3, 1) NOT NULL DEFAULT 1.0,
  state_reason text,
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pairing_plans_pkey PRIMARY KEY (city_code, id),
  CONSTRAINT pairing_plans_org_fkey FOREIGN KEY (city_code, org_id) REFERENCES orgs (city_code, id),
  CONSTRAINT pairing_plans_state_check CHECK (state IN ('active', 'paused', 'ended')),
  CONSTRAINT pairing_plans_name_check CHECK (length(name) BETWEEN 1 AND 100),
  CONSTRAINT pairing_plans_rules_check CHECK (jsonb_typeof(rules) = 'object'),
  CONSTRAINT pairing_plans_dates_check CHECK (ends_on IS NULL OR ends_on >= starts_on),
  CONSTRAINT pairing_plans_hours_check CHECK (visit_hours > 0 AND visit_hours <= 24)
);
CREATE INDEX pairing_plans_id_idx ON pairing_plans (id);
CREATE INDEX pairing_plans_org_idx ON pairing_plans (city_code, org_id);
CREATE INDEX pairing_plans_active_idx ON pairing_plans (city_code) WHERE state = 'active';

CREATE TABLE pairing_plan_volunteers (
  city_code text NOT NULL,
  plan_id uuid NOT NULL,
  volunteer_id uuid NOT NULL,
  added_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pairing_plan_volunteers_pkey PRIMARY KEY (city_code, plan_id, volunteer_id),
  CONSTRAINT pairing_plan_volunteers_plan_fkey FOREIGN KEY (city_code, plan_id) REFERENCES pairing_plans (city_code, id),
  CONSTRAINT pairing_plan_volunteers_volunteer_fkey FOREIGN KEY (city_code, volunteer_id) REFERENCES volunteers (city_code, id)
);
CREATE INDEX pairing_plan_volunteers_volunteer_idx ON pairing_plan_volunteers (city_code, volunteer_id);

CREATE TABLE pairing_plan_residents (
  city_code text NOT NULL,
  plan_id uuid NOT NULL,
  resident_id uuid NOT NULL,
  added_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pairing_plan_residents_pkey PRIMARY KEY (city_code, plan_id, resident_id),
  CONSTRAINT pairing_plan_residents_plan_fkey FOREIGN KEY (city_code, plan_id) REFERENCES pairing_plans (city_code, id),
  CONSTRAINT pairing_plan_residents_resident_fkey FOREIGN KEY (city_code, resident_id) REFERENCES pairing_residents (city_code, id)
);
CREATE INDEX pairing_plan_residents_resident_idx ON pairing_plan_residents (city_code, resident_id);

-- Visit tasks: one per plan, local date and kind (the job's idempotency key). The visit log
-- lives on the task; a logged visit creates one pending service record per serving volunteer
-- (service_records, source_type 'pairing', source_id = the task id).
CREATE TABLE pairing_tasks (
  city_code text NOT NULL,
  id uuid NOT NULL,
  plan_id uuid NOT NULL,
  kind text NOT NULL,
  due_on date NOT NULL,
  due_at timestamptz NOT NULL,
  label text NOT NULL,
  state text NOT NULL DEFAULT 'open',
  logged_by uuid,
  logged_at timestamptz,
  visited_at timestamptz,
  hours numeric(3, 1),
  note text,
  photo_ids text[] NOT NULL DEFAULT '{}',
  lat double precision,
  lng double precision,
  served_volunteer_ids uuid[] NOT NULL DEFAULT '{}',
  missed_reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pairing_tasks_pkey PRIMARY KEY (city_code, id),
  CONSTRAINT pairing_tasks_plan_fkey FOREIGN KEY (city_code, plan_id) REFERENCES pairing_plans (city_code, id),
  CONSTRAINT pairing_tasks_key UNIQUE (city_code, plan_id, due_on, kind),
  CONSTRAINT pairing_tasks_kind_check CHECK (kind IN ('weekly', 'monthly', 'holiday')),
  CONSTRAINT pairing_tasks_state_check CHECK (state IN ('open', 'done', 'missed', 'cancelled')),
  CONSTRAINT pairing_tasks_hours_check CHECK (hours IS NULL OR (hours > 0 AND hours <= 24)),
  CONSTRAINT pairing_tasks_done_check CHECK (state <> 'done' OR (hours IS NOT NULL AND logged_at IS NOT NULL AND cardinality(served_volunteer_ids) > 0)),
  CONSTRAINT pairing_tasks_missed_check CHECK (state <> 'missed' OR missed_reason IS NOT NULL),
  CONSTRAINT pairing_tasks_photos_check CHECK (cardinality(photo_ids) <= 9),
  CONSTRAINT pairing_tasks_latlng_check CHECK ((lat IS NULL) = (lng IS NULL))
);
CREATE INDEX pairing_tasks_id_idx ON pairing_tasks (id);
CREATE INDEX pairing_tasks_plan_idx ON pairing_tasks (city_code, plan_id, due_on);
CREATE INDEX pairing_tasks_open_idx ON pairing_tasks (city_code, due_on) WHERE state = 'open';
