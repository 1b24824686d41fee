import { and, asc, desc, eq, gt, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import {
  activities,
  activityRequiredQualifications,
  orgs,
  resources,
  resourceTypes,
  trainingCourses,
  trainingLecturers,
  trainingRecords,
  trainingSessions,
  trainingSignups,
  users,
  volunteerQualifications,
  volunteers,
} from '../../db/schema.ts';

const orgPath = sql<string>`${orgs.path}::text`;
export type LecturerRow = typeof trainingLecturers.$inferSelect & { orgName: string; orgPath: string; resourceName: string | null };
export type CourseRow = typeof trainingCourses.$inferSelect & { orgName: string; orgPath: string };
export type SessionRow = typeof trainingSessions.$inferSelect & {
  orgName: string;
  orgPath: string;
  courseTitle: string;
  courseCategory: string;
  courseHours: number;
  courseQualification: string | null;
  courseQualificationMonths: number | null;
  courseLecturerIds: string[];
};
export type SignupRow = typeof trainingSignups.$inferSelect;
export type QualificationRow = typeof volunteerQualifications.$inferSelect;

export function createTrainingRepository(db: Executor) {
  const lecturerBase = (tx: Executor) =>
    tx
      .select({ l: trainingLecturers, orgName: orgs.name, orgPath, resourceName: resources.name })
      .from(trainingLecturers)
      .innerJoin(orgs, and(eq(orgs.cityCode, trainingLecturers.cityCode), eq(orgs.id, trainingLecturers.orgId)))
      .leftJoin(resources, and(eq(resources.cityCode, trainingLecturers.cityCode), eq(resources.id, trainingLecturers.resourceId)));
  const courseBase = (tx: Executor) =>
    tx
      .select({ c: trainingCourses, orgName: orgs.name, orgPath })
      .from(trainingCourses)
      .innerJoin(orgs, and(eq(orgs.cityCode, trainingCourses.cityCode), eq(orgs.id, trainingCourses.orgId)));
  const sessionBase = (tx: Executor) =>
    tx
      .select({
        s: trainingSessions,
        orgName: orgs.name,
        orgPath,
        courseTitle: trainingCourses.title,
        courseCategory: trainingCourses.category,
        courseHours: trainingCourses.hours,
        courseQualification: trainingCourses.qualification,
        courseQualificationMonths: trainingCourses.qualificationMonths,
        courseLecturerIds: trainingCourses.lecturerIds,
      })
      .from(trainingSessions)
      .innerJoin(orgs, and(eq(orgs.cityCode, trainingSessions.cityCode), eq(orgs.id, trainingSessions.orgId)))
      .innerJoin(trainingCourses, and(eq(trainingCourses.cityCode, trainingSessions.cityCode), eq(trainingCourses.id, trainingSessions.courseId)));
  type SessionSel = Awaited<ReturnType<ReturnType<typeof sessionBase>['execute']>>[number];
  const flatSession = (r: SessionSel): SessionRow => {
    const { s, ...rest } = r;
    return { ...s, ...rest, courseHours: Number(rest.courseHours) };
  };

  return {
    // ── lecturers ──
    async insertLecturer(tx: Executor, row: typeof trainingLecturers.$inferInsert) {
      await tx.insert(trainingLecturers).values(row);
    },
    async lecturerById(id: string, tx: Executor = db): Promise<LecturerRow | null> {
      const [r] = await lecturerBase(tx).where(eq(trainingLecturers.id, id));
      return r ? { ...r.l, orgName: r.orgName, orgPath: r.orgPath, resourceName: r.resourceName } : null;
    },
    async lecturersByIds(cityCode: string, ids: string[], tx: Executor = db): Promise<LecturerRow[]> {
      if (!ids.length) return [];
      const rows = await lecturerBase(tx).where(and(eq(trainingLecturers.cityCode, cityCode), inArray(trainingLecturers.id, ids)));
      return rows.map((r) => ({ ...r.l, orgName: r.orgName, orgPath: r.orgPath, resourceName: r.resourceName }));
    },
    async listLecturers(f: { scope: SQL; orgPath?: string; q?: string; after?: { name: string; id: string }; limit: number }, tx: Executor = db) {
      const conds: SQL[] = [f.scope];
      if (f.orgPath) conds.push(sql`${orgs.path} <@ ${f.orgPath}::ltree`);
      if (f.q) conds.push(sql`${trainingLecturers.name} ILIKE ${'%' + f.q.replace(/[\\%_]/g, '\\$&') + '%'}`);
      if (f.after)
        conds.push(or(gt(trainingLecturers.name, f.after.name), and(eq(trainingLecturers.name, f.after.name), gt(trainingLecturers.id, f.after.id)))!);
      const rows = await lecturerBase(tx)
        .where(and(...conds))
        .orderBy(asc(trainingLecturers.name), asc(trainingLecturers.id))
        .limit(f.limit);
      return rows.map((r) => ({ ...r.l, orgName: r.orgName, orgPath: r.orgPath, resourceName: r.resourceName }));
    },
    async updateLecturer(tx: Executor, cityCode: string, id: string, patch: Partial<typeof trainingLecturers.$inferInsert>) {
      await tx
        .update(trainingLecturers)
        .set({ ...patch, updatedAt: new Date() })
        .where(and(eq(trainingLecturers.cityCode, cityCode), eq(trainingLecturers.id, id)));
    },
    /** A talent resource (资源库 人才师资) of the city, with its site's path. */
    async talentResource(cityCode: string, id: string, tx: Executor = db) {
      const [r] = await tx
        .select({ id: resources.id, name: resources.name, orgPath, category: resourceTypes.category })
        .from(resources)
        .innerJoin(orgs, and(eq(orgs.cityCode, resources.cityCode), eq(orgs.id, resources.orgId)))
        .leftJoin(resourceTypes, eq(resourceTypes.code, resources.type))
        .where(and(eq(resources.cityCode, cityCode), eq(resources.id, id)));
      return r ?? null;
    },

    // ── courses ──
    async insertCourse(tx: Executor, row: typeof trainingCourses.$inferInsert) {
      await tx.insert(trainingCourses).values(row);
    },
    async courseById(id: string, tx: Executor = db): Promise<CourseRow | null> {
      const [r] = await courseBase(tx).where(eq(trainingCourses.id, id));
      return r ? { ...r.c, orgName: r.orgName, orgPath: r.orgPath } : null;
    },
    async listCourses(f: { scope: SQL; orgPath?: string; q?: string; before?: { createdAt: Date; id: string }; limit: number }, tx: Executor = db) {
      const conds: SQL[] = [f.scope];
      if (f.orgPath) conds.push(sql`${orgs.path} <@ ${f.orgPath}::ltree`);
      if (f.q) conds.push(sql`${trainingCourses.title} ILIKE ${'%' + f.q.replace(/[\\%_]/g, '\\$&') + '%'}`);
      if (f.before)
        conds.push(
          or(lt(trainingCourses.createdAt, f.before.createdAt), and(eq(trainingCourses.createdAt, f.before.createdAt), lt(trainingCourses.id, f.before.id)))!,
        );
      const rows = await courseBase(tx)
        .where(and(...conds))
        .orderBy(desc(trainingCourses.createdAt), desc(trainingCourses.id))
        .limit(f.limit);
      return rows.map((r) => ({ ...r.c, orgName: r.orgName, orgPath: r.orgPath }));
    },
    async updateCourse(tx: Executor, cityCode: string, id: string, patch: Partial<typeof trainingCourses.$inferInsert>) {
      await tx
        .update(trainingCourses)
        .set({ ...patch, updatedAt: new Date() })
        .where(and(eq(trainingCourses.cityCode, cityCode), eq(trainingCourses.id, id)));
    },

    // ── sessions ──
    async insertSession(tx: Executor, row: typeof trainingSessions.$inferInsert) {
      await tx.insert(trainingSessions).values(row);
    },
    async sessionById(id: string, tx: Executor = db): Promise<SessionRow | null> {
      const [r] = await sessionBase(tx).where(eq(trainingSessions.id, id));
      return r ? flatSession(r) : null;
    },
    async listSessions(
      f: { where: SQL; mineUserId?: string; before?: { startsAt: Date; id: string }; after?: { startsAt: Date; id: string }; limit: number },
      tx: Executor = db,
    ): Promise<SessionRow[]> {
      const conds: SQL[] = [f.where];
      if (f.mineUserId)
        conds.push(
          inArray(
            sql`(${trainingSessions.cityCode}, ${trainingSessions.id})`,
            tx.select({ c: trainingSignups.cityCode, s: trainingSignups.sessionId }).from(trainingSignups).where(eq(trainingSignups.userId, f.mineUserId)),
          ),
        );
      // Newest first for staff and "mine", soonest first for the open ones.
      if (f.before)
        conds.push(
          or(lt(trainingSessions.startsAt, f.before.startsAt), and(eq(trainingSessions.startsAt, f.before.startsAt), lt(trainingSessions.id, f.before.id)))!,
        );
      if (f.after)
        conds.push(
          or(gt(trainingSessions.startsAt, f.after.startsAt), and(eq(trainingSessions.startsAt, f.after.startsAt), gt(trainingSessions.id, f.after.id)))!,
        );
      const order = f.after ? [asc(trainingSessions.startsAt), asc(trainingSessions.id)] : [desc(trainingSessions.startsAt), desc(trainingSessions.id)];
      const rows = await sessionBase(tx)
        .where(and(...conds))
        .orderBy(...order)
        .limit(f.limit);
      return rows.map(flatSession);
    },
    async lockSession(tx: Executor, cityCode: string, id: string) {
      const [r] = await tx
        .select({ state: trainingSessions.state })
        .from(trainingSessions)
        .where(and(eq(trainingSessions.cityCode, cityCode), eq(trainingSessions.id, id)))
        .for('update');
      return r ?? null;
    },
    /** Takes a place if one is left (conditional, so concurrent sign-ups never overfill). */
    async takePlace(tx: Executor, cityCode: string, id: string): Promise<boolean> {
      const r = await tx
        .update(trainingSessions)
        .set({ registered: sql`${trainingSessions.registered} + 1` })
        .where(
          and(
            eq(trainingSessions.cityCode, cityCode),
            eq(trainingSessions.id, id),
            eq(trainingSessions.state, 'open'),
            sql`${trainingSessions.registered} < ${trainingSessions.capacity}`,
          ),
        )
        .returning({ id: trainingSessions.id });
      return r.length === 1;
    },
    async transition(tx: Executor, cityCode: string, id: string, from: string, to: 'finished' | 'cancelled', at: Date): Promise<boolean> {
      const r = await tx
        .update(trainingSessions)
        .set({ state: to, finishedAt: at })
        .where(and(eq(trainingSessions.cityCode, cityCode), eq(trainingSessions.id, id), eq(trainingSessions.state, from as 'open')))
        .returning({ id: trainingSessions.id });
      return r.length === 1;
    },
    async insertSignup(tx: Executor, row: typeof trainingSignups.$inferInsert) {
      await tx.insert(trainingSignups).values(row);
    },
    async signupOf(cityCode: string, sessionId: string, userId: string, tx: Executor = db): Promise<SignupRow | null> {
      const [r] = await tx
        .select()
        .from(trainingSignups)
        .where(and(eq(trainingSignups.cityCode, cityCode), eq(trainingSignups.sessionId, sessionId), eq(trainingSignups.userId, userId)));
      return r ?? null;
    },
    async signups(cityCode: string, sessionId: string, tx: Executor = db) {
      return tx
        .select({ s: trainingSignups, name: volunteers.realName, phone: users.phone })
        .from(trainingSignups)
        .innerJoin(volunteers, and(eq(volunteers.cityCode, trainingSignups.cityCode), eq(volunteers.id, trainingSignups.volunteerId)))
        .leftJoin(users, eq(users.id, trainingSignups.userId))
        .where(and(eq(trainingSignups.cityCode, cityCode), eq(trainingSignups.sessionId, sessionId)))
        .orderBy(asc(trainingSignups.createdAt), asc(trainingSignups.id));
    },
    /** Stamps attendance once: false when already stamped. */
    async stamp(tx: Executor, cityCode: string, signupId: string, at: Date, note: string | null): Promise<boolean> {
      const r = await tx
        .update(trainingSignups)
        .set({ checkinAt: at, attendanceNote: note })
        .where(and(eq(trainingSignups.cityCode, cityCode), eq(trainingSignups.id, signupId), isNull(trainingSignups.checkinAt)))
        .returning({ id: trainingSignups.id });
      return r.length === 1;
    },
    async signupById(cityCode: string, id: string, tx: Executor = db): Promise<SignupRow | null> {
      const [r] = await tx
        .select()
        .from(trainingSignups)
        .where(and(eq(trainingSignups.cityCode, cityCode), eq(trainingSignups.id, id)));
      return r ?? null;
    },

    // ── records and qualifications ──
    async insertRecords(tx: Executor, rows: (typeof trainingRecords.$inferInsert)[]) {
      if (rows.length) await tx.insert(trainingRecords).values(rows).onConflictDoNothing();
    },
    async recordsOf(cityCode: string, volunteerId: string, tx: Executor = db) {
      return tx
        .select({ r: trainingRecords, orgName: orgs.name })
        .from(trainingRecords)
        .innerJoin(orgs, and(eq(orgs.cityCode, trainingRecords.cityCode), eq(orgs.id, trainingRecords.orgId)))
        .where(and(eq(trainingRecords.cityCode, cityCode), eq(trainingRecords.volunteerId, volunteerId)))
        .orderBy(desc(trainingRecords.trainedOn), desc(trainingRecords.id));
    },
    async insertQualifications(tx: Executor, rows: (typeof volunteerQualifications.$inferInsert)[]) {
      if (rows.length) await tx.insert(volunteerQualifications).values(rows).onConflictDoNothing();
    },
    async qualificationsOf(cityCode: string, volunteerId: string, tx: Executor = db): Promise<QualificationRow[]> {
      return tx
        .select()
        .from(volunteerQualifications)
        .where(and(eq(volunteerQualifications.cityCode, cityCode), eq(volunteerQualifications.volunteerId, volunteerId)))
        .orderBy(asc(volunteerQualifications.name), desc(volunteerQualifications.createdAt));
    },
    async qualificationById(id: string, tx: Executor = db): Promise<QualificationRow | null> {
      const [r] = await tx.select().from(volunteerQualifications).where(eq(volunteerQualifications.id, id));
      return r ?? null;
    },
    async revokeQualification(tx: Executor, cityCode: string, id: string, at: Date): Promise<boolean> {
      const r = await tx
        .update(volunteerQualifications)
        .set({ revokedAt: at })
        .where(and(eq(volunteerQualifications.cityCode, cityCode), eq(volunteerQualifications.id, id), isNull(volunteerQualifications.revokedAt)))
        .returning({ id: volunteerQualifications.id });
      return r.length === 1;
    },

    // ── what an activity requires ──
    /** The activity's city, site path, creator and start, to check who may set its requirements. */
    async activityRef(id: string, tx: Executor = db) {
      const [r] = await tx
        .select({
          cityCode: activities.cityCode,
          id: activities.id,
          orgPath,
          createdBy: activities.createdBy,
          startsAt: activities.startsAt,
          state: activities.state,
        })
        .from(activities)
        .innerJoin(orgs, and(eq(orgs.cityCode, activities.cityCode), eq(orgs.id, activities.orgId)))
        .where(eq(activities.id, id));
      return r ?? null;
    },
    async requiredOf(cityCode: string, activityId: string, tx: Executor = db): Promise<string[]> {
      const rows = await tx
        .select({ name: activityRequiredQualifications.name })
        .from(activityRequiredQualifications)
        .where(and(eq(activityRequiredQualifications.cityCode, cityCode), eq(activityRequiredQualifications.activityId, activityId)))
        .orderBy(asc(activityRequiredQualifications.name));
      return rows.map((r) => r.name);
    },
    async setRequired(tx: Executor, cityCode: string, activityId: string, names: string[]) {
      await tx
        .delete(activityRequiredQualifications)
        .where(and(eq(activityRequiredQualifications.cityCode, cityCode), eq(activityRequiredQualifications.activityId, activityId)));
      if (names.length) await tx.insert(activityRequiredQualifications).values(names.map((name) => ({ cityCode, activityId, name })));
    },
  };
}

export type TrainingRepository = ReturnType<typeof createTrainingRepository>;
