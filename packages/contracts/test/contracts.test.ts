import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ZCreateOrgBody, ZGrantRoleBody, ZRegisterBody, defaultMessage, englishOf, errorCodes, pickLang, statusOf } from '../src/index.ts';

describe('error model', () => {
  it('has exactly the closed list of API.md with its statuses', () => {
    expect(Object.fromEntries(errorCodes.map((c) => [c, statusOf(c)]))).toEqual({
      VALIDATION_FAILED: 400,
      UNAUTHENTICATED: 401,
      FORBIDDEN: 403,
      NOT_FOUND: 404,
      INVALID_STATE: 409,
      BOOKING_CONFLICT: 409,
      OUT_OF_STOCK: 409,
      DUPLICATE: 409,
      IDEMPOTENCY_CONFLICT: 409,
      PAYLOAD_TOO_LARGE: 413,
      RULE_VIOLATION: 422,
      INSUFFICIENT_POINTS: 422,
      RATE_LIMITED: 429,
      INTERNAL: 500,
      UNAVAILABLE: 503,
    });
  });
  it('words every code in Chinese and English', () => {
    for (const c of errorCodes) {
      expect(defaultMessage(c, 'zh')).toMatch(/[\u4e00-\u9fa5]/);
      expect(defaultMessage(c, 'en')).toMatch(/^[A-Z][\x20-\x7e]+$/);
      expect(ERROR_CODES[c].zh).not.toBe(ERROR_CODES[c].en);
    }
  });
  it('picks English only when asked for before Chinese', () => {
    expect(pickLang(undefined)).toBe('zh');
    expect(pickLang('en')).toBe('en');
    expect(pickLang('en-US,en;q=0.9')).toBe('en');
    expect(pickLang('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh');
    expect(pickLang('fr-FR, en;q=0.5')).toBe('en');
    expect(pickLang('en;q=0.3, zh;q=0.8')).toBe('zh');
    expect(pickLang('de')).toBe('zh');
    expect(pickLang('en;q=0')).toBe('zh');
  });
});

describe('schemas', () => {
  it('validates registration with Chinese messages that have English twins', () => {
    const r = ZRegisterBody.safeParse({ phone: '123', password: 'short', name: '' });
    expect(r.success).toBe(false);
    const messages = r.error!.issues.map((i) => i.message);
    expect(messages).toContain('请输入11位手机号');
    for (const m of messages) expect(englishOf(m)).toBeDefined();
  });
  it('requires an org for org roles and a department for dept officers', () => {
    expect(ZGrantRoleBody.safeParse({ role: 'org_admin' }).success).toBe(false);
    expect(ZGrantRoleBody.safeParse({ role: 'dept_officer', orgId: '01900000-0000-7000-8000-000000000000' }).success).toBe(false);
    expect(ZGrantRoleBody.safeParse({ role: 'dispatcher', orgId: '01900000-0000-7000-8000-000000000000' }).success).toBe(true);
  });
  it('refuses unknown levels and out-of-range coordinates', () => {
    expect(ZCreateOrgBody.safeParse({ level: 'province', name: 'x' }).success).toBe(false);
    expect(ZCreateOrgBody.safeParse({ level: 'center', name: 'x', lat: 91, lng: 0 }).success).toBe(false);
  });
});
