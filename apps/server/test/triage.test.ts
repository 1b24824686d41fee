import { beforeAll, describe, expect, it } from 'vitest';
import { readCorpus, splitCorpus, stableHash } from '../src/triage/corpus.ts';
import { TRIAGE_HEADS, TRIAGE_LEXICON } from '@wenming/domain';
import { evaluateTriage, type TriageEvaluation } from '../src/triage/evaluate.ts';
import { normaliseText, STOP_WORDS, tokenize } from '../src/triage/tokenizer.ts';
import { createTriage, type Triage } from '../src/triage/triage.ts';

const CATEGORIES = ['theory', 'culture', 'education', 'health', 'science', 'legal', 'environment', 'poverty'];

describe('triage corpus', () => {
  const rows = readCorpus();
  const count = (head: 'category' | 'nature' | 'urgency', label: string) => rows.filter((r) => r[head] === label).length;

  it('is large and covers every label', () => {
    expect(rows.length).toBeGreaterThanOrEqual(900);
    for (const c of CATEGORIES) expect(count('category', c), c).toBeGreaterThanOrEqual(80);
    for (const n of ['petition', 'complaint', 'consult']) expect(count('nature', n), n).toBeGreaterThanOrEqual(100);
    expect(count('urgency', 'urgent')).toBeGreaterThanOrEqual(100);
    expect(count('urgency', 'critical')).toBeGreaterThanOrEqual(60);
    expect(new Set(rows.map((r) => r.category))).toEqual(new Set(CATEGORIES));
  });

  it('has no duplicate requests', () => {
    const keys = rows.map((r) => normaliseText(r.text).replace(/\s+/gu, ''));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('splits deterministically, about 80 / 20', () => {
    const a = splitCorpus(rows);
    const b = splitCorpus([...rows].reverse());
    expect(new Set(a.heldOut.map((r) => r.text))).toEqual(new Set(b.heldOut.map((r) => r.text)));
    expect(a.train.length + a.heldOut.length).toBe(rows.length);
    const share = a.heldOut.length / rows.length;
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.25);
    expect(stableHash('我妈摔倒了')).toBe(stableHash(' 我妈摔倒了 '));
  });
});

describe('triage tokenizer', () => {
  it('normalises width and case, drops punctuation and stop words', () => {
    expect(tokenize('ＡＴＭ机不会用！！')).toEqual(['atm', '机', '不会', '用', '<叹>']);
    expect(tokenize('低保咋申请？')).toEqual(['低保', '咋', '申请', '<问>']);
    const t = tokenize('您好，我的手机、微信都不会用呀～😂 谢谢');
    for (const w of ['您好', '的', '呀', '谢谢', '，', '、', '～', '😂']) expect(t).not.toContain(w);
    expect(t).toEqual(expect.arrayContaining(['手机', '微信']));
    expect(tokenize('我今年６５岁')).toContain('<num>');
    expect(tokenize('')).toEqual([]);
    expect(tokenize('，。！？ ')).toEqual(['<叹>', '<问>']);
  });

  it('keeps every lexicon cue intact (no stop word inside a cue)', () => {
    for (const head of TRIAGE_HEADS)
      for (const words of Object.values(TRIAGE_LEXICON[head]))
        for (const w of words) {
          if (w.startsWith('<')) continue;
          expect(tokenize(w).join(''), `${head}: ${w}`).toBe(normaliseText(w));
          expect(STOP_WORDS.has(w), w).toBe(false);
        }
  });
});

describe('triage on the corpus', () => {
  let report: TriageEvaluation;
  let triage: Triage;
  beforeAll(() => {
    report = evaluateTriage();
    triage = createTriage();
  });

  it('reaches the accuracy floor on the held-out split', () => {
    expect(report.heldOutSize).toBeGreaterThan(150);
    expect(report.heads.category.accuracy).toBeGreaterThanOrEqual(0.85);
    expect(report.heads.nature.accuracy).toBeGreaterThanOrEqual(0.8);
    expect(report.heads.urgency.accuracy).toBeGreaterThanOrEqual(0.8);
  });

  it('is right on requests it has never seen', () => {
    const cases: [string, Partial<Record<'category' | 'nature' | 'urgency', string>>][] = [
      ['我妈在家摔倒了起不来，快来人', { category: 'health', urgency: 'critical' }],
      ['小区物业乱收费，我要投诉', { nature: 'complaint' }],
      ['俺们村想请人来讲讲新的医保政策，老人们都闹不明白', { category: 'theory', nature: 'service', urgency: 'normal' }],
      ['楼道里全是煤气味，熏得人头晕', { urgency: 'critical' }],
      ['孙子的数学作业俺辅导不了，有大学生志愿者能帮忙不', { category: 'education', nature: 'service' }],
      ['请问低保咋申请，要带啥材料', { category: 'poverty', nature: 'consult' }],
      ['包工头欠了俺们半年工钱，想找个律师', { category: 'legal' }],
      ['想学用智能手机视频聊天，社区有没有人教', { category: 'science' }],
      ['俺爹八十多了一个人住，暖气不热，屋里冷得很', { category: 'poverty', urgency: 'urgent' }],
      ['村里的地被征了三年补偿款还没发，多次反映没人管，要去上访', { nature: 'petition' }],
      ['春节前想请书法志愿者来村里写春联', { category: 'culture', nature: 'service', urgency: 'normal' }],
      ['我爸有老年痴呆早上出门到现在还没回来', { urgency: 'critical' }],
    ];
    const known = new Set(readCorpus().map((r) => r.text));
    for (const [text, expected] of cases) {
      expect(known.has(text), `in the corpus: ${text}`).toBe(false);
      expect(triage.classify(text), text).toMatchObject(expected);
    }
  });

  it('returns the documented shape', () => {
    const r = triage.classify('楼下烧烤店油烟太大了');
    expect(Object.keys(r).sort()).toEqual(['category', 'confidence', 'cues', 'lowConfidence', 'nature', 'scores', 'urgency']);
    expect(r.lowConfidence).toBe(r.confidence < 0.6);
    for (const head of TRIAGE_HEADS) expect(r.scores[head].reduce((a, s) => a + s.p, 0)).toBeCloseTo(1, 10);
    expect(triage.size).toBe(readCorpus().length);
  });

  it('learns dispatcher corrections, including a custom category, and retrain replaces them', () => {
    const extra = [
      { text: '家里的自行车坏了，轮胎扎了，谁能帮着修修', category: 'repair', nature: 'service', urgency: 'normal' },
      { text: '想请会修家电的志愿者来看看洗衣机，不转了', category: 'repair', nature: 'service', urgency: 'normal' },
      { text: '老人的收音机坏了，有没有会修的师傅', category: 'repair', nature: 'service', urgency: 'normal' },
      { text: '电饭锅插上电不热了，能不能找人修一修', category: 'repair', nature: 'service', urgency: 'normal' },
      { text: '家里的电风扇不转了，想找个人给修理一下', category: 'repair', nature: 'service', urgency: 'normal' },
    ];
    const t = createTriage(extra);
    expect(t.size).toBe(readCorpus().length + extra.length);
    expect(t.model.heads.category.labels).toContain('repair');
    expect(t.classify('俺家的电视机坏了，有没有会修的').category).toBe('repair');
    t.retrain([]);
    expect(t.model.heads.category.labels).not.toContain('repair');
    expect(t.size).toBe(readCorpus().length);
  });

  it('refuses malformed corrections', () => {
    expect(() => createTriage([{ text: '', category: 'health', nature: 'service', urgency: 'normal' }])).toThrow(TypeError);
    expect(() => createTriage([{ text: '有人摔倒', category: 'health', nature: 'help', urgency: 'normal' }])).toThrow(/nature/);
    expect(() => triage.retrain([{ text: '有人摔倒', category: 'health', nature: 'service', urgency: 'soon' }])).toThrow(/urgency/);
  });
});
