/**
 * The pieces every generator of the scale seed shares: a seeded PRNG, deterministic UUID v7 ids,
 * and PostgreSQL COPY text-format fields (tab-separated, `\N` for NULL, backslash escapes).
 */

/** mulberry32: small, fast, deterministic. */
export type Rand = () => number;
export function rng(seed: number): Rand {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit seed from a base seed, a stream name and an index (each activity, order … gets its own stream). */
export function seedOf(base: number, stream: number, i: number): number {
  let h = (base ^ Math.imul(stream + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (i >>> 16) ^ (i << 7), 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h ^ i, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

export const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
export const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

/** Cumulative weights for repeated weighted picks. */
export function weighted<T>(items: readonly T[], weights: readonly number[]): (r: Rand) => T {
  const cum: number[] = [];
  let s = 0;
  for (const w of weights) cum.push((s += w));
  return (r) => {
    const x = r() * s;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return items[lo]!;
  };
}

// ------------------------------------------------------------------ ids
const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Id families: each table (or id space) numbers its rows from 0 in its own family. */
export const FAMILY = {
  user: 1,
  volunteer: 2,
  team: 3,
  activity: 4,
  signup: 5,
  order: 6,
  event: 7,
  record: 8,
  ledger: 9,
  certificate: 10,
  staff: 11,
  department: 12,
  resident: 13,
  manual: 14,
  grant: 15,
  raw: 16,
  reward: 17,
  redemption: 18,
  venue: 19,
  booking: 20,
  pairingElder: 21,
  pairingPlan: 22,
  pairingTask: 23,
} as const;

/**
 * A UUID v7 whose time is the row's own time (index locality as the app's ids have) and whose
 * random bits are the family and ordinal XOR a salt: unique, and the same on every run of a seed.
 */
export function makeIds(seed: number) {
  const salt = rng(seed ^ 0x5eed1d5);
  const s32 = Math.floor(salt() * 2 ** 32) >>> 0;
  const s16 = Math.floor(salt() * 2 ** 16);
  const s12 = Math.floor(salt() * 2 ** 12);
  const variant = '8' + (s12 >>> 8).toString(16) + HEX[s12 & 0xff]!;
  return (ms: number, family: number, n: number): string => {
    const t = Math.max(0, Math.floor(ms));
    const hi = Math.floor(t / 2 ** 16) >>> 0;
    const lo = t % 2 ** 16;
    const lo32 = ((n % 2 ** 32) ^ s32) >>> 0;
    const hi16 = (Math.floor(n / 2 ** 32) ^ s16) & 0xffff;
    return `${hex32(hi)}-${HEX[lo >>> 8]!}${HEX[lo & 0xff]!}-7${(family >>> 8).toString(16)}${HEX[family & 0xff]!}-${variant}-${HEX[hi16 >>> 8]!}${HEX[hi16 & 0xff]!}${hex32(lo32)}`;
  };
}

function hex32(x: number): string {
  return HEX[(x >>> 24) & 0xff]! + HEX[(x >>> 16) & 0xff]! + HEX[(x >>> 8) & 0xff]! + HEX[x & 0xff]!;
}

// ------------------------------------------------------------------ COPY text fields
/** A text field for COPY: backslash, tab, newline and carriage return escaped. */
export function esc(s: string): string {
  return /[\\\t\n\r]/.test(s) ? s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : s;
}
export const N = '\\N';
export const opt = (s: string | null | undefined) => (s == null ? N : esc(s));
/** A jsonb field: JSON text, COPY-escaped. */
export const json = (v: unknown) => esc(JSON.stringify(v));
/** A text[] of simple words (codes, no quotes or commas). */
export const arr = (xs: readonly string[]) => `{${xs.join(',')}}`;
/** Hours in tenths as numeric(…, 1). */
export const tenths = (t: number) => `${Math.floor(t / 10)}.${t % 10}`;

const PAD2: string[] = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const dayCache = new Map<number, string>();
/** A timestamptz in UTC, without the cost of Date#toISOString per field. */
export function ts(ms: number): string {
  const m = Math.floor(ms / 1000) * 1000;
  const day = Math.floor(m / 86_400_000);
  let d = dayCache.get(day);
  if (d === undefined) {
    d = new Date(day * 86_400_000).toISOString().slice(0, 10);
    dayCache.set(day, d);
  }
  let r = (m - day * 86_400_000) / 1000;
  const h = Math.floor(r / 3600);
  r -= h * 3600;
  const mi = Math.floor(r / 60);
  return `${d} ${PAD2[h]!}:${PAD2[mi]!}:${PAD2[r - mi * 60]!}+00`;
}
export const tsOpt = (ms: number | null | undefined) => (ms == null ? N : ts(ms));
/** The local date (Asia/Shanghai, UTC+8, no DST) of an instant, as YYYY-MM-DD. */
export function shanghaiDate(ms: number): string {
  return ts(ms + 8 * 3_600_000).slice(0, 10);
}

export const HOUR = 3_600_000;
export const DAY = 86_400_000;
