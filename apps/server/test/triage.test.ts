import { beforeAll, describe, expect, it } from 'vitest';
import { DEV_SET_PATH, readCorpus, readStyledSet, splitCorpus, stableHash, TEST_SET_PATH } from '../src/triage/corpus.ts';
import { TRIAGE_HEADS, TRIAGE_LEXICON } from '@wenming/domain';
import { evaluateSet, evaluateTriage, type TriageEvaluation } from '../src/triage/evaluate.ts';
import { normaliseText, STOP_WORDS, tokenize } from '../src/triage/tokenizer.ts';
import { createTriage, type Triage } from '../src/triage/triage.ts';

// The eight built-in categories and the first custom one (+1): household repairs, 生活服务 (issue 18).
const CATEGORIES = ['theory', 'culture', 'education', 'health', 'science', 'legal', 'environment', 'poverty', 'household'];

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

describe('resident-style test and dev sets (issue 18)', () => {
  const test = readStyledSet(TEST_SET_PATH);
  const dev = readStyledSet(DEV_SET_PATH);
  const key = (t: string) => normaliseText(t).replace(/\s+/gu, '');

  it('holds at least 200 test requests in every style, kept apart from the corpus and the dev set', () => {
    expect(test.length).toBeGreaterThanOrEqual(200);
    for (const style of ['plain', 'elder', 'dialect', 'typo', 'long', 'en', 'mixed'])
      expect(test.filter((e) => e.style === style).length, style).toBeGreaterThanOrEqual(5);
    for (const c of CATEGORIES) expect(test.filter((e) => e.category === c).length, c).toBeGreaterThanOrEqual(15);
    const corpus = new Set(readCorpus().map((r) => key(r.text)));
    const devKeys = new Set(dev.map((r) => key(r.text)));
    for (const e of test) {
      expect(corpus.has(key(e.text)), e.text).toBe(false);
      expect(devKeys.has(key(e.text)), e.text).toBe(false);
    }
    for (const e of dev) expect(corpus.has(key(e.text)), e.text).toBe(false);
  });

  it('flags every English and mixed request low-confidence, and keeps category accuracy on the test set', () => {
    const ev = evaluateSet(test);
    expect(ev.foreign.size).toBeGreaterThanOrEqual(10);
    expect(ev.foreign.flagged).toBe(ev.foreign.size);
    expect(ev.heads.category.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(ev.heads.nature.accuracy).toBeGreaterThanOrEqual(0.8);
    expect(ev.heads.urgency.accuracy).toBeGreaterThanOrEqual(0.8);
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
      { text: '村里红白理事会能不能派人帮着张罗闺女的婚礼，想简办', category: 'ceremony', nature: 'service', urgency: 'normal' },
      { text: '老父亲的白事想按新规矩简办，红白理事会谁来主持', category: 'ceremony', nature: 'service', urgency: 'normal' },
      { text: '儿子办婚事，想请红白理事会的人来帮忙操持酒席', category: 'ceremony', nature: 'service', urgency: 'normal' },
      { text: '想请理事会的人来主持一下丧事，家里没人懂这些规矩', category: 'ceremony', nature: 'service', urgency: 'normal' },
      { text: '孙子满月想办几桌，红白理事会能帮着安排不', category: 'ceremony', nature: 'service', urgency: 'normal' },
    ];
    const t = createTriage(extra);
    expect(t.size).toBe(readCorpus().length + extra.length);
    expect(t.model.heads.category.labels).toContain('ceremony');
    expect(t.classify('俺家闺女下个月结婚，红白理事会能来人操持一下不').category).toBe('ceremony');
    t.retrain([]);
    expect(t.model.heads.category.labels).not.toContain('ceremony');
    expect(t.size).toBe(readCorpus().length);
  });

  it('refuses malformed corrections', () => {
    expect(() => createTriage([{ text: '', category: 'health', nature: 'service', urgency: 'normal' }])).toThrow(TypeError);
    expect(() => createTriage([{ text: '有人摔倒', category: 'health', nature: 'help', urgency: 'normal' }])).toThrow(/nature/);
    expect(() => triage.retrain([{ text: '有人摔倒', category: 'health', nature: 'service', urgency: 'soon' }])).toThrow(/urgency/);
  });
});
