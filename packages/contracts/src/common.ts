import { msg } from './i18n.ts';
import { z } from 'zod';

export const ZId = z.string().uuid({ message: msg('无效的编号', 'Invalid id') });

/** Mainland mobile number: 11 digits starting with 1. */
export const PHONE_RE = /^1[3-9]\d{9}$/;
export const ZPhone = z
  .string()
  .trim()
  .regex(PHONE_RE, { message: msg('请输入11位手机号', 'Enter an 11-digit mainland mobile number') });
export const ZPassword = z
  .string()
  .min(8, { message: msg('密码至少8位', 'The password needs at least 8 characters') })
  .max(128, { message: msg('密码最多128位', 'The password may have at most 128 characters') });
export const ZName = z
  .string()
  .trim()
  .min(1, { message: msg('不能为空', 'Must not be empty') })
  .max(50, { message: msg('最多50个字', 'At most 50 characters') });

/**
 * An ISO 8601 instant with an offset that PostgreSQL can take: the format allows the year 0000,
 * which PostgreSQL does not have (1 BC is 0001 BC), so such a string sent on to a query was a 500.
 */
export const ZInstant = z.iso
  .datetime({ offset: true, message: msg('时间格式应为 ISO 8601（含时区）', 'Times are ISO 8601 with an offset') })
  .refine((s) => !s.startsWith('0000'), { message: msg('年份应在 0001 至 9999 之间', 'The year must be between 0001 and 9999') });

export const ZListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * A coordinate the database can compute with: 0, or at least 1e-9 degrees (under a millimetre)
 * from it. A subnormal such as 5e-324 passes the range check but makes PostgreSQL's trigonometry
 * fail with "value out of range: underflow" (22003) in every distance computed from it.
 */
const usableDegrees = (v: number) => v === 0 || Math.abs(v) >= 1e-9;

export const ZLat = z
  .number({ message: msg('纬度须为数字', 'Latitude must be a number') })
  .min(-90, { message: msg('纬度须在 -90 到 90 之间', 'Latitude must be between -90 and 90') })
  .max(90, { message: msg('纬度须在 -90 到 90 之间', 'Latitude must be between -90 and 90') })
  .refine(usableDegrees, { message: msg('纬度数值无效', 'Latitude is not a usable value') });
export const ZLng = z
  .number({ message: msg('经度须为数字', 'Longitude must be a number') })
  .min(-180, { message: msg('经度须在 -180 到 180 之间', 'Longitude must be between -180 and 180') })
  .max(180, { message: msg('经度须在 -180 到 180 之间', 'Longitude must be between -180 and 180') })
  .refine(usableDegrees, { message: msg('经度数值无效', 'Longitude is not a usable value') });
