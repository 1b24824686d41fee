import { and, asc, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { bookingReviews, bookings, orgs, resources, resourceTypes } from '../../db/schema.ts';

export type ResourceRow = typeof resources.$inferSelect & { orgName: string; orgPath: string; category: string; typeName: string; avgScore: number | null; reviewCount: number };
export type BookingRow = typeof bookings.$inferSelect & { resourceName: string; orgId: string; orgPath: string };
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
        avgScore: sql<number | null>`(SELECT avg(v.score)::float FROM booking_reviews v WHERE v.city_code = resources.city_code AND v.resource_id = resources.id)`,
        reviewCount: sql<number>`(SELECT count(*)::int FROM booking_reviews v WHERE v.city_code = resources.city_code AND v.resource_id = resources.id)`,
      })
      .from(resources)
      .innerJoin(orgs, and(eq(orgs.cityCode, resources.cityCode), eq(orgs.id, resources.orgId)))
      .innerJoin(resourceTypes, eq(resourceTypes.code, resources.type));
  type Raw = Awaited<ReturnType<ReturnType<typeof base>['where']>>[number];
  const flat = (x: Raw): ResourceRow => ({ ...x.r, orgName: x.orgName, orgPath: x.orgPath, category: x.category, typeName: x.typeName, avgScore: x.avgScore === null ? null : Number(x.avgScore), reviewCount: Number(x.reviewCount) });

  const bookingBase = (tx: Executor) =>
    tx
      .select({ b: bookings, resourceName: resources.name, orgId: resources.orgId, orgPath: sql<string>`${orgs.path}::text` })
      .from(bookings)
      .innerJoin(resources, and(eq(resources.cityCode, bookings.cityCode), eq(resources.id, bookings.resourceId)))
      .innerJoin(orgs, and(eq(orgs.cityCode, resources.cityCode), eq(orgs.id, resources.orgId)));
  const flatB = (x: { b: typeof bookings.$inferSelect; resourceName: string; orgId: string; orgPath: string }): BookingRow => ({ ...x.b, resourceName: x.resourceName, orgId: x.orgId, orgPath: x.orgPath });

  return {
    async insert(row: typeof resources.$inferInsert, tx: Executor = db) {
      const r = await tx.insert(resources).values(row).onConflictDoNothing().returning({ id: resources.id });
      return r.length > 0;
    },
    async byId(id: string, tx: Executor = db): Promise<ResourceRow | null> {
      const [r] = await base(tx).where(eq(resources.id, id));
      return r ? flat(r) : null;
    },
    async list(f: { orgPath?: string; type?: string; category?: string; q?: string; limit: number; after?: { name: string; id: string } }, tx: Executor = db) {
      const conds: (SQL | undefined)[] = [eq(resources.status, 'active')];
      if (f.orgPath) conds.push(sql`${orgs.path} <@ ${f.orgPath}::ltree`);
      if (f.type) conds.push(eq(resources.type, f.type));
      if (f.category) conds.push(eq(resourceTypes.category, f.category));
      if (f.q) {
        const like = `%${f.q.replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
        conds.push(or(ilike(resources.name, like), ilike(resources.description, like), ilike(resourceTypes.name, like)));
      }
      if (f.after) conds.push(sql`(${resources.name}, ${resources.id}) > (${f.after.name}, ${f.after.id})`);
      return (await base(tx).where(and(...conds)).orderBy(asc(resources.name), asc(resources.id)).limit(f.limit)).map(flat);
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
      return Number((res as unknown as { rows: { n: number }[] }).rows[0]?.n ?? 0);
    },
    async countInWeek(tx: Executor, cityCode: string, resourceId: string, userId: string, weekStart: Date, weekEnd: Date) {
      const res = await tx.execute(sql`
        SELECT count(*)::int AS n FROM bookings
        WHERE city_code = ${cityCode} AND resource_id = ${resourceId} AND user_id = ${userId}
          AND status IN ('pending', 'approved', 'checked_in', 'completed') AND starts_at >= ${weekStart} AND starts_at < ${weekEnd}`);
      return Number((res as unknown as { rows: { n: number }[] }).rows[0]?.n ?? 0);
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
        .where(and(eq(bookings.cityCode, cityCode), eq(bookings.resourceId, resourceId), inArray(bookings.status, ['pending', 'approved', 'checked_in']), sql`${bookings.startsAt} < ${to}`, sql`${bookings.endsAt} > ${from}`))
        .orderBy(asc(bookings.startsAt));
    },
    async listBookings(f: { scope?: SQL; userId?: string; resourceId?: string; statuses?: BookingStatus[]; from?: Date; to?: Date; limit: number }, tx: Executor = db) {
      const conds: (SQL | undefined)[] = [];
      if (f.scope) conds.push(f.scope);
      if (f.userId) conds.push(eq(bookings.userId, f.userId));
      if (f.resourceId) conds.push(eq(bookings.resourceId, f.resourceId));
      if (f.statuses?.length) conds.push(inArray(bookings.status, f.statuses));
      if (f.from) conds.push(sql`${bookings.endsAt} > ${f.from}`);
      if (f.to) conds.push(sql`${bookings.startsAt} < ${f.to}`);
      return (await bookingBase(tx).where(and(...conds)).orderBy(asc(bookings.startsAt), asc(bookings.id)).limit(f.limit)).map(flatB);
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
      return (res as unknown as { rows: { id: string; status: 'approved' | 'checked_in' }[] }).rows;
    },
    async citiesWithEnded(now: Date, tx: Executor = db) {
      const rows = await tx.selectDistinct({ cityCode: bookings.cityCode }).from(bookings).where(and(inArray(bookings.status, ['approved', 'checked_in']), sql`${bookings.endsAt} < ${now}`));
      return rows.map((r) => r.cityCode);
    },
  };
}

export type ResourcesRepository = ReturnType<typeof createResourcesRepository>;
