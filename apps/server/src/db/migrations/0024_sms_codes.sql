-- 0024: sign-in by SMS code (issue 17). Account tables (docs/scale-out.md): keyed by the phone
-- or the client, never referenced by city tables.
--
-- One live code per phone (a new one, for either purpose, replaces the one before). Every rule is
-- a condition of one statement, so racing requests cannot get around it:
--  - sending: one upsert whose WHERE allows it only 60 s after the last send and while fewer than
--    10 went out on the phone's China day (the day is computed by the app and passed in);
--  - checking: one UPDATE that counts the try and, when the hash matches, marks the code used,
--    allowed only while it is unused, unexpired and has had fewer than 5 tries.
-- The code itself is never stored: only an HMAC of it under a key derived from the data key.
CREATE TABLE sms_codes (
  phone text NOT NULL,
  purpose text NOT NULL,
  code_hash text NOT NULL,
  expires_at timestamptz NOT NULL,
  tries integer NOT NULL DEFAULT 0,
  used_at timestamptz,
  last_sent_at timestamptz NOT NULL,
  send_day date NOT NULL,
  sends_today integer NOT NULL,
  CONSTRAINT sms_codes_pkey PRIMARY KEY (phone),
  CONSTRAINT sms_codes_purpose_check CHECK (purpose IN ('login', 'reset')),
  CONSTRAINT sms_codes_tries_check CHECK (tries BETWEEN 0 AND 5),
  CONSTRAINT sms_codes_sends_today_check CHECK (sends_today BETWEEN 0 AND 10)
);

-- The per-client limit on sending codes (one client asking for codes to many phones): a counter
-- per client address and hour, taken with one conditional upsert like login_throttles (0021).
CREATE TABLE sms_client_sends (
  client text NOT NULL,
  window_started_at timestamptz NOT NULL,
  sends integer NOT NULL,
  CONSTRAINT sms_client_sends_pkey PRIMARY KEY (client),
  CONSTRAINT sms_client_sends_sends_check CHECK (sends >= 0)
);

-- When the person accepted 用户协议 and 隐私政策 (PIPL consent), recorded at the first sign-in by
-- SMS code, which creates the account. Accounts made before by other paths have none.
ALTER TABLE users ADD COLUMN terms_accepted_at timestamptz;
