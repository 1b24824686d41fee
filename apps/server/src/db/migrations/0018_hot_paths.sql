-- 0018: indexes that match the hot paths at a city's scale (issue: Taiyuan at full scale).

-- The volunteer list pages newest first by keyset on (created_at, id); without an index that
-- gives this order every page sorted the caller's whole scope (~0.5 s a page for a district).
CREATE INDEX volunteers_created_id_idx ON volunteers (created_at DESC, id DESC);
