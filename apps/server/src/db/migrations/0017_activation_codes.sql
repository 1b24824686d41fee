-- 0017: account activation codes (激活码). Volunteers imported in bulk get an account without a
-- password; one who forgot theirs is in the same place. Staff who manage the volunteer issue a
-- short code and give it to the person (in person or by phone); with their phone number and
-- the code the person sets a password on their own phone. One live code per user (issuing
-- again replaces it); using it deletes it in the same statement, so a code works once.
-- An account table, like users and sessions (docs/scale-out.md).
CREATE TABLE activation_codes (
  user_id uuid NOT NULL,
  -- HMAC of the code with a key derived from the data key: a copy of the table reveals no code.
  code_hash text NOT NULL,
  issued_by uuid NOT NULL,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT activation_codes_pkey PRIMARY KEY (user_id),
  CONSTRAINT activation_codes_user_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT activation_codes_issued_by_fkey FOREIGN KEY (issued_by) REFERENCES users (id)
);
