-- 0009: more earning rules (以行积分), ledger rows attributed to a site, reward pictures.
--
-- Earning rules beside points per verified hour, each set per site and inherited down the tree
-- (NULL: inherit): points per attended activity, a bonus for a 5-star rating of an order served,
-- points per pairing visit (结对帮扶走访).
ALTER TABLE org_settings ADD COLUMN points_per_activity integer;
ALTER TABLE org_settings ADD COLUMN points_five_star_bonus integer;
ALTER TABLE org_settings ADD COLUMN points_per_pairing_visit integer;
ALTER TABLE org_settings ADD CONSTRAINT org_settings_points_more_check CHECK (
  (points_per_activity IS NULL OR points_per_activity BETWEEN 0 AND 1000)
  AND (points_five_star_bonus IS NULL OR points_five_star_bonus BETWEEN 0 AND 1000)
  AND (points_per_pairing_visit IS NULL OR points_per_pairing_visit BETWEEN 0 AND 1000)
);

-- The site a ledger row belongs to (where the points were earned or spent), for the monthly
-- report of points issued vs. redeemed per site. NULL only for rows with no site (expiry).
ALTER TABLE points_ledger ADD COLUMN org_id uuid;
UPDATE points_ledger l SET org_id = s.org_id
  FROM service_records s
  WHERE l.source_type = 'service_record' AND s.city_code = l.city_code AND s.id = l.source_id;
UPDATE points_ledger l SET org_id = a.org_id
  FROM points_adjustments a
  WHERE l.source_type = 'points_adjustment' AND a.city_code = l.city_code AND a.id = l.source_id;
UPDATE points_ledger l SET org_id = r.org_id
  FROM redemptions d JOIN rewards r ON r.city_code = d.city_code AND r.id = d.reward_id
  WHERE l.source_type = 'redemption' AND d.city_code = l.city_code AND d.id = l.source_id;
CREATE INDEX points_ledger_org_month_idx ON points_ledger (city_code, org_id, created_at);
CREATE INDEX points_ledger_city_user_idx ON points_ledger (city_code, user_id, created_at);

-- Reward pictures: upload ids (GET /api/v1/uploads/{id}), at most 9, first one is the cover.
ALTER TABLE rewards ADD COLUMN photo_ids text[] NOT NULL DEFAULT '{}';
ALTER TABLE rewards ADD CONSTRAINT rewards_photos_check CHECK (cardinality(photo_ids) <= 9);
CREATE INDEX redemptions_city_created_idx ON redemptions (city_code, created_at);
