-- The sign-in throttle as one counter row per phone (issue 15, item 8). An attempt takes a slot
-- with one conditional upsert BEFORE the password is checked: the row lock of ON CONFLICT DO
-- UPDATE serialises concurrent attempts, so of N parallel guesses at most `limit` are checked.
-- A successful sign-in deletes the row; a failed one leaves its slot taken until the window ends.
CREATE TABLE login_throttles (
  phone text NOT NULL,
  window_started_at timestamptz NOT NULL,
  attempts integer NOT NULL,
  CONSTRAINT login_throttles_pkey PRIMARY KEY (phone),
  CONSTRAINT login_throttles_attempts_check CHECK (attempts >= 1)
);
