/** Names the demo and the scale seeds give the people they make: common surnames and given names. */
export const SURNAMES =
  '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文';
export const GIVEN_NAMES = [
  '建国',
  '秀兰',
  '志强',
  '丽娟',
  '海燕',
  '晓东',
  '玉梅',
  '文杰',
  '桂芳',
  '俊峰',
  '红梅',
  '立新',
  '淑珍',
  '伟',
  '敏',
  '静',
  '磊',
  '娜',
  '强',
  '霞',
  '凤英',
  '永刚',
  '春燕',
  '国庆',
  '爱华',
  '晓明',
  '雪梅',
  '卫东',
  '美玲',
  '振华',
];

/** The given names above that are a woman's (the others a man's): a demo ID number's sex digit follows the name. */
const FEMALE_GIVEN_NAMES = new Set([
  '秀兰',
  '丽娟',
  '海燕',
  '玉梅',
  '桂芳',
  '红梅',
  '淑珍',
  '敏',
  '静',
  '娜',
  '霞',
  '凤英',
  '春燕',
  '雪梅',
  '美玲',
  '秀英',
  '桂兰',
]);

/** Whether a demo person's full name (surname + given name) reads as a woman's. */
export function isFemaleName(fullName: string): boolean {
  return FEMALE_GIVEN_NAMES.has(fullName.slice(1));
}
