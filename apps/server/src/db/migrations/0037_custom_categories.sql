-- 0037 (issue 18): custom service categories managed in the console (the "+N" of "8+N"), and the
-- first of them, 生活服务 (household repairs and daily services: water, power, locks, appliances,
-- heating, haircuts at home), which triage now learns from the corpus.
-- keywords: the category's own triage cues (智能研判) and the words a dispatcher reads beside it.
ALTER TABLE categories ADD COLUMN keywords text[] NOT NULL DEFAULT '{}';
ALTER TABLE categories ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE categories ADD CONSTRAINT categories_keywords_check CHECK (cardinality(keywords) <= 100);

INSERT INTO categories (code, name, name_en, builtin, sort, keywords) VALUES
  ('household', '生活服务', 'Household repairs and daily services', false, 9,
   ARRAY['水龙头', '马桶', '灯泡', '跳闸', '门锁', '开锁', '家电', '热水器', '油烟机', '暖气片', '疏通', '便民维修', '上门理发', '煤气罐'])
ON CONFLICT (code) DO NOTHING;

