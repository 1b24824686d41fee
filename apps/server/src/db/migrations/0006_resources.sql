-- 0006: the resource library and venue booking (资源库 · 场馆预约).

CREATE TABLE resources (
  city_code text NOT NULL,
  id uuid NOT NULL,
  org_id uuid NOT NULL,
  name text NOT NULL,
  type text NOT NULL,
  description text,
  capacity integer,
  -- Equipment lent by quantity (音响, 帐篷 …); NULL for exclusive resources (rooms, people).
  quantity integer,
  bookable boolean NOT NULL DEFAULT true,
  requires_approval boolean NOT NULL DEFAULT true,
  open_hours jsonb NOT NULL DEFAULT '[]',
  closed_dates date[] NOT NULL DEFAULT '{}',
  slot_minutes integer NOT NULL DEFAULT 60,
  max_days_ahead integer NOT NULL DEFAULT 30,
  max_per_week integer,
  address text,
  lat double precision,
  lng double precision,
  status text NOT NULL DEFAULT 'active',
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT resources_pkey PRIMARY KEY (city_code, id),
  CONSTRAINT resources_org_fkey FOREIGN KEY (city_code, org_id) REFERENCES orgs (city_code, id),
  CONSTRAINT resources_type_fkey FOREIGN KEY (type) REFERENCES resource_types (code),
  CONSTRAINT resources_name_key UNIQUE (city_code, org_id, name),
  CONSTRAINT resources_capacity_check CHECK (capacity IS NULL OR capacity > 0),
  CONSTRAINT resources_quantity_check CHECK (quantity IS NULL OR quantity > 0),
  CONSTRAINT resources_slot_check CHECK (slot_minutes BETWEEN 5 AND 1440),
  CONSTRAINT resources_ahead_check CHECK (max_days_ahead BETWEEN 0 AND 365),
  CONSTRAINT resources_per_week_check CHECK (max_per_week IS NULL OR max_per_week > 0),
  CONSTRAINT resources_status_check CHECK (status IN ('active', 'retired')),
  CONSTRAINT resources_latlng_check CHECK ((lat IS NULL) = (lng IS NULL))
);
CREATE INDEX resources_id_idx ON resources (id);
CREATE INDEX resources_org_idx ON resources (city_code, org_id);

CREATE TABLE bookings (
  city_code text NOT NULL,
  id uuid NOT NULL,
  resource_id uuid NOT NULL,
  user_id uuid NOT NULL,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  during tstzrange GENERATED ALWAYS AS (tstzrange(starts_at, ends_at, '[)')) STORED,
  exclusive boolean NOT NULL,
  quantity integer NOT NULL DEFAULT 1,
  purpose text NOT NULL,
  attendees integer NOT NULL DEFAULT 1,
  status text NOT NULL,
  decided_by uuid,
  decided_at timestamptz,
  reason text,
  checked_in_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT bookings_pkey PRIMARY KEY (city_code, id),
  CONSTRAINT bookings_resource_fkey FOREIGN KEY (city_code, resource_id) REFERENCES resources (city_code, id),
  CONSTRAINT bookings_time_check CHECK (ends_at > starts_at),
  CONSTRAINT bookings_quantity_check CHECK (quantity > 0),
  CONSTRAINT bookings_attendees_check CHECK (attendees > 0),
  CONSTRAINT bookings_status_check CHECK (status IN ('pending', 'approved', 'rejected', 'cancelled', 'checked_in', 'completed', 'no_show')),
  -- No double booking of an exclusive resource: PostgreSQL refuses overlapping holding bookings.
  CONSTRAINT bookings_no_overlap EXCLUDE USING gist (city_code WITH =, resource_id WITH =, during WITH &&)
    WHERE (exclusive AND status IN ('pending', 'approved', 'checked_in'))
);
CREATE INDEX bookings_id_idx ON bookings (id);
CREATE INDEX bookings_user_idx ON bookings (user_id, starts_at);
CREATE INDEX bookings_resource_time_idx ON bookings (city_code, resource_id, starts_at);
CREATE INDEX bookings_due_idx ON bookings (city_code, ends_at) WHERE status IN ('approved', 'checked_in');

CREATE TABLE booking_reviews (
  city_code text NOT NULL,
  booking_id uuid NOT NULL,
  resource_id uuid NOT NULL,
  user_id uuid NOT NULL,
  score integer NOT NULL,
  comment text,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT booking_reviews_pkey PRIMARY KEY (city_code, booking_id),
  CONSTRAINT booking_reviews_booking_fkey FOREIGN KEY (city_code, booking_id) REFERENCES bookings (city_code, id),
  CONSTRAINT booking_reviews_resource_fkey FOREIGN KEY (city_code, resource_id) REFERENCES resources (city_code, id),
  CONSTRAINT booking_reviews_score_check CHECK (score BETWEEN 1 AND 5)
);
CREATE INDEX booking_reviews_resource_idx ON booking_reviews (city_code, resource_id);
