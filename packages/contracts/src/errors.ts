/**
 * The closed list of error codes of the HTTP API (API.md "Conventions").
 * One table maps each code to its HTTP status and its default messages.
 */
export const ERROR_CODES = {
  VALIDATION_FAILED: { status: 400, zh: '请求参数不正确', en: 'The request is invalid' },
  UNAUTHENTICATED: { status: 401, zh: '请先登录', en: 'Please sign in' },
  FORBIDDEN: { status: 403, zh: '无权进行此操作', en: 'You are not allowed to do this' },
  NOT_FOUND: { status: 404, zh: '记录不存在', en: 'Not found' },
  INVALID_STATE: { status: 409, zh: '当前状态不允许此操作', en: 'Not allowed in the current state' },
  BOOKING_CONFLICT: { status: 409, zh: '该时段已被预约', en: 'The slot overlaps another booking' },
  OUT_OF_STOCK: { status: 409, zh: '库存不足', en: 'Out of stock' },
  DUPLICATE: { status: 409, zh: '记录已存在', en: 'Already exists' },
  IDEMPOTENCY_CONFLICT: {
    status: 409,
    zh: '幂等键已用于不同的请求',
    en: 'The Idempotency-Key was used with a different request',
  },
  PAYLOAD_TOO_LARGE: { status: 413, zh: '请求内容过大', en: 'The request body is too large' },
  RULE_VIOLATION: { status: 422, zh: '不符合业务规则', en: 'A business rule refuses this' },
  INSUFFICIENT_POINTS: { status: 422, zh: '积分不足', en: 'Not enough points' },
  RATE_LIMITED: { status: 429, zh: '请求过于频繁，请稍后再试', en: 'Too many requests, try again later' },
  INTERNAL: { status: 500, zh: '服务器内部错误', en: 'Internal server error' },
  UNAVAILABLE: { status: 503, zh: '服务暂不可用，请稍后重试', en: 'Service unavailable, retry later' },
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
export const errorCodes = Object.keys(ERROR_CODES) as ErrorCode[];

export type Lang = 'zh' | 'en';

/** A message in both languages; the server picks one by Accept-Language. */
export interface Message {
  zh: string;
  en: string;
}

export interface ErrorDetail {
  path: string;
  message: string;
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: ErrorDetail[] };
}

export function statusOf(code: ErrorCode): number {
  return ERROR_CODES[code].status;
}

export function defaultMessage(code: ErrorCode, lang: Lang): string {
  return ERROR_CODES[code][lang];
}

/** Picks the language from an Accept-Language header: English only when asked for before Chinese. */
export function pickLang(acceptLanguage: string | undefined | null): Lang {
  if (!acceptLanguage) return 'zh';
  const prefs = acceptLanguage
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag ?? '', q: q ? Number(q.slice(2)) || 0 : 1, i };
    })
    .filter((p) => p.tag && p.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const p of prefs) {
    if (p.tag.startsWith('zh')) return 'zh';
    if (p.tag.startsWith('en')) return 'en';
  }
  return 'zh';
}
