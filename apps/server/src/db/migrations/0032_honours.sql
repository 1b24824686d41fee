-- 0032: honours and selections (评选表彰, issue 21): a selection round organised by a site
-- (平城最美志愿者, 星级志愿服务队 …), nominations by the sites below it, review, public voting
-- (one vote per account per round per China day, enforced by the votes' primary key), and the
-- honours awarded, which the volunteer's record and certificate show.
-- City tables: keys and foreign keys include city_code; no triggers.

CREATE TABLE honour_rounds (
  city_code text NOT NULL,
  id uuid NOT NULL,
  org_id uuid NOT NULL,
  title text NOT NULL,
  kind text NOT NULL,
  description text,
  state text NOT NULL DEFAULT 'nominating',
  voting_starts_on date NOT NULL,
  voting_ends_on date NOT NULL,
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz,
  CONSTRAINT honour_rounds_pkey PRIMARY KEY (city_code, id),
  CONSTRAINT honour_rounds_org_fkey FOREIGN KEY (city_code, org_id) REFERENCES orgs (city_code, id),
  CONSTRAINT honour_rounds_title_check CHECK (length(title) BETWEEN 1 AND 100),
  CONSTRAINT honour_rounds_kind_check CHECK (kind IN ('volunteer', 'team')),
  CONSTRAINT honour_rounds_state_check CHECK (state IN ('nominating', 'voting', 'closed')),
  CONSTRAINT honour_rounds_dates_check CHECK (voting_ends_on >= voting_starts_on)
);
CREATE INDEX honour_rounds_id_idx ON honour_rounds (id);
CREATE INDEX honour_rounds_org_idx ON honour_rounds (city_code, org_id);

CREATE TABLE honour_nominations (
  city_code text NOT NULL,
  id uuid NOT NULL,
  round_id uuid NOT NULL,
  org_id uuid NOT NULL,
  volunteer_id uuid,
  team_id uuid,
  reason text NOT NULL,
  status text NOT NULL DEFAULT 'pending',
  votes integer NOT NULL DEFAULT 0,
  review_note text,
  reviewed_by uuid,
  reviewed_at timestamptz,
  award text,
  awarded_at timestamptz,
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT honour_nominations_pkey PRIMARY KEY (city_code, id),
  CONSTRAINT honour_nominations_round_fkey FOREIGN KEY (city_code, round_id) REFERENCES honour_rounds (city_code, id),
  CONSTRAINT honour_nominations_org_fkey FOREIGN KEY (city_code, org_id) REFERENCES orgs (city_code, id),
  CONSTRAINT honour_nominations_volunteer_fkey FOREIGN KEY (city_code, volunteer_id) REFERENCES volunteers (city_code, id),
  CONSTRAINT honour_nominations_team_fkey FOREIGN KEY (city_code, team_id) REFERENCES teams (city_code, id),
  CONSTRAINT honour_nominations_nominee_check CHECK ((volunteer_id IS NULL) <> (team_id IS NULL)),
  CONSTRAINT honour_nominations_status_check CHECK (status IN ('pending', 'approved', 'rejected', 'awarded')),
  CONSTRAINT honour_nominations_reason_check CHECK (length(reason) BETWEEN 1 AND 2000),
  CONSTRAINT honour_nominations_votes_check CHECK (votes >= 0),
  CONSTRAINT honour_nominations_award_check CHECK ((status = 'awarded') = (award IS NOT NULL))
);
CREATE INDEX honour_nominations_id_idx ON honour_nominations (id);
CREATE INDEX honour_nominations_round_idx ON honour_nominations (city_code, round_id);
CREATE INDEX honour_nominations_volunteer_idx ON honour_nominations (city_code, volunteer_id) WHERE volunteer_id IS NOT NULL;
-- A volunteer or team is nominated once per round.
CREATE UNIQUE INDEX honour_nominations_volunteer_key ON honour_nominations (city_code, round_id, volunteer_id) WHERE volunteer_id IS NOT NULL;
CREATE UNIQUE INDEX honour_nominations_team_key ON honour_nominations (city_code, round_id, team_id) WHERE team_id IS NOT NULL;

-- One vote per account (one phone is one account) per round per China day: the key decides, so
-- concurrent votes from the same account cannot both count.
CREATE TABLE honour_votes (
  city_code text NOT NULL,
  round_id uuid NOT NULL,
  user_id uuid NOT NULL,
  vote_day date NOT NULL,
  nomination_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT honour_votes_pkey PRIMARY KEY (city_code, round_id, user_id, vote_day),
  CONSTRAINT honour_votes_round_fkey FOREIGN KEY (city_code, round_id) REFERENCES honour_rounds (city_code, id),
  CONSTRAINT honour_votes_nomination_fkey FOREIGN KEY (city_code, nomination_id) REFERENCES honour_nominations (city_code, id)
);
