-- 0015: content (资讯 · 政策解读 · 云讲堂 · 掌上悦读) published by sites for residents, in columns
-- (栏目, e.g. 云讲堂《党史记忆》). City tables: keys carry city_code.
-- Search: the application segments Chinese text with jieba (search mode) and stores the words
-- space-separated in title_tokens / body_tokens; the generated tsvector weighs the title above
-- the body and a GIN index serves `search @@ plainto_tsquery('simple', …)`.

CREATE TABLE content_columns (
  city_code text NOT NULL,
  id uuid NOT NULL,
  org_id uuid NOT NULL,
  kind text NOT NULL,
  name text NOT NULL,
  description text,
  sort integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT content_columns_pkey PRIMARY KEY (city_code, id),
  CONSTRAINT content_columns_org_fkey FOREIGN KEY (city_code, org_id) REFERENCES orgs (city_code, id),
  CONSTRAINT content_columns_name_key UNIQUE (city_code, org_id, kind, name),
  CONSTRAINT content_columns_kind_check CHECK (kind IN ('news', 'policy', 'lecture', 'reading')),
  CONSTRAINT content_columns_name_check CHECK (length(btrim(name)) BETWEEN 1 AND 30)
);

CREATE TABLE contents (
  city_code text NOT NULL,
  id uuid NOT NULL,
  org_id uuid NOT NULL,
  kind text NOT NULL,
  column_id uuid,
  title text NOT NULL,
  summary text,
  body_html text NOT NULL DEFAULT '',
  cover_id uuid,
  media_url text,
  media_type text,
  speaker text,
  author_id uuid NOT NULL,
  state text NOT NULL DEFAULT 'draft',
  published_at timestamptz,
  read_count bigint NOT NULL DEFAULT 0,
  title_tokens text NOT NULL DEFAULT '',
  body_tokens text NOT NULL DEFAULT '',
  search tsvector GENERATED ALWAYS AS (setweight(to_tsvector('simple', title_tokens), 'A') || setweight(to_tsvector('simple', body_tokens), 'B')) STORED,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT contents_pkey PRIMARY KEY (city_code, id),
  CONSTRAINT contents_org_fkey FOREIGN KEY (city_code, org_id) REFERENCES orgs (city_code, id),
  CONSTRAINT contents_column_fkey FOREIGN KEY (city_code, column_id) REFERENCES content_columns (city_code, id),
  CONSTRAINT contents_kind_check CHECK (kind IN ('news', 'policy', 'lecture', 'reading')),
  CONSTRAINT contents_state_check CHECK (state IN ('draft', 'published', 'withdrawn')),
  CONSTRAINT contents_published_check CHECK (state <> 'published' OR published_at IS NOT NULL),
  CONSTRAINT contents_title_check CHECK (length(btrim(title)) BETWEEN 1 AND 100),
  CONSTRAINT contents_media_check CHECK ((media_url IS NULL) = (media_type IS NULL) AND (media_type IS NULL OR media_type IN ('video', 'audio'))),
  CONSTRAINT contents_media_url_check CHECK (media_url IS NULL OR media_url ~* '^https?://'),
  CONSTRAINT contents_read_count_check CHECK (read_count >= 0)
);
CREATE INDEX contents_search_idx ON contents USING gin (search);
CREATE INDEX contents_published_idx ON contents (city_code, state, published_at DESC, id DESC);
CREATE INDEX contents_org_idx ON contents (city_code, org_id, updated_at DESC);
