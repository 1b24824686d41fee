-- 0016: activities, continued — pictures, weekly series (周期性活动, e.g. a 太极拳班 every
-- Tuesday), the day-before reminder, participants' ratings and the published activity report
-- (宣传展示). City tables: keys carry city_code.

ALTER TABLE activities ADD COLUMN photo_ids uuid[] NOT NULL DEFAULT '{}';
-- Occurrences of one weekly class share a series id (the first occurrence's id).
ALTER TABLE activities ADD COLUMN series_id uuid;
-- Set once, in the transaction that sends the reminders: each activity is reminded once.
ALTER TABLE activities ADD COLUMN reminded_at timestamptz;
ALTER TABLE activities ADD COLUMN report_photo_ids uuid[] NOT NULL DEFAULT '{}';
ALTER TABLE activities ADD COLUMN report_published_at timestamptz;
-- Kept with each rating insert in the same transaction (the average without a scan).
ALTER TABLE activities ADD COLUMN rating_count integer NOT NULL DEFAULT 0 CHECK (rating_count >= 0);
ALTER TABLE activities ADD COLUMN rating_sum integer NOT NULL DEFAULT 0 CHECK (rating_sum >= 0);
CREATE INDEX activities_series_idx ON activities (city_code, series_id, starts_at) WHERE series_id IS NOT NULL;
CREATE INDEX activities_remind_idx ON activities (starts_at) WHERE state = 'published' AND reminded_at IS NULL;
CREATE INDEX activities_report_idx ON activities (report_published_at DESC) WHERE report_published_at IS NOT NULL;

CREATE TABLE activity_ratings (
  city_code text NOT NULL,
  activity_id uuid NOT NULL,
  user_id uuid NOT NULL,
  score smallint NOT NULL,
  comment text,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT activity_ratings_pkey PRIMARY KEY (city_code, activity_id, user_id),
  CONSTRAINT activity_ratings_activity_fkey FOREIGN KEY (city_code, activity_id) REFERENCES activities (city_code, id),
  CONSTRAINT activity_ratings_score_check CHECK (score BETWEEN 1 AND 5),
  CONSTRAINT activity_ratings_comment_check CHECK (comment IS NULL OR length(comment) <= 500)
);
