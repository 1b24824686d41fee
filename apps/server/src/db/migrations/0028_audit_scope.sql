-- 操作日志 readable by district staff: each row remembers the site it concerns (or, when the
-- change names none, the desk of the staff member who made it), so an org_admin reads the log of
-- their own subtree. Rows written before this migration stay visible to super admins only.
ALTER TABLE audit_logs ADD COLUMN org_path ltree;
CREATE INDEX audit_logs_scope_idx ON audit_logs USING gist (org_path);
CREATE INDEX audit_logs_at_idx ON audit_logs (at);
