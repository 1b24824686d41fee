import { and, desc, eq, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { activities, orgs, serviceRecords, volunteers } from '../../db/schema.ts';

const columns = {
  r: serviceRecords,
  orgName: orgs.name,
  orgPath: sql<string>`${orgs.path}::text`,
  volunteerName: volunteers.realName,
  volunteerUserId: volunteers.userId,
  activityStartsAt: activities.startsAt,
  activityEndsAt: activities.endsAt,
};

export type RecordRow = typeof serviceRecords.$inferSelect & {
  orgName: string;
  orgPath: string;
  volunteerName: string;
  volunteerUserId: string;
  /** An activity's record: the activity's times (hours plausibility). */
  activity: { startsAt: Date; endsAt: Date } | null;
};
type RecordStatus = RecordRow['status'];

const flatten = (x: {
  r: typeof serviceRecords.$inferSelect;
  orgName: string;
  orgPath: string;
  volunteerName: string;
  volunteerUserId: string;
  activityStartsAt: Date | null;
  activityEndsAt: Date | null;
}): RecordRow => ({
  ...x.r,
  orgName: x.orgName,
  orgPath: x.orgPath,
  volunteerName: x.volunteerName,
  volunteerUserId: x.volunteerUserId,
  activity: x.activityStartsAt && x.activityEndsAt ? { startsAt: x.activityStartsAt, endsAt: x.activityEndsAt } : null,
});

export function createRecordsRepository(db: Executor) {
  const base = (tx: Executor) =>
    tx
      .select(columns)
      .from(serviceRecords)
      .innerJoin(orgs, and(eq(orgs.cityCode, serviceRecords.cityCode), eq(orgs.id, serviceRecords.orgId)))
      .innerJoin(volunteers, and(eq(volunteers.cityCode, serviceRecords.cityCode), eq(volunteers.id, serviceRecords.volunteerId)))
      .leftJoin(
        activities,
        and(eq(activities.cityCode, serviceRecords.cityCode), eq(activities.id, serviceRecords.sourceId), eq(serviceRecords.sourceType, 'activity')),
      );
  return {
    /** Inserts a pending record; once per (volunteer, source). Returns false when it exists. */
    async insert(row: typeof serviceRecords.$inferInsert, tx: Executor = db) {
      const r = await tx.insert(serviceRecords).values(row).onConflictDoNothing().returning({ id: serviceRecords.id });
      return r.length > 0;
    },
    async byId(id: string, tx: Executor = db): Promise<RecordRow | null> {
      const [r] = await base(tx).where(eq(serviceRecords.id, id));
      return r ? flatten(r) : null;
    },
    async list(
      f: { scope?: SQL; volunteerId?: string; status?: RecordStatus; teamIds?: string[]; before?: { createdAt: Date; id: string }; limit: number },
      tx: Executor = db,
    ) {
      const conds: (SQL | undefined)[] = [];
      if (f.scope && f.teamIds?.length) conds.push(or(f.scope, inArray(serviceRecords.teamId, f.teamIds)));
      else if (f.scope) conds.push(f.scope);
      else if (f.teamIds) conds.push(f.teamIds.length ? inArray(serviceRecords.teamId, f.teamIds) : sql`FALSE`);
      if (f.volunteerId) conds.push(eq(serviceRecords.volunteerId, f.volunteerId));
      if (f.status) conds.push(eq(serviceRecords.status, f.status));
      if (f.before)
        conds.push(
          or(lt(serviceRecords.createdAt, f.before.createdAt), and(eq(serviceRecords.createdAt, f.before.createdAt), lt(serviceRecords.id, f.before.id))),
        );
      return (
        await base(tx)
          .where(and(...conds))
          .orderBy(desc(serviceRecords.createdAt), desc(serviceRecords.id))
          .limit(f.limit)
      ).map(flatten);
    },
    /** The state change as one conditional update: null when the record was not in `from`. */
    async transition(
      cityCode: string,
      id: string,
      from: RecordStatus,
      to: RecordStatus,
      by: string,
      note: string | null,
      tx: Executor,
      /** Verifying an implausible claim: the reviewer's reason. */
      overrideReason?: string,
    ) {
      const [r] = await tx
        .update(serviceRecords)
        .set({ status: to, decidedBy: by, decidedAt: new Date(), decisionNote: note, ...(overrideReason ? { overrideReason } : {}) })
        .where(and(eq(serviceRecords.cityCode, cityCode), eq(serviceRecords.id, id), eq(serviceRecords.status, from)))
        .returning();
      return r ?? null;
    },
  };
}

export type RecordsRepository = ReturnType<typeof createRecordsRepository>;
