-- 0042: the cities an account works in (issue 16, "no fan-out on hot paths").
--
-- Every authenticated request resolves its caller: the session, the user, the user's role grants
-- and volunteer record. Grants and volunteers are city tables; found by user id alone, on Citus
-- they are looked for on every shard. With the account's cities known from this small table, the
-- lookup names them (`city_code IN (…)`) and goes to the caller's shard group only; an account
-- with no city (most residents) skips it.
--
-- The table is complete by construction: role_grants and volunteers carry a foreign key to it, so
-- a grant or a volunteer record cannot exist in a city the account is not registered in; writers
-- add the pair first (INSERT … ON CONFLICT DO NOTHING). A reference table on Citus (a foreign key
-- from a distributed table may only point at one), replicated like `users`.
CREATE TABLE user_cities (
  user_id uuid NOT NULL,
  city_code text NOT NULL,
  CONSTRAINT user_cities_pkey PRIMARY KEY (user_id, city_code),
  CONSTRAINT user_cities_user_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT user_cities_city_fkey FOREIGN KEY (city_code) REFERENCES cities (city_code)
);

INSERT INTO user_cities (user_id, city_code)
SELECT user_id, city_code FROM role_grants
UNION
SELECT user_id, city_code FROM volunteers;

ALTER TABLE role_grants ADD CONSTRAINT role_grants_user_city_fkey FOREIGN KEY (user_id, city_code) REFERENCES user_cities (user_id, city_code);
ALTER TABLE volunteers ADD CONSTRAINT volunteers_user_city_fkey FOREIGN KEY (user_id, city_code) REFERENCES user_cities (user_id, city_code);
