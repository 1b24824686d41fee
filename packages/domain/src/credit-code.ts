/**
 * 统一社会信用代码 (GB 32100-2015): 18 characters from the 31-character set 0-9 and A–Y without
 * I, O, S, V, Z. Position 1 is the registration authority (登记管理部门), 2 the kind of body,
 * 3–8 the administrative division (digits), 9–17 the organisation code, and 18 a check
 * character: 31 − (Σ value·weight mod 31), over the first 17 with weights 3^(i) mod 31.
 */
export const CREDIT_CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
export const CREDIT_CODE_RE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/** The check character of the first 17 characters (undefined when one is outside the set). */
export function creditCodeCheckChar(first17: string): string | undefined {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CREDIT_CODE_CHARS.indexOf(first17[i] ?? '');
    if (v < 0) return undefined;
    sum += v * WEIGHTS[i]!;
  }
  return CREDIT_CODE_CHARS[(31 - (sum % 31)) % 31];
}

export function isValidCreditCode(value: string): boolean {
  const v = value.trim().toUpperCase();
  if (!CREDIT_CODE_RE.test(v)) return false;
  return creditCodeCheckChar(v.slice(0, 17)) === v[17];
}

/** The kind of registering authority, from the code's first character (1 机构编制, 5 民政, 9 工商, Y 其他…). */
export const CREDIT_CODE_AUTHORITIES: Record<string, string> = {
  '1': '机构编制',
  '2': '外交',
  '3': '司法行政',
  '4': '文化',
  '5': '民政',
  '6': '旅游',
  '7': '宗教',
  '8': '工会',
  '9': '市场监管',
  A: '中央军委改革和编制办公室',
  N: '农业',
  Y: '其他',
};
