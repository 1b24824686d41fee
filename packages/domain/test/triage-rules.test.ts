import { describe, expect, it } from 'vitest';
import { applyTriageRules } from '../src/index.ts';

const g = (category = 'culture', nature = 'service', urgency = 'normal') => ({ category, nature, urgency, confidence: 0.9, lowConfidence: false });

/** The resident-style examples the model got wrong, held by rules whatever it guesses. */
describe('triage rules', () => {
  it('noise at 2 a.m. is an urgent complaint about the environment, not 文化', () => {
    const r = applyTriageRules('楼下烧烤摊凌晨两点还在吵，音响开得震天响，根本睡不着', g('culture', 'service', 'normal'));
    expect(r).toMatchObject({ category: 'environment', nature: 'complaint', urgency: 'urgent' });
    expect(r.rules.join()).toContain('夜间噪音');
  });
  it('a gas leak, a fire, a fall, chest pain are 特急 regardless of category', () => {
    for (const text of ['我家老人一个人住，厨房燃气好像漏气了，味道很大', '楼下车棚着火了', '我爸在卫生间摔倒了起不来', '老伴胸口疼得厉害，喘不上气'])
      expect(applyTriageRules(text, g('poverty', 'service', 'normal')).urgency).toBe('critical');
  });
  it('投诉 is a complaint; 小广告 and 占道经营 are complaints about the environment', () => {
    expect(applyTriageRules('投诉：小区门口占道经营，晚上噪音扰民', g('legal', 'petition', 'normal'))).toMatchObject({
      nature: 'complaint',
      category: 'environment',
    });
    expect(applyTriageRules('单元门上一墙的小广告，清了又贴', g('culture', 'service'))).toMatchObject({ nature: 'complaint', category: 'environment' });
  });
  it('leaves a plain request as the model said, with no rule', () => {
    const r = applyTriageRules('想请志愿者下午两点来教我用手机挂号', g('science', 'service', 'normal'));
    expect(r).toMatchObject({ category: 'science', nature: 'service', urgency: 'normal', rules: [] });
  });
  it('a gas leak said in other words is 特急; changing a gas bottle is not', () => {
    expect(applyTriageRules('家里的天然气好像漏了，一进门就有味', g('household')).urgency).toBe('critical');
    expect(applyTriageRules('有没有人能帮我爸换一下煤气罐，他搬不动', g('household')).urgency).toBe('normal');
    expect(applyTriageRules('There is a strong smell of gas in the corridor', g('environment')).urgency).toBe('critical');
  });
  it('a scam in progress (安全账户, 屏幕共享) is 特急', () => {
    expect(applyTriageRules('有人让我开屏幕共享说帮我退款', g('science')).urgency).toBe('critical');
  });
  it('English or mixed text is flagged low-confidence with a reason; KTV or app in Chinese is not', () => {
    const en = applyTriageRules('My tap is leaking, I need a repair man', g('household'));
    expect(en.lowConfidence).toBe(true);
    expect(en.rules.join()).toContain('英文');
    expect(applyTriageRules('我家的water heater坏了，能派人来修吗', g('household')).lowConfidence).toBe(true);
    expect(applyTriageRules('手机app打不开，KTV的音响能不能借', g('science')).lowConfidence).toBe(false);
  });
  it('a question about whom to ask or where to go, with no call for someone to come, is a consultation', () => {
    const r = applyTriageRules('想给村里的困难老人捐点棉被，找谁对接', g('poverty', 'service'));
    expect(r.nature).toBe('consult');
    expect(r.rules.join()).toContain('按咨询处理');
    expect(applyTriageRules('谁能帮我找个律师，找谁都行', g('legal', 'service')).nature).toBe('service');
    expect(applyTriageRules('低保在哪申请？村里推来推去', g('poverty', 'complaint')).nature).toBe('complaint');
  });
});
