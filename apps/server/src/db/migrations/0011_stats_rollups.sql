-- 0011: statistics rollups for the big screen and the statistics pages (docs/statistics.md).
--
-- stats_daily holds additive figures per org, local day (Asia/Shanghai), dimension and metric:
-- one row says "on this day, at this org, for this category (or team), this much happened".
-- Rows are written only by the rollup job (StatsRollup.refresh), which recomputes whole
-- (city, day, family) slices from the facts; readers add the facts of the days after
-- stats_rollup_state.rolled_through live, so figures are exact up to the last committed fact.

CREATE TABLE stats_daily (
  city_code text NOT NULL,
  org_id uuid NOT NULL,
  day date NOT NULL,
  -- which facts the row came from: 'orders', 'activities', 'hours', 'volunteers'
  family text NOT NULL,
  metric text NOT NULL,
  -- category code for most metrics, team id for 'team.hours', '' when there is none
  dim text NOT NULL DEFAULT '',
  value double precision NOT NULL,
  CONSTRAINT stats_daily_pkey PRIMARY KEY (city_code, day, family, org_id, metric, dim),
  CONSTRAINT stats_daily_org_fkey FOREIGN KEY (city_code, org_id) REFERENCES orgs (city_code, id),
  CONSTRAINT stats_daily_family_check CHECK (family IN ('orders', 'activities', 'hours', 'volunteers'))
);
CREATE INDEX stats_daily_org_idx ON stats_daily (city_code, org_id, day);

-- One row per city: the last local day whose figures are in stats_daily, and when it was rolled.
CREATE TABLE stats_rollup_state (
  city_code text NOT NULL,
  rolled_through date,
  rolled_at timestamptz,
  CONSTRAINT stats_rollup_state_pkey PRIMARY KEY (city_code),
  CONSTRAINT stats_rollup_state_city_fkey FOREIGN KEY (city_code) REFERENCES cities (city_code)
);

-- The live tail and the job's change detection read facts by time.
CREATE INDEX order_events_at_idx ON order_events (city_code, at);
CREATE INDEX orders_first_due_idx ON orders (city_code, first_accept_due_at);
CREATE INDEX orders_updated_idx ON orders (city_code, updated_at);
CREATE INDEX activities_city_time_idx ON activities (city_code, starts_at);
CREATE INDEX activities_published_idx ON activities (city_code, published_at) WHERE published_at IS NOT NULL;
CREATE INDEX service_records_service_day_idx ON service_records (city_code, (coalesce(ended_at, started_at, created_at))) WHERE status = 'verified';
CREATE INDEX service_records_decided_idx ON service_records (city_code, decided_at) WHERE decided_at IS NOT NULL;
CREATE INDEX volunteers_created_idx ON volunteers (city_code, created_at);
CREATE INDEX volunteers_updated_idx ON volunteers (city_code, updated_at);
CREATE INDEX volunteers_hours_idx ON volunteers (city_code, total_hours DESC) WHERE status = 'active';
