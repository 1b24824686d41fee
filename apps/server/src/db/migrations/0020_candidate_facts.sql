-- 0020: the candidates' ratings and open orders per team and per volunteer come from the index
-- alone. Ranking the ~50 teams above a site read each team's orders from the heap (about 2,000
-- scattered rows, most of the candidates' time at city scale); with rating and state in the
-- index the same aggregates are index-only scans. They replace the narrower 0003 indexes.
CREATE INDEX orders_team_facts_idx ON orders (city_code, assignee_team_id) INCLUDE (rating, state) WHERE assignee_team_id IS NOT NULL;
DROP INDEX orders_team_idx;
CREATE INDEX orders_volunteer_facts_idx ON orders (city_code, assignee_volunteer_id) INCLUDE (rating, state) WHERE assignee_volunteer_id IS NOT NULL;
DROP INDEX orders_volunteer_idx;
