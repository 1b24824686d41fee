-- 0041: 服务人次 (people served) and the sites' pilot and plaque status (issue 21; docs/statistics.md).
--
-- People served: an activity's organiser enters how many took part and how many were served when
-- finishing it or writing its report (NULL: not entered); a completed order counts the people its
-- server says were served (NULL on orders completed before this: counted as 1). A pairing visit
-- counts the one elder visited; that needs no column (the verified visit is the fact).
ALTER TABLE activities ADD COLUMN participants integer;
ALTER TABLE activities ADD COLUMN people_served integer;
ALTER TABLE activities ADD CONSTRAINT activities_participants_check CHECK (participants IS NULL OR participants BETWEEN 0 AND 1000000);
ALTER TABLE activities ADD CONSTRAINT activities_people_served_check CHECK (people_served IS NULL OR people_served BETWEEN 0 AND 1000000);
ALTER TABLE orders ADD COLUMN people_served integer;
ALTER TABLE orders ADD CONSTRAINT orders_people_served_check CHECK (people_served IS NULL OR people_served BETWEEN 1 AND 10000);

-- Sites: 国家级 / 省级 / 市级 新时代文明实践试点 and 挂牌 (the plaque is up, since a date).
ALTER TABLE orgs ADD COLUMN pilot_level text;
ALTER TABLE orgs ADD COLUMN plaqued boolean NOT NULL DEFAULT false;
ALTER TABLE orgs ADD COLUMN plaqued_on date;
ALTER TABLE orgs ADD CONSTRAINT orgs_pilot_level_check CHECK (pilot_level IS NULL OR pilot_level IN ('national', 'provincial', 'city'));
ALTER TABLE orgs ADD CONSTRAINT orgs_plaqued_on_check CHECK (plaqued_on IS NULL OR plaqued);
