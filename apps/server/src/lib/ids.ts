import { v7 } from 'uuid';

/** Globally unique, time-ordered ids (UUID v7): good index locality, safe across shards. */
export const newId = (): string => v7();

/**
 * An id for a row of a city table that carries its city (issue 16, docs/scale-out.md "Hot paths
 * on Citus"): a UUID v7 (the same millisecond timestamp first, so the same index locality) made
 * version 8 (RFC 9562's custom layout) with the 4-digit city code in the 14 bits after the variant.
 * A lookup by such an id alone knows its city, so on Citus it goes to one shard group instead of
 * all. 48 + 12 random bits per millisecond are left.
 */
export function newCityId(cityCode: string): string {
  if (!/^\d{4}$/.test(cityCode)) throw new Error(`newCityId: a 4-digit city code, not ${cityCode}`);
  const city = Number(cityCode);
  const b = v7(undefined, new Uint8Array(16));
  b[6] = 0x80 | (b[6]! & 0x0f);
  b[8] = 0x80 | (city >> 8);
  b[9] = city & 0xff;
  const h = Buffer.from(b).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The city an id made by `newCityId` carries; null for any other id (older v7 ids, foreign ids). */
export function cityOfId(id: string): string | null {
  if (id.length !== 36 || id[14] !== '8') return null;
  const v = parseInt(id.slice(19, 23), 16);
  if (Number.isNaN(v) || (v & 0xc000) !== 0x8000) return null;
  return String(v & 0x3fff).padStart(4, '0');
}

/** ltree label for an org id: its hex digits (labels allow [A-Za-z0-9_]). */
export const ltreeLabel = (id: string): string => id.replace(/-/g, '');

export const idFromLabel = (label: string): string =>
  `${label.slice(0, 8)}-${label.slice(8, 12)}-${label.slice(12, 16)}-${label.slice(16, 20)}-${label.slice(20)}`;
