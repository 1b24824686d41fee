-- 0035: 代点单 (assisted intake) and photos on orders (issue 18).
-- channel: how the request reached the platform — the resident's own app, or entered by staff
-- for a resident who phoned (phone), walked in (visit), told their 网格员 (grid) or called the
-- 12345 hotline (hotline); entered_by: the staff member who entered it (NULL: the resident).
ALTER TABLE orders ADD COLUMN channel text NOT NULL DEFAULT 'app';
ALTER TABLE orders ADD COLUMN entered_by uuid;
ALTER TABLE orders ADD CONSTRAINT orders_channel_check CHECK (channel IN ('app', 'phone', 'visit', 'grid', 'hotline'));
ALTER TABLE orders ADD CONSTRAINT orders_entered_by_check CHECK ((channel = 'app') = (entered_by IS NULL));
-- Up to six pictures taken at 点单 (uploads' ids, in the order they were given).
ALTER TABLE orders ADD COLUMN photo_ids uuid[] NOT NULL DEFAULT '{}';
ALTER TABLE orders ADD CONSTRAINT orders_photo_ids_check CHECK (cardinality(photo_ids) <= 6);
