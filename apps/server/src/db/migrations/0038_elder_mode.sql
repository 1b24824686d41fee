-- 0038: 长辈模式 belongs to the account (issue 19): larger type, larger targets and higher contrast,
-- chosen once and found again on every phone the person signs in on. A plain column on users (an
-- account table, not a city table); off by default.
ALTER TABLE users ADD COLUMN elder_mode boolean NOT NULL DEFAULT false;
