import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

/**
 * Segmentation of residents' requests for triage: NFKC normalisation (full-width letters,
 * digits and punctuation become half-width), lower case, jieba (precise mode, no HMM),
 * then punctuation, symbols (emoji included), whitespace and stop words are dropped, and
 * plain numbers become one token `<num>`. Question and exclamation marks are the exception:
 * they say a lot about nature (a question → consult) and urgency, so each run of them becomes
 * one marker token, `<问>` or `<叹>`.
 */

/**
 * Function words and fillers that say nothing about a request's category, nature or urgency.
 * Deliberately small: 了/不/吗/没/要/能 and the like stay, because they carry signal (摔了,
 * 是不是, 没人管), and no stop word may occur inside a lexicon cue (a test checks this).
 */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  '的',
  '地',
  '得',
  '着',
  '之',
  '其',
  '而',
  '且',
  '与',
  '及',
  '并',
  '或',
  '即',
  '吧',
  '呢',
  '啊',
  '呀',
  '哦',
  '嗯',
  '哈',
  '哈哈',
  '嘛',
  '啦',
  '哇',
  '噢',
  '诶',
  '唉',
  '呗',
  '哟',
  '嘞',
  '哩',
  '咧',
  '喔',
  '哎',
  '哎呀',
  '哎哟',
  '喂',
  '呐',
  '滴',
  '么',
  '您好',
  '你好',
  '谢谢',
  '谢谢你们',
  '谢谢您',
  '感谢',
  '您',
  '其他',
  '这',
  '那',
  '这个',
  '那个',
  '这些',
  '那些',
  '这样',
  '那样',
  '这里',
  '那里',
  '一些',
  '一点',
  '一直',
  '已经',
  '然后',
  '就是',
  '还是',
  '而且',
  '但是',
  '可是',
  '因为',
  '所以',
]);

/**
 * Words of the requests' domain that jieba's default dictionary splits badly; added once at
 * load time with a high frequency so they are kept whole.
 */
const DOMAIN_WORDS = [
  '广场舞',
  '煤气味',
  '煤烟味',
  '留守儿童',
  '低保户',
  '五保户',
  '困难户',
  '独居老人',
  '孤寡老人',
  '老年痴呆',
  '中不中',
  '辅导作业',
  '四点半课堂',
  '文明实践',
  '实践站',
  '实践所',
  '宣讲员',
  '宣讲团',
  '农家书屋',
  '义诊',
  '陪诊',
  '八段锦',
  '防诈骗',
  '反诈',
  '智能手机',
  '垃圾分类',
  '法律援助',
  '欠薪',
  '讨薪',
  '包工头',
  '违建',
  '私搭乱建',
  '化粪池',
  '下水道',
  '窨井盖',
  '采煤沉陷区',
  '危房改造',
  '高龄补贴',
  '特困供养',
  '临时救助',
  '家庭医生',
  '医保卡',
  '新农合',
  '晋剧',
  '秧歌队',
  '写春联',
  '屏幕共享',
  '安全账户',
  '验证码',
  '快来人',
  '叫不醒',
  '喘不上气',
  '摔倒',
  '走丢',
  '走失',
  '微信',
  '微信群',
  '抖音',
  '短视频',
  '小程序',
  '公众号',
  '扫码',
  '健康码',
  '网购',
  '刷单',
  '网贷',
  '电信诈骗',
  '视频通话',
  '充电桩',
  '二次供水',
  '网格员',
  '甚时候',
];

let instance: Jieba | undefined;

/** The jieba instance, loaded on first use (loading the dictionary takes a moment). */
function jieba(): Jieba {
  if (!instance) {
    const j = Jieba.withDict(dict);
    j.loadDict(Buffer.from(DOMAIN_WORDS.map((w) => `${w} 100000 n`).join('\n') + '\n', 'utf8'));
    instance = j;
  }
  return instance;
}

const DROP = /^[\p{P}\p{S}\p{Z}\p{C}\s]+$/u;
const QUESTION = /^\?+$/u;
const EXCLAMATION = /^!+$/u;
const NUMBER = /^[0-9]+(?:\.[0-9]+)?$/;

/** Full-width → half-width (NFKC), lower case, whitespace runs → one space. */
export function normaliseText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/** Tokens of a request, ready for `classifyTriage`. */
export function tokenize(text: string): string[] {
  const normalised = normaliseText(text);
  if (normalised.length === 0) return [];
  const out: string[] = [];
  for (const raw of jieba().cut(normalised, false)) {
    const t = raw.trim();
    if (t.length === 0) continue;
    if (QUESTION.test(t)) {
      if (out[out.length - 1] !== '<问>') out.push('<问>');
      continue;
    }
    if (EXCLAMATION.test(t)) {
      if (out[out.length - 1] !== '<叹>') out.push('<叹>');
      continue;
    }
    if (DROP.test(t) || STOP_WORDS.has(t)) continue;
    out.push(NUMBER.test(t) ? '<num>' : t);
  }
  return out;
}

/**
 * Words for full-text search (content 资讯/云讲堂…): normalised like the triage text, segmented by
 * jieba — search mode for what is indexed (a long word also yields its dictionary sub-words), the
 * precise mode for what is asked — punctuation and stop words dropped, numbers kept as they are.
 * Joined with spaces they make a `to_tsvector('simple', …)` / `plainto_tsquery('simple', …)` input.
 */
export function searchWords(text: string, mode: 'index' | 'query'): string[] {
  const normalised = normaliseText(text);
  if (normalised.length === 0) return [];
  const words = mode === 'index' ? jieba().cutForSearch(normalised, true) : jieba().cut(normalised, true);
  const out: string[] = [];
  for (const raw of words) {
    // tsvector treats some ASCII punctuation as separators; keep only letters and digits.
    const t = raw.replace(/[^\p{L}\p{N}]+/gu, '');
    if (t.length === 0 || STOP_WORDS.has(t)) continue;
    out.push(t);
  }
  return out;
}
