import { z } from 'zod';
import { msg } from '@wenming/contracts';
import { AppError } from './errors.ts';

/** Opaque list cursors: base64url JSON of the last row's sort key, checked against its schema. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

const BAD = msg('无效的分页游标', 'Invalid list cursor');

// A row's timestamp as PostgreSQL prints it (microseconds and offset) or as ISO 8601 (cursors of old pages).
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2})?)$/;
const isTimestamp = (s: string) => {
  const m = TIMESTAMP.exec(s);
  if (!m) return false;
  const [y, mo, d, h, mi, se] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const day = new Date(Date.UTC(y, mo - 1, d));
  // No year 0000 in PostgreSQL; Date.UTC maps years below 100 to 19xx, so check the parts instead.
  return y >= 1 && mo >= 1 && mo <= 12 && day.getUTCDate() === d && h < 24 && mi < 60 && se < 60;
};

/**
 * A timestamp sort key in a cursor. A cursor comes back from the client, who may forge it, and
 * its time goes into the keyset query as text: anything PostgreSQL cannot read as a timestamp
 * (`garbage`, the year 0000) was a 500 there, and is a 400 here.
 */
export const ZCursorTime = z.string().refine(isTimestamp);

/** A NUL byte or a lone UTF-16 surrogate anywhere in the decoded value: text PostgreSQL refuses (a 500 if it got there). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const hasBadText = (v: unknown): boolean =>
  typeof v === 'string'
    ? v.includes('\u0000') || LONE_SURROGATE.test(v)
    : Array.isArray(v)
      ? v.some(hasBadText)
      : !!v && typeof v === 'object' && Object.entries(v).some(([k, x]) => hasBadText(k) || hasBadText(x));

export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new AppError('VALIDATION_FAILED', undefined, [{ path: 'query.cursor', message: BAD }]);
  }
  const r = hasBadText(parsed) ? null : schema.safeParse(parsed);
  if (!r?.success) throw new AppError('VALIDATION_FAILED', undefined, [{ path: 'query.cursor', message: BAD }]);
  return r.data;
}
