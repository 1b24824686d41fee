-- 0031: training (培训, issue 21): the course library (课程库), the lecturer pool (师资库, a lecturer
-- may be one of the site's talent resources), sessions of a course held at a site with sign-up
-- and QR attendance, the training hours each volunteer earned (kept apart from service hours),
-- and qualifications with an expiry (急救证 …) a volunteer holds, entered by staff or earned by
-- completing a course, which an activity may require of those who sign up.
-- City tables: keys and foreign keys include city_code; no triggers.

CREATE TABLE training_lecturers (
  city_code text NOT NULL,
  id uuid NOT NULL,
  org_id uuid NOT NULL,
  name text NOT NULL,
  title text,
  bio text,
  specialties text[] NOT NULL DEFAULT '{}',
  resource_id uuid,
  status text NOT NULL DEFAULT 'active',
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT training_lecturers_pkey PRIMARY KEY (city_code, id),
  CONSTRAINT training_lecturers_org_fkey FOREIGN KEY (city_code, org_id) REFERENCES orgs (city_code, id),
  CONSTRAINT training_lecturers_resource_fkey FOREIGN KEY (city_code, resource_id) REFERENCES resources (city_code, id),
  CONSTRAINT training_lecturers_name_check CHECK (length(name) BETWEEN 1 AND 50),
  CONSTRAINT training_lecturers_status_check CHECK (status IN ('active', 'retired')),
  CONSTRAINT training_lecturers_specialties_check CHECK (cardinality(specialties) <= 10)
);
CREATE INDEX training_lecturers_id_idx ON training_lecturers (id);
CREATE INDEX training_lecturers_org_idx ON training_lecturers (city_code, org_id);
-- One lecturer entry per talent resource.
CREATE UNIQUE INDEX training_lecturers_resource_key ON training_lecturers (city_code, resource_id) WHERE resource_id IS NOT NULL;

CREATE TABLE training_courses (
  city_code text NOT NULL,
  id uuid NOT NULL,
  org_id uuid NOT NULL,
  title text NOT NULL,
  category text NOT NULL,
  hours numeric(4, 1) NOT NULL,
  description text,
  lecturer_ids uuid[] NOT NULL DEFAULT '{}',
  -- Completing the course grants this qualification, valid for so many months (NULL: none).
  qualification text,
  qualification_months integer,
  status text NOT NULL DEFAULT 'active',
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT training_courses_pkey PRIMARY KEY (city_code, id),
  CONSTRAINT training_courses_org_fkey FOREIGN KEY (city_code, org_id) REFERENCES orgs (city_code, id),
  CONSTRAINT training_courses_title_check CHECK (length(title) BETWEEN 1 AND 100),
  CONSTRAINT training_courses_category_check CHECK (length(category) BETWEEN 1 AND 40),
  CONSTRAINT training_courses_hours_check CHECK (hours > 0 AND hours <= 200),
  CONSTRAINT training_courses_status_check CHECK (status IN ('active', 'retired')),
  CONSTRAINT training_courses_lecturers_check CHECK (cardinality(lecturer_ids) <= 10),
  CONSTRAINT training_courses_qualification_check CHECK (
    (qualification IS NULL AND qualification_months IS NULL)
    OR (length(qualification) BETWEEN 1 AND 40 AND (qualification_months IS NULL OR qualification_months BETWEEN 1 AND 240))
  )
);
CREATE INDEX training_courses_id_idx ON training_courses (id);
CREATE INDEX training_courses_org_idx ON training_courses (city_code, org_id);

CREATE TABLE training_sessions (
  city_code text NOT NULL,
  id uuid NOT NULL,
  course_id uuid NOT NULL,
  org_id uuid NOT NULL,
  address text NOT NULL,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  capacity integer NOT NULL,
  registered integer NOT NULL DEFAULT 0,
  state text NOT NULL DEFAULT 'open',
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  CONSTRAINT training_sessions_pkey PRIMARY KEY (city_code, id),
  CONSTRAINT training_sessions_course_fkey FOREIGN KEY (city_code, course_id) REFERENCES training_courses (city_code, id),
  CONSTRAINT training_sessions_org_fkey FOREIGN KEY (city_code, org_id) REFERENCES orgs (city_code, id),
  CONSTRAINT training_sessions_state_check CHECK (state IN ('open', 'finished', 'cancelled')),
  CONSTRAINT training_sessions_times_check CHECK (ends_at > starts_at),
  CONSTRAINT training_sessions_capacity_check CHECK (capacity BETWEEN 1 AND 5000),
  CONSTRAINT training_sessions_registered_check CHECK (registered >= 0 AND registered <= capacity),
  CONSTRAINT training_sessions_address_check CHECK (length(address) BETWEEN 1 AND 200)
);
CREATE INDEX training_sessions_id_idx ON training_sessions (id);
CREATE INDEX training_sessions_starts_idx ON training_sessions (city_code, starts_at);

CREATE TABLE training_signups (
  city_code text NOT NULL,
  id uuid NOT NULL,
  session_id uuid NOT NULL,
  user_id uuid NOT NULL,
  volunteer_id uuid NOT NULL,
  checkin_at timestamptz,
  attendance_note text,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT training_signups_pkey PRIMARY KEY (city_code, id),
  CONSTRAINT training_signups_session_fkey FOREIGN KEY (city_code, session_id) REFERENCES training_sessions (city_code, id),
  CONSTRAINT training_signups_volunteer_fkey FOREIGN KEY (city_code, volunteer_id) REFERENCES volunteers (city_code, id),
  CONSTRAINT training_signups_once_key UNIQUE (city_code, session_id, volunteer_id)
);
CREATE INDEX training_signups_id_idx ON training_signups (id);
CREATE INDEX training_signups_user_idx ON training_signups (user_id);

-- Training hours, apart from service hours: one row per volunteer and finished session (or by hand).
CREATE TABLE training_records (
  city_code text NOT NULL,
  id uuid NOT NULL,
  volunteer_id uuid NOT NULL,
  session_id uuid,
  course_id uuid,
  org_id uuid NOT NULL,
  title text NOT NULL,
  hours numeric(4, 1) NOT NULL,
  trained_on date NOT NULL,
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT training_records_pkey PRIMARY KEY (city_code, id),
  CONSTRAINT training_records_volunteer_fkey FOREIGN KEY (city_code, volunteer_id) REFERENCES volunteers (city_code, id),
  CONSTRAINT training_records_session_fkey FOREIGN KEY (city_code, session_id) REFERENCES training_sessions (city_code, id),
  CONSTRAINT training_records_org_fkey FOREIGN KEY (city_code, org_id) REFERENCES orgs (city_code, id),
  CONSTRAINT training_records_once_key UNIQUE (city_code, session_id, volunteer_id),
  CONSTRAINT training_records_hours_check CHECK (hours > 0 AND hours <= 200),
  CONSTRAINT training_records_title_check CHECK (length(title) BETWEEN 1 AND 100)
);
CREATE INDEX training_records_volunteer_idx ON training_records (city_code, volunteer_id, trained_on);

-- A qualification a volunteer holds; valid_until NULL: does not expire. Revoked ones stay, marked.
CREATE TABLE volunteer_qualifications (
  city_code text NOT NULL,
  id uuid NOT NULL,
  volunteer_id uuid NOT NULL,
  name text NOT NULL,
  valid_until date,
  source text NOT NULL,
  course_id uuid,
  session_id uuid,
  note text,
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  CONSTRAINT volunteer_qualifications_pkey PRIMARY KEY (city_code, id),
  CONSTRAINT volunteer_qualifications_volunteer_fkey FOREIGN KEY (city_code, volunteer_id) REFERENCES volunteers (city_code, id),
  CONSTRAINT volunteer_qualifications_source_check CHECK (source IN ('staff', 'course')),
  CONSTRAINT volunteer_qualifications_name_check CHECK (length(name) BETWEEN 1 AND 40),
  -- A finished session grants its qualification once per volunteer.
  CONSTRAINT volunteer_qualifications_session_key UNIQUE (city_code, session_id, volunteer_id)
);
CREATE INDEX volunteer_qualifications_id_idx ON volunteer_qualifications (id);
CREATE INDEX volunteer_qualifications_volunteer_idx ON volunteer_qualifications (city_code, volunteer_id);

-- The qualifications an activity requires of the volunteers who sign up (all of them, valid on the activity's day).
CREATE TABLE activity_required_qualifications (
  city_code text NOT NULL,
  activity_id uuid NOT NULL,
  name text NOT NULL,
  CONSTRAINT activity_required_qualifications_pkey PRIMARY KEY (city_code, activity_id, name),
  CONSTRAINT activity_required_qualifications_activity_fkey FOREIGN KEY (city_code, activity_id) REFERENCES activities (city_code, id),
  CONSTRAINT activity_required_qualifications_name_check CHECK (length(name) BETWEEN 1 AND 40)
);
