import { z } from 'zod';
import { msg } from './i18n.ts';
import { ZId, ZInstant, ZLat, ZListQuery, ZLng } from './common.ts';

const ZTime = ZInstant;
const ZHHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, { message: msg('时间格式为 HH:MM', 'Use HH:MM') });

export const ZOpenHours = z
  .object({ weekday: z.number().int().min(1).max(7), open: ZHHMM, close: ZHHMM })
  .refine((h) => h.close > h.open, { path: ['close'], message: msg('关门时间须晚于开门时间', 'Closing must be after opening') });

export const ZCreateResourceBody = z.object({
  orgId: ZId,
  name: z
    .string()
    .trim()
    .min(1, { message: msg('请填写名称', 'Give a name') })
    .max(100),
  type: z.string().regex(/^[a-z_]{2,40}$/, { message: msg('无效的资源类型', 'Invalid resource type') }),
  capacity: z.number().int().positive().max(100000).optional(),
  quantity: z.number().int().positive().max(100000).optional(),
  bookable: z.boolean(),
  requiresApproval: z.boolean().optional(),
  openHours: z.array(ZOpenHours).max(50).optional(),
  closedDates: z.array(z.iso.date()).max(366).optional(),
  slotMinutes: z.number().int().min(5).max(1440).optional(),
  maxDaysAhead: z.number().int().min(0).max(365).optional(),
  maxPerWeek: z.number().int().positive().max(100).optional(),
  description: z.string().trim().max(5000).optional(),
  address: z.string().trim().max(200).optional(),
  lat: ZLat.optional(),
  lng: ZLng.optional(),
  /** Upload ids (POST /uploads), shown in this order; at most 9. */
  photoIds: z
    .array(ZId)
    .max(9, { message: msg('最多9张照片', 'At most 9 photos') })
    .optional(),
});
export type TCreateResourceBody = z.infer<typeof ZCreateResourceBody>;

/**
 * PATCH /resources/{id}: the fields given change; `null` clears an optional one. A resource stays
 * booked as a whole or lent by quantity (no switching between the two); `status: "retired"`
 * takes it off the library (下架), `"active"` puts it back.
 */
export const ZUpdateResourceBody = z
  .object({
    name: ZCreateResourceBody.shape.name,
    type: ZCreateResourceBody.shape.type,
    capacity: z.number().int().positive().max(100000).nullable(),
    quantity: z.number().int().positive().max(100000).nullable(),
    bookable: z.boolean(),
    requiresApproval: z.boolean(),
    openHours: z.array(ZOpenHours).max(50),
    closedDates: z.array(z.iso.date()).max(366),
    slotMinutes: z.number().int().min(5).max(1440),
    maxDaysAhead: z.number().int().min(0).max(365),
    maxPerWeek: z.number().int().positive().max(100).nullable(),
    description: z.string().trim().max(5000).nullable(),
    address: z.string().trim().max(200).nullable(),
    lat: ZLat.nullable(),
    lng: ZLng.nullable(),
    photoIds: z.array(ZId).max(9, { message: msg('最多9张照片', 'At most 9 photos') }),
    status: z.enum(['active', 'retired']),
  })
  .partial()
  .strict();
export type TUpdateResourceBody = z.infer<typeof ZUpdateResourceBody>;

export const ZListResourcesQuery = ZListQuery.extend({
  orgId: ZId.optional(),
  type: z.string().max(40).optional(),
  category: z.enum(['venue', 'base', 'facility', 'talent', 'equipment']).optional(),
  q: z.string().trim().max(50).optional(),
  /** Staff: `retired` lists what was taken off the library (within their scope), `all` both. */
  status: z.enum(['active', 'retired', 'all']).optional(),
});

/** GET /resources/utilization: local dates (Asia/Shanghai), both inclusive, at most 366 days. */
export const ZUtilizationQuery = z
  .object({
    orgId: ZId.optional(),
    from: z.iso.date({ message: msg('日期格式应为 YYYY-MM-DD', 'Use YYYY-MM-DD') }),
    to: z.iso.date({ message: msg('日期格式应为 YYYY-MM-DD', 'Use YYYY-MM-DD') }),
  })
  .refine((q) => q.to >= q.from, { path: ['to'], message: msg('结束日期不能早于开始日期', 'The end date is before the start date') })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 365 * 86_400_000, { path: ['to'], message: msg('统计区间最长一年', 'At most one year') });

export const ZBookingBody = z
  .object({
    startsAt: ZTime,
    endsAt: ZTime,
    purpose: z
      .string()
      .trim()
      .min(1, { message: msg('请填写用途', 'Give the purpose') })
      .max(500),
    attendees: z.number().int().positive().max(100000).optional(),
    quantity: z.number().int().positive().max(100000).optional(),
  })
  .refine((b) => Date.parse(b.endsAt) > Date.parse(b.startsAt), {
    path: ['endsAt'],
    message: msg('结束时间须晚于开始时间', 'The end must be after the start'),
  });

export const ZListBookingsQuery = ZListQuery.extend({
  mine: z.enum(['true', 'false']).optional(),
  orgId: ZId.optional(),
  resourceId: ZId.optional(),
  status: z
    .string()
    .regex(/^[a-z_]+(,[a-z_]+)*$/)
    .optional(),
  from: ZTime.optional(),
  to: ZTime.optional(),
});
export const ZReviewBody = z.object({ score: z.number().int().min(1).max(5), comment: z.string().trim().max(500).optional() });
