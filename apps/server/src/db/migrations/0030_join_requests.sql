-- 0030: join requests (入队/入会申请, issue 21): a volunteer asks to join a team or an organisation;
-- the team leader, the organisation's admin or the site's org_admin approves or refuses with a
-- reason. At most one pending request per volunteer and target (partial unique indexes); a
-- decision is a conditional update from 'pending', so two approvals racing approve once.

CREATE TABLE join_requests (
  city_code text NOT NULL,
  id uuid NOT NULL,
  volunteer_id uuid NOT NULL,
  team_id uuid,
  organisation_id uuid,
  message text,
  status text NOT NULL DEFAULT 'pending',
  reason text,
  decided_by uuid,
  decided_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT join_requests_pkey PRIMARY KEY (city_code, id),
  CONSTRAINT join_requests_volunteer_fkey FOREIGN KEY (city_code, volunteer_id) REFERENCES volunteers (city_code, id),
  CONSTRAINT join_requests_team_fkey FOREIGN KEY (city_code, team_id) REFERENCES teams (city_code, id),
  CONSTRAINT join_requests_organisation_fkey FOREIGN KEY (city_code, organisation_id) REFERENCES organisations (city_code, id),
  CONSTRAINT join_requests_target_check CHECK ((team_id IS NULL) <> (organisation_id IS NULL)),
  CONSTRAINT join_requests_status_check CHECK (status IN ('pending', 'approved', 'refused', 'withdrawn')),
  CONSTRAINT join_requests_reason_check CHECK (status <> 'refused' OR reason IS NOT NULL),
  CONSTRAINT join_requests_message_check CHECK (message IS NULL OR length(message) <= 200)
);
CREATE INDEX join_requests_id_idx ON join_requests (id);
CREATE INDEX join_requests_volunteer_idx ON join_requests (city_code, volunteer_id, created_at);
CREATE UNIQUE INDEX join_requests_pending_team_key ON join_requests (city_code, volunteer_id, team_id) WHERE status = 'pending' AND team_id IS NOT NULL;
CREATE UNIQUE INDEX join_requests_pending_organisation_key ON join_requests (city_code, volunteer_id, organisation_id)
  WHERE status = 'pending' AND organisation_id IS NOT NULL;
CREATE INDEX join_requests_pending_team_idx ON join_requests (city_code, team_id) WHERE status = 'pending';
CREATE INDEX join_requests_pending_organisation_idx ON join_requests (city_code, organisation_id) WHERE status = 'pending';
