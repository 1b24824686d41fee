-- 0004: activities and recruitment (活动项目): publish, sign-up with quotas and waitlists,
-- QR and location check-in, hours from attendance.

CREATE TABLE activities (
  city_code text NOT NULL,
  id uuid NOT NULL,
  org_id uuid NOT NULL,
  team_id uuid,
  resource_id uuid,
  title text NOT NULL,
  category text NOT NULL,
  description text,
  address text,
  lat double precision,
  lng double precision,
  geofence_m integer,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  signup_deadline timestamptz NOT NULL,
  volunteer_quota integer NOT NULL,
  public_quota integer NOT NULL DEFAULT 0,
  -- Places taken, moved by conditional updates in the sign-up transaction; the CHECKs keep them
  -- within the quotas whatever the concurrency.
  volunteer_registered integer NOT NULL DEFAULT 0,
  public_registered integer NOT NULL DEFAULT 0,
  party_only boolean NOT NULL DEFAULT false,
  team_only boolean NOT NULL DEFAULT false,
  adults_only boolean NOT NULL DEFAULT false,
  required_skills text[] NOT NULL DEFAULT '{}',
  state text NOT NULL DEFAULT 'draft',
  summary text,
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  cancelled_at timestamptz,
  finished_at timestamptz,
  CONSTRAINT activities_pkey PRIMARY KEY (city_code, id),
  CONSTRAINT activities_org_fkey FOREIGN KEY (city_code, org_id) REFERENCES orgs (city_code, id),
  CONSTRAINT activities_team_fkey FOREIGN KEY (city_code, team_id) REFERENCES teams (city_code, id),
  CONSTRAINT activities_category_fkey FOREIGN KEY (category) REFERENCES categories (code),
  CONSTRAINT activities_time_check CHECK (ends_at > starts_at),
  CONSTRAINT activities_deadline_check CHECK (signup_deadline <= ends_at),
  CONSTRAINT activities_quota_check CHECK (volunteer_quota >= 0 AND public_quota >= 0),
  CONSTRAINT activities_volunteer_places_check CHECK (volunteer_registered BETWEEN 0 AND volunteer_quota),
  CONSTRAINT activities_public_places_check CHECK (public_registered BETWEEN 0 AND public_quota),
  CONSTRAINT activities_state_check CHECK (state IN ('draft', 'published', 'cancelled', 'finished')),
  CONSTRAINT activities_geofence_check CHECK (geofence_m IS NULL OR (geofence_m BETWEEN 50 AND 50000 AND lat IS NOT NULL)),
  CONSTRAINT activities_latlng_check CHECK ((lat IS NULL) = (lng IS NULL)),
  CONSTRAINT activities_title_check CHECK (length(title) BETWEEN 1 AND 100)
);
CREATE INDEX activities_id_idx ON activities (id);
CREATE INDEX activities_org_time_idx ON activities (city_code, org_id, starts_at);
CREATE INDEX activities_time_idx ON activities (starts_at) WHERE state = 'published';

CREATE SEQUENCE activity_signup_seq;

CREATE TABLE activity_signups (
  city_code text NOT NULL,
  id uuid NOT NULL,
  activity_id uuid NOT NULL,
  user_id uuid NOT NULL,
  volunteer_id uuid,
  role text NOT NULL,
  status text NOT NULL,
  -- Waitlist order: first come, first promoted.
  seq bigint NOT NULL DEFAULT nextval('activity_signup_seq'),
  checkin_at timestamptz,
  checkout_at timestamptz,
  attendance_note text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT activity_signups_pkey PRIMARY KEY (city_code, id),
  CONSTRAINT activity_signups_activity_fkey FOREIGN KEY (city_code, activity_id) REFERENCES activities (city_code, id),
  CONSTRAINT activity_signups_volunteer_fkey FOREIGN KEY (city_code, volunteer_id) REFERENCES volunteers (city_code, id),
  CONSTRAINT activity_signups_role_check CHECK (role IN ('volunteer', 'resident')),
  CONSTRAINT activity_signups_status_check CHECK (status IN ('registered', 'waitlisted', 'withdrawn')),
  CONSTRAINT activity_signups_volunteer_check CHECK ((role = 'volunteer') = (volunteer_id IS NOT NULL)),
  CONSTRAINT activity_signups_times_check CHECK (checkout_at IS NULL OR (checkin_at IS NOT NULL AND checkout_at >= checkin_at))
);
CREATE INDEX activity_signups_id_idx ON activity_signups (id);
-- One live sign-up per person and activity; a withdrawn one may be followed by a new one.
CREATE UNIQUE INDEX activity_signups_person_key ON activity_signups (city_code, activity_id, user_id) WHERE status IN ('registered', 'waitlisted');
CREATE INDEX activity_signups_waitlist_idx ON activity_signups (city_code, activity_id, role, seq) WHERE status = 'waitlisted';
CREATE INDEX activity_signups_user_idx ON activity_signups (user_id, created_at);
