import { PHONE_RE } from '@wenming/contracts';

export function isValidPhone(value: string): boolean {
  return PHONE_RE.test(value);
}

/** 13812341234 → 138****1234 (API.md). */
export function maskPhone(phone: string): string {
  if (phone.length !== 11) return phone.replace(/\d(?=\d{4})/g, '*');
  return `${phone.slice(0, 3)}****${phone.slice(7)}`;
}
