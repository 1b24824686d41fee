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
  '煤气味',
  '燃气味',
  '天然气味',
  '煤烟味',
  '煤气中毒',
  '一氧化碳',
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
  '冒火花',
  '电火花',
  '焦糊味',
  '漏电',
];
/** A scam in progress (money about to leave): 特急 like danger, the desk must call at once. */
const SCAM = ['安全账户', '屏幕共享', '共享屏幕', '远程控制'];
/** A gas leak said in other words (天然气好像漏了, 燃气泄漏): gas and a leak or a smell close together. Changing a 煤气罐 is not one. */
const GAS_LEAK = /(煤气|燃气|天然气)[^，。,.!！？?；;]{0,6}(漏|泄|味)|(漏|泄)[^，。,.!！？?；;]{0,3}(煤气|燃气|天然气)/u;
/** Danger in English, so that a request in English about a leak, a fire or a fall is 特急 too. */
const DANGER_EN =
  /\b(gas (leak|smell)|smell of gas|fire|smoke|fell( down)?|fall(en)? down|unconscious|chest pain|can(no|')t breathe|not breathing|bleeding)\b/iu;
/**
 * Latin words a Chinese request uses as words of its own (KTV, ATM, app…); more than one other
 * Latin word and the request is English or mixed, which the model (trained on Chinese) cannot read.
 */
const LATIN_IN_CHINESE = new Set(['ktv', 'atm', 'app', 'wifi', 'ok', 'id', 'vip', 'pos', 'led', 'usb', 'tv', 'qq', 'diy', 'ppt', 'pdf', 'cpu', 'ic']);

/** Latin words (two letters or more) of a request, but for those Chinese uses as its own. */
export function foreignWords(text: string): string[] {
  return (text.normalize('NFKC').match(/[a-z]{2,}/giu) ?? []).filter((w) => !LATIN_IN_CHINESE.has(w.toLowerCase()));
}

/** A question about whom to ask or where to go, with no call for someone to come: a consultation. */
const ASKS =
  /(找谁|联系谁|问谁|找哪个部门|归谁管|在哪(里)?(报名|办|领|申请|借|交)|去哪(里)?(报名|办|领|申请|借|交)|怎么(申请|报名|办理?)|需要(什么|啥)(材料|手续|证件|条件))/u;
const CALLS = /(帮|派|来人|上门|来个|快来|救)/u;

const COMPLAINT = ['投诉', '举报', '告他们', '不作为'];
const NIGHT = ['半夜', '深夜', '凌晨', '夜里', '晚上', '夜间', '一两点', '十一点', '十二点'];
const NOISE = ['噪音', '吵', '扰民', '砸墙', '喇叭', '音响', '广场舞', 'ktv', '唱歌', '狗叫', '打桩', '拖椅子'];
const STREET = ['小广告', '牛皮癣', '占道经营', '摊贩', '乱摆摊', '乱贴'];

const hit = (text: string, words: readonly string[]) => words.find((w) => text.includes(w));

export function applyTriageRules(text: string, guess: TriageGuess): TriageGuess & { rules: string[] } {
  const out = { ...guess, rules: [] as string[] };
  const danger = hit(text, DANGER) ?? GAS_LEAK.exec(text)?.[0] ?? DANGER_EN.exec(text)?.[0];
  if (danger) {
    out.urgency = 'critical';
    out.rules.push(`提到「${danger}」，危及人身安全，按特急处理`);
  }
  const scam = hit(text, SCAM);
  if (scam && !danger) {
    out.urgency = 'critical';
    out.rules.push(`提到「${scam}」，诈骗可能正在进行，按特急处理`);
  }
  if (foreignWords(text).length >= 2) {
    out.lowConfidence = true;
    out.rules.push('诉求含较多英文，机器研判不可靠，请人工确认类别与性质');
  }
  const asks = ASKS.exec(text)?.[0];
  if (asks && !CALLS.test(text) && out.nature === 'service') {
    out.nature = 'consult';
    out.rules.push(`问的是「${asks}」，按咨询处理`);
  }
  const complaint = hit(text, COMPLAINT);
  if (complaint && out.nature !== 'complaint') {
    out.nature = 'complaint';
    out.rules.push(`提到「${complaint}」，按投诉处理`);
  }
  const noise = hit(text.toLowerCase(), NOISE);
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
