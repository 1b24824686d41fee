import { and, desc, eq, sql } from 'drizzle-orm';
import type { PointsRuleKey } from '@wenming/domain';
import type { Executor } from '../../db/client.ts';
import { orgSettings, pointsAccounts, pointsLedger } from '../../db/schema.ts';
import { newId } from '../../lib/ids.ts';

export interface LedgerEntry {
  cityCode: string;
  userId: string;
  delta: number;
  reason: string;
  sourceType: string;
  sourceId: string;
  note?: string | null;
  /** The site the points were earned or spent at (the monthly report groups by it). */
  orgId?: string | null;
  /**
   * When it happened, on the calling service's clock: the monthly report and expiry compare the
   * row's time with months and cut-offs drawn from that clock. Without it, the database's now().
   */
  at?: Date;
}

/** org_settings columns of the earning rules. */
const RULE_COLUMNS = {
  pointsPerHour: 'points_per_hour',
  pointsPerActivity: 'points_per_activity',
  fiveStarBonus: 'points_five_star_bonus',
  pointsPerPairingVisit: 'points_per_pairing_visit',
} as const satisfies Record<PointsRuleKey, string>;
const RULE_FIELDS = {
  pointsPerHour: 'pointsPerHour',
  pointsPerActivity: 'pointsPerActivity',
  fiveStarBonus: 'pointsFiveStarBonus',
  pointsPerPairingVisit: 'pointsPerPairingVisit',
} as const satisfies Record<PointsRuleKey, keyof typeof orgSettings.$inferInsert>;

export interface RuleSettingRow {
  orgId: string;
  orgName: string;
  depth: number;
  values: Record<PointsRuleKey, number | null>;
}

export interface ReportRow {
  org_id: string;
  org_name: string;
  month: string;
  issued: number;
  deducted: number;
  redeemed: number;
  redemptions: number;
}

const rowsOf = <T>(res: unknown) => (res as { rows: T[] }).rows;

export function createPointsRepository(db: Executor) {
  return {
    /**
     * Appends one ledger row and moves the balance, once per (user, reason, source): a second call
     * for the same source writes nothing and returns false. Must run inside the caller's transaction.
     * A debit below zero fails on the balance CHECK.
     */
    async post(tx: Executor, entry: LedgerEntry): Promise<boolean> {
      const { at, ...e } = entry;
      await tx.insert(pointsAccounts).values({ cityCode: e.cityCode, userId: e.userId }).onConflictDoNothing();
      const inserted = await tx
        .insert(pointsLedger)
        .values({ ...e, id: newId(), note: e.note ?? null, orgId: e.orgId ?? null, ...(at ? { createdAt: at } : {}) })
        .onConflictDoNothing()
        .returning({ id: pointsLedger.id });
      if (!inserted.length) return false;
      await tx
        .update(pointsAccounts)
        .set({
          balance: sql`${pointsAccounts.balance} + ${e.delta}`,
          earned: sql`${pointsAccounts.earned} + ${Math.max(e.delta, 0)}`,
          spent: sql`${pointsAccounts.spent} + ${Math.max(-e.delta, 0)}`,
          updatedAt: new Date(),
        })
        .where(and(eq(pointsAccounts.cityCode, e.cityCode), eq(pointsAccounts.userId, e.userId)));
      return true;
    },

    /** The ledger row of a (user, reason, source), if written. */
    async entry(tx: Executor, cityCode: string, userId: string, reason: string, sourceType: string, sourceId: string) {
      const [row] = await tx
        .select()
        .from(pointsLedger)
        .where(
          and(
            eq(pointsLedger.cityCode, cityCode),
            eq(pointsLedger.userId, userId),
            eq(pointsLedger.reason, reason),
            eq(pointsLedger.sourceType, sourceType),
            eq(pointsLedger.sourceId, sourceId),
          ),
        );
      return row ?? null;
    },

    async balances(userId: string, tx: Executor = db) {
      return tx.select().from(pointsAccounts).where(eq(pointsAccounts.userId, userId));
    },

    async balance(cityCode: string, userId: string, tx: Executor = db): Promise<number> {
      const [row] = await tx
        .select({ balance: pointsAccounts.balance })
        .from(pointsAccounts)
        .where(and(eq(pointsAccounts.cityCode, cityCode), eq(pointsAccounts.userId, userId)));
      return row?.balance ?? 0;
    },

    async ledger(userId: string, limit: number, tx: Executor = db, before?: { createdAt: Date; id: string }) {
      const conds = [eq(pointsLedger.userId, userId)];
      if (before) conds.push(sql`(${pointsLedger.createdAt}, ${pointsLedger.id}) < (${before.createdAt}, ${before.id})`);
      return tx
        .select()
        .from(pointsLedger)
        .where(and(...conds))
        .orderBy(desc(pointsLedger.createdAt), desc(pointsLedger.id))
        .limit(limit);
    },

    /** Points per verified hour for an org: the nearest ancestor-or-self setting, else null. */
    async pointsPerHour(cityCode: string, orgPath: string, tx: Executor = db): Promise<number | null> {
      const res = await tx.execute(sql`
        SELECT s.points_per_hour AS v FROM ${orgSettings} s
        JOIN orgs o ON o.city_code = s.city_code AND o.id = s.org_id
        WHERE s.city_code = ${cityCode} AND o.path @> ${orgPath}::ltree AND s.points_per_hour IS NOT NULL
        ORDER BY nlevel(o.path) DESC LIMIT 1`);
      return rowsOf<{ v: number }>(res)[0]?.v ?? null;
    },

    async setPointsPerHour(cityCode: string, orgId: string, value: number | null, tx: Executor = db) {
      await tx
        .insert(orgSettings)
        .values({ cityCode, orgId, pointsPerHour: value })
        .onConflictDoUpdate({ target: [orgSettings.cityCode, orgSettings.orgId], set: { pointsPerHour: value, updatedAt: new Date() } });
    },

    /** The earning-rule settings of an org and its ancestors (resolve them with resolvePointsRules). */
    async ruleSettings(cityCode: string, orgPath: string, tx: Executor = db): Promise<RuleSettingRow[]> {
      const res = await tx.execute(sql`
        SELECT o.id AS org_id, o.name AS org_name, nlevel(o.path) AS depth,
          s.points_per_hour, s.points_per_activity, s.points_five_star_bonus, s.points_per_pairing_visit
        FROM ${orgSettings} s JOIN orgs o ON o.city_code = s.city_code AND o.id = s.org_id
        WHERE s.city_code = ${cityCode} AND o.path @> ${orgPath}::ltree`);
      return rowsOf<Record<string, unknown>>(res).map((r) => ({
        orgId: String(r.org_id),
        orgName: String(r.org_name),
        depth: Number(r.depth),
        values: Object.fromEntries(Object.entries(RULE_COLUMNS).map(([k, c]) => [k, r[c] === null || r[c] === undefined ? null : Number(r[c])])) as Record<
          PointsRuleKey,
          number | null
        >,
      }));
    },

    /** Sets some earning rules of one site (null: inherit); the rules left out stay as they are. */
    async setRules(cityCode: string, orgId: string, patch: Partial<Record<PointsRuleKey, number | null>>, tx: Executor = db) {
      const set: Partial<typeof orgSettings.$inferInsert> = {};
      for (const [k, v] of Object.entries(patch) as [PointsRuleKey, number | null | undefined][])
        if (v !== undefined) (set as Record<string, unknown>)[RULE_FIELDS[k]] = v;
      await tx
        .insert(orgSettings)
        .values({ cityCode, orgId, ...set })
        .onConflictDoUpdate({ target: [orgSettings.cityCode, orgSettings.orgId], set: { ...set, updatedAt: new Date() } });
    },

    /** Reconciliation: accounts whose balance differs from the sum of their ledger rows (or whose earned/spent do). */
    async mismatches(tx: Executor = db) {
      const res = await tx.execute(sql`
        WITH sums AS (
          SELECT city_code, user_id, sum(delta)::int AS total,
            coalesce(sum(delta) FILTER (WHERE delta > 0), 0)::int AS earned,
            coalesce(-sum(delta) FILTER (WHERE delta < 0), 0)::int AS spent
          FROM points_ledger GROUP BY city_code, user_id)
        SELECT a.city_code, a.user_id, a.balance, coalesce(s.total, 0) AS ledger
        FROM points_accounts a LEFT JOIN sums s ON s.city_code = a.city_code AND s.user_id = a.user_id
        WHERE a.balance <> coalesce(s.total, 0) OR a.earned <> coalesce(s.earned, 0) OR a.spent <> coalesce(s.spent, 0)`);
      return rowsOf<{ city_code: string; user_id: string; balance: number; ledger: number }>(res);
    },

    /** Ledger rows with no account row (the foreign key forbids them; counted as a proof). */
    async orphanRows(tx: Executor = db): Promise<number> {
      const res = await tx.execute(sql`
        SELECT count(*)::int AS n FROM points_ledger l
        LEFT JOIN points_accounts a ON a.city_code = l.city_code AND a.user_id = l.user_id
        WHERE a.user_id IS NULL`);
      return Number(rowsOf<{ n: number }>(res)[0]?.n ?? 0);
    },

    /**
     * Redemptions whose ledger does not match: each one debited exactly its points once, and a
     * cancelled one refunded exactly that once.
     */
    async redemptionMismatches(tx: Executor = db) {
      const res = await tx.execute(sql`
        WITH l AS (
          SELECT city_code, source_id,
            coalesce(-sum(delta) FILTER (WHERE reason = 'redeem'), 0)::int AS debited,
            coalesce(sum(delta) FILTER (WHERE reason = 'redeem_cancel'), 0)::int AS refunded
          FROM points_ledger WHERE source_type = 'redemption' GROUP BY city_code, source_id)
        SELECT d.city_code, d.id, d.status, d.points, coalesce(l.debited, 0) AS debited, coalesce(l.refunded, 0) AS refunded
        FROM redemptions d LEFT JOIN l ON l.city_code = d.city_code AND l.source_id = d.id
        WHERE coalesce(l.debited, 0) <> d.points
           OR coalesce(l.refunded, 0) <> (CASE WHEN d.status = 'cancelled' THEN d.points ELSE 0 END)`);
      return rowsOf<{ city_code: string; id: string; status: string; points: number; debited: number; refunded: number }>(res);
    },

    /** Totals for the reconciliation report. */
    async totals(tx: Executor = db) {
      const res = await tx.execute(sql`
        WITH a AS (SELECT count(*)::int AS accounts, coalesce(sum(balance), 0)::bigint AS balance FROM points_accounts),
             l AS (SELECT count(*)::int AS rows, coalesce(sum(delta), 0)::bigint AS ledger FROM points_ledger)
        SELECT a.accounts, a.balance, l.rows, l.ledger FROM a, l`);
      const r = rowsOf<{ accounts: number; balance: string | number; rows: number; ledger: string | number }>(res)[0]!;
      return { accounts: Number(r.accounts), balance: Number(r.balance), rows: Number(r.rows), ledger: Number(r.ledger) };
    },

    /**
     * Accounts holding credits older than the cut-off that later debits have not used up (the
     * candidates for expiry), in one city. Refunds of cancelled redemptions count against debits.
     */
    async expiryCandidates(cityCode: string, cutoff: Date, limit: number, tx: Executor = db) {
      const res = await tx.execute(sql`
        WITH s AS (
          SELECT user_id,
            coalesce(sum(delta) FILTER (WHERE delta > 0 AND reason <> 'redeem_cancel' AND created_at < ${cutoff}), 0)::bigint AS old_credits,
            (coalesce(-sum(delta) FILTER (WHERE delta < 0), 0) - coalesce(sum(delta) FILTER (WHERE reason = 'redeem_cancel'), 0))::bigint AS debits
          FROM points_ledger WHERE city_code = ${cityCode} GROUP BY user_id)
        SELECT user_id FROM s WHERE old_credits > debits ORDER BY user_id LIMIT ${limit}`);
      return rowsOf<{ user_id: string }>(res).map((r) => r.user_id);
    },

    /** Locks one account row (the expiry job and any debit serialise on it). */
    async lockAccount(tx: Executor, cityCode: string, userId: string) {
      await tx.execute(sql`SELECT user_id FROM points_accounts WHERE city_code = ${cityCode} AND user_id = ${userId} FOR UPDATE`);
    },

    /** For one account: credits older than the cut-off and all debits so far (net of refunds). */
    async expiryFigures(tx: Executor, cityCode: string, userId: string, cutoff: Date) {
      const res = await tx.execute(sql`
        SELECT
          coalesce(sum(delta) FILTER (WHERE delta > 0 AND reason <> 'redeem_cancel' AND created_at < ${cutoff}), 0)::bigint AS old_credits,
          (coalesce(-sum(delta) FILTER (WHERE delta < 0), 0) - coalesce(sum(delta) FILTER (WHERE reason = 'redeem_cancel'), 0))::bigint AS debits
        FROM points_ledger WHERE city_code = ${cityCode} AND user_id = ${userId}`);
      const r = rowsOf<{ old_credits: string | number; debits: string | number }>(res)[0];
      return { oldCredits: Number(r?.old_credits ?? 0), debits: Number(r?.debits ?? 0) };
    },

    async cityCodes(tx: Executor = db): Promise<string[]> {
      const res = await tx.execute(sql`SELECT DISTINCT city_code FROM points_accounts ORDER BY city_code`);
      return rowsOf<{ city_code: string }>(res).map((r) => r.city_code);
    },

    /**
     * Points issued, deducted and redeemed per month in [from, to), grouped by the site at depth
     * `depth + 1` under `path` (the sites directly below the chosen one; rows of the chosen site
     * itself stay with it). No path: grouped by city.
     */
    async report(f: { cityCode?: string; path?: string; from: Date; to: Date; tz: string }, tx: Executor = db): Promise<ReportRow[]> {
      const depth = f.path ? sql`nlevel(${f.path}::ltree)` : sql`0`;
      const where = [sql`l.created_at >= ${f.from}`, sql`l.created_at < ${f.to}`];
      if (f.cityCode) where.push(sql`l.city_code = ${f.cityCode}`);
      if (f.path) where.push(sql`o.path <@ ${f.path}::ltree`);
      const res = await tx.execute(sql`
        WITH l AS (
          SELECT l.city_code, l.delta, l.reason,
            CASE WHEN nlevel(o.path) > ${depth} THEN subpath(o.path, 0, ${depth} + 1) ELSE o.path END AS gpath,
            to_char(l.created_at AT TIME ZONE ${f.tz}, 'YYYY-MM') AS month
          FROM points_ledger l JOIN orgs o ON o.city_code = l.city_code AND o.id = l.org_id
          WHERE ${sql.join(where, sql` AND `)}),
        g AS (
          SELECT city_code, gpath, month,
            coalesce(sum(delta) FILTER (WHERE delta > 0 AND reason <> 'redeem_cancel'), 0) AS issued,
            coalesce(-sum(delta) FILTER (WHERE delta < 0 AND reason <> 'redeem'), 0) AS deducted,
            coalesce(-sum(delta) FILTER (WHERE reason IN ('redeem', 'redeem_cancel')), 0) AS redeemed,
            (count(*) FILTER (WHERE reason = 'redeem') - count(*) FILTER (WHERE reason = 'redeem_cancel')) AS redemptions
          FROM l GROUP BY city_code, gpath, month)
        SELECT o.id AS org_id, o.name AS org_name, g.month, g.issued::int AS issued, g.deducted::int AS deducted, g.redeemed::int AS redeemed, g.redemptions::int AS redemptions
        FROM g JOIN orgs o ON o.city_code = g.city_code AND o.path = g.gpath
        ORDER BY g.month, o.path`);
      return rowsOf<ReportRow>(res).map((r) => ({
        ...r,
        issued: Number(r.issued),
        deducted: Number(r.deducted),
        redeemed: Number(r.redeemed),
        redemptions: Number(r.redemptions),
      }));
    },

    /** Rewards of a subtree with their stock now and the quantity redeemed (not cancelled) in [from, to). */
    async stock(f: { cityCode?: string; path?: string; from: Date; to: Date }, tx: Executor = db) {
      const where = [sql`TRUE`];
      if (f.cityCode) where.push(sql`r.city_code = ${f.cityCode}`);
      if (f.path) where.push(sql`o.path <@ ${f.path}::ltree`);
      const res = await tx.execute(sql`
        WITH q AS (
          SELECT city_code, reward_id, sum(quantity)::int AS n FROM redemptions
          WHERE status <> 'cancelled' AND created_at >= ${f.from} AND created_at < ${f.to} ${f.cityCode ? sql`AND city_code = ${f.cityCode}` : sql``}
          GROUP BY city_code, reward_id)
        SELECT r.id AS reward_id, r.name, o.name AS org_name, r.cost, r.stock, r.status, coalesce(q.n, 0) AS redeemed
        FROM rewards r JOIN orgs o ON o.city_code = r.city_code AND o.id = r.org_id
        LEFT JOIN q ON q.city_code = r.city_code AND q.reward_id = r.id
        WHERE ${sql.join(where, sql` AND `)}
        ORDER BY r.status, o.path, r.name LIMIT 1000`);
      return rowsOf<{ reward_id: string; name: string; org_name: string; cost: number; stock: number; status: 'active' | 'retired'; redeemed: number }>(res);
    },
  };
}

export type PointsRepository = ReturnType<typeof createPointsRepository>;
