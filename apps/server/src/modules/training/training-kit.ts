// 培训 (training): the dependencies and helpers its use cases share (use-cases/*.ts).
import { z } from 'zod';
import type { CourseDto, LecturerDto, QualificationDto, TrainingSessionDto } from '@wenming/contracts';
import { checkinWindow, localDate, qualificationValid } from '@wenming/domain';
import type { Db } from '../../db/client.ts';
import { forbidden, notFound } from '../../lib/errors.ts';
import { ZCursorTime } from '../../lib/cursor.ts';
import { toIso } from '../../lib/time.ts';
import { inScope, isAncestorPath, MANAGE_ROLES, READ_ROLES, requireActor, scopeOf, type Actor, type RequestCtx, type StaffRole } from '../../lib/policy.ts';
import type { AuditRepository } from '../audit/index.ts';
import type { OrgsRepository } from '../orgs/index.ts';
import type { VolunteersRepository, VolunteersService } from '../volunteers/index.ts';
import type { NotificationsRepository } from '../notifications/index.ts';
import type { CourseRow, LecturerRow, QualificationRow, SessionRow, SignupRow, TrainingRepository } from './training.repository.ts';

export const ZCreatedCursor = z.object({ createdAt: ZCursorTime, id: z.string().uuid() });
export const ZStartsCursor = z.object({ startsAt: ZCursorTime, id: z.string().uuid() });
export const ZNameCursor = z.object({ name: z.string(), id: z.string().uuid() });

export const courseNotFound = () => notFound({ zh: '课程不存在', en: 'No such course' });
export const lecturerNotFound = () => notFound({ zh: '讲师不存在', en: 'No such lecturer' });
export const sessionNotFound = () => notFound({ zh: '培训班次不存在', en: 'No such training session' });
export const siteNotFound = () => notFound({ zh: '阵地不存在', en: 'No such site' });
export const outOfScope = () => forbidden({ zh: '该阵地不在您的管辖范围内', en: 'This site is outside your scope' });

/** Rotating QR check-in codes (the activities' scheme, under a key of its own). */
export interface CheckinCodes {
  issue(id: string, at: Date): { code: string; expiresAt: Date };
  verify(id: string, code: string, at: Date): boolean;
}

export interface TrainingDeps {
  db: Db;
  training: TrainingRepository;
  orgs: OrgsRepository;
  volunteers: VolunteersRepository;
  volunteersService: VolunteersService;
  notifications: NotificationsRepository;
  audit: AuditRepository;
  codes: CheckinCodes;
  clock?: () => Date;
}

export function createTrainingKit(deps: TrainingDeps) {
  const { training } = deps;
  const now = deps.clock ?? (() => new Date());
  const today = () => localDate(now());

  const holds = (actor: Actor, roles: readonly StaffRole[], ref: { cityCode: string; orgPath: string }) =>
    inScope(scopeOf(actor, roles), { cityCode: ref.cityCode, path: ref.orgPath });
  const isStaffAnywhere = (actor: Actor) => {
    const s = scopeOf(actor, READ_ROLES);
    return s.all || s.subtrees.length > 0;
  };

  /** A site the actor manages (org_admin of its subtree). */
  async function managedOrg(actor: Actor, orgId: string) {
    const org = await deps.orgs.byId(orgId);
    if (!org) throw siteNotFound();
    if (!inScope(scopeOf(actor, MANAGE_ROLES), org)) throw outOfScope();
    return org;
  }

  /** A course or lecturer is readable by staff of its subtree and of the sites below it (a district's library serves its stations). */
  const usableBy = (actor: Actor, row: { cityCode: string; orgPath: string }) => {
    if (holds(actor, READ_ROLES, row)) return true;
    return actor.grants.some((g) => (READ_ROLES as string[]).includes(g.role) && g.cityCode === row.cityCode && isAncestorPath(row.orgPath, g.orgPath));
  };

  async function loadCourse(ctx: RequestCtx, id: string, manage = false) {
    const actor = requireActor(ctx);
    const c = await training.courseById(id);
    if (!c) throw courseNotFound();
    if (manage ? !holds(actor, MANAGE_ROLES, c) : !usableBy(actor, c)) {
      if (isStaffAnywhere(actor)) throw outOfScope();
      throw courseNotFound();
    }
    return { actor, c };
  }

  async function loadLecturer(ctx: RequestCtx, id: string) {
    const actor = requireActor(ctx);
    const l = await training.lecturerById(id);
    if (!l) throw lecturerNotFound();
    if (!holds(actor, MANAGE_ROLES, l)) {
      if (isStaffAnywhere(actor)) throw outOfScope();
      throw lecturerNotFound();
    }
    return { actor, l };
  }

  /** A session: anyone signed in may read it; organiser operations need staff of its site's subtree. */
  async function loadSession(ctx: RequestCtx, id: string, organiser = false) {
    const actor = requireActor(ctx);
    const s = await training.sessionById(id);
    if (!s) throw sessionNotFound();
    const isOrganiser = holds(actor, READ_ROLES, s);
    if (organiser && !isOrganiser) throw forbidden({ zh: '只有培训组织者可以操作', en: 'Only the organiser may do this' });
    return { actor, s, isOrganiser };
  }

  function presentLecturer(l: LecturerRow): LecturerDto {
    return {
      id: l.id,
      orgId: l.orgId,
      orgName: l.orgName,
      name: l.name,
      title: l.title,
      bio: l.bio,
      specialties: l.specialties,
      resourceId: l.resourceId,
      resourceName: l.resourceName,
      status: l.status,
    };
  }

  async function presentCourse(c: CourseRow): Promise<CourseDto> {
    const ls = await training.lecturersByIds(c.cityCode, c.lecturerIds);
    return {
      id: c.id,
      orgId: c.orgId,
      orgName: c.orgName,
      title: c.title,
      category: c.category,
      hours: Number(c.hours),
      description: c.description,
      lecturers: c.lecturerIds.map((id) => ls.find((l) => l.id === id)).flatMap((l) => (l ? [{ id: l.id, name: l.name }] : [])),
      qualification: c.qualification,
      qualificationMonths: c.qualificationMonths,
      status: c.status,
      createdAt: toIso(c.createdAt),
    };
  }

  async function presentSession(actor: Actor, s: SessionRow, opts: { organiser?: boolean; signup?: SignupRow | null } = {}): Promise<TrainingSessionDto> {
    const organiser = opts.organiser ?? holds(actor, READ_ROLES, s);
    const signup = opts.signup === undefined ? await training.signupOf(s.cityCode, s.id, actor.userId) : opts.signup;
    const t = now();
    const actions: string[] = [];
    if (s.state === 'open') {
      if (organiser) actions.push('checkinCode', 'attendance', 'cancel');
      if (organiser && t >= s.startsAt) actions.push('finish');
      if (!signup && t < s.startsAt && s.registered < s.capacity) actions.push('signup');
      const w = checkinWindow(s.startsAt, s.endsAt);
      if (signup && !signup.checkinAt && t >= w.from && t <= w.to) actions.push('checkin');
    }
    const lecturers = await training.lecturersByIds(s.cityCode, s.courseLecturerIds);
    return {
      id: s.id,
      course: {
        id: s.courseId,
        title: s.courseTitle,
        category: s.courseCategory,
        hours: s.courseHours,
        qualification: s.courseQualification,
        lecturers: lecturers.map((l) => l.name),
      },
      orgId: s.orgId,
      orgName: s.orgName,
      address: s.address,
      startsAt: toIso(s.startsAt),
      endsAt: toIso(s.endsAt),
      capacity: s.capacity,
      registered: s.registered,
      state: s.state,
      mySignup: signup ? { id: signup.id, checkinAt: signup.checkinAt ? toIso(signup.checkinAt) : null } : null,
      allowedActions: actions,
    };
  }

  function presentQualification(q: QualificationRow, day = today()): QualificationDto {
    return {
      id: q.id,
      name: q.name,
      validUntil: q.validUntil,
      valid: qualificationValid(q, day),
      source: q.source,
      note: q.note,
      createdAt: toIso(q.createdAt),
    };
  }

  return {
    ...deps,
    now,
    today,
    holds,
    isStaffAnywhere,
    managedOrg,
    usableBy,
    loadCourse,
    loadLecturer,
    loadSession,
    presentLecturer,
    presentCourse,
    presentSession,
    presentQualification,
  };
}

export type TrainingKit = ReturnType<typeof createTrainingKit>;
