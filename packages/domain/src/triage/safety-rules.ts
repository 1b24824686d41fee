/**
 * Rules that hold whatever the statistical model says (issue 18, triage on resident-style text):
 * danger to life is 特急 regardless of category; a request that says 投诉/举报 is a complaint;
 * noise at night is a complaint and urgent; 小广告 and 占道经营 are complaints about the
 * environment. Each rule says why, so the dispatcher reads the reason beside the result.
 */
export interface TriageGuess {
  category: string;
  nature: string;
  urgency: string;
  confidence: number;
  lowConfidence: boolean;
}

const DANGER = [
  '煤气',
  '燃气',
  '天然气',
  '漏气',
  '着火',
  '起火',
  '失火',
  '火灾',
  '冒烟',
  '摔倒',
  '跌倒',
  '晕倒',
  '昏迷',
  '不省人事',
  '胸痛',
  '胸口疼',
  '胸口痛',
  '喘不上气',
  '呼吸困难',
  '触电',
  '溺水',
  '中毒',
];
const COMPLAINT = ['投诉', '举报', '告他们', '不作为'];
const NIGHT = ['半夜', '深夜', '凌晨', '夜里', '晚上', '夜间', '一两点', '十一点', '十二点'];
const NOISE = ['噪音', '吵', '扰民', '砸墙', '喇叭', '音响', '广场舞'];
const STREET = ['小广告', '牛皮癣', '占道经营', '摊贩', '乱摆摊', '乱贴'];

const hit = (text: string, words: readonly string[]) => words.find((w) => text.includes(w));

export function applyTriageRules(text: string, guess: TriageGuess): TriageGuess & { rules: string[] } {
  const out = { ...guess, rules: [] as string[] };
  const danger = hit(text, DANGER);
  if (danger) {
    out.urgency = 'critical';
    out.rules.push(`提到「${danger}」，危及人身安全，按特急处理`);
  }
  const complaint = hit(text, COMPLAINT);
  if (complaint && out.nature !== 'complaint') {
    out.nature = 'complaint';
    out.rules.push(`提到「${complaint}」，按投诉处理`);
  }
  const noise = hit(text, NOISE);
  const night = hit(text, NIGHT);
  if (noise && night) {
    out.nature = 'complaint';
    out.category = 'environment';
    if (out.urgency === 'normal') out.urgency = 'urgent';
    out.rules.push(`夜间噪音扰民（「${night}」「${noise}」），按紧急投诉处理`);
  }
  const street = hit(text, STREET);
  if (street) {
    out.nature = 'complaint';
    out.category = 'environment';
    out.rules.push(`「${street}」属市容环境问题，按投诉处理`);
  }
  return out;
}
