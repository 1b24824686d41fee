-- 0023: a page of a district's volunteer list (and of its export, a thousand rows at a time) is
-- chosen from this index alone. The page is the newest volunteers of the district's sites before
-- the cursor; choosing it read each of the district's volunteers from the heap for its creation
-- time (about 100,000 in 小店区 at Taiyuan's scale, ~80 ms a page). With the creation time and the
-- id in the index it is an index-only scan and a top-N sort. It replaces the 0002 index of the
-- same keys.
CREATE INDEX volunteers_org_page_idx ON volunteers (city_code, org_id) INCLUDE (created_at, id);
DROP INDEX volunteers_org_idx;
