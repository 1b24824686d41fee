-- 0007: the love supermarket (以行积分 · 以分换物): rewards, redemptions with pick-up codes, and
-- manual point adjustments that need a second person's approval. Points move only through the
-- ledger of 0002 (points_ledger + points_accounts with CHECK (balance >= 0)).

CREATE TABLE rewards (
  city_code text NOT NULL,
  id uuid NOT NULL,
  org_id uuid NOT NULL,
  pickup_org_id uuid NOT NULL,
  name text NOT NULL,
  description text,
  cost integer NOT NULL,
  stock integer NOT NULL,
  per_user_monthly_limit integer,
  available_from timestamptz,
  available_to timestamptz,
  status text NOT NULL DEFAULT 'active',
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT rewards_pkey PRIMARY KEY (city_code, id),
  CONSTRAINT rewards_org_fkey FOREIGN KEY (city_code, org_id) REFERENCES orgs (city_code, id),
  CONSTRAINT rewards_pickup_fkey FOREIGN KEY (city_code, pickup_org_id) REFERENCES orgs (city_code, id),
  CONSTRAINT rewards_cost_check CHECK (cost > 0),
  -- Never oversold: the stock cannot go below zero whatever the concurrency.
  CONSTRAINT rewards_stock_check CHECK (stock >= 0),
  CONSTRAINT rewards_limit_check CHECK (per_user_monthly_limit IS NULL OR per_user_monthly_limit > 0),
  CONSTRAINT rewards_window_check CHECK (available_to IS NULL OR available_from IS NULL OR available_to > available_from),
  CONSTRAINT rewards_status_check CHECK (status IN ('active', 'retired'))
);
CREATE INDEX rewards_id_idx ON rewards (id);
CREATE INDEX rewards_org_idx ON rewards (city_code, org_id);

CREATE TABLE redemptions (
  city_code text NOT NULL,
  id uuid NOT NULL,
  reward_id uuid NOT NULL,
  user_id uuid NOT NULL,
  quantity integer NOT NULL,
  points integer NOT NULL,
  pickup_code text NOT NULL,
  status text NOT NULL DEFAULT 'pending_pickup',
  created_at timestamptz NOT NULL DEFAULT now(),
  fulfilled_at timestamptz,
  fulfilled_by uuid,
  cancelled_at timestamptz,
  CONSTRAINT redemptions_pkey PRIMARY KEY (city_code, id),
  CONSTRAINT redemptions_reward_fkey FOREIGN KEY (city_code, reward_id) REFERENCES rewards (city_code, id),
  CONSTRAINT redemptions_code_key UNIQUE (city_code, pickup_code),
  CONSTRAINT redemptions_quantity_check CHECK (quantity > 0),
  CONSTRAINT redemptions_points_check CHECK (points > 0),
  CONSTRAINT redemptions_status_check CHECK (status IN ('pending_pickup', 'fulfilled', 'cancelled'))
);
CREATE INDEX redemptions_id_idx ON redemptions (id);
CREATE INDEX redemptions_user_idx ON redemptions (user_id, created_at);
CREATE INDEX redemptions_reward_month_idx ON redemptions (city_code, reward_id, user_id, created_at);

CREATE TABLE points_adjustments (
  city_code text NOT NULL,
  id uuid NOT NULL,
  org_id uuid NOT NULL,
  user_id uuid NOT NULL,
  delta integer NOT NULL,
  reason text NOT NULL,
  status text NOT NULL DEFAULT 'pending',
  requested_by uuid NOT NULL,
  decided_by uuid,
  decided_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT points_adjustments_pkey PRIMARY KEY (city_code, id),
  CONSTRAINT points_adjustments_org_fkey FOREIGN KEY (city_code, org_id) REFERENCES orgs (city_code, id),
  CONSTRAINT points_adjustments_delta_check CHECK (delta <> 0 AND abs(delta) <= 100000),
  CONSTRAINT points_adjustments_status_check CHECK (status IN ('pending', 'approved', 'rejected')),
  CONSTRAINT points_adjustments_two_people_check CHECK (decided_by IS NULL OR decided_by <> requested_by)
);
CREATE INDEX points_adjustments_id_idx ON points_adjustments (id);
