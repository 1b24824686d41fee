import { describe, expect, it } from 'vitest';
import { creditCodeCheckChar, isValidCreditCode } from '../src/credit-code.ts';

describe('统一社会信用代码 (GB 32100-2015)', () => {
  it('accepts published codes (the standard’s example and registered companies)', () => {
    for (const c of ['91350100M000100Y43', '91110000600037341L', '91440300708461136T']) expect(isValidCreditCode(c), c).toBe(true);
  });

  it('accepts lower case and surrounding spaces', () => {
    expect(isValidCreditCode(' 91110000600037341l ')).toBe(true);
  });

  it('refuses a wrong check character, every single-character change of a valid code', () => {
    expect(isValidCreditCode('91110000600037341K')).toBe(false);
    const good = '91350100M000100Y43';
    for (let i = 0; i < 18; i++) {
      const other = good[i] === '0' ? '1' : '0';
      expect(isValidCreditCode(good.slice(0, i) + other + good.slice(i + 1)), `position ${i + 1}`).toBe(false);
    }
  });

  it('refuses the letters I, O, S, V, Z, a non-digit division code, and other lengths', () => {
    expect(isValidCreditCode('9135010OM000100Y43')).toBe(false);
    expect(isValidCreditCode('91350100M0001I0Y43')).toBe(false);
    expect(isValidCreditCode('9135A100M000100Y43')).toBe(false);
    expect(isValidCreditCode('91350100M000100Y4')).toBe(false);
    expect(isValidCreditCode('')).toBe(false);
  });

  it('completes 17 characters into a valid code (check character 0 when the sum is a multiple of 31)', () => {
    const base = '5314010000000000';
    for (const ch of '0123456789ABCDEFGHJKLMNPQRTUWXY') {
      const c17 = base + ch;
      expect(isValidCreditCode(c17 + creditCodeCheckChar(c17)!)).toBe(true);
    }
    expect(creditCodeCheckChar('00000000000000000')).toBe('0');
  });
});
