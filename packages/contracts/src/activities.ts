import { z } from 'zod';
import { msg } from './i18n.ts';
import { ZId, ZInstant, ZLat, ZListQuery, ZLng } from './common.ts';
import { ZCategoryCode } from './volunteers.ts';

const ZTime = ZInstant;
const ZQuota = z
  .number({ message: msg('名额须为整数', 'Quotas are whole numbers') })
  .int({ message: msg('名额须为整数', 'Quotas are whole numbers') })
  .min(0, { message: msg('名额不能为负数', 'A quota cannot be negative') })
  .max(100000);

const ZPhotoIds = z.array(ZId).max(9, { message: msg('最多9张图片', 'At most 9 pictures') });

const activityFields = {
  orgId: ZId,
  title: z
    .string()
    .trim()
    .min(1, { message: msg('请填写活动名称', 'Give the activity a title') })
    .max(100),
  category: ZCategoryCode,
  startsAt: ZTime,
  endsAt: ZTime,
  volunteerQuota: ZQuota,
  publicQuota: ZQuota.optional(),
  teamId: ZId.optional(),
  description: z.string().trim().max(20000).optional(),
  address: z.string().trim().max(200).optional(),
  lat: ZLat.optional(),
  lng: ZLng.optional(),
  geofenceM: z.number().int().min(50).max(50000).optional(),
  resourceId: ZId.optional(),
  signupDeadline: ZTime.optional(),
  partyOnly: z.boolean().optional(),
  teamOnly: z.boolean().optional(),
  adultsOnly: z.boolean().optional(),
  requiredSkills: z.array(ZCategoryCode).max(10).optional(),
  /** Upload ids (POST /uploads) of the activity's pictures, in order. */
  photoIds: ZPhotoIds.optional(),
};

/** The checks on a whole activity (also run on a draft after a PATCH). */
export function refineActivity(
  v: {
    startsAt?: string;
    endsAt?: string;
    signupDeadline?: string | null;
    lat?: number | null;
    lng?: number | null;
    geofenceM?: number | null;
    teamOnly?: boolean;
    teamId?: string | null;
  },
  ctx: z.RefinementCtx,
) {
  if (v.startsAt && v.endsAt && Date.parse(v.endsAt) <= Date.parse(v.startsAt))
    ctx.addIssue({ code: 'custom', path: ['endsAt'], message: msg('结束时间须晚于开始时间', 'The end must be after the start') });
  if (v.signupDeadline && v.endsAt && Date.parse(v.signupDeadline) > Date.parse(v.endsAt))
    ctx.addIssue({ code: 'custom', path: ['signupDeadline'], message: msg('报名截止时间不能晚于活动结束', 'The sign-up deadline cannot be after the end') });
  if ((v.lat === undefined || v.lat === null) !== (v.lng === undefined || v.lng === null))
    ctx.addIssue({ code: 'custom', path: ['lat'], message: msg('经纬度须同时填写', 'Give latitude and longitude together') });
  if (v.geofenceM !== undefined && v.geofenceM !== null && (v.lat === undefined || v.lat === null))
    ctx.addIssue({ code: 'custom', path: ['geofenceM'], message: msg('设置签到范围需要活动地点的经纬度', 'A geofence needs the location') });
  if (v.teamOnly && !v.teamId) ctx.addIssue({ code: 'custom', path: ['teamOnly'], message: msg('仅限本队报名需要选择队伍', 'Team-only needs a team') });
}

export const ZCreateActivityBody = z
  .object({
    ...activityFields,
    /** A weekly class: this many occurrences in all (2–52), one week apart, created as drafts of one series. */
    repeatWeeks: z
      .number()
      .int()
      .min(2, { message: msg('重复次数为2到52周', 'Repeat 2 to 52 weeks') })
      .max(52, { message: msg('重复次数为2到52周', 'Repeat 2 to 52 weeks') })
      .optional(),
  })
  .superRefine((v, ctx) => {
    refineActivity(v, ctx);
  });
/** PATCH /activities/{id}: a draft's fields; `null` clears an optional one. */
export const ZUpdateActivityBody = z
  .object({
    title: activityFields.title.optional(),
    category: activityFields.category.optional(),
    startsAt: ZTime.optional(),
    endsAt: ZTime.optional(),
    volunteerQuota: ZQuota.optional(),
    publicQuota: ZQuota.optional(),
    description: activityFields.description.nullable(),
    address: activityFields.address.nullable(),
    lat: ZLat.nullable().optional(),
    lng: ZLng.nullable().optional(),
    geofenceM: z.number().int().min(50).max(50000).nullable().optional(),
    signupDeadline: ZTime.nullable().optional(),
    partyOnly: z.boolean().optional(),
    teamOnly: z.boolean().optional(),
    adultsOnly: z.boolean().optional(),
    requiredSkills: z.array(ZCategoryCode).max(10).optional(),
    photoIds: ZPhotoIds.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: msg('没有要修改的内容', 'Nothing to change') });
export type TUpdateActivityBody = z.infer<typeof ZUpdateActivityBody>;

export const ZPublishActivityBody = z.object({ series: z.boolean().optional() });
export const ZRateActivityBody = z.object({
  score: z
    .number()
    .int()
    .min(1, { message: msg('评分为1到5星', 'Score 1 to 5') })
    .max(5, { message: msg('评分为1到5星', 'Score 1 to 5') }),
  comment: z
    .string()
    .trim()
    .max(500, { message: msg('评价最多500字', 'At most 500 characters') })
    .optional(),
});
export const ZActivityReportBody = z.object({
  summary: z
    .string()
    .trim()
    .min(1, { message: msg('请填写活动总结', 'Write the summary') })
    .max(20000),
  photoIds: ZPhotoIds.optional(),
  participants: z.number().int().min(0).max(1_000_000).optional(),
  peopleServed: z.number().int().min(0).max(1_000_000).optional(),
});

export type TCreateActivityBody = z.infer<typeof ZCreateActivityBody>;

export const ZListActivitiesQuery = ZListQuery.extend({
  orgId: ZId.optional(),
  from: ZTime.optional(),
  to: ZTime.optional(),
  category: ZCategoryCode.optional(),
  q: z.string().trim().max(50).optional(),
  state: z.enum(['draft', 'published', 'cancelled', 'finished']).optional(),
  mine: z.enum(['true', 'false']).optional(),
  /** Only activities the caller organises: staff of the site's subtree, their creator, the leader of their team. */
  organized: z.enum(['true', 'false']).optional(),
  /** 宣传展示: finished activities with a published report, newest report first. */
  report: z.enum(['true', 'false']).optional(),
  /** The occurrences of one weekly series. */
  seriesId: ZId.optional(),
});

export const ZSignupBody = z.object({ role: z.enum(['volunteer', 'resident']) });
export const ZCheckinBody = z.object({ code: z.string().min(1).max(200), lat: ZLat.optional(), lng: ZLng.optional() });
export const ZAttendanceBody = z
  .object({
    signupId: ZId,
    checkinAt: ZTime,
    checkoutAt: ZTime,
    reason: z
      .string()
      .trim()
      .min(1, { message: msg('请填写补录原因', 'Give the reason') })
      .max(500),
  })
  .refine((v) => Date.parse(v.checkoutAt) >= Date.parse(v.checkinAt), {
    path: ['checkoutAt'],
    message: msg('签退时间不能早于签到时间', 'Check-out before check-in'),
  });
export const ZFinishBody = z.object({
  summary: z.string().trim().max(20000).optional(),
  /** 参与人数 and 服务人次 (0041); when not given: those who checked in, and the residents among them. */
  participants: z.number().int().min(0).max(1_000_000).optional(),
  peopleServed: z.number().int().min(0).max(1_000_000).optional(),
  overrides: z
    .array(z.object({ signupId: ZId, reason: z.string().trim().min(1).max(500) }))
    .max(1000)
    .optional(),
});
