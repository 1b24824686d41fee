import type { z } from 'zod';
import { msg } from '@wenming/contracts';
import { AppError } from './errors.ts';

/** Opaque list cursors: base64url JSON of the last row's sort key, checked against its schema. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

const BAD = msg('无效的分页游标', 'Invalid list cursor');

export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new AppError('VALIDATION_FAILED', undefined, [{ path: 'query.cursor', message: BAD }]);
  }
  const r = schema.safeParse(parsed);
  if (!r.success) throw new AppError('VALIDATION_FAILED', undefined, [{ path: 'query.cursor', message: BAD }]);
  return r.data;
}
