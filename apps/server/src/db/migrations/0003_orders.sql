-- 0003: the order loop 群众点单 → 中心派单 → 志愿者接单 → 群众评单, the service menu (菜篮子),
-- triage corrections, and the notification inbox.

ALTER TABLE org_settings ADD COLUMN accept_minutes_normal integer;
ALTER TABLE org_settings ADD COLUMN accept_minutes_urgent integer;
ALTER TABLE org_settings ADD COLUMN accept_minutes_critical integer;

CREATE TABLE service_items (
  city_code text NOT NULL,
  id uuid NOT NULL,
  org_id uuid NOT NULL,
  name text NOT NULL,
  category text NOT NULL,
  description text,
  default_urgency text NOT NULL DEFAULT 'normal',
  team_ids uuid[] NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'active',
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT service_items_pkey PRIMARY KEY (city_code, id),
  CONSTRAINT service_items_org_fkey FOREIGN KEY (city_code, org_id) REFERENCES orgs (city_code, id),
  CONSTRAINT service_items_category_fkey FOREIGN KEY (category) REFERENCES categories (code),
  CONSTRAINT service_items_name_key UNIQUE (city_code, org_id, name),
  CONSTRAINT service_items_urgency_check CHECK (default_urgency IN ('normal', 'urgent', 'critical')),
  CONSTRAINT service_items_status_check CHECK (status IN ('active', 'retired'))
);
CREATE INDEX service_items_id_idx ON service_items (id);

-- Daily sequence for readable order codes (D + yymmdd + 4 digits), per city.
CREATE TABLE order_code_counters (
  city_code text NOT NULL,
  day date NOT NULL,
  n integer NOT NULL,
  CONSTRAINT order_code_counters_pkey PRIMARY KEY (city_code, day)
);

CREATE TABLE orders (
  city_code text NOT NULL,
  id uuid NOT NULL,
  code text NOT NULL,
  org_id uuid NOT NULL,
  handling_org_id uuid NOT NULL,
  requester_id uuid NOT NULL,
  title text,
  content text NOT NULL,
  category text NOT NULL,
  nature text NOT NULL,
  urgency text NOT NULL,
  triage jsonb NOT NULL,
  address text,
  lat double precision,
  lng double precision,
  preferred_at timestamptz,
  service_item_id uuid,
  state text NOT NULL DEFAULT 'submitted',
  assignee_team_id uuid,
  assignee_volunteer_id uuid,
  department_id uuid,
  accept_due_at timestamptz NOT NULL,
  -- The first deadline, kept for the response rate (escalation moves accept_due_at on).
  first_accept_due_at timestamptz NOT NULL,
  escalation_level integer NOT NULL DEFAULT 0,
  reminded_at timestamptz,
  dispatched_at timestamptz,
  accepted_at timestamptz,
  started_at timestamptz,
  completed_at timestamptz,
  forwarded_at timestamptz,
  resolved_at timestamptz,
  closed_at timestamptz,
  report text,
  reply text,
  hours numeric(5, 1),
  rating integer,
  rating_comment text,
  rated_at timestamptz,
  reject_reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT orders_pkey PRIMARY KEY (city_code, id),
  CONSTRAINT orders_code_key UNIQUE (city_code, code),
  CONSTRAINT orders_org_fkey FOREIGN KEY (city_code, org_id) REFERENCES orgs (city_code, id),
  CONSTRAINT orders_handling_org_fkey FOREIGN KEY (city_code, handling_org_id) REFERENCES orgs (city_code, id),
  CONSTRAINT orders_category_fkey FOREIGN KEY (category) REFERENCES categories (code),
  CONSTRAINT orders_item_fkey FOREIGN KEY (city_code, service_item_id) REFERENCES service_items (city_code, id),
  CONSTRAINT orders_team_fkey FOREIGN KEY (city_code, assignee_team_id) REFERENCES teams (city_code, id),
  CONSTRAINT orders_volunteer_fkey FOREIGN KEY (city_code, assignee_volunteer_id) REFERENCES volunteers (city_code, id),
  CONSTRAINT orders_department_fkey FOREIGN KEY (city_code, department_id) REFERENCES departments (city_code, id),
  CONSTRAINT orders_state_check CHECK (state IN ('submitted', 'dispatched', 'accepted', 'in_service', 'completed', 'rated', 'forwarded', 'resolved', 'cancelled', 'rejected')),
  CONSTRAINT orders_nature_check CHECK (nature IN ('service', 'petition', 'complaint', 'consult')),
  CONSTRAINT orders_urgency_check CHECK (urgency IN ('normal', 'urgent', 'critical')),
  CONSTRAINT orders_content_check CHECK (length(content) BETWEEN 1 AND 2000),
  CONSTRAINT orders_rating_check CHECK (rating IS NULL OR rating BETWEEN 1 AND 5),
  CONSTRAINT orders_hours_check CHECK (hours IS NULL OR (hours > 0 AND hours <= 24)),
  CONSTRAINT orders_assignee_check CHECK (assignee_team_id IS NULL OR assignee_volunteer_id IS NULL),
  CONSTRAINT orders_latlng_check CHECK ((lat IS NULL) = (lng IS NULL))
);
CREATE INDEX orders_id_idx ON orders (id);
CREATE INDEX orders_requester_idx ON orders (requester_id, created_at);
CREATE INDEX orders_handling_idx ON orders (city_code, handling_org_id, state);
CREATE INDEX orders_open_due_idx ON orders (city_code, accept_due_at) WHERE state IN ('submitted', 'dispatched');
CREATE INDEX orders_team_idx ON orders (city_code, assignee_team_id) WHERE assignee_team_id IS NOT NULL;
CREATE INDEX orders_volunteer_idx ON orders (city_code, assignee_volunteer_id) WHERE assignee_volunteer_id IS NOT NULL;
CREATE INDEX orders_department_idx ON orders (city_code, department_id) WHERE department_id IS NOT NULL;

-- The timeline: one row per submission and per transition.
CREATE TABLE order_events (
  city_code text NOT NULL,
  id uuid NOT NULL,
  order_id uuid NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  actor_id uuid,
  action text NOT NULL,
  from_state text,
  to_state text NOT NULL,
  note text,
  data jsonb,
  CONSTRAINT order_events_pkey PRIMARY KEY (city_code, id),
  CONSTRAINT order_events_order_fkey FOREIGN KEY (city_code, order_id) REFERENCES orders (city_code, id)
);
CREATE INDEX order_events_order_idx ON order_events (city_code, order_id, at);

-- Volunteers who served an order (named by the team leader on accept).
CREATE TABLE order_servers (
  city_code text NOT NULL,
  order_id uuid NOT NULL,
  volunteer_id uuid NOT NULL,
  CONSTRAINT order_servers_pkey PRIMARY KEY (city_code, order_id, volunteer_id),
  CONSTRAINT order_servers_order_fkey FOREIGN KEY (city_code, order_id) REFERENCES orders (city_code, id),
  CONSTRAINT order_servers_volunteer_fkey FOREIGN KEY (city_code, volunteer_id) REFERENCES volunteers (city_code, id)
);

-- Dispatcher corrections of the triage: new labelled examples for retraining.
CREATE TABLE triage_examples (
  city_code text NOT NULL,
  id uuid NOT NULL,
  order_id uuid,
  text text NOT NULL,
  category text NOT NULL,
  nature text NOT NULL,
  urgency text NOT NULL,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT triage_examples_pkey PRIMARY KEY (city_code, id),
  CONSTRAINT triage_examples_order_fkey FOREIGN KEY (city_code, order_id) REFERENCES orders (city_code, id),
  CONSTRAINT triage_examples_order_key UNIQUE (city_code, order_id)
);

-- The in-app inbox (account-level: keyed by the recipient). Pushed live over SSE.
CREATE TABLE notifications (
  id uuid NOT NULL,
  user_id uuid NOT NULL,
  city_code text,
  kind text NOT NULL,
  title text NOT NULL,
  body text,
  ref_type text,
  ref_id uuid,
  read_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT notifications_pkey PRIMARY KEY (id)
);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at);
