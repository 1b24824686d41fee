import crypto from 'node:crypto';

/**
 * Pure rules of the service certificate (志愿服务记录证明): the serial, the canonical form and
 * hash of a snapshot, and the masks used on the public verification page. No I/O.
 */

export const PLATFORM_NAME = '文明实践云';
export const PLATFORM_NOTE = '本证明由文明实践云平台根据平台记录生成';
export const TRAINING_NONE = '暂无记录';
export const EVALUATION_NONE = '暂无评价';

/** Crockford's base-32 digits: no I, L, O or U, so a serial read aloud or typed is not misread. */
const SERIAL_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const SERIAL_RE = /^WMZ-(\d{4})-(\d{8})-([0-9A-Z]{6})$/;

/** WMZ-<city>-<yyyymmdd>-<6 random base-32 digits>, e.g. WMZ-1401-20261123-7K3QXD. */
export function newSerial(cityCode: string, issueDay: string, random: (n: number) => Buffer = crypto.randomBytes): string {
  const bytes = random(6);
  let tail = '';
  for (const b of bytes) tail += SERIAL_ALPHABET[b & 31];
  return `WMZ-${cityCode}-${issueDay.replace(/-/g, '')}-${tail}`;
}

/** The serial in its canonical form (upper case, trimmed), or null when it cannot be one. */
export function parseSerial(input: string): { serial: string; cityCode: string } | null {
  const serial = input.trim().toUpperCase();
  const m = SERIAL_RE.exec(serial);
  return m ? { serial, cityCode: m[1]! } : null;
}

/** Canonical JSON: object keys sorted at every depth, no spaces, so one snapshot has one hash. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/** SHA-256 (hex) of the canonical snapshot. */
export function contentHash(snapshot: unknown): string {
  return crypto.createHash('sha256').update(canonicalJson(snapshot), 'utf8').digest('hex');
}

/** 张秀英 → 张*英, 欧阳秀英 → 欧**英, 张英 → 张*, 张 → *. */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars.at(-1)}`;
}

const STAR_NAMES = ['', '一星', '二星', '三星', '四星', '五星'] as const;
/** 3 → 三星志愿者; 0 → null (no star yet). */
export function starName(star: number): string | null {
  return star >= 1 && star <= 5 ? `${STAR_NAMES[star]}志愿者` : null;
}

/** Hours carry one decimal; sums of them are rounded back to it. */
export const roundHours = (h: number): number => Math.round(h * 10) / 10;
