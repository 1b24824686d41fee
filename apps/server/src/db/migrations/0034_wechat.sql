-- 0034: WeChat 公众号 (issue 17, docs/channels.md "WeChat"). Account and deployment tables
-- (docs/scale-out.md): an openid belongs to an account, the access token to the deployment.
--
-- An openid is bound to one account (after the person proved their phone with an SMS code), and
-- an account has at most one openid per 公众号 (app_id).
CREATE TABLE wechat_bindings (
  app_id text NOT NULL,
  openid text NOT NULL,
  user_id uuid NOT NULL,
  unionid text,
  created_at timestamptz NOT NULL,
  CONSTRAINT wechat_bindings_pkey PRIMARY KEY (app_id, openid),
  CONSTRAINT wechat_bindings_user_key UNIQUE (app_id, user_id)
);

-- The 公众号's access_token, shared by every server process: WeChat allows 2000 fetches a day
-- and a new token ends the old one after 5 minutes, so one process refreshes (it holds the row
-- with FOR UPDATE while it fetches) and the others read what it stored.
CREATE TABLE wechat_tokens (
  app_id text NOT NULL,
  access_token text NOT NULL,
  expires_at timestamptz NOT NULL,
  fetched_at timestamptz NOT NULL,
  CONSTRAINT wechat_tokens_pkey PRIMARY KEY (app_id)
);

-- A web sign-in that found no bound account: the openid waits here, under a random ticket, for
-- the person to prove their phone (SMS code) within 10 minutes; the ticket is used once.
CREATE TABLE wechat_pending_binds (
  ticket_hash text NOT NULL,
  app_id text NOT NULL,
  openid text NOT NULL,
  unionid text,
  nickname text,
  expires_at timestamptz NOT NULL,
  CONSTRAINT wechat_pending_binds_pkey PRIMARY KEY (ticket_hash)
);
