-- 0043: a team's leader works in the team's city (issue 16). The teams a person leads are looked up
-- on every list of their orders and activities; with the leader's city in user_cities (0042), the
-- look-up names the person's cities and, on Citus, goes to their shard group instead of every
-- shard. The foreign key makes user_cities complete for leaders too: whoever sets a leader adds the
-- pair first.
INSERT INTO user_cities (user_id, city_code)
SELECT DISTINCT leader_user_id, city_code FROM teams WHERE leader_user_id IS NOT NULL
ON CONFLICT DO NOTHING;

ALTER TABLE teams ADD CONSTRAINT teams_leader_city_fkey FOREIGN KEY (leader_user_id, city_code) REFERENCES user_cities (user_id, city_code);
