-- 0040: exchange with 全国志愿服务信息系统 (docs/volunteers.md "与全国志愿服务信息系统交换").
--
-- Service records brought in from the national system's layout keep what the platform's own
-- records derive from their source: where the service took place, the organisation it was
-- recorded under there, and the record's number there. `external_ref` is that number: an import
-- keys the record by it (service_records_source_key, source_type 'manual', source_id derived from
-- it), so loading the same file twice, or a file that passed through another district, adds the
-- hours once; an export writes it back, so a record keeps its first number wherever it travels.
ALTER TABLE service_records ADD COLUMN place text;
ALTER TABLE service_records ADD COLUMN external_org text;
ALTER TABLE service_records ADD COLUMN external_ref text;
ALTER TABLE service_records ADD CONSTRAINT service_records_place_check CHECK (place IS NULL OR length(place) <= 200);
ALTER TABLE service_records ADD CONSTRAINT service_records_external_org_check CHECK (external_org IS NULL OR length(external_org) <= 100);
ALTER TABLE service_records ADD CONSTRAINT service_records_external_ref_check CHECK (external_ref IS NULL OR length(external_ref) BETWEEN 1 AND 64);
