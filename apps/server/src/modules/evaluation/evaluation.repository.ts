import { sql, type SQL } from 'drizzle-orm';
import type { EvaluatedLevel, EvaluationMetric } from '@wenming/contracts';
import type { Executor } from '../../db/client.ts';

type Rows<T> = { rows: T[] };

export interface IndicatorRow {
  cityCode: string;
  id: string;
  ownerOrgId: string;
  code: string;
  name: string;
  metric: EvaluationMetric;
  target: number;
  weight: number;
  levels: EvaluatedLevel[];
  description: string | null;
  sort: number;
}

export interface CityOrg {
  id: string;
  parentId: string | null;
  level: 'city' | EvaluatedLevel;
  name: string;
}

export interface RunRow {
  cityCode: string;
  period: string;
  kind: 'month' | 'year';
  closed: boolean;
  computedAt: Date | null;
  computedBy: string | null;
  siteCount: number;
  forcedCount: number;
}

export interface ResultRow {
  cityCode: string;
  period: string;
  orgId: string;
  orgName: string;
  parentId: string | null;
  parentName: string | null;
  level: EvaluatedLevel;
  total: number | null;
  rank: number | null;
  rankOf: number;
  indicators: unknown;
  figures: unknown;
  flags: unknown;
  suggestions: unknown;
  computedAt: Date;
}

export interface ResultInsert {
  orgId: string;
  parentId: string | null;
  level: EvaluatedLevel;
  total: number | null;
  rank: number | null;
  rankOf: number;
  indicators: unknown;
  figures: unknown;
  flags: unknown[];
  suggestions: unknown;
}

/** Per org (the fact's own site, not rolled up): what happened in a window. */
export interface OrgFacts {
  activities: Map<string, { n: number; last: Date | null }>;
  volunteers: Map<string, number>;
  hours: Map<string, number>;
  orders: Map<string, { due: number; responded: number; closedOrDue: number; solved: number }>;
  ratings: Map<string, { ratings: number; satisfied: number }>;
  resources: { orgId: string; openHours: { weekday: number; open: string; close: string }[]; closedDates: string[] }[];
  bookedHours: Map<string, number>;
  /** Published content per org; null when the content module's table is absent. */
  contents: Map<string, number> | null;
}

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const date = (v: unknown) => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(v as string | number));
const json = (v: unknown): unknown => (typeof v === 'string' ? (JSON.parse(v) as unknown) : v);

function toIndicator(r: Record<string, unknown>): IndicatorRow {
  return {
    cityCode: String(r.city_code),
    id: String(r.id),
    ownerOrgId: String(r.owner_org_id),
    code: String(r.code),
    name: String(r.name),
    metric: r.metric as EvaluationMetric,
    target: Number(r.target),
    weight: Number(r.weight),
    levels: r.levels as EvaluatedLevel[],
    description: (r.description as string | null) ?? null,
    sort: Number(r.sort),
  };
}

function toRun(r: Record<string, unknown>): RunRow {
  return {
    cityCode: String(r.city_code),
    period: String(r.period),
    kind: r.kind as 'month' | 'year',
    closed: Boolean(r.closed),
    computedAt: date(r.computed_at),
    computedBy: (r.computed_by as string | null) ?? null,
    siteCount: num(r.site_count),
    forcedCount: num(r.forced_count),
  };
}

function toResult(r: Record<string, unknown>): ResultRow {
  return {
    cityCode: String(r.city_code),
    period: String(r.period),
    orgId: String(r.org_id),
    orgName: String(r.org_name),
    parentId: (r.parent_id as string | null) ?? null,
    parentName: (r.parent_name as string | null) ?? null,
    level: r.level as EvaluatedLevel,
    total: r.total === null ? null : Number(r.total),
    rank: r.rank === null ? null : Number(r.rank),
    rankOf: num(r.rank_of),
    indicators: json(r.indicators),
    figures: json(r.figures),
    flags: json(r.flags),
    suggestions: json(r.suggestions),
    computedAt: date(r.computed_at)!,
  };
}

const RESULT_COLUMNS = sql`r.city_code, r.period, r.org_id, o.name AS org_name, r.parent_id, p.name AS parent_name, r.level, r.total, r.rank, r.rank_of, r.indicators, r.figures, r.flags, r.suggestions, r.computed_at`;
const RESULT_FROM = sql`evaluation_results r JOIN orgs o ON o.city_code = r.city_code AND o.id = r.org_id LEFT JOIN orgs p ON p.city_code = r.city_code AND p.id = r.parent_id`;

/** Only this module's repository touches the evaluation tables; it reads the facts with its own queries. */
export function createEvaluationRepository(db: Executor) {
  const q = async <T>(query: SQL, tx: Executor = db): Promise<T[]> => {
    const res: unknown = await tx.execute(query);
    return (res as Rows<T>).rows;
  };
  return {
    async cityCodes(tx: Executor = db) {
      return (await q<{ city_code: string }>(sql`SELECT city_code FROM cities ORDER BY city_code`, tx)).map((r) => r.city_code);
    },

    async cityOrgs(cityCode: string, tx: Executor = db): Promise<CityOrg[]> {
      const rows = await q<{ id: string; parent_id: string | null; level: CityOrg['level']; name: string }>(
        sql`SELECT id, parent_id, level, name FROM orgs WHERE city_code = ${cityCode}`,
        tx,
      );
      return rows.map((r) => ({ id: r.id, parentId: r.parent_id, level: r.level, name: r.name }));
    },

    async orgsByIds(cityCode: string, ids: string[], tx: Executor = db): Promise<CityOrg[]> {
      if (!ids.length) return [];
      const rows = await q<{ id: string; parent_id: string | null; level: CityOrg['level']; name: string }>(
        sql`SELECT id, parent_id, level, name FROM orgs WHERE city_code = ${cityCode} AND id IN (${sql.join(
          ids.map((id) => sql`${id}`),
          sql`, `,
        )})`,
        tx,
      );
      return rows.map((r) => ({ id: r.id, parentId: r.parent_id, level: r.level, name: r.name }));
    },

    // ------------------------------------------------------------ indicators
    async indicatorsOfCity(cityCode: string, tx: Executor = db) {
      return (
        await q<Record<string, unknown>>(sql`SELECT * FROM evaluation_indicators WHERE city_code = ${cityCode} ORDER BY owner_org_id, sort, code`, tx)
      ).map(toIndicator);
    },
    async indicatorsOfOwners(cityCode: string, ownerIds: string[], tx: Executor = db) {
      if (!ownerIds.length) return [];
      return (
        await q<Record<string, unknown>>(
          sql`SELECT * FROM evaluation_indicators WHERE city_code = ${cityCode} AND owner_org_id IN (${sql.join(
            ownerIds.map((id) => sql`${id}`),
            sql`, `,
          )}) ORDER BY sort, code`,
          tx,
        )
      ).map(toIndicator);
    },
    async indicatorById(id: string, tx: Executor = db) {
      const [r] = await q<Record<string, unknown>>(sql`SELECT * FROM evaluation_indicators WHERE id = ${id}`, tx);
      return r ? toIndicator(r) : null;
    },
    /** Serialises edits of one owner's system (so two edits cannot each keep 100 and together break it). */
    async lockOwner(tx: Executor, cityCode: string, ownerId: string) {
      await tx.execute(sql`SELECT id FROM orgs WHERE city_code = ${cityCode} AND id = ${ownerId} FOR NO KEY UPDATE`);
    },
    async insertIndicator(tx: Executor, r: Omit<IndicatorRow, 'description'> & { description: string | null }) {
      await tx.execute(sql`
        INSERT INTO evaluation_indicators (city_code, id, owner_org_id, code, name, metric, target, weight, levels, description, sort)
        VALUES (${r.cityCode}, ${r.id}, ${r.ownerOrgId}, ${r.code}, ${r.name}, ${r.metric}, ${r.target}, ${r.weight}, ${sql`ARRAY[${sql.join(
          r.levels.map((l) => sql`${l}`),
          sql`, `,
        )}]::text[]`}, ${r.description}, ${r.sort})`);
    },
    async updateIndicator(tx: Executor, r: IndicatorRow) {
      await tx.execute(sql`
        UPDATE evaluation_indicators SET code = ${r.code}, name = ${r.name}, metric = ${r.metric}, target = ${r.target}, weight = ${r.weight},
          levels = ${sql`ARRAY[${sql.join(
            r.levels.map((l) => sql`${l}`),
            sql`, `,
          )}]::text[]`}, description = ${r.description}, updated_at = now()
        WHERE city_code = ${r.cityCode} AND id = ${r.id}`);
    },
    async deleteIndicator(tx: Executor, cityCode: string, id: string) {
      await tx.execute(sql`DELETE FROM evaluation_indicators WHERE city_code = ${cityCode} AND id = ${id}`);
    },
    async deleteOwnerIndicators(tx: Executor, cityCode: string, ownerId: string) {
      await tx.execute(sql`DELETE FROM evaluation_indicators WHERE city_code = ${cityCode} AND owner_org_id = ${ownerId}`);
    },

    // ------------------------------------------------------------ facts (per the fact's own org)
    async facts(cityCode: string, from: Date, to: Date, now: Date, tx: Executor = db): Promise<OrgFacts> {
      const [acts, vols, hours, orders, ratings, resources, booked] = await Promise.all([
        q<{ org_id: string; n: number; last: unknown }>(
          sql`SELECT org_id, count(*) FILTER (WHERE starts_at >= ${from})::int AS n, max(starts_at) AS last
              FROM activities WHERE city_code = ${cityCode} AND state IN ('published', 'finished') AND starts_at < ${to} GROUP BY org_id`,
          tx,
        ),
        q<{ org_id: string; n: number }>(
          sql`SELECT org_id, count(*)::int AS n FROM volunteers WHERE city_code = ${cityCode} AND status = 'active' AND created_at < ${to} GROUP BY org_id`,
          tx,
        ),
        q<{ org_id: string; h: number }>(
          sql`SELECT org_id, sum(hours)::float AS h FROM service_records
              WHERE city_code = ${cityCode} AND status = 'verified' AND coalesce(ended_at, started_at, created_at) >= ${from} AND coalesce(ended_at, started_at, created_at) < ${to}
              GROUP BY org_id`,
          tx,
        ),
        q<{ org_id: string; due: number; responded: number; closed_or_due: number; solved: number }>(
          sql`SELECT org_id,
                count(*) FILTER (WHERE (first_accept_due_at <= ${now} OR accepted_at IS NOT NULL OR forwarded_at IS NOT NULL)
                  AND NOT (state = 'cancelled' AND accepted_at IS NULL AND forwarded_at IS NULL AND closed_at < first_accept_due_at))::int AS due,
                count(*) FILTER (WHERE coalesce(accepted_at, forwarded_at) <= first_accept_due_at)::int AS responded,
                count(*) FILTER (WHERE state <> 'cancelled' AND NOT (state IN ('submitted', 'dispatched', 'accepted', 'in_service', 'forwarded', 'acknowledged', 'extension_requested') AND first_accept_due_at > ${now}))::int AS closed_or_due,
                count(*) FILTER (WHERE completed_at IS NOT NULL OR resolved_at IS NOT NULL)::int AS solved
              FROM orders WHERE city_code = ${cityCode} AND created_at >= ${from} AND created_at < ${to} GROUP BY org_id`,
          tx,
        ),
        q<{ org_id: string; ratings: number; satisfied: number }>(
          sql`SELECT org_id, count(*)::int AS ratings, count(*) FILTER (WHERE rating >= 4)::int AS satisfied
              FROM orders WHERE city_code = ${cityCode} AND rating IS NOT NULL AND rated_at >= ${from} AND rated_at < ${to} GROUP BY org_id`,
          tx,
        ),
        q<{ org_id: string; open_hours: unknown; closed_dates: string[] }>(
          sql`SELECT org_id, open_hours, closed_dates::text[] AS closed_dates FROM resources
              WHERE city_code = ${cityCode} AND status = 'active' AND bookable AND quantity IS NULL`,
          tx,
        ),
        q<{ org_id: string; h: number }>(
          sql`SELECT x.org_id, sum(extract(epoch FROM (least(b.ends_at, ${to}) - greatest(b.starts_at, ${from}))) / 3600)::float AS h
              FROM bookings b JOIN resources x ON x.city_code = b.city_code AND x.id = b.resource_id
              WHERE b.city_code = ${cityCode} AND b.exclusive AND b.status IN ('approved', 'checked_in', 'completed') AND b.starts_at < ${to} AND b.ends_at > ${from}
                AND x.status = 'active' AND x.bookable AND x.quantity IS NULL
              GROUP BY x.org_id`,
          tx,
        ),
      ]);
      // The content module may be absent from a deployment; then the metric has no data.
      const [{ ok } = { ok: false }] = await q<{ ok: boolean }>(sql`SELECT to_regclass('contents') IS NOT NULL AS ok`, tx);
      const contents = ok
        ? await q<{ org_id: string; n: number }>(
            sql`SELECT org_id, count(*)::int AS n FROM contents WHERE city_code = ${cityCode} AND state = 'published' AND published_at >= ${from} AND published_at < ${to} GROUP BY org_id`,
            tx,
          )
        : null;
      return {
        contents: contents ? new Map(contents.map((r) => [r.org_id, num(r.n)])) : null,
        activities: new Map(acts.map((r) => [r.org_id, { n: num(r.n), last: date(r.last) }])),
        volunteers: new Map(vols.map((r) => [r.org_id, num(r.n)])),
        hours: new Map(hours.map((r) => [r.org_id, num(r.h)])),
        orders: new Map(
          orders.map((r) => [r.org_id, { due: num(r.due), responded: num(r.responded), closedOrDue: num(r.closed_or_due), solved: num(r.solved) }]),
        ),
        ratings: new Map(ratings.map((r) => [r.org_id, { ratings: num(r.ratings), satisfied: num(r.satisfied) }])),
        resources: resources.map((r) => ({
          orgId: r.org_id,
          openHours: (json(r.open_hours) ?? []) as OrgFacts['resources'][number]['openHours'],
          closedDates: r.closed_dates ?? [],
        })),
        bookedHours: new Map(booked.map((r) => [r.org_id, num(r.h)])),
      };
    },

    // ------------------------------------------------------------ runs and results
    async run(cityCode: string, period: string, tx: Executor = db) {
      const [r] = await q<Record<string, unknown>>(sql`SELECT * FROM evaluation_runs WHERE city_code = ${cityCode} AND period = ${period}`, tx);
      return r ? toRun(r) : null;
    },
    async runsOf(period: string, cityCodes: string[] | null, tx: Executor = db) {
      const cond =
        cityCodes === null
          ? sql`TRUE`
          : cityCodes.length
            ? sql`city_code IN (${sql.join(
                cityCodes.map((c) => sql`${c}`),
                sql`, `,
              )})`
            : sql`FALSE`;
      return (
        await q<Record<string, unknown>>(
          sql`SELECT * FROM evaluation_runs WHERE period = ${period} AND computed_at IS NOT NULL AND ${cond} ORDER BY city_code`,
          tx,
        )
      ).map(toRun);
    },
    /** The run row of (city, period), created when missing, locked until the transaction ends. */
    async lockRun(tx: Executor, r: { cityCode: string; period: string; kind: 'month' | 'year'; startsAt: Date; endsAt: Date }) {
      await tx.execute(sql`
        INSERT INTO evaluation_runs (city_code, period, kind, starts_at, ends_at) VALUES (${r.cityCode}, ${r.period}, ${r.kind}, ${r.startsAt}, ${r.endsAt})
        ON CONFLICT (city_code, period) DO NOTHING`);
      const [row] = await q<Record<string, unknown>>(
        sql`SELECT * FROM evaluation_runs WHERE city_code = ${r.cityCode} AND period = ${r.period} FOR UPDATE`,
        tx,
      );
      return toRun(row!);
    },
    async replaceResults(tx: Executor, cityCode: string, period: string, computedAt: Date, rows: ResultInsert[]) {
      await tx.execute(sql`DELETE FROM evaluation_results WHERE city_code = ${cityCode} AND period = ${period}`);
      for (let i = 0; i < rows.length; i += 400) {
        const values = rows
          .slice(i, i + 400)
          .map(
            (r) =>
              sql`(${cityCode}, ${period}, ${r.orgId}, ${r.parentId}, ${r.level}, ${r.total}, ${r.rank}, ${r.rankOf}, ${JSON.stringify(r.indicators)}::jsonb, ${JSON.stringify(r.figures)}::jsonb, ${JSON.stringify(r.flags)}::jsonb, ${r.flags.length}, ${JSON.stringify(r.suggestions)}::jsonb, ${computedAt})`,
          );
        await tx.execute(sql`
          INSERT INTO evaluation_results (city_code, period, org_id, parent_id, level, total, rank, rank_of, indicators, figures, flags, flag_count, suggestions, computed_at)
          VALUES ${sql.join(values, sql`, `)}`);
      }
    },
    async finishRun(
      tx: Executor,
      r: { cityCode: string; period: string; closed: boolean; computedAt: Date; computedBy: string | null; siteCount: number; forced: boolean },
    ) {
      await tx.execute(sql`
        UPDATE evaluation_runs SET closed = ${r.closed}, computed_at = ${r.computedAt}, computed_by = ${r.computedBy}, site_count = ${r.siteCount},
          forced_count = forced_count + ${r.forced ? 1 : 0}
        WHERE city_code = ${r.cityCode} AND period = ${r.period}`);
    },

    /** A ranking page: results of a period in the scope (a condition on alias `o`), best first. */
    async listResults(
      f: { period: string; scope: SQL; level?: string; flagged?: boolean; after?: { total: number; orgId: string }; limit: number },
      tx: Executor = db,
    ) {
      const conds: SQL[] = [sql`r.period = ${f.period}`, f.scope];
      if (f.level) conds.push(sql`r.level = ${f.level}`);
      if (f.flagged) conds.push(sql`r.flag_count > 0`);
      if (f.after) conds.push(sql`(coalesce(r.total, -1) < ${f.after.total} OR (coalesce(r.total, -1) = ${f.after.total} AND r.org_id > ${f.after.orgId}))`);
      return (
        await q<Record<string, unknown>>(
          sql`SELECT ${RESULT_COLUMNS} FROM ${RESULT_FROM} WHERE ${sql.join(conds, sql` AND `)}
              ORDER BY coalesce(r.total, -1) DESC, r.org_id LIMIT ${f.limit}`,
          tx,
        )
      ).map(toResult);
    },
    async result(cityCode: string, orgId: string, period: string, tx: Executor = db) {
      const [r] = await q<Record<string, unknown>>(
        sql`SELECT ${RESULT_COLUMNS} FROM ${RESULT_FROM} WHERE r.city_code = ${cityCode} AND r.org_id = ${orgId} AND r.period = ${period}`,
        tx,
      );
      return r ? toResult(r) : null;
    },
    /** The site's earlier results of the same kind (months: `YYYY-MM`; years: `YYYY`), oldest first. */
    async history(cityCode: string, orgId: string, kind: 'month' | 'year', upTo: string, limit: number, tx: Executor = db) {
      const rows = await q<{ period: string; total: unknown; rank: unknown; rank_of: unknown }>(
        sql`SELECT period, total, rank, rank_of FROM evaluation_results
            WHERE city_code = ${cityCode} AND org_id = ${orgId} AND length(period) = ${kind === 'month' ? 7 : 4} AND period <= ${upTo}
            ORDER BY period DESC LIMIT ${limit}`,
        tx,
      );
      return rows.reverse().map((r) => ({
        period: r.period,
        total: r.total === null ? null : Number(r.total),
        rank: r.rank === null ? null : Number(r.rank),
        rankOf: num(r.rank_of),
      }));
    },
  };
}

export type EvaluationRepository = ReturnType<typeof createEvaluationRepository>;
