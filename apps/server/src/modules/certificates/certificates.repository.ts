import { and, desc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import {
  activities,
  categories,
  certificates,
  honourNominations,
  honourRounds,
  orgs,
  orders,
  orderServers,
  serviceRecords,
  teams,
  trainingRecords,
  users,
  volunteers,
} from '../../db/schema.ts';

export type CertificateRow = typeof certificates.$inferSelect;
export type CertificateWithHolder = CertificateRow & { holderUserId: string; holderOrgPath: string };
export type CertificateListRow = CertificateRow & { issuedByName: string | null };

/** Dates on a certificate are China dates (YYYY-MM-DD), whatever the server's zone. */
const chinaDay = (col: unknown) => sql<string | null>`to_char((${col}) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')`;

/** A record's service category: its order's or activity's, else its team's. */
const recordCategory = sql<string | null>`coalesce(${orders.category}, ${activities.category}, ${teams.category})`;

export interface VerifiedGroup {
  source: 'activity' | 'order' | 'manual' | 'pairing';
  category: string | null;
  categoryName: string | null;
  records: number;
  hours: number;
  from: string | null;
  to: string | null;
}

export function createCertificatesRepository(db: Executor) {
  return {
    async insert(row: typeof certificates.$inferInsert, tx: Executor = db) {
      await tx.insert(certificates).values(row);
    },

    /** One certificate by serial, in the city the serial names (one shard on Citus). */
    async bySerial(cityCode: string, serial: string, tx: Executor = db): Promise<CertificateWithHolder | null> {
      const [r] = await tx
        .select({ c: certificates, holderUserId: volunteers.userId, holderOrgPath: sql<string>`${orgs.path}::text` })
        .from(certificates)
        .innerJoin(volunteers, and(eq(volunteers.cityCode, certificates.cityCode), eq(volunteers.id, certificates.volunteerId)))
        .innerJoin(orgs, and(eq(orgs.cityCode, volunteers.cityCode), eq(orgs.id, volunteers.orgId)))
        .where(and(eq(certificates.cityCode, cityCode), eq(certificates.serial, serial)));
      return r ? { ...r.c, holderUserId: r.holderUserId, holderOrgPath: r.holderOrgPath } : null;
    },

    /** A volunteer's certificates, newest first, keyset-paginated on (issued_at, id). */
    async listByVolunteer(
      cityCode: string,
      volunteerId: string,
      opts: { before?: { issuedAt: Date; id: string }; limit: number },
      tx: Executor = db,
    ): Promise<CertificateListRow[]> {
      const conds = [eq(certificates.cityCode, cityCode), eq(certificates.volunteerId, volunteerId)];
      if (opts.before)
        conds.push(
          or(lt(certificates.issuedAt, opts.before.issuedAt), and(eq(certificates.issuedAt, opts.before.issuedAt), lt(certificates.id, opts.before.id)))!,
        );
      const rows = await tx
        .select({ c: certificates, issuedByName: users.name })
        .from(certificates)
        .leftJoin(users, eq(users.id, certificates.issuedBy))
        .where(and(...conds))
        .orderBy(desc(certificates.issuedAt), desc(certificates.id))
        .limit(opts.limit);
      return rows.map((r) => ({ ...r.c, issuedByName: r.issuedByName }));
    },

    /** Conditional revocation: false when the certificate was already revoked. */
    async revoke(cityCode: string, id: string, by: string, reason: string, tx: Executor = db): Promise<CertificateRow | null> {
      const [r] = await tx
        .update(certificates)
        .set({ revokedAt: new Date(), revokedBy: by, revokedReason: reason })
        .where(and(eq(certificates.cityCode, cityCode), eq(certificates.id, id), isNull(certificates.revokedAt)))
        .returning();
      return r ?? null;
    },

    // ---- The facts a certificate is made of (read at issue time) ----

    /**
     * Verified service records grouped by source and service category, in one statement so the
     * totals, the breakdowns and the period agree.
     */
    async verifiedGroups(cityCode: string, volunteerId: string, tx: Executor = db): Promise<VerifiedGroup[]> {
      const recs = tx
        .select({
          source: sql<VerifiedGroup['source']>`${serviceRecords.sourceType}`.as('source'),
          hours: sql<string>`${serviceRecords.hours}`.as('hours'),
          fromAt: sql<Date>`coalesce(${serviceRecords.startedAt}, ${serviceRecords.endedAt}, ${serviceRecords.createdAt})`.as('from_at'),
          toAt: sql<Date>`coalesce(${serviceRecords.endedAt}, ${serviceRecords.startedAt}, ${serviceRecords.createdAt})`.as('to_at'),
          category: recordCategory.as('category'),
        })
        .from(serviceRecords)
        .leftJoin(orders, and(eq(serviceRecords.sourceType, 'order'), eq(orders.cityCode, serviceRecords.cityCode), eq(orders.id, serviceRecords.sourceId)))
        .leftJoin(
          activities,
          and(eq(serviceRecords.sourceType, 'activity'), eq(activities.cityCode, serviceRecords.cityCode), eq(activities.id, serviceRecords.sourceId)),
        )
        .leftJoin(teams, and(eq(teams.cityCode, serviceRecords.cityCode), eq(teams.id, serviceRecords.teamId)))
        .where(and(eq(serviceRecords.cityCode, cityCode), eq(serviceRecords.volunteerId, volunteerId), eq(serviceRecords.status, 'verified')))
        .as('recs');
      const rows = await tx
        .select({
          source: recs.source,
          category: recs.category,
          categoryName: categories.name,
          records: sql<number>`count(*)::int`,
          hours: sql<string>`sum(${recs.hours})::text`,
          from: chinaDay(sql`min(${recs.fromAt})`),
          to: chinaDay(sql`max(${recs.toAt})`),
        })
        .from(recs)
        .leftJoin(categories, eq(categories.code, recs.category))
        .groupBy(recs.source, recs.category, categories.name);
      return rows.map((r) => ({ ...r, records: Number(r.records), hours: Number(r.hours) }));
    },

    /** The latest verified records, for the detail table of the certificate (with the service category, as above). */
    async recentVerified(cityCode: string, volunteerId: string, limit: number, tx: Executor = db) {
      const at = sql`coalesce(${serviceRecords.startedAt}, ${serviceRecords.endedAt}, ${serviceRecords.createdAt})`;
      return tx
        .select({
          date: chinaDay(at),
          title: serviceRecords.title,
          source: serviceRecords.sourceType,
          siteName: orgs.name,
          hours: serviceRecords.hours,
          categoryName: categories.name,
        })
        .from(serviceRecords)
        .innerJoin(orgs, and(eq(orgs.cityCode, serviceRecords.cityCode), eq(orgs.id, serviceRecords.orgId)))
        .leftJoin(orders, and(eq(serviceRecords.sourceType, 'order'), eq(orders.cityCode, serviceRecords.cityCode), eq(orders.id, serviceRecords.sourceId)))
        .leftJoin(
          activities,
          and(eq(serviceRecords.sourceType, 'activity'), eq(activities.cityCode, serviceRecords.cityCode), eq(activities.id, serviceRecords.sourceId)),
        )
        .leftJoin(teams, and(eq(teams.cityCode, serviceRecords.cityCode), eq(teams.id, serviceRecords.teamId)))
        .leftJoin(categories, eq(categories.code, recordCategory))
        .where(and(eq(serviceRecords.cityCode, cityCode), eq(serviceRecords.volunteerId, volunteerId), eq(serviceRecords.status, 'verified')))
        .orderBy(desc(at), desc(serviceRecords.id))
        .limit(limit);
    },

    /** The residents' ratings of the orders the volunteer served (评单). */
    async ratings(cityCode: string, volunteerId: string, tx: Executor = db): Promise<{ count: number; average: number | null }> {
      const [r] = await tx
        .select({ count: sql<number>`count(${orders.rating})::int`, average: sql<string | null>`round(avg(${orders.rating}), 2)::text` })
        .from(orderServers)
        .innerJoin(orders, and(eq(orders.cityCode, orderServers.cityCode), eq(orders.id, orderServers.orderId)))
        .where(and(eq(orderServers.cityCode, cityCode), eq(orderServers.volunteerId, volunteerId)));
      return { count: Number(r?.count ?? 0), average: r?.average == null ? null : Number(r.average) };
    },

    /** The volunteer's training records (培训学时, apart from service hours), newest first. */
    async training(cityCode: string, volunteerId: string, tx: Executor = db) {
      const rows = await tx
        .select({ name: trainingRecords.title, hours: trainingRecords.hours, date: trainingRecords.trainedOn })
        .from(trainingRecords)
        .where(and(eq(trainingRecords.cityCode, cityCode), eq(trainingRecords.volunteerId, volunteerId)))
        .orderBy(desc(trainingRecords.trainedOn), desc(trainingRecords.id));
      return rows.map((r) => ({ ...r, hours: Number(r.hours) }));
    },

    /** The honours the volunteer was awarded in closed selection rounds (评选表彰), newest first. */
    async awards(cityCode: string, volunteerId: string, tx: Executor = db) {
      return tx
        .select({ round: honourRounds.title, award: sql<string>`${honourNominations.award}`, date: chinaDay(honourNominations.awardedAt).mapWith(String) })
        .from(honourNominations)
        .innerJoin(honourRounds, and(eq(honourRounds.cityCode, honourNominations.cityCode), eq(honourRounds.id, honourNominations.roundId)))
        .where(
          and(
            eq(honourNominations.cityCode, cityCode),
            eq(honourNominations.volunteerId, volunteerId),
            eq(honourNominations.status, 'awarded'),
            eq(honourRounds.state, 'closed'),
          ),
        )
        .orderBy(desc(honourNominations.awardedAt), desc(honourNominations.id));
    },

    /** The center (实践中心) above a site, or the site itself when it is one. */
    async centerOf(cityCode: string, orgPath: string, tx: Executor = db): Promise<{ id: string; name: string } | null> {
      const [r] = await tx
        .select({ id: orgs.id, name: orgs.name })
        .from(orgs)
        .where(and(eq(orgs.cityCode, cityCode), eq(orgs.level, 'center'), sql`${orgs.path} @> ${orgPath}::ltree`))
        .limit(1);
      return r ?? null;
    },
  };
}

export type CertificatesRepository = ReturnType<typeof createCertificatesRepository>;
