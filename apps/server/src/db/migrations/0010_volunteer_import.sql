-- 0010: bulk import of volunteers from an Excel/CSV sheet, as a background job with progress.
-- Deployment tables (like the job queue): a job belongs to the deployment that runs it, and one
-- import may create volunteers in several cities. The volunteers themselves are written to the
-- city tables in one transaction per batch; the job row moves in the same transaction, so its
-- counts always match what was committed.

CREATE TABLE volunteer_imports (
  id uuid NOT NULL,
  created_by uuid NOT NULL,
  file_name text NOT NULL,
  state text NOT NULL DEFAULT 'queued',
  total integer NOT NULL,
  processed integer NOT NULL DEFAULT 0,
  imported integer NOT NULL DEFAULT 0,
  failed integer NOT NULL DEFAULT 0,
  message text,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- The worker touches the row after every batch; a running job untouched for long was orphaned
  -- by a stopped process and is reported as failed (re-running the file imports the rest).
  updated_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  CONSTRAINT volunteer_imports_pkey PRIMARY KEY (id),
  CONSTRAINT volunteer_imports_state_check CHECK (state IN ('queued', 'running', 'done', 'failed')),
  CONSTRAINT volunteer_imports_counts_check CHECK (
    total >= 0 AND processed >= 0 AND imported >= 0 AND failed >= 0
    AND processed <= total AND imported + failed = processed
  ),
  CONSTRAINT volunteer_imports_name_check CHECK (length(file_name) BETWEEN 1 AND 255)
);
CREATE INDEX volunteer_imports_creator_idx ON volunteer_imports (created_by, created_at);

-- One row per problem found in a row of the sheet. `row_values` keeps the row as it was given
-- for the errors.xlsx download, with the ID number already masked (first 4 and last 4).
CREATE TABLE volunteer_import_errors (
  import_id uuid NOT NULL,
  row_number integer NOT NULL,
  seq smallint NOT NULL,
  field text NOT NULL,
  reason text NOT NULL,
  row_values jsonb NOT NULL DEFAULT '{}',
  CONSTRAINT volunteer_import_errors_pkey PRIMARY KEY (import_id, row_number, seq),
  CONSTRAINT volunteer_import_errors_import_fkey FOREIGN KEY (import_id) REFERENCES volunteer_imports (id) ON DELETE CASCADE
);

-- 党员双报到: party members are listed by their work unit.
CREATE INDEX volunteers_party_unit_idx ON volunteers (city_code, work_unit) WHERE political_status = 'party';
