-- 0001: the foundation. Extensions, fixed catalogues (reference tables), accounts,
-- and the first city tables: orgs, departments, role grants. Plus the deployment-level
-- audit log and idempotency store.
--
-- Scale-out rules (docs/scale-out.md): every city table has city_code; its primary key,
-- unique and exclusion constraints and foreign keys to other city tables include city_code.

CREATE EXTENSION IF NOT EXISTS ltree;
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE EXTENSION IF NOT EXISTS cube;
CREATE EXTENSION IF NOT EXISTS earthdistance;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- ---------------------------------------------------------------- reference tables
CREATE TABLE cities (
  city_code text NOT NULL,
  name text NOT NULL,
  province_name text NOT NULL,
  time_zone text NOT NULL DEFAULT 'Asia/Shanghai',
  CONSTRAINT cities_pkey PRIMARY KEY (city_code),
  CONSTRAINT cities_code_check CHECK (city_code ~ '^[0-9]{4}$')
);

CREATE TABLE categories (
  code text NOT NULL,
  name text NOT NULL,
  name_en text NOT NULL,
  builtin boolean NOT NULL DEFAULT false,
  sort integer NOT NULL DEFAULT 100,
  CONSTRAINT categories_pkey PRIMARY KEY (code),
  CONSTRAINT categories_code_check CHECK (code ~ '^[a-z][a-z0-9_]{1,39}$')
);

CREATE TABLE resource_categories (
  code text NOT NULL,
  name text NOT NULL,
  sort integer NOT NULL,
  CONSTRAINT resource_categories_pkey PRIMARY KEY (code)
);

CREATE TABLE resource_types (
  code text NOT NULL,
  name text NOT NULL,
  category text NOT NULL,
  sort integer NOT NULL,
  CONSTRAINT resource_types_pkey PRIMARY KEY (code),
  CONSTRAINT resource_types_category_fkey FOREIGN KEY (category) REFERENCES resource_categories (code)
);

INSERT INTO cities (city_code, name, province_name) VALUES
  ('1401', '太原市', '山西省'),
  ('1402', '大同市', '山西省');

INSERT INTO categories (code, name, name_en, builtin, sort) VALUES
  ('theory', '理论政策宣讲', 'Theory and policy outreach', true, 1),
  ('culture', '文化文艺服务', 'Culture and arts', true, 2),
  ('education', '助学支教', 'Education support', true, 3),
  ('health', '医疗健身', 'Health and fitness', true, 4),
  ('science', '科学普及', 'Science popularisation', true, 5),
  ('legal', '法律服务', 'Legal services', true, 6),
  ('environment', '卫生环保', 'Sanitation and environment', true, 7),
  ('poverty', '扶贫帮困', 'Poverty relief and assistance', true, 8);

INSERT INTO resource_categories (code, name, sort) VALUES
  ('venue', '场馆阵地', 1),
  ('base', '教育基地', 2),
  ('facility', '文体设施', 3),
  ('talent', '人才师资', 4),
  ('equipment', '物资设备', 5);

INSERT INTO resource_types (code, name, category, sort) VALUES
  ('activity_room', '活动室', 'venue', 1),
  ('chess_room', '棋牌室', 'venue', 2),
  ('dance_room', '舞蹈室', 'venue', 3),
  ('calligraphy_room', '翰墨室', 'venue', 4),
  ('legal_room', '法律服务室', 'venue', 5),
  ('red_cinema', '红色影院', 'venue', 6),
  ('library', '图书馆', 'venue', 7),
  ('multi_room', '多功能室', 'venue', 8),
  ('lecture_hall', '宣讲厅', 'venue', 9),
  ('meeting_room', '会议室', 'venue', 10),
  ('counseling_room', '心理咨询室', 'venue', 11),
  ('elderly_canteen', '老年助餐点', 'venue', 12),
  ('day_care', '日间照料中心', 'venue', 13),
  ('youth_home', '青少年之家', 'venue', 14),
  ('red_memory_hall', '红色记忆厅', 'base', 1),
  ('youth_science_hall', '青少年科技厅', 'base', 2),
  ('village_history_hall', '村史馆', 'base', 3),
  ('patriotic_base', '爱国主义教育基地', 'base', 4),
  ('red_education_base', '红色教育基地', 'base', 5),
  ('revolution_site', '革命旧址', 'base', 6),
  ('memorial_hall', '纪念馆', 'base', 7),
  ('museum', '博物馆', 'base', 8),
  ('science_base', '科普教育基地', 'base', 9),
  ('farm_practice_base', '农耕实践基地', 'base', 10),
  ('farmers_bookhouse', '农家书屋', 'facility', 1),
  ('culture_square', '文化广场', 'facility', 2),
  ('fitness_path', '健身步道', 'facility', 3),
  ('sports_court', '运动场', 'facility', 4),
  ('fitness_equipment', '健身器材点', 'facility', 5),
  ('stage', '文艺舞台', 'facility', 6),
  ('culture_hall', '文化礼堂', 'facility', 7),
  ('reading_corner', '城市书房', 'facility', 8),
  ('lecturer', '宣讲员', 'talent', 1),
  ('doctor', '医生', 'talent', 2),
  ('lawyer', '律师', 'talent', 3),
  ('psychologist', '心理咨询师', 'talent', 4),
  ('teacher', '教师', 'talent', 5),
  ('art_tutor', '文艺辅导员', 'talent', 6),
  ('tech_expert', '农技专家', 'talent', 7),
  ('sports_coach', '健身指导员', 'talent', 8),
  ('sound_system', '音响设备', 'equipment', 1),
  ('projector', '投影仪', 'equipment', 2),
  ('tent', '帐篷', 'equipment', 3),
  ('tables_chairs', '桌椅', 'equipment', 4),
  ('medical_kit', '便民医疗箱', 'equipment', 5),
  ('wheelchair', '轮椅', 'equipment', 6),
  ('camera', '摄像器材', 'equipment', 7),
  ('banner_stand', '展架展板', 'equipment', 8);

-- ---------------------------------------------------------------- accounts (keyed by user id)
CREATE TABLE users (
  id uuid NOT NULL,
  phone text NOT NULL,
  name text NOT NULL,
  password_hash text NOT NULL,
  is_admin boolean NOT NULL DEFAULT false,
  status text NOT NULL DEFAULT 'active',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT users_pkey PRIMARY KEY (id),
  CONSTRAINT users_phone_key UNIQUE (phone),
  CONSTRAINT users_phone_check CHECK (phone ~ '^1[0-9]{10}$'),
  CONSTRAINT users_status_check CHECK (status IN ('active', 'disabled')),
  CONSTRAINT users_name_check CHECK (length(name) BETWEEN 1 AND 50)
);
CREATE INDEX users_name_trgm_idx ON users USING gin (name gin_trgm_ops);

CREATE TABLE sessions (
  id uuid NOT NULL,
  token_hash text NOT NULL,
  user_id uuid NOT NULL,
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  user_agent text,
  ip text,
  CONSTRAINT sessions_pkey PRIMARY KEY (id),
  CONSTRAINT sessions_token_hash_key UNIQUE (token_hash),
  CONSTRAINT sessions_user_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- Failed logins, for throttling (5 per phone per 15 minutes) across processes.
CREATE TABLE login_failures (
  id bigint GENERATED ALWAYS AS IDENTITY,
  phone text NOT NULL,
  ip text,
  at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT login_failures_pkey PRIMARY KEY (id)
);
CREATE INDEX login_failures_phone_at_idx ON login_failures (phone, at);

-- ---------------------------------------------------------------- deployment-level tables
-- Append-only audit log of every staff change. One table per deployment (like the job queue):
-- rows carry city_code when the change belongs to a city, null for account-level changes.
CREATE TABLE audit_logs (
  id bigint GENERATED ALWAYS AS IDENTITY,
  city_code text,
  actor_id uuid,
  action text NOT NULL,
  entity_type text NOT NULL,
  entity_id text NOT NULL,
  before jsonb,
  after jsonb,
  ip text,
  request_id text,
  at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT audit_logs_pkey PRIMARY KEY (id)
);
CREATE INDEX audit_logs_entity_idx ON audit_logs (entity_type, entity_id, at);
CREATE INDEX audit_logs_actor_idx ON audit_logs (actor_id, at);

-- Idempotency-Key store: the first response to (caller, key) is replayed for the same request.
CREATE TABLE idempotency_keys (
  caller text NOT NULL,
  key text NOT NULL,
  request_hash text NOT NULL,
  status_code integer,
  response_body text,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT idempotency_keys_pkey PRIMARY KEY (caller, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- ---------------------------------------------------------------- city tables
CREATE TABLE orgs (
  city_code text NOT NULL,
  id uuid NOT NULL,
  parent_id uuid,
  level text NOT NULL,
  name text NOT NULL,
  region_code text,
  address text,
  lat double precision,
  lng double precision,
  path ltree NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT orgs_pkey PRIMARY KEY (city_code, id),
  CONSTRAINT orgs_city_fkey FOREIGN KEY (city_code) REFERENCES cities (city_code),
  CONSTRAINT orgs_parent_fkey FOREIGN KEY (city_code, parent_id) REFERENCES orgs (city_code, id),
  CONSTRAINT orgs_level_check CHECK (level IN ('city', 'center', 'institute', 'station', 'point')),
  CONSTRAINT orgs_root_check CHECK ((level = 'city') = (parent_id IS NULL)),
  CONSTRAINT orgs_name_check CHECK (length(name) BETWEEN 1 AND 100),
  CONSTRAINT orgs_lat_check CHECK (lat IS NULL OR lat BETWEEN -90 AND 90),
  CONSTRAINT orgs_lng_check CHECK (lng IS NULL OR lng BETWEEN -180 AND 180),
  CONSTRAINT orgs_latlng_check CHECK ((lat IS NULL) = (lng IS NULL)),
  CONSTRAINT orgs_region_code_key UNIQUE (city_code, region_code),
  CONSTRAINT orgs_sibling_name_key UNIQUE (city_code, parent_id, name)
);
CREATE INDEX orgs_path_idx ON orgs USING gist (path);
CREATE INDEX orgs_parent_idx ON orgs (city_code, parent_id);
CREATE INDEX orgs_id_idx ON orgs (id);
CREATE INDEX orgs_name_trgm_idx ON orgs USING gin (name gin_trgm_ops);

CREATE TABLE departments (
  city_code text NOT NULL,
  id uuid NOT NULL,
  org_id uuid NOT NULL,
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT departments_pkey PRIMARY KEY (city_code, id),
  CONSTRAINT departments_org_fkey FOREIGN KEY (city_code, org_id) REFERENCES orgs (city_code, id),
  CONSTRAINT departments_name_key UNIQUE (city_code, org_id, name),
  CONSTRAINT departments_name_check CHECK (length(name) BETWEEN 1 AND 100)
);
CREATE INDEX departments_id_idx ON departments (id);

-- Staff roles scoped to an org's subtree (org_admin, dispatcher) or to a department (dept_officer).
-- user_id is not a foreign key: accounts are not referenced from city tables (scale-out rule).
CREATE TABLE role_grants (
  city_code text NOT NULL,
  id uuid NOT NULL,
  user_id uuid NOT NULL,
  role text NOT NULL,
  org_id uuid NOT NULL,
  department_id uuid,
  granted_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT role_grants_pkey PRIMARY KEY (city_code, id),
  CONSTRAINT role_grants_org_fkey FOREIGN KEY (city_code, org_id) REFERENCES orgs (city_code, id),
  CONSTRAINT role_grants_department_fkey FOREIGN KEY (city_code, department_id) REFERENCES departments (city_code, id),
  CONSTRAINT role_grants_role_check CHECK (role IN ('org_admin', 'dispatcher', 'dept_officer')),
  CONSTRAINT role_grants_department_check CHECK ((role = 'dept_officer') = (department_id IS NOT NULL)),
  CONSTRAINT role_grants_unique_key UNIQUE NULLS NOT DISTINCT (city_code, user_id, role, org_id, department_id)
);
CREATE INDEX role_grants_user_idx ON role_grants (user_id);
CREATE INDEX role_grants_id_idx ON role_grants (id);
