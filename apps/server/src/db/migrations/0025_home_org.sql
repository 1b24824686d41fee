-- 0025: the resident's community is part of the account (issue 17), not only the phone's
-- localStorage: chosen at first sign-in, editable in 我的, read by every device. A plain pair of
-- columns on users (an account table): no foreign key to orgs, a city table (docs/scale-out.md:
-- accounts are not tied to a shard); the service checks the site when it is set, and sites are
-- never deleted. Both columns are set together or not at all.
ALTER TABLE users
  ADD COLUMN home_city_code text,
  ADD COLUMN home_org_id uuid,
  ADD COLUMN address text,
  ADD CONSTRAINT users_home_org_check CHECK ((home_city_code IS NULL) = (home_org_id IS NULL)),
  ADD CONSTRAINT users_address_check CHECK (address IS NULL OR char_length(address) <= 200);

-- Staff count the residents of each station (a bounded index scan per station).
CREATE INDEX users_home_org_idx ON users (home_city_code, home_org_id) WHERE home_org_id IS NOT NULL;
