-- 0033: messages to external channels (SMS, WeChat) go through an outbox (issue 17,
-- docs/channels.md "Delivery"). Account tables (docs/scale-out.md): keyed by the recipient's
-- account, like notifications; city_code is the event's city, kept for staff's view only.
--
-- A row is written in the same statement as the inbox row that tells of the event, so it exists
-- exactly when the event committed. The sender claims due rows (FOR UPDATE SKIP LOCKED, then a
-- lease in claimed_until, so the provider is called outside any transaction), counts the attempt,
-- and records the outcome: sent, skipped (no template, not bound, opted out), or after
-- max attempts dead. A process killed between claim and outcome leaves the lease to run out; the
-- row is then due again. One row per (event, recipient, channel): an event written twice (a job in
-- two processes) sends once.
CREATE TABLE message_outbox (
  id uuid NOT NULL,
  event_key text NOT NULL,
  user_id uuid NOT NULL,
  channel text NOT NULL,
  city_code text,
  kind text NOT NULL,
  title text NOT NULL,
  ref_type text,
  ref_id uuid,
  status text NOT NULL DEFAULT 'pending',
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  claimed_until timestamptz,
  last_error text,
  provider_id text,
  sent_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT message_outbox_pkey PRIMARY KEY (id),
  CONSTRAINT message_outbox_once UNIQUE (event_key, user_id, channel),
  CONSTRAINT message_outbox_channel_check CHECK (channel IN ('sms', 'wechat')),
  CONSTRAINT message_outbox_status_check CHECK (status IN ('pending', 'sent', 'skipped', 'dead')),
  CONSTRAINT message_outbox_attempts_check CHECK (attempts >= 0)
);
CREATE INDEX message_outbox_due_idx ON message_outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX message_outbox_recent_idx ON message_outbox (created_at DESC, id DESC);

-- What a person turned off (我的 → 消息设置): one row per (account, channel, kind) turned off;
-- kind '*' is every kind that may be turned off (a reply of TD to a text message records it,
-- source 'sms_reply'). No row: the kind's default (on).
CREATE TABLE notice_opt_outs (
  user_id uuid NOT NULL,
  channel text NOT NULL,
  kind text NOT NULL,
  source text NOT NULL,
  created_at timestamptz NOT NULL,
  CONSTRAINT notice_opt_outs_pkey PRIMARY KEY (user_id, channel, kind),
  CONSTRAINT notice_opt_outs_channel_check CHECK (channel IN ('sms', 'wechat')),
  CONSTRAINT notice_opt_outs_source_check CHECK (source IN ('settings', 'sms_reply'))
);
