import { and, asc, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { bookingReviews, bookings, orgs, resources, resourceTypes, users } from '../../db/schema.ts';

export type ResourceRow = typeof resources.$inferSelect & {
  orgName: string;
  orgPath: string;
  category: string;
  typeName: string;
  avgScore: number | null;
  reviewCount: number;
};
export type BookingRow = typeof bookings.$inferSelect & {
  resourceName: string;
  orgId: string;
  orgName: string;
  orgPath: string;
  userName: string | null;
  userPhone: string | null;
  reviewScore: number | null;
};
type BookingStatus = BookingRow['status'];

export function createResourcesRepository(db: Executor) {
  const base = (tx: Executor) =>
    tx
      .select({
        r: resources,
        orgName: orgs.name,
        orgPath: sql<string>`${orgs.path}::text`,
        category: resourceTypes.category,
        typeName: resourceTypes.name,
        avgScore: sql<
          number | null
        >`(SELECT avg(v.score)::float FROM booking_reviews v WHERE v.city_code = resources.city_code AND v.resource_id = resources.id)`,
        reviewCount: sql<number>`(SELECT count(*)::int FROM booking_reviews v WHERE v.city_code = resources.city_code AND v.resource_id = resources.id)`,
      })
      .from(resources)
      .innerJoin(orgs, and(eq(orgs.cityCode, resources.cityCode), eq(orgs.id, resources.orgId)))
      .innerJoin(resourceTypes, eq(resourceTypes.code, resources.type));
  type Raw = Awaited<ReturnType<ReturnType<typeof base>['where']>>[number];
  const flat = (x: Raw): ResourceRow => ({
    ...x.r,
    orgName: x.orgName,
    orgPath: x.orgPath,
    category: x.category,
    typeName: x.typeName,
    avgScore: x.avgScore === null ? null : Number(x.avgScore),
    reviewCount: Number(x.reviewCount),
  });

  const bookingBase = (tx: Executor) =>
    tx
      .select({
        b: bookings,
        resourceName: resources.name,
        orgId: resources.orgId,
        orgName: orgs.name,
        orgPath: sql<string>`${orgs.path}::text`,
        userName: users.name,
        userPhone: users.phone,
        reviewScore: bookingReviews.score,
      })
      .from(bookings)
      .innerJoin(resources, and(eq(resources.cityCode, bookings.cityCode), eq(resources.id, bookings.resourceId)))
      .innerJoin(orgs, and(eq(orgs.cityCode, resources.cityCode), eq(orgs.id, resources.orgId)))
      .leftJoin(users, eq(users.id, bookings.userId))
      .leftJoin(bookingReviews, and(eq(bookingReviews.cityCode, bookings.cityCode), eq(bookingReviews.bookingId, bookings.id)));
  const flatB = (x: {
    b: typeof bookings.$inferSelect;
    resourceName: string;
    orgId: string;
    orgName: string;
    orgPath: string;
    userName: string | null;
    userPhone: string | null;
    reviewScore: number | null;
  }): BookingRow => ({
    ...x.b,
    resourceName: x.resourceName,
    orgId: x.orgId,
    orgName: x.orgName,
    orgPath: x.orgPath,
    userName: x.userName,
    userPhone: x.userPhone,
    reviewScore: x.reviewScore,
  });

  return {
    async insert(row: typeof resources.$inferInsert, tx: Executor = db) {
      const r = await tx.insert(resources).values(row).onConflictDoNothing().returning({ id: resources.id });
      return r.length > 0;
    },
    async byId(id: string, tx: Executor = db): Promise<ResourceRow | null> {
      const [r] = await base(tx).where(eq(resources.id, id));
      return r ? flat(r) : null;
    },
    async list(
      f: {
        orgPath?: string;
        type?: string;
        category?: string;
        q?: string;
        status?: 'active' | 'retired' | 'all';
        scope?: SQL;
        limit: number;
        after?: { name: string; id: string };
      },
      tx: Executor = db,
    ) {
      const conds: (SQL | undefined)[] = [f.status === 'all' ? undefined : eq(resources.status, f.status ?? 'active'), f.scope];
      if (f.orgPath) conds.push(sql`${orgs.path} <@ ${f.orgPath}::ltree`);
      if (f.type) conds.push(eq(resources.type, f.type));
      if (f.category) conds.push(eq(resourceTypes.category, f.category));
      if (f.q) {
        const like = `%${f.q.replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
        conds.push(or(ilike(resources.name, like), ilike(resources.description, like), ilike(resourceTypes.name, like)));
      }
      if (f.after) conds.push(sql`(${resources.name}, ${resources.id}) > (${f.after.name}, ${f.after.id})`);
      return (
        await base(tx)
          .where(and(...conds))
          .orderBy(asc(resources.name), asc(resources.id))
          .limit(f.limit)
      ).map(flat);
    },
    /** Changes the given columns; false when no such row. */
    async update(tx: Executor, cityCode: string, id: string, patch: Partial<typeof resources.$inferInsert>) {
      const r = await tx
        .update(resources)
        .set({ ...patch, updatedAt: new Date() })
        .where(and(eq(resources.cityCode, cityCode), eq(resources.id, id)))
        .returning({ id: resources.id });
      return r.length > 0;
    },
    /** Bookable resources in the scope (optionally one subtree) with what utilisation needs. */
    async forUtilization(scope: SQL, orgPath: string | undefined, limit: number, tx: Executor = db) {
      const res = await tx.execute(sql`
        SELECT r.id, r.name, r.type, t.name AS type_name, t.category, r.org_id, o.name AS org_name, r.quantity, r.open_hours, r.closed_dates::text[] AS closed_dates
        FROM resources r
        JOIN orgs o ON o.city_code = r.city_code AND o.id = r.org_id
        JOIN resource_types t ON t.code = r.type
        WHERE ${scope} AND r.status = 'active' AND r.bookable ${orgPath ? sql`AND o.path <@ ${orgPath}::ltree` : sql``}
        ORDER BY o.name, r.name, r.id
        LIMIT ${limit}`);
      return (
        res as {
          rows: {
            id: string;
            name: string;
            type: string;
            type_name: string;
            category: string;
            org_id: string;
            org_name: string;
            quantity: number | null;
            open_hours: { weekday: number; open: string; close: string }[];
            closed_dates: string[];
          }[];
        }
      ).rows;
    },
    /** Per resource, over [from, to): used hours (× quantity) clipped to the window, and booking counts. */
    async bookingFiguresBetween(scope: SQL, orgPath: string | undefined, from: Date, to: Date, tx: Executor = db) {
      const res = await tx.execute(sql`
        SELECT b.resource_id AS id,
          coalesce(sum(extract(epoch FROM least(b.ends_at, ${to}::timestamptz) - greatest(b.starts_at, ${from}::timestamptz)) * b.quantity)
            FILTER (WHERE b.status IN ('approved', 'checked_in', 'completed')), 0)::float / 3600 AS booked_hours,
          count(*) FILTER (WHERE b.status IN ('approved', 'checked_in', 'completed', 'no_show'))::int AS bookings,
          count(*) FILTER (WHERE b.status = 'no_show')::int AS no_shows,
          count(*) FILTER (WHERE b.status = 'pending')::int AS pending
        FROM bookings b
        JOIN resources r ON r.city_code = b.city_code AND r.id = b.resource_id
        JOIN orgs o ON o.city_code = r.city_code AND o.id = r.org_id
        WHERE ${scope} AND b.starts_at < ${to} AND b.ends_at > ${from} ${orgPath ? sql`AND o.path <@ ${orgPath}::ltree` : sql``}
        GROUP BY b.resource_id`);
      return (res as { rows: { id: string; booked_hours: number; bookings: number; no_shows: number; pending: number }[] }).rows;
    },
    /** Approved bookings starting within [now, until) whose reminder has not gone out (claimed per city, SKIP LOCKED). */
    async lockToRemind(tx: Executor, cityCode: string, now: Date, until: Date, limit: number) {
      const res = await tx.execute(sql`
        SELECT id FROM bookings WHERE city_code = ${cityCode} AND status = 'approved' AND reminded_at IS NULL AND starts_at >= ${now} AND starts_at < ${until}
        ORDER BY starts_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`);
      return (res as { rows: { id: string }[] }).rows;
    },
    async citiesToRemind(now: Date, until: Date, tx: Executor = db) {
      const rows = await tx
        .selectDistinct({ cityCode: bookings.cityCode })
        .from(bookings)
        .where(
          and(eq(bookings.status, 'approved'), sql`${bookings.remindedAt} IS NULL`, sql`${bookings.startsAt} >= ${now}`, sql`${bookings.startsAt} < ${until}`),
        );
      return rows.map((r) => r.cityCode);
    },
    async markReminded(tx: Executor, cityCode: string, id: string, at: Date) {
      const r = await tx
        .update(bookings)
        .set({ remindedAt: at })
        .where(and(eq(bookings.cityCode, cityCode), eq(bookings.id, id), eq(bookings.status, 'approved'), sql`${bookings.remindedAt} IS NULL`))
        .returning({ id: bookings.id });
      return r.length > 0;
    },
    /** Locks the resource row: quantity loans and per-person limits are checked under it. */
    async lock(tx: Executor, cityCode: string, id: string) {
      await tx.execute(sql`SELECT id FROM resources WHERE city_code = ${cityCode} AND id = ${id} FOR UPDATE`);
    },
    async reservedQuantity(tx: Executor, cityCode: string, resourceId: string, from: Date, to: Date) {
      const res = await tx.execute(sql`
        SELECT coalesce(sum(quantity), 0)::int AS n FROM bookings
        WHERE city_code = ${cityCode} AND resource_id = ${resourceId} AND status IN ('pending', 'approved', 'checked_in')
          AND during && tstzrange(${from}, ${to}, '[)')`);
      return Number((res as { rows: { n: number }[] }).rows[0]?.n ?? 0);
    },
    async countInWeek(tx: Executor, cityCode: string, resourceId: string, userId: string, weekStart: Date, weekEnd: Date) {
      const res = await tx.execute(sql`
        SELECT count(*)::int AS n FROM bookings
        WHERE city_code = ${cityCode} AND resource_id = ${resourceId} AND user_id = ${userId}
          AND status IN ('pending', 'approved', 'checked_in', 'completed') AND starts_at >= ${weekStart} AND starts_at < ${weekEnd}`);
      return Number((res as { rows: { n: number }[] }).rows[0]?.n ?? 0);
    },
    async insertBooking(tx: Executor, row: typeof bookings.$inferInsert) {
      await tx.insert(bookings).values(row);
    },
    async bookingById(id: string, tx: Executor = db): Promise<BookingRow | null> {
      const [r] = await bookingBase(tx).where(eq(bookings.id, id));
      return r ? flatB(r) : null;
    },
    async bookingsBetween(cityCode: string, resourceId: string, from: Date, to: Date, tx: Executor = db) {
      return tx
        .select({ startsAt: bookings.startsAt, endsAt: bookings.endsAt, quantity: bookings.quantity, status: bookings.status })
        .from(bookings)
        .where(
          and(
            eq(bookings.cityCode, cityCode),
            eq(bookings.resourceId, resourceId),
            inArray(bookings.status, ['pending', 'approved', 'checked_in']),
            sql`${bookings.startsAt} < ${to}`,
            sql`${bookings.endsAt} > ${from}`,
          ),
        )
        .orderBy(asc(bookings.startsAt));
    },
    async listBookings(
      f: { scope?: SQL; userId?: string; resourceId?: string; statuses?: BookingStatus[]; from?: Date; to?: Date; limit: number },
      tx: Executor = db,
    ) {
      const conds: (SQL | undefined)[] = [];
      if (f.scope) conds.push(f.scope);
      if (f.userId) conds.push(eq(bookings.userId, f.userId));
      if (f.resourceId) conds.push(eq(bookings.resourceId, f.resourceId));
      if (f.statuses?.length) conds.push(inArray(bookings.status, f.statuses));
      if (f.from) conds.push(sql`${bookings.endsAt} > ${f.from}`);
      if (f.to) conds.push(sql`${bookings.startsAt} < ${f.to}`);
      return (
        await bookingBase(tx)
          .where(and(...conds))
          .orderBy(asc(bookings.startsAt), asc(bookings.id))
          .limit(f.limit)
      ).map(flatB);
    },
    async transition(tx: Executor, cityCode: string, id: string, from: BookingStatus, to: BookingStatus, patch: Partial<typeof bookings.$inferInsert> = {}) {
      const [r] = await tx
        .update(bookings)
        .set({ ...patch, status: to, updatedAt: new Date() })
        .where(and(eq(bookings.cityCode, cityCode), eq(bookings.id, id), eq(bookings.status, from)))
        .returning();
      return r ?? null;
    },
    async addReview(tx: Executor, row: typeof bookingReviews.$inferInsert) {
      const r = await tx.insert(bookingReviews).values(row).onConflictDoNothing().returning({ id: bookingReviews.bookingId });
      return r.length > 0;
    },
    /** Bookings whose slot ended: approved → no_show, checked_in → completed (claimed per city, SKIP LOCKED). */
    async lockEnded(tx: Executor, cityCode: string, now: Date, limit: number) {
      const res = await tx.execute(sql`
        SELECT id, status FROM bookings WHERE city_code = ${cityCode} AND status IN ('approved', 'checked_in') AND ends_at < ${now}
        ORDER BY ends_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`);
      return (res as { rows: { id: string; status: 'approved' | 'checked_in' }[] }).rows;
    },
    async citiesWithEnded(now: Date, tx: Executor = db) {
      const rows = await tx
        .selectDistinct({ cityCode: bookings.cityCode })
        .from(bookings)
        .where(and(inArray(bookings.status, ['approved', 'checked_in']), sql`${bookings.endsAt} < ${now}`));
      return rows.map((r) => r.cityCode);
    },
  };
}

export type ResourcesRepository = ReturnType<typeof createResourcesRepository>;
