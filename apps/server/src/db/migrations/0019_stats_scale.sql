-- 0019: statistics at a city's full scale (docs/statistics.md, docs/performance.md "统计 / Statistics").
--
-- 1. Every fact table gets `recorded_at`: when the row was written (the transaction's start, by
--    default). The rollup job finds new facts by it — also facts dated in the past (an import, a
--    migration from another system, a generator), which no date of the fact itself reveals.
--    Adding a column with a stable default does not rewrite the table.
ALTER TABLE order_events ADD COLUMN recorded_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE orders ADD COLUMN recorded_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE service_records ADD COLUMN recorded_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE volunteers ADD COLUMN recorded_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE activities ADD COLUMN recorded_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX order_events_recorded_idx ON order_events (city_code, recorded_at);
CREATE INDEX orders_recorded_idx ON orders (city_code, recorded_at);
CREATE INDEX service_records_recorded_idx ON service_records (city_code, recorded_at);
CREATE INDEX volunteers_recorded_idx ON volunteers (city_code, recorded_at);
CREATE INDEX activities_recorded_idx ON activities (city_code, recorded_at);

-- 2. stats_daily (one row per org, day, metric and dimension) is no longer written: at a city's
--    scale it held more rows than the facts (4.3 M for Taiyuan), and every read summed them. The
--    rollups are now per month and over all of history, exact (numeric), with the dimensions only
--    where a page needs them: scalar metrics have dim '' and the dimensional ones their own names
--    (cat.orders, cat.activities, team.hours, volunteers.skill). The rollup starts again (state
--    reset below). The empty table stays for now: the scale generator clears it by name.
TRUNCATE stats_daily;

-- 3. The figures of the rolled days summed per month (stats_monthly) and over all of them
--    (stats_totals). The job adds the days it rolls for the first time, and for a month whose facts
--    changed it adds the difference between the month measured again and its stored rows — so a
--    run costs what changed, not the city's history.
CREATE TABLE stats_monthly (
  city_code text NOT NULL,
  metric text NOT NULL,
  month date NOT NULL,
  org_id uuid NOT NULL,
  dim text NOT NULL DEFAULT '',
  -- which facts the row came from: 'orders', 'activities', 'hours', 'volunteers'
  family text NOT NULL,
  value numeric NOT NULL,
  CONSTRAINT stats_monthly_pkey PRIMARY KEY (city_code, metric, month, org_id, dim),
  CONSTRAINT stats_monthly_org_fkey FOREIGN KEY (city_code, org_id) REFERENCES orgs (city_code, id),
  CONSTRAINT stats_monthly_family_check CHECK (family IN ('orders', 'activities', 'hours', 'volunteers'))
);
CREATE INDEX stats_monthly_family_idx ON stats_monthly (city_code, family, month);

CREATE TABLE stats_totals (
  city_code text NOT NULL,
  metric text NOT NULL,
  org_id uuid NOT NULL,
  dim text NOT NULL DEFAULT '',
  value numeric NOT NULL,
  CONSTRAINT stats_totals_pkey PRIMARY KEY (city_code, metric, org_id, dim),
  CONSTRAINT stats_totals_org_fkey FOREIGN KEY (city_code, org_id) REFERENCES orgs (city_code, id)
);
CREATE INDEX stats_totals_org_idx ON stats_totals (city_code, org_id);

-- 4. The job's state per city: `watermark` (facts recorded before it are in the rollups; the next
--    run looks at what was recorded or changed since), `version` (bumped by every run that changed
--    a rollup row: readers key their short cache of rolled figures by it).
ALTER TABLE stats_rollup_state ADD COLUMN watermark timestamptz;
ALTER TABLE stats_rollup_state ADD COLUMN version bigint NOT NULL DEFAULT 0;
DELETE FROM stats_rollup_state;
