import { and, asc, desc, eq, gte, ilike, inArray, isNotNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { idMatch } from '../../db/city-id.ts';
import type { Executor } from '../../db/client.ts';
import { activities, activityRatings, activitySignups, orgs, resources, users, volunteers } from '../../db/schema.ts';

export type ActivityRow = typeof activities.$inferSelect & { orgName: string; orgPath: string };
export type SignupRow = typeof activitySignups.$inferSelect;
type ActivityState = ActivityRow['state'];

export function createActivitiesRepository(db: Executor) {
  const base = (tx: Executor) =>
    tx
      .select({ a: activities, orgName: orgs.name, orgPath: sql<string>`${orgs.path}::text` })
      .from(activities)
      .innerJoin(orgs, and(eq(orgs.cityCode, activities.cityCode), eq(orgs.id, activities.orgId)));
  const flat = (r: { a: typeof activities.$inferSelect; orgName: string; orgPath: string }): ActivityRow => ({
    ...r.a,
    orgName: r.orgName,
    orgPath: r.orgPath,
  });

  return {
    async insert(row: typeof activities.$inferInsert, tx: Executor = db) {
      await tx.insert(activities).values(row);
    },
    /** The site (city code, ltree path) of a resource of the library, to check an activity may name it. */
    async resourceSite(cityCode: string, id: string, tx: Executor = db): Promise<{ cityCode: string; path: string } | null> {
      const [r] = await tx
        .select({ cityCode: orgs.cityCode, path: sql<string>`${orgs.path}::text` })
        .from(resources)
        .innerJoin(orgs, and(eq(orgs.cityCode, resources.cityCode), eq(orgs.id, resources.orgId)))
        .where(and(eq(resources.cityCode, cityCode), eq(resources.id, id)));
      return r ?? null;
    },

    async byId(id: string, tx: Executor = db): Promise<ActivityRow | null> {
      const [r] = await base(tx).where(idMatch(activities, id));
      return r ? flat(r) : null;
    },
    async list(
      f: {
        scope: SQL;
        visibleStates: SQL;
        orgPath?: string;
        from?: Date;
        to?: Date;
        category?: string;
        q?: string;
        state?: ActivityState;
        ids?: string[];
        report?: boolean;
        seriesId?: string;
        limit: number;
        after?: { startsAt: Date; id: string };
      },
      tx: Executor = db,
    ) {
      const conds: (SQL | undefined)[] = [f.scope, f.visibleStates];
      if (f.orgPath) conds.push(sql`${orgs.path} <@ ${f.orgPath}::ltree`);
      if (f.from) conds.push(gte(activities.endsAt, f.from));
      if (f.to) conds.push(lte(activities.startsAt, f.to));
      if (f.category) conds.push(eq(activities.category, f.category));
      if (f.state) conds.push(eq(activities.state, f.state));
      if (f.ids) conds.push(f.ids.length ? inArray(activities.id, f.ids) : sql`FALSE`);
      if (f.q) {
        const like = `%${f.q.replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
        conds.push(or(ilike(activities.title, like), ilike(activities.description, like), ilike(activities.address, like)));
      }
      if (f.seriesId) conds.push(eq(activities.seriesId, f.seriesId));
      if (f.report) {
        // 宣传展示: newest first.
        conds.push(isNotNull(activities.reportPublishedAt));
        if (f.after) conds.push(sql`(${activities.startsAt}, ${activities.id}) < (${f.after.startsAt}, ${f.after.id})`);
        return (
          await base(tx)
            .where(and(...conds))
            .orderBy(desc(activities.startsAt), desc(activities.id))
            .limit(f.limit)
        ).map(flat);
      }
      if (f.after) conds.push(sql`(${activities.startsAt}, ${activities.id}) > (${f.after.startsAt}, ${f.after.id})`);
      return (
        await base(tx)
          .where(and(...conds))
          .orderBy(asc(activities.startsAt), asc(activities.id))
          .limit(f.limit)
      ).map(flat);
    },
    /** A state change as one conditional update. */
    async transition(tx: Executor, cityCode: string, id: string, from: ActivityState, to: ActivityState, patch: Partial<typeof activities.$inferInsert> = {}) {
      const [r] = await tx
        .update(activities)
        .set({ ...patch, state: to })
        .where(and(eq(activities.cityCode, cityCode), eq(activities.id, id), eq(activities.state, from)))
        .returning();
      return r ?? null;
    },
    /** Locks the activity row: sign-ups, withdrawals and promotions of one activity go one at a time. */
    async lock(tx: Executor, cityCode: string, id: string) {
      const res = await tx.execute(
        sql`SELECT state, volunteer_quota, public_quota, volunteer_registered, public_registered FROM activities WHERE city_code = ${cityCode} AND id = ${id} FOR UPDATE`,
      );
      return (
        (res as { rows: { state: ActivityState; volunteer_quota: number; public_quota: number; volunteer_registered: number; public_registered: number }[] })
          .rows[0] ?? null
      );
    },
    /** Takes one place of the role if one is free (the CHECK constraint is the last word). */
    async takePlace(tx: Executor, cityCode: string, id: string, role: 'volunteer' | 'resident'): Promise<boolean> {
      const col = role === 'volunteer' ? sql`volunteer_registered` : sql`public_registered`;
      const quota = role === 'volunteer' ? sql`volunteer_quota` : sql`public_quota`;
      const res = await tx.execute(
        sql`UPDATE activities SET ${col} = ${col} + 1 WHERE city_code = ${cityCode} AND id = ${id} AND ${col} < ${quota} RETURNING id`,
      );
      return (res as { rows: unknown[] }).rows.length > 0;
    },
    async releasePlace(tx: Executor, cityCode: string, id: string, role: 'volunteer' | 'resident') {
      const col = role === 'volunteer' ? sql`volunteer_registered` : sql`public_registered`;
      await tx.execute(sql`UPDATE activities SET ${col} = ${col} - 1 WHERE city_code = ${cityCode} AND id = ${id}`);
    },
    async insertSignup(tx: Executor, row: typeof activitySignups.$inferInsert) {
      const [r] = await tx.insert(activitySignups).values(row).returning();
      return r!;
    },
    async signupOf(activityId: string, userId: string, tx: Executor = db): Promise<SignupRow | null> {
      const [r] = await tx
        .select()
        .from(activitySignups)
        .where(
          and(eq(activitySignups.activityId, activityId), eq(activitySignups.userId, userId), inArray(activitySignups.status, ['registered', 'waitlisted'])),
        );
      return r ?? null;
    },
    async signupById(id: string, tx: Executor = db): Promise<SignupRow | null> {
      const [r] = await tx.select().from(activitySignups).where(eq(activitySignups.id, id));
      return r ?? null;
    },
    async withdraw(tx: Executor, cityCode: string, signupId: string) {
      const [r] = await tx
        .update(activitySignups)
        .set({ status: 'withdrawn', updatedAt: new Date() })
        .where(and(eq(activitySignups.cityCode, cityCode), eq(activitySignups.id, signupId), inArray(activitySignups.status, ['registered', 'waitlisted'])))
        .returning();
      return r ?? null;
    },
    /** Promotes the first waitlisted person of the role; call with the activity row locked. */
    async promoteFirst(tx: Executor, cityCode: string, activityId: string, role: 'volunteer' | 'resident') {
      const res = await tx.execute(sql`
        UPDATE activity_signups SET status = 'registered', updated_at = now()
        WHERE city_code = ${cityCode} AND id = (
          SELECT id FROM activity_signups
          WHERE city_code = ${cityCode} AND activity_id = ${activityId} AND role = ${role} AND status = 'waitlisted'
          ORDER BY seq LIMIT 1
        )
        RETURNING id, user_id`);
      return (res as { rows: { id: string; user_id: string }[] }).rows[0] ?? null;
    },
    async waitlistPosition(cityCode: string, activityId: string, role: string, seq: number, tx: Executor = db): Promise<number> {
      const res = await tx.execute(
        sql`SELECT count(*)::int AS n FROM activity_signups WHERE city_code = ${cityCode} AND activity_id = ${activityId} AND role = ${role} AND status = 'waitlisted' AND seq <= ${seq}`,
      );
      return Number((res as { rows: { n: number }[] }).rows[0]?.n ?? 0);
    },
    async signups(cityCode: string, activityId: string, tx: Executor = db) {
      return (
        tx
          .select({ s: activitySignups, realName: volunteers.realName, userName: sql<string>`${users.name}` })
          .from(activitySignups)
          .leftJoin(volunteers, and(eq(volunteers.cityCode, activitySignups.cityCode), eq(volunteers.id, activitySignups.volunteerId)))
          // A join, not a subquery per row: Citus refuses correlated subqueries (docs/scale-out.md).
          .leftJoin(users, eq(users.id, activitySignups.userId))
          .where(and(eq(activitySignups.cityCode, cityCode), eq(activitySignups.activityId, activityId)))
          .orderBy(asc(activitySignups.seq))
      );
    },
    /** Sets the check-in (or check-out) time once; returns the stored time either way. */
    async stamp(tx: Executor, cityCode: string, signupId: string, field: 'checkin' | 'checkout', at: Date) {
      const col = field === 'checkin' ? activitySignups.checkinAt : activitySignups.checkoutAt;
      const extra = field === 'checkout' ? sql`${activitySignups.checkinAt} IS NOT NULL` : undefined;
      await tx
        .update(activitySignups)
        .set(field === 'checkin' ? { checkinAt: at, updatedAt: new Date() } : { checkoutAt: at, updatedAt: new Date() })
        .where(and(eq(activitySignups.cityCode, cityCode), eq(activitySignups.id, signupId), sql`${col} IS NULL`, extra));
      const [r] = await tx
        .select()
        .from(activitySignups)
        .where(and(eq(activitySignups.cityCode, cityCode), eq(activitySignups.id, signupId)));
      return r!;
    },
    async setAttendance(tx: Executor, cityCode: string, signupId: string, checkinAt: Date, checkoutAt: Date, note: string) {
      await tx
        .update(activitySignups)
        .set({ checkinAt, checkoutAt, attendanceNote: note, updatedAt: new Date() })
        .where(and(eq(activitySignups.cityCode, cityCode), eq(activitySignups.id, signupId)));
    },
    /** Changes a draft's fields (a conditional update: null when it is no longer a draft). */
    async updateDraft(tx: Executor, cityCode: string, id: string, patch: Partial<typeof activities.$inferInsert>) {
      const [r] = await tx
        .update(activities)
        .set(patch)
        .where(and(eq(activities.cityCode, cityCode), eq(activities.id, id), eq(activities.state, 'draft')))
        .returning({ id: activities.id });
      return r ?? null;
    },
    /** The drafts of a weekly series, first occurrence first. */
    async seriesDrafts(cityCode: string, seriesId: string, tx: Executor = db) {
      return tx
        .select({ id: activities.id })
        .from(activities)
        .where(and(eq(activities.cityCode, cityCode), eq(activities.seriesId, seriesId), eq(activities.state, 'draft')))
        .orderBy(asc(activities.startsAt));
    },
    async seriesSize(cityCode: string, seriesId: string, tx: Executor = db): Promise<number> {
      const res = await tx.execute(sql`SELECT count(*)::int AS n FROM activities WHERE city_code = ${cityCode} AND series_id = ${seriesId}`);
      return Number((res as { rows: { n: number }[] }).rows[0]?.n ?? 0);
    },
    /** Whether the person took part: a registered sign-up with a check-in. */
    async attended(cityCode: string, activityId: string, userId: string, tx: Executor = db): Promise<boolean> {
      const [r] = await tx
        .select({ id: activitySignups.id })
        .from(activitySignups)
        .where(
          and(
            eq(activitySignups.cityCode, cityCode),
            eq(activitySignups.activityId, activityId),
            eq(activitySignups.userId, userId),
            eq(activitySignups.status, 'registered'),
            isNotNull(activitySignups.checkinAt),
          ),
        )
        .limit(1);
      return !!r;
    },
    /** One rating per person (the key decides); the activity's count and sum move in the same transaction. */
    async rate(tx: Executor, row: typeof activityRatings.$inferInsert): Promise<boolean> {
      const inserted = await tx.insert(activityRatings).values(row).onConflictDoNothing().returning({ score: activityRatings.score });
      if (!inserted.length) return false;
      await tx
        .update(activities)
        .set({ ratingCount: sql`${activities.ratingCount} + 1`, ratingSum: sql`${activities.ratingSum} + ${row.score}` })
        .where(and(eq(activities.cityCode, row.cityCode), eq(activities.id, row.activityId)));
      return true;
    },
    async ratingOf(cityCode: string, activityId: string, userId: string, tx: Executor = db) {
      const [r] = await tx
        .select()
        .from(activityRatings)
        .where(and(eq(activityRatings.cityCode, cityCode), eq(activityRatings.activityId, activityId), eq(activityRatings.userId, userId)));
      return r ?? null;
    },
    async ratings(cityCode: string, activityId: string, limit = 50, tx: Executor = db) {
      return tx
        .select({ r: activityRatings, name: sql<string>`${users.name}` })
        .from(activityRatings)
        .leftJoin(users, eq(users.id, activityRatings.userId))
        .where(and(eq(activityRatings.cityCode, cityCode), eq(activityRatings.activityId, activityId)))
        .orderBy(desc(activityRatings.createdAt))
        .limit(limit);
    },
    /** The cities with published activities starting within `horizonMs` not reminded yet. */
    async citiesToRemind(now: Date, horizonMs: number, tx: Executor = db): Promise<string[]> {
      const res = await tx.execute(sql`
        SELECT DISTINCT city_code FROM activities
        WHERE state = 'published' AND reminded_at IS NULL AND starts_at > ${now} AND starts_at <= ${new Date(now.getTime() + horizonMs)}`);
      return (res as { rows: { city_code: string }[] }).rows.map((r) => r.city_code);
    },
    /**
     * Claims the city's published activities starting within `horizonMs` that were not reminded
     * yet, marking them reminded; concurrent runners skip each other's rows. Returns the
     * registered people. One city per claim (FOR UPDATE on Citus must stay on one shard).
     */
    async claimReminders(tx: Executor, cityCode: string, now: Date, horizonMs: number, limit = 100) {
      const res = await tx.execute(sql`
        UPDATE activities a SET reminded_at = ${now}
        WHERE a.city_code = ${cityCode} AND (a.city_code, a.id) IN (
          SELECT city_code, id FROM activities
          WHERE city_code = ${cityCode} AND state = 'published' AND reminded_at IS NULL AND starts_at > ${now} AND starts_at <= ${new Date(now.getTime() + horizonMs)}
          ORDER BY starts_at LIMIT ${limit}
          FOR UPDATE SKIP LOCKED
        )
        RETURNING a.city_code, a.id, a.title, a.starts_at, a.address,
          ARRAY(SELECT s.user_id FROM activity_signups s WHERE s.city_code = a.city_code AND s.activity_id = a.id AND s.status = 'registered') AS user_ids`);
      return (res as { rows: { city_code: string; id: string; title: string; starts_at: Date | string; address: string | null; user_ids: string[] }[] }).rows;
    },
    async myActivityIds(userId: string, tx: Executor = db) {
      const rows = await tx
        .select({ id: activitySignups.activityId })
        .from(activitySignups)
        .where(and(eq(activitySignups.userId, userId), inArray(activitySignups.status, ['registered', 'waitlisted'])));
      return rows.map((r) => r.id);
    },
    /** The phone of each sign-up's account, by sign-up id (the organiser's export). */
    async signupPhones(cityCode: string, activityId: string, tx: Executor = db): Promise<Map<string, string>> {
      const res = await tx.execute(
        sql`SELECT s.id, u.phone FROM activity_signups s JOIN users u ON u.id = s.user_id WHERE s.city_code = ${cityCode} AND s.activity_id = ${activityId}`,
      );
      return new Map((res as { rows: { id: string; phone: string }[] }).rows.map((r) => [r.id, r.phone]));
    },
  };
}

export type ActivitiesRepository = ReturnType<typeof createActivitiesRepository>;
