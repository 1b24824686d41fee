-- 0036: hours plausibility (issue 18). A claim longer than the time between start and completion
-- (or than the activity) is flagged to the reviewer, who may verify it only with an explicit
-- override and its reason, kept here beside the record (and in the audit log).
ALTER TABLE service_records ADD COLUMN override_reason text;
ALTER TABLE service_records ADD CONSTRAINT service_records_override_reason_check CHECK (override_reason IS NULL OR status IN ('verified', 'revoked'));
