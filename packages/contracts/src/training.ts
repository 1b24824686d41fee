import { z } from 'zod';
import { msg } from './i18n.ts';
import { ZId, ZInstant, ZListQuery } from './common.ts';

/** 培训: the course library, the lecturer pool, sessions with attendance, training hours, qualifications. */

const ZDay = z.iso.date({ message: msg('日期格式应为 YYYY-MM-DD', 'Use YYYY-MM-DD') });
const text = (max: number, zh: string) =>
  z
    .string()
    .trim()
    .min(1, { message: msg(`请填写${zh}`, 'Must not be empty') })
    .max(max, { message: msg(`${zh}最多${max}个字`, `At most ${max} characters`) });
const ZHours = z
  .number({ message: msg('学时须为数字', 'Hours must be a number') })
  .min(0.5, { message: msg('学时至少0.5', 'At least 0.5 hours') })
  .max(200, { message: msg('学时最多200', 'At most 200 hours') })
  .refine((h) => Number.isInteger(h * 2), { message: msg('学时以0.5为单位', 'Hours come in halves') });
export const ZQualificationName = text(40, '资质名称');

export const ZCreateLecturerBody = z.object({
  orgId: ZId,
  name: text(50, '姓名'),
  title: text(50, '职称').nullish(),
  bio: text(1000, '简介').nullish(),
  specialties: z.array(text(20, '擅长领域')).max(10).default([]),
  /** The talent resource (资源库 人才师资) this lecturer is, when there is one. */
  resourceId: ZId.nullish(),
});
export type TCreateLecturerBody = z.infer<typeof ZCreateLecturerBody>;
export const ZUpdateLecturerBody = ZCreateLecturerBody.omit({ orgId: true })
  .partial()
  .extend({ status: z.enum(['active', 'retired']).optional() });
export type TUpdateLecturerBody = z.infer<typeof ZUpdateLecturerBody>;

export const ZCreateCourseBody = z
  .object({
    orgId: ZId,
    title: text(100, '课程名称'),
    category: text(40, '课程类别'),
    hours: ZHours,
    description: text(2000, '课程简介').nullish(),
    lecturerIds: z.array(ZId).max(10).default([]),
    /** Completing the course grants this qualification (e.g. 急救证), valid for so many months (none: no expiry). */
    qualification: ZQualificationName.nullish(),
    qualificationMonths: z.number().int().min(1).max(240).nullish(),
  })
  .refine((b) => !b.qualificationMonths || b.qualification, {
    path: ['qualificationMonths'],
    message: msg('填写有效期前请先填写资质名称', 'Name the qualification first'),
  });
export type TCreateCourseBody = z.infer<typeof ZCreateCourseBody>;
export const ZUpdateCourseBody = z.object({
  title: text(100, '课程名称').optional(),
  category: text(40, '课程类别').optional(),
  hours: ZHours.optional(),
  description: text(2000, '课程简介').nullish(),
  lecturerIds: z.array(ZId).max(10).optional(),
  status: z.enum(['active', 'retired']).optional(),
});
export type TUpdateCourseBody = z.infer<typeof ZUpdateCourseBody>;

export const ZListTrainingQuery = ZListQuery.extend({ orgId: ZId.optional(), q: z.string().trim().max(50).optional() });

export const ZCreateTrainingSessionBody = z
  .object({
    courseId: ZId,
    orgId: ZId,
    address: text(200, '培训地点'),
    startsAt: ZInstant,
    endsAt: ZInstant,
    capacity: z
      .number()
      .int()
      .min(1, { message: msg('名额至少1人', 'At least one place') })
      .max(5000),
  })
  .refine((b) => new Date(b.endsAt) > new Date(b.startsAt), { path: ['endsAt'], message: msg('结束时间须晚于开始时间', 'Ends after it starts') });
export type TCreateTrainingSessionBody = z.infer<typeof ZCreateTrainingSessionBody>;

export const ZListTrainingSessionsQuery = ZListQuery.extend({
  orgId: ZId.optional(),
  /** open: sessions still to come that take sign-ups; mine: the caller's sign-ups; all (staff). */
  view: z.enum(['open', 'mine', 'all']).default('open'),
});

export const ZTrainingCheckinBody = z.object({ code: z.string().trim().min(1).max(64) });
export const ZTrainingAttendanceBody = z.object({ signupId: ZId, reason: text(200, '补录原因') });

export const ZCreateQualificationBody = z.object({
  name: ZQualificationName,
  validUntil: ZDay.nullish(),
  note: text(200, '备注').nullish(),
});
export type TCreateQualificationBody = z.infer<typeof ZCreateQualificationBody>;

export const ZRequiredQualificationsBody = z.object({ names: z.array(ZQualificationName).max(5) });

export interface LecturerDto {
  id: string;
  orgId: string;
  orgName: string;
  name: string;
  title: string | null;
  bio: string | null;
  specialties: string[];
  resourceId: string | null;
  resourceName: string | null;
  status: 'active' | 'retired';
}

export interface CourseDto {
  id: string;
  orgId: string;
  orgName: string;
  title: string;
  category: string;
  hours: number;
  description: string | null;
  lecturers: { id: string; name: string }[];
  qualification: string | null;
  qualificationMonths: number | null;
  status: 'active' | 'retired';
  createdAt: string;
}

export interface TrainingSessionDto {
  id: string;
  course: { id: string; title: string; category: string; hours: number; qualification: string | null; lecturers: string[] };
  orgId: string;
  orgName: string;
  address: string;
  startsAt: string;
  endsAt: string;
  capacity: number;
  registered: number;
  state: 'open' | 'finished' | 'cancelled';
  mySignup: { id: string; checkinAt: string | null } | null;
  allowedActions: string[];
}

export interface TrainingSignupDto {
  id: string;
  volunteerId: string;
  name: string;
  phone: string;
  checkinAt: string | null;
  attendanceNote: string | null;
}

export interface TrainingRecordDto {
  id: string;
  title: string;
  hours: number;
  trainedOn: string;
  orgName: string;
  sessionId: string | null;
}

export interface QualificationDto {
  id: string;
  name: string;
  validUntil: string | null;
  /** Valid today (not revoked, not past its date). */
  valid: boolean;
  source: 'staff' | 'course';
  note: string | null;
  createdAt: string;
}

export interface VolunteerTrainingDto {
  volunteerId: string;
  totalHours: number;
  records: TrainingRecordDto[];
  qualifications: QualificationDto[];
  allowedActions: string[];
}
