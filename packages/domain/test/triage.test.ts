import { describe, expect, it } from 'vitest';
import type { TriageExample, TriageLexicon, TriageResult } from '../src/triage/index.ts';
import { TRIAGE_HEADS, TRIAGE_LEXICON, TRIAGE_LOW_CONFIDENCE, classifyTriage, isLowConfidence, matchCues, trainTriage } from '../src/triage/index.ts';

/** A tiny hand-segmented set: enough words to tell the labels apart. */
const ex = (text: string, category: string, nature: string, urgency: string): TriageExample => ({
  tokens: text.split(' '),
  category,
  nature,
  urgency,
});

const TINY: TriageExample[] = [
  ex('社区 想 请 老师 教 广场舞', 'culture', 'service', 'normal'),
  ex('过年 想 请 志愿者 写 春联', 'culture', 'service', 'normal'),
  ex('广场舞 音响 太 吵 投诉', 'culture', 'complaint', 'normal'),
  ex('书法班 啥时候 报名 请问', 'culture', 'consult', 'normal'),
  ex('我 妈 在家 摔倒 了 起不来 快来人', 'health', 'service', 'critical'),
  ex('想 请 医生 来 量 血压', 'health', 'service', 'normal'),
  ex('老人 发烧 药 吃完 了 今天 能 来 医生 吗', 'health', 'service', 'urgent'),
  ex('请问 医保 报销 在哪 办', 'health', 'consult', 'normal'),
  ex('楼道 堆满 杂物 想 请 志愿者 清理', 'environment', 'service', 'normal'),
  ex('楼下 烧烤店 油烟 扰民 投诉', 'environment', 'complaint', 'normal'),
  ex('楼道 里 煤气味 很 浓 快来人', 'environment', 'service', 'critical'),
  ex('水管 爆 了 污水 漫 到 门口 赶紧', 'environment', 'service', 'urgent'),
  ex('包工头 欠 工资 不给 想 找 律师', 'legal', 'service', 'normal'),
  ex('拆迁 补偿款 多年 没 给 上访 反映', 'legal', 'petition', 'normal'),
  ex('物业 乱收费 停车费 投诉', 'legal', 'complaint', 'normal'),
  ex('请问 法律援助 需要 什么 条件', 'legal', 'consult', 'normal'),
];

describe('triage model', () => {
  const model = trainTriage(TINY);

  it('learns every label found in the examples', () => {
    expect(model.heads.category.labels).toEqual(['culture', 'environment', 'health', 'legal']);
    expect(model.heads.nature.labels).toEqual(['complaint', 'consult', 'petition', 'service']);
    expect(model.heads.urgency.labels).toEqual(['critical', 'normal', 'urgent']);
    expect(model.trainedOn).toBe(TINY.length);
  });

  it('picks the right labels for new requests', () => {
    const fall = classifyTriage(model, '俺 爹 摔倒 了 快来人'.split(' '));
    expect(fall).toMatchObject({ category: 'health', urgency: 'critical', nature: 'service' });
    const dance = classifyTriage(model, '小区 广场舞 太 吵 我要 投诉'.split(' '));
    expect(dance).toMatchObject({ category: 'culture', nature: 'complaint', urgency: 'normal' });
    const wages = classifyTriage(model, '老板 欠 工资 能 找 律师 吗'.split(' '));
    expect(wages.category).toBe('legal');
    const consult = classifyTriage(model, '请问 报销 在哪 办'.split(' '));
    expect(consult.nature).toBe('consult');
  });

  it('gives probabilities in [0, 1] that sum to 1 per head, best first', () => {
    const r = classifyTriage(model, '楼道 油烟 投诉'.split(' '));
    for (const head of TRIAGE_HEADS) {
      const ps = r.scores[head].map((s) => s.p);
      expect(ps.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
      for (const p of ps) {
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(1);
      }
      expect([...ps].sort((a, b) => b - a)).toEqual(ps);
      expect(r[head]).toBe(r.scores[head][0]!.label);
      expect(r.scores[head].map((s) => s.label).sort()).toEqual(model.heads[head].labels);
    }
    expect(r.confidence).toBe(Math.min(...TRIAGE_HEADS.map((h) => r.scores[h][0]!.p)));
  });

  it('handles unknown tokens and empty input without failing', () => {
    for (const tokens of [['火星', '外星人', 'xyzzy'], [], ['', ' ']]) {
      const r = classifyTriage(model, tokens);
      for (const head of TRIAGE_HEADS) {
        expect(model.heads[head].labels).toContain(r[head]);
        expect(r.scores[head].reduce((a, s) => a + s.p, 0)).toBeCloseTo(1, 10);
      }
      expect(r.confidence).toBeGreaterThanOrEqual(0);
      expect(r.confidence).toBeLessThanOrEqual(1);
    }
    // Nothing known: the result falls back on the class balance and is not confident.
    expect(isLowConfidence(classifyTriage(model, ['火星', '外星人']))).toBe(true);
  });

  it('accepts custom ("8+N") categories, with or without lexicon cues', () => {
    const custom = [
      ...TINY,
      ex('想 请 人 来 修 自行车 轮胎 扎 了', 'repair', 'service', 'normal'),
      ex('家里 电视 坏 了 想 找 人 修', 'repair', 'service', 'normal'),
      ex('自行车 链子 掉 了 谁 会 修', 'repair', 'service', 'normal'),
    ];
    const m = trainTriage(custom);
    expect(m.heads.category.labels).toContain('repair');
    expect(classifyTriage(m, '电动 自行车 坏 了 想 找 人 修'.split(' ')).category).toBe('repair');

    const lexicon: TriageLexicon = { ...TRIAGE_LEXICON, category: { ...TRIAGE_LEXICON.category, repair: ['维修'] } };
    const withCue = trainTriage(custom, { lexicon });
    const r = classifyTriage(withCue, '洗衣机 需要 维修'.split(' '));
    expect(r.category).toBe('repair');
    expect(r.cues).toContainEqual({ head: 'category', label: 'repair', word: '维修' });
  });

  it('serialises to plain JSON and classifies the same after a round trip', () => {
    const copy = JSON.parse(JSON.stringify(model)) as typeof model;
    expect(copy).toEqual(model);
    for (const text of ['我 妈 摔倒 了', '物业 乱收费 投诉', '请问 书法班 在哪', '火星']) {
      expect(classifyTriage(copy, text.split(' '))).toEqual(classifyTriage(model, text.split(' ')));
    }
  });

  it('is deterministic', () => {
    expect(trainTriage(TINY)).toEqual(trainTriage(TINY));
  });

  it('is not fooled by tokens named like object keys', () => {
    const m = trainTriage([...TINY, ex('__proto__ constructor toString 投诉', 'legal', 'complaint', 'normal')]);
    const r = classifyTriage(m, ['__proto__', 'constructor', 'hasOwnProperty']);
    expect(r.scores.category.reduce((a, s) => a + s.p, 0)).toBeCloseTo(1, 10);
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
  });

  it('finds lexicon cues across token boundaries', () => {
    const cues = matchCues(['楼道', '里', '煤气', '味', '好', '大'], TRIAGE_LEXICON);
    expect(cues).toContainEqual({ head: 'urgency', label: 'critical', word: '煤气味' });
    expect(cues).toContainEqual({ head: 'category', label: 'environment', word: '楼道' });
  });

  it('lets lexicon cues decide where the training data says nothing', () => {
    // 走失 appears in no training example; the curated cue still marks the request critical.
    const r = classifyTriage(model, '老人 走失 了'.split(' '));
    expect(r.urgency).toBe('critical');
    const noCues = trainTriage(TINY, { cueBias: 0, lexicon: { category: {}, nature: {}, urgency: {} } });
    expect(classifyTriage(noCues, '老人 走失 了'.split(' ')).urgency).not.toBe('critical');
  });

  it('flags low confidence below the documented threshold', () => {
    const at = (confidence: number) => ({ confidence }) as TriageResult;
    expect(TRIAGE_LOW_CONFIDENCE).toBeGreaterThan(0);
    expect(TRIAGE_LOW_CONFIDENCE).toBeLessThan(1);
    expect(isLowConfidence(at(TRIAGE_LOW_CONFIDENCE - 0.01))).toBe(true);
    expect(isLowConfidence(at(TRIAGE_LOW_CONFIDENCE))).toBe(false);
    expect(isLowConfidence(at(0.95))).toBe(false);
    expect(isLowConfidence(at(0.7), 0.8)).toBe(true);
    expect(isLowConfidence(at(Number.NaN))).toBe(true);
  });

  it('refuses to train on nothing', () => {
    expect(() => trainTriage([])).toThrow(/no training examples/);
  });

  it('works with a single label per head', () => {
    const m = trainTriage([ex('想 请 老师 教 书法', 'culture', 'service', 'normal')]);
    const r = classifyTriage(m, ['书法']);
    expect(r).toMatchObject({ category: 'culture', nature: 'service', urgency: 'normal', confidence: 1 });
  });
});
