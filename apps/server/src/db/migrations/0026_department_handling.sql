-- 0026: 接诉即办, the department half of the loop (issue 18).
-- The routing directory (派单目录): what each department handles (categories, natures, keywords),
-- the area it covers (an org subtree; NULL: its own org's), its contact and default time limits.
ALTER TABLE departments ADD COLUMN categories text[] NOT NULL DEFAULT '{}';
ALTER TABLE departments ADD COLUMN natures text[] NOT NULL DEFAULT '{}';
ALTER TABLE departments ADD COLUMN keywords text[] NOT NULL DEFAULT '{}';
ALTER TABLE departments ADD COLUMN area_org_id uuid;
ALTER TABLE departments ADD COLUMN contact text;
ALTER TABLE departments ADD COLUMN ack_minutes integer;
ALTER TABLE departments ADD COLUMN resolve_minutes integer;
ALTER TABLE departments ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE departments ADD CONSTRAINT departments_area_fkey FOREIGN KEY (city_code, area_org_id) REFERENCES orgs (city_code, id);
ALTER TABLE departments ADD CONSTRAINT departments_ack_minutes_check CHECK (ack_minutes IS NULL OR ack_minutes BETWEEN 1 AND 43200);
ALTER TABLE departments ADD CONSTRAINT departments_resolve_minutes_check CHECK (resolve_minutes IS NULL OR resolve_minutes BETWEEN 1 AND 525600);
ALTER TABLE departments ADD CONSTRAINT departments_natures_check CHECK (natures <@ ARRAY['petition', 'complaint', 'consult']::text[]);

-- Department handling on the order: 签收 (acknowledge) within ack_due_at, answer within
-- resolve_due_at (the 办理时限, moved by a granted extension); stage_due_at is the deadline of the
-- stage the order is in now (签收, 办理, or the service after acceptance), with its reminder and its
-- escalation (督办) stamped once per stage.
ALTER TABLE orders ADD COLUMN ack_due_at timestamptz;
ALTER TABLE orders ADD COLUMN acknowledged_at timestamptz;
ALTER TABLE orders ADD COLUMN resolve_due_at timestamptz;
ALTER TABLE orders ADD COLUMN stage_started_at timestamptz;
ALTER TABLE orders ADD COLUMN stage_due_at timestamptz;
ALTER TABLE orders ADD COLUMN stage_reminded_at timestamptz;
ALTER TABLE orders ADD COLUMN stage_escalated_at timestamptz;
ALTER TABLE orders ADD COLUMN supervised_at timestamptz;
ALTER TABLE orders ADD COLUMN supervision_note text;
ALTER TABLE orders ADD COLUMN dispute_count integer NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN extension_until timestamptz;
ALTER TABLE orders ADD COLUMN extension_reason text;
ALTER TABLE orders ADD COLUMN co_department_ids uuid[] NOT NULL DEFAULT '{}';

ALTER TABLE orders DROP CONSTRAINT orders_state_check;
ALTER TABLE orders ADD CONSTRAINT orders_state_check CHECK (
  state IN ('submitted', 'dispatched', 'accepted', 'in_service', 'completed', 'rated', 'forwarded', 'acknowledged', 'extension_requested', 'resolved', 'cancelled', 'rejected')
);
ALTER TABLE orders ADD CONSTRAINT orders_dispute_count_check CHECK (dispute_count >= 0);

-- The supervision job's claim: running stages past their deadline, not yet escalated.
CREATE INDEX orders_stage_due_idx ON orders (city_code, stage_due_at)
  WHERE stage_escalated_at IS NULL AND state IN ('forwarded', 'acknowledged', 'extension_requested', 'accepted', 'in_service');
-- Co-units (协办) find the orders they help with.
CREATE INDEX orders_co_departments_idx ON orders USING gin (co_department_ids) WHERE co_department_ids <> '{}';
-- A department's disputes (派单异议) are counted from the timeline: the order itself has moved on.
CREATE INDEX order_events_dispute_idx ON order_events (city_code, ((data ->> 'departmentId'))) WHERE action = 'dispute';
