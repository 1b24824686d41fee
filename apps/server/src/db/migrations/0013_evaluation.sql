-- 0013: 成效评估 (docs/evaluation.md). An org's own indicator system (it applies to the sites
-- below it; without one, the nearest system above, else the platform default in code), the
-- computed periods and one stored result per site and period, so history stays as computed.

CREATE TABLE evaluation_indicators (
  city_code text NOT NULL,
  id uuid NOT NULL,
  owner_org_id uuid NOT NULL,
  code text NOT NULL,
  name text NOT NULL,
  metric text NOT NULL,
  target numeric(12, 4) NOT NULL,
  weight integer NOT NULL,
  levels text[] NOT NULL,
  description text,
  sort integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT evaluation_indicators_pkey PRIMARY KEY (city_code, id),
  CONSTRAINT evaluation_indicators_owner_fkey FOREIGN KEY (city_code, owner_org_id) REFERENCES orgs (city_code, id),
  CONSTRAINT evaluation_indicators_code_key UNIQUE (city_code, owner_org_id, code),
  CONSTRAINT evaluation_indicators_code_check CHECK (code ~ '^[A-Za-z0-9_.-]{1,20}$'),
  CONSTRAINT evaluation_indicators_name_check CHECK (length(name) BETWEEN 1 AND 50),
  CONSTRAINT evaluation_indicators_metric_check CHECK (metric IN ('site_coverage', 'volunteers_per_site', 'activities_per_station_month', 'service_hours_per_station_month', 'response_rate', 'resolution_rate', 'satisfaction_rate', 'booking_utilization', 'contents_per_month')),
  CONSTRAINT evaluation_indicators_target_check CHECK (target > 0),
  CONSTRAINT evaluation_indicators_weight_check CHECK (weight BETWEEN 1 AND 100),
  CONSTRAINT evaluation_indicators_levels_check CHECK (cardinality(levels) >= 1 AND levels <@ ARRAY['center', 'institute', 'station', 'point']::text[])
);
CREATE INDEX evaluation_indicators_id_idx ON evaluation_indicators (id);

-- One row per city and period that has been computed. The primary key makes concurrent computes
-- of one period meet on one row (the second waits for the first's lock, then sees its result).
CREATE TABLE evaluation_runs (
  city_code text NOT NULL,
  period text NOT NULL,
  kind text NOT NULL,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  -- whether the period had ended when it was computed: a closed run is kept unless forced
  closed boolean NOT NULL DEFAULT false,
  computed_at timestamptz,
  computed_by uuid,
  site_count integer NOT NULL DEFAULT 0,
  forced_count integer NOT NULL DEFAULT 0,
  CONSTRAINT evaluation_runs_pkey PRIMARY KEY (city_code, period),
  CONSTRAINT evaluation_runs_city_fkey FOREIGN KEY (city_code) REFERENCES cities (city_code),
  CONSTRAINT evaluation_runs_period_check CHECK (period ~ '^[0-9]{4}(-(0[1-9]|1[0-2]))?$'),
  CONSTRAINT evaluation_runs_kind_check CHECK (kind IN ('month', 'year') AND (kind = 'month') = (length(period) = 7)),
  CONSTRAINT evaluation_runs_time_check CHECK (ends_at > starts_at)
);

-- One result per site and period: the indicators as applied (code, name, metric, target, weight,
-- value, score), the figures they came from, the total, the rank among the site's siblings of
-- the same level, diagnostic flags and suggestions.
CREATE TABLE evaluation_results (
  city_code text NOT NULL,
  period text NOT NULL,
  org_id uuid NOT NULL,
  parent_id uuid,
  level text NOT NULL,
  total numeric(5, 1),
  rank integer,
  rank_of integer NOT NULL DEFAULT 0,
  indicators jsonb NOT NULL,
  figures jsonb NOT NULL,
  flags jsonb NOT NULL DEFAULT '[]',
  flag_count integer NOT NULL DEFAULT 0,
  suggestions jsonb NOT NULL DEFAULT '[]',
  computed_at timestamptz NOT NULL,
  CONSTRAINT evaluation_results_pkey PRIMARY KEY (city_code, period, org_id),
  CONSTRAINT evaluation_results_run_fkey FOREIGN KEY (city_code, period) REFERENCES evaluation_runs (city_code, period),
  CONSTRAINT evaluation_results_org_fkey FOREIGN KEY (city_code, org_id) REFERENCES orgs (city_code, id),
  CONSTRAINT evaluation_results_level_check CHECK (level IN ('center', 'institute', 'station', 'point')),
  CONSTRAINT evaluation_results_total_check CHECK (total IS NULL OR total BETWEEN 0 AND 100),
  CONSTRAINT evaluation_results_rank_check CHECK (rank IS NULL OR rank BETWEEN 1 AND rank_of)
);
CREATE INDEX evaluation_results_ranking_idx ON evaluation_results (city_code, period, level, total DESC NULLS LAST);
CREATE INDEX evaluation_results_org_idx ON evaluation_results (city_code, org_id, period);
