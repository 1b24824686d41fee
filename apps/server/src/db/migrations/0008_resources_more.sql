-- 0008: the resource library's pages need photos and edits; bookings get a reminder before the slot.

-- Pictures of a resource: ids of uploads (GET /api/v1/uploads/{id}), in display order.
ALTER TABLE resources ADD COLUMN photo_ids text[] NOT NULL DEFAULT '{}';
ALTER TABLE resources ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE resources ADD CONSTRAINT resources_photos_check CHECK (cardinality(photo_ids) <= 9);

-- When the "your slot starts soon" notice went out (once per booking).
ALTER TABLE bookings ADD COLUMN reminded_at timestamptz;
CREATE INDEX bookings_remind_idx ON bookings (city_code, starts_at) WHERE status = 'approved' AND reminded_at IS NULL;
