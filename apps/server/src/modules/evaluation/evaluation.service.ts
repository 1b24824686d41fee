import { sql } from 'drizzle-orm';
import {
  EVALUATED_LEVELS,
  ORG_LEVEL_NAMES,
  type EvaluatedLevel,
  type EvaluationFlagDto,
  type EvaluationRowDto,
  type EvaluationRunDto,
  type IndicatorDto,
  type IndicatorResultDto,
  type IndicatorSystemDto,
  type ScorecardDto,
  type TIndicatorInput,
  type AuditAction,
} from '@wenming/contracts';
import {
  DEFAULT_INDICATORS,
  DIAGNOSTIC_THRESHOLDS,
  diagnose,
  levelsBelow,
  localTime,
  measuringWindow,
  indicatorResult,
  openMinutesBetween,
  parsePeriod,
  periodsOf,
  previousMonth,
  rankByTotal,
  siteWorks,
  suggestions,
  weightProblems,
  weightedTotal,
  type SiteFigures,
} from '@wenming/domain';
import type { Db } from '../../db/client.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { AppError, forbidden, notFound, ruleViolation } from '../../lib/errors.ts';
import { idFromLabel, newId } from '../../lib/ids.ts';
import {
  assertStaff,
  inScope,
  MANAGE_ROLES,
  READ_ROLES,
  requireActor,
  scopeCondition,
  scopeOf,
  type Actor,
  type RequestCtx,
  type Scope,
} from '../../lib/policy.ts';
import { DEFAULT_TZ, toIso } from '../../lib/time.ts';
import type { AuditRepository } from '../audit/index.ts';
import type { OrgRow, OrgsRepository } from '../orgs/index.ts';
import { narrowToOrg } from '../orgs/index.ts';
import type { CityOrg, EvaluationRepository, IndicatorRow, ResultInsert, ResultRow } from './evaluation.repository.ts';
import { z } from 'zod';

const DEFAULT_OWNER_NAME = '平台默认指标体系';
/** How stale the results of an open period may get before the job recomputes them. */
export const REFRESH_OPEN_MS = 3 * 3_600_000;
const orgNotFound = () => notFound({ zh: '阵地不存在', en: 'No such site' });
const levelName = (l: string) => ORG_LEVEL_NAMES[l as EvaluatedLevel]?.short ?? l;

type SystemIndicator = TIndicatorInput & { id: string | null; ownerOrgId: string | null; ownerOrgName: string };

/** What applies to sites of `level` whose parent is `startId`: the nearest own system at or above it, else the default. */
function resolveSystem(
  orgsById: Map<string, { parentId: string | null; name: string }>,
  byOwner: Map<string, IndicatorRow[]>,
  startId: string | null,
  level: EvaluatedLevel,
): SystemIndicator[] {
  for (let id = startId; id; id = orgsById.get(id)?.parentId ?? null) {
    const own = (byOwner.get(id) ?? []).filter((i) => i.levels.includes(level));
    if (own.length) return own.map((i) => ({ ...i, description: i.description ?? undefined, ownerOrgName: orgsById.get(id)?.name ?? '' }));
  }
  return DEFAULT_INDICATORS.filter((i) => i.levels.includes(level)).map((i) => ({ ...i, id: null, ownerOrgId: null, ownerOrgName: DEFAULT_OWNER_NAME }));
}

function indicatorDto(i: SystemIndicator): IndicatorDto {
  return {
    id: i.id,
    code: i.code,
    name: i.name,
    metric: i.metric,
    target: i.target,
    weight: i.weight,
    levels: i.levels,
    description: i.description ?? null,
    ownerOrgId: i.ownerOrgId,
    ownerOrgName: i.ownerOrgName,
  };
}

const ZCursor = z.object({ t: z.number(), id: z.string().uuid() });

/**
 * 成效评估: indicator systems (an org's own applies to the sites below it), computation per period
 * and city (process: months; summative: years) with stored, stable results, diagnostics, ranking
 * among siblings of the same level, scorecards and the Excel export.
 */
export function createEvaluationService(deps: {
  db: Db;
  repo: EvaluationRepository;
  orgs: OrgsRepository;
  audit: AuditRepository;
  clock?: () => Date;
  tz?: string;
}) {
  const { db, repo } = deps;
  const now = deps.clock ?? (() => new Date());
  const tz = deps.tz ?? DEFAULT_TZ;

  async function orgOr404(id: string) {
    const org = await deps.orgs.byId(id);
    if (!org) throw orgNotFound();
    return org;
  }

  function assertManage(actor: Actor, org: OrgRow) {
    if (!inScope(scopeOf(actor, MANAGE_ROLES), { cityCode: org.cityCode, path: org.path }))
      throw forbidden({ zh: '只有该阵地及上级的管理员可以修改指标体系', en: 'Only admins of this site or above may change its indicators' });
    if (org.level === 'point') throw ruleViolation({ zh: '实践点没有下级阵地，不能设置指标体系', en: 'A point has no sites below it' });
  }

  /** Checks a whole own system of `owner` (400 for field errors, 422 for rules). */
  function validateSystem(owner: OrgRow, list: TIndicatorInput[]) {
    const seen = new Map<string, number>();
    list.forEach((i, n) => {
      const prev = seen.get(i.code.toUpperCase());
      if (prev !== undefined) throw new AppError('VALIDATION_FAILED', undefined, [{ path: `indicators.${n}.code`, message: `指标编号 ${i.code} 重复` }]);
      seen.set(i.code.toUpperCase(), n);
    });
    const allowed = levelsBelow(owner.level);
    for (const i of list) {
      const bad = i.levels.filter((l) => !allowed.includes(l));
      if (bad.length)
        throw ruleViolation({
          zh: `指标 ${i.code} 的适用层级（${bad.map(levelName).join('、')}）不在本阵地之下；本阵地的指标体系只能用于${allowed.map(levelName).join('、') || '（无）'}`,
          en: `Indicator ${i.code} names levels not below this site`,
        });
    }
    const problems = weightProblems(list);
    if (problems.length)
      throw ruleViolation({
        zh: `各层级指标权重合计须为 100：${problems.map((p) => `${levelName(p.level)}级合计 ${p.sum}`).join('，')}`,
        en: `Weights per level must sum to 100: ${problems.map((p) => `${p.level} ${p.sum}`).join(', ')}`,
      });
  }

  const asInput = (i: IndicatorRow): TIndicatorInput => ({
    code: i.code,
    name: i.name,
    metric: i.metric,
    target: i.target,
    weight: i.weight,
    levels: i.levels,
    description: i.description ?? undefined,
  });

  async function system(actor: Actor, org: OrgRow | null): Promise<IndicatorSystemDto> {
    if (!org) {
      const effective = DEFAULT_INDICATORS.map((i) => indicatorDto({ ...i, id: null, ownerOrgId: null, ownerOrgName: DEFAULT_OWNER_NAME }));
      return {
        orgId: null,
        orgName: null,
        levels: EVALUATED_LEVELS.map((level) => ({
          level,
          source: 'default',
          ownerOrgId: null,
          ownerOrgName: DEFAULT_OWNER_NAME,
          weightSum: effective.filter((i) => i.levels.includes(level)).reduce((s, i) => s + i.weight, 0),
        })),
        own: [],
        effective,
        allowedActions: [],
      };
    }
    const ancestorIds = org.path.split('.').map(idFromLabel);
    const indicators = await repo.indicatorsOfOwners(org.cityCode, ancestorIds);
    const cityOrgs = new Map<string, { parentId: string | null; name: string }>();
    // Names and parents of the ancestors, for resolving and showing where indicators come from.
    for (const o of await repo.orgsByIds(org.cityCode, ancestorIds)) cityOrgs.set(o.id, { parentId: o.parentId, name: o.name });
    const byOwner = new Map<string, IndicatorRow[]>();
    for (const i of indicators) byOwner.set(i.ownerOrgId, [...(byOwner.get(i.ownerOrgId) ?? []), i]);
    const levels = levelsBelow(org.level).map((level) => {
      const list = resolveSystem(cityOrgs, byOwner, org.id, level);
      const owner = list[0]?.ownerOrgId ?? null;
      return {
        level,
        source: owner === null ? ('default' as const) : owner === org.id ? ('own' as const) : ('inherited' as const),
        ownerOrgId: owner,
        ownerOrgName: list[0]?.ownerOrgName ?? DEFAULT_OWNER_NAME,
        weightSum: list.reduce((s, i) => s + i.weight, 0),
        list,
      };
    });
    const effective = new Map<string, IndicatorDto>();
    for (const l of levels) for (const i of l.list) effective.set(`${i.ownerOrgId}:${i.code}`, indicatorDto(i));
    const canEdit = org.level !== 'point' && inScope(scopeOf(actor, MANAGE_ROLES), { cityCode: org.cityCode, path: org.path });
    return {
      orgId: org.id,
      orgName: org.name,
      levels: levels.map(({ list: _list, ...l }) => l),
      own: (byOwner.get(org.id) ?? []).map((i) => indicatorDto({ ...asInput(i), id: i.id, ownerOrgId: org.id, ownerOrgName: org.name })),
      effective: [...effective.values()],
      allowedActions: canEdit ? ['edit'] : [],
    };
  }

  /** Changes the own system of `owner` under its lock, validating the system as it will be. */
  async function editSystem(
    ctx: RequestCtx,
    owner: OrgRow,
    change: (current: IndicatorRow[]) => { next: TIndicatorInput[]; apply: (tx: Db) => Promise<void> },
    action: AuditAction,
  ) {
    await db.transaction(async (tx) => {
      await repo.lockOwner(tx, owner.cityCode, owner.id);
      const current = await repo.indicatorsOfOwners(owner.cityCode, [owner.id], tx);
      const { next, apply } = change(current);
      validateSystem(owner, next);
      await apply(tx);
      await deps.audit.record(
        ctx,
        { cityCode: owner.cityCode, action, entityType: 'evaluation_system', entityId: owner.id, before: current.map(asInput), after: next },
        tx,
      );
    });
  }

  // ------------------------------------------------------------------ computation
  interface Computed {
    rows: ResultInsert[];
  }

  /** Rolls the facts up the tree and scores every site of the city (pure, apart from the reads). */
  async function computeCityRows(cityCode: string, p: NonNullable<ReturnType<typeof parsePeriod>>, at: Date): Promise<Computed & { closed: boolean }> {
    const w = measuringWindow(p, at, tz);
    const [orgs, indicators, facts] = await Promise.all([repo.cityOrgs(cityCode), repo.indicatorsOfCity(cityCode), repo.facts(cityCode, w.from, w.to, at)]);
    const byId = new Map<string, CityOrg>(orgs.map((o) => [o.id, o]));
    const byOwner = new Map<string, IndicatorRow[]>();
    for (const i of indicators) byOwner.set(i.ownerOrgId, [...(byOwner.get(i.ownerOrgId) ?? []), i]);
    const idleBefore = w.to.getTime() - DIAGNOSTIC_THRESHOLDS.idleDays * 86_400_000;
    const days = Math.max(1, Math.ceil((w.to.getTime() - w.from.getTime()) / 86_400_000));
    const fromDate = localTime(w.from, tz).date;
    const openHoursOf = new Map<string, number>();
    for (const r of facts.resources)
      openHoursOf.set(r.orgId, (openHoursOf.get(r.orgId) ?? 0) + openMinutesBetween(r.openHours, r.closedDates, fromDate, days, tz) / 60);

    const empty = (): SiteFigures & { last: number | null } => ({
      grassroots: 0,
      activeGrassroots: 0,
      idleGrassroots30d: 0,
      activities: 0,
      volunteers: 0,
      verifiedHours: 0,
      ordersDue: 0,
      ordersResponded: 0,
      ordersClosedOrDue: 0,
      ordersSolved: 0,
      ratings: 0,
      satisfied: 0,
      bookedHours: 0,
      openHours: 0,
      contents: facts.contents ? 0 : null,
      months: w.months,
      last: null,
    });
    const figures = new Map<string, ReturnType<typeof empty>>();
    for (const o of orgs) {
      // The org's own facts, added to itself and every ancestor.
      const a = facts.activities.get(o.id);
      const ord = facts.orders.get(o.id);
      const rt = facts.ratings.get(o.id);
      const grass = o.level === 'station' || o.level === 'point';
      const last = a?.last ? a.last.getTime() : null;
      for (let id: string | null = o.id; id; id = byId.get(id)?.parentId ?? null) {
        let f = figures.get(id);
        if (!f) figures.set(id, (f = empty()));
        if (grass) {
          f.grassroots++;
          if ((a?.n ?? 0) > 0) f.activeGrassroots++;
          if (last === null || last < idleBefore) f.idleGrassroots30d++;
        }
        f.activities += a?.n ?? 0;
        f.volunteers += facts.volunteers.get(o.id) ?? 0;
        f.verifiedHours += facts.hours.get(o.id) ?? 0;
        f.ordersDue += ord?.due ?? 0;
        f.ordersResponded += ord?.responded ?? 0;
        f.ordersClosedOrDue += ord?.closedOrDue ?? 0;
        f.ordersSolved += ord?.solved ?? 0;
        f.ratings += rt?.ratings ?? 0;
        f.satisfied += rt?.satisfied ?? 0;
        f.bookedHours += facts.bookedHours.get(o.id) ?? 0;
        f.openHours += openHoursOf.get(o.id) ?? 0;
        if (f.contents !== null) f.contents += facts.contents?.get(o.id) ?? 0;
        if (last !== null && (f.last === null || last > f.last)) f.last = last;
      }
    }

    const scored = orgs
      .filter((o): o is CityOrg & { level: EvaluatedLevel } => o.level !== 'city')
      .map((o) => {
        const { last, ...f } = figures.get(o.id) ?? empty();
        f.verifiedHours = Math.round(f.verifiedHours * 10) / 10;
        f.bookedHours = Math.round(f.bookedHours * 100) / 100;
        f.openHours = Math.round(f.openHours * 100) / 100;
        // Fairness (issue 18): a rate below the minimum sample is 样本不足, no data is 暂无数据 —
        // shown as such; a work indicator without data counts 0, a demand one is left out.
        const applied = resolveSystem(byId, byOwner, o.parentId, o.level).map((i) => ({ i, r: indicatorResult(i.metric, i.target, f) }));
        const items = applied.map(({ i, r }) => ({
          code: i.code,
          name: i.name,
          metric: i.metric,
          target: i.target,
          weight: i.weight,
          value: r.value,
          score: r.counted ? r.score : null,
          status: r.status,
          sample: r.sample,
        }));
        const lastDate = last === null ? null : localTime(new Date(last), tz).date;
        return {
          orgId: o.id,
          parentId: o.parentId,
          level: o.level,
          total: weightedTotal(applied.map(({ i, r }) => ({ weight: i.weight, score: r.score, counted: r.counted }))),
          works: siteWorks(f),
          indicators: items,
          figures: { ...f, lastActivity: lastDate },
          flags: diagnose(o.level, f, { date: lastDate, idle: last === null || last < idleBefore }),
          suggestions: suggestions(items),
        };
      });
    // Rank among the siblings of the same level.
    const groups = new Map<string, typeof scored>();
    for (const r of scored) {
      const k = `${r.parentId}:${r.level}`;
      groups.set(k, [...(groups.get(k) ?? []), r]);
    }
    const rows: ResultInsert[] = [...groups.values()].flatMap((g) => rankByTotal(g)).map(({ works: _works, ...r }) => r);
    return { rows, closed: w.closed };
  }

  /**
   * Computes one city's period. A closed period that has results is kept as it is unless forced.
   * Two computes of one period meet on the run row's lock: one result set either way.
   */
  async function computeCity(
    cityCode: string,
    period: string,
    opts: { ctx?: RequestCtx; force?: boolean },
  ): Promise<EvaluationRunDto & { recomputed: boolean }> {
    const p = parsePeriod(period, tz);
    if (!p) throw new AppError('VALIDATION_FAILED', undefined, [{ path: 'period', message: '评估期格式为 YYYY-MM（月度）或 YYYY（年度）' }]);
    const at = now();
    if (p.start.getTime() > at.getTime()) throw ruleViolation({ zh: '评估期尚未开始，不能计算', en: 'The period has not begun' });
    const before = await repo.run(cityCode, period);
    if (before?.closed && before.computedAt && !opts.force) return { ...runDto(before), recomputed: false };
    const { rows, closed } = await computeCityRows(cityCode, p, at);
    let kept = false;
    await db.transaction(async (tx) => {
      const run = await repo.lockRun(tx, { cityCode, period, kind: p.kind, startsAt: p.start, endsAt: p.end });
      if (run.closed && run.computedAt && !opts.force) {
        kept = true;
        return;
      }
      const forced = Boolean(opts.force && run.closed && run.computedAt);
      await repo.replaceResults(tx, cityCode, period, at, rows);
      await repo.finishRun(tx, { cityCode, period, closed, computedAt: at, computedBy: opts.ctx?.actor?.userId ?? null, siteCount: rows.length, forced });
      if (forced && opts.ctx)
        await deps.audit.record(
          opts.ctx,
          {
            cityCode,
            action: 'evaluation.force_recompute',
            entityType: 'evaluation_run',
            entityId: `${cityCode}:${period}`,
            before: { computedAt: run.computedAt, sites: run.siteCount },
            after: { computedAt: at, sites: rows.length },
          },
          tx,
        );
    });
    const after = (await repo.run(cityCode, period))!;
    return { ...runDto(after), recomputed: !kept };
  }

  function runDto(r: {
    cityCode: string;
    period: string;
    kind: 'month' | 'year';
    closed: boolean;
    computedAt: Date | null;
    siteCount: number;
    forcedCount: number;
  }): EvaluationRunDto {
    return {
      cityCode: r.cityCode,
      period: r.period,
      kind: r.kind,
      closed: r.closed,
      computedAt: r.computedAt ? toIso(r.computedAt) : '',
      sites: r.siteCount,
      forcedCount: r.forcedCount,
    };
  }

  function rowDto(r: ResultRow): EvaluationRowDto {
    return {
      orgId: r.orgId,
      orgName: r.orgName,
      level: r.level,
      parentId: r.parentId,
      parentName: r.parentName,
      period: r.period,
      total: r.total,
      rank: r.rank,
      rankOf: r.rankOf,
      flags: r.flags as EvaluationFlagDto[],
    };
  }

  /** The cities a scope reaches (null: all). */
  function citiesOf(scope: Scope): string[] | null {
    return scope.all ? null : [...new Set(scope.subtrees.map((s) => s.cityCode))];
  }

  async function listScope(actor: Actor, orgId: string | undefined) {
    const { scope } = await narrowToOrg(deps.orgs, assertStaff(actor, READ_ROLES), orgId);
    return { scope, cond: scopeCondition(scope, sql`o.city_code`, sql`o.path`) };
  }

  return {
    async indicators(ctx: RequestCtx, orgId?: string) {
      const actor = requireActor(ctx);
      const scope = assertStaff(actor, READ_ROLES);
      if (orgId) {
        const org = await orgOr404(orgId);
        if (!inScope(scope, { cityCode: org.cityCode, path: org.path }))
          throw forbidden({ zh: '该阵地不在您的管辖范围内', en: 'This site is outside your scope' });
        return system(actor, org);
      }
      const grant = actor.grants.find((g) => g.role === 'org_admin') ?? actor.grants.find((g) => g.role === 'dispatcher');
      return system(actor, grant && !actor.isAdmin ? await deps.orgs.byId(grant.orgId) : null);
    },

    async replaceSystem(ctx: RequestCtx, body: { orgId: string; indicators: TIndicatorInput[] }) {
      const actor = requireActor(ctx);
      const owner = await orgOr404(body.orgId);
      assertManage(actor, owner);
      await editSystem(
        ctx,
        owner,
        () => ({
          next: body.indicators,
          apply: async (tx) => {
            await repo.deleteOwnerIndicators(tx, owner.cityCode, owner.id);
            let sort = 0;
            for (const i of body.indicators)
              await repo.insertIndicator(tx, {
                cityCode: owner.cityCode,
                id: newId(),
                ownerOrgId: owner.id,
                ...i,
                description: i.description ?? null,
                sort: sort++,
              });
          },
        }),
        'evaluation.system.replace',
      );
      return system(actor, owner);
    },

    async createIndicator(ctx: RequestCtx, body: TIndicatorInput & { orgId: string }) {
      const actor = requireActor(ctx);
      const owner = await orgOr404(body.orgId);
      assertManage(actor, owner);
      const { orgId: _o, ...input } = body;
      const id = newId();
      await editSystem(
        ctx,
        owner,
        (current) => ({
          next: [...current.map(asInput), input],
          apply: (tx) =>
            repo.insertIndicator(tx, {
              cityCode: owner.cityCode,
              id,
              ownerOrgId: owner.id,
              ...input,
              description: input.description ?? null,
              sort: current.length,
            }),
        }),
        'evaluation.indicator.create',
      );
      return indicatorDto({ ...input, id, ownerOrgId: owner.id, ownerOrgName: owner.name });
    },

    async updateIndicator(ctx: RequestCtx, id: string, patch: Omit<Partial<TIndicatorInput>, 'description'> & { description?: string | null }) {
      const actor = requireActor(ctx);
      const found = await repo.indicatorById(id);
      if (!found) throw notFound({ zh: '指标不存在', en: 'No such indicator' });
      const owner = await orgOr404(found.ownerOrgId);
      assertManage(actor, owner);
      let updated: IndicatorRow | null = null;
      await editSystem(
        ctx,
        owner,
        (current) => {
          const cur = current.find((c) => c.id === id);
          if (!cur) throw notFound({ zh: '指标不存在', en: 'No such indicator' });
          const next: IndicatorRow = {
            ...cur,
            ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
            description: patch.description === undefined ? cur.description : patch.description,
          };
          updated = next;
          return { next: current.map((c) => (c.id === id ? asInput(next) : asInput(c))), apply: (tx) => repo.updateIndicator(tx, next) };
        },
        'evaluation.indicator.update',
      );
      const u = updated as unknown as IndicatorRow;
      return indicatorDto({ ...asInput(u), id: u.id, ownerOrgId: owner.id, ownerOrgName: owner.name });
    },

    async deleteIndicator(ctx: RequestCtx, id: string) {
      const actor = requireActor(ctx);
      const found = await repo.indicatorById(id);
      if (!found) throw notFound({ zh: '指标不存在', en: 'No such indicator' });
      const owner = await orgOr404(found.ownerOrgId);
      assertManage(actor, owner);
      await editSystem(
        ctx,
        owner,
        (current) => {
          if (!current.some((c) => c.id === id)) throw notFound({ zh: '指标不存在', en: 'No such indicator' });
          return { next: current.filter((c) => c.id !== id).map(asInput), apply: (tx) => repo.deleteIndicator(tx, owner.cityCode, id) };
        },
        'evaluation.indicator.delete',
      );
    },

    /** POST /evaluations/compute: admins and org admins; `force` (a closed period again) admins only. */
    async compute(ctx: RequestCtx, body: { period: string; orgId?: string; force?: boolean }) {
      const actor = requireActor(ctx);
      const scope = assertStaff(actor, MANAGE_ROLES);
      if (body.force && !actor.isAdmin) throw forbidden({ zh: '只有超级管理员可以强制重算已结束的评估期', en: 'Only admins may force a recompute' });
      let cities: string[];
      if (body.orgId) {
        const org = await orgOr404(body.orgId);
        if (!inScope(scope, { cityCode: org.cityCode, path: org.path }))
          throw forbidden({ zh: '该阵地不在您的管辖范围内', en: 'This site is outside your scope' });
        cities = [org.cityCode];
      } else cities = citiesOf(scope) ?? (await repo.cityCodes());
      const runs = [];
      for (const c of cities) runs.push(await computeCity(c, body.period, { ctx, force: body.force }));
      return { period: body.period, runs };
    },

    /**
     * The job: last month (and, in January, last year) once they have closed — promptly, since a
     * closed run is then kept —, and this month and year so far when their results are older than
     * REFRESH_OPEN_MS (a city's compute holds the embedded database for seconds).
     */
    async runScheduled() {
      const at = now();
      const { month, year } = periodsOf(at, tz);
      const closing = [previousMonth(month), ...(month.endsWith('-01') ? [String(Number(year) - 1)] : [])];
      let n = 0;
      for (const c of await repo.cityCodes()) {
        for (const p of closing) if ((await computeCity(c, p, {})).recomputed) n++;
        for (const p of [month, year]) {
          const run = await repo.run(c, p);
          if (run?.computedAt && at.getTime() - run.computedAt.getTime() < REFRESH_OPEN_MS) continue;
          if ((await computeCity(c, p, {})).recomputed) n++;
        }
      }
      return n;
    },

    computeCity,

    async list(ctx: RequestCtx, query: { period: string; orgId?: string; level?: EvaluatedLevel; flagged?: 'true' | 'false'; limit: number; cursor?: string }) {
      const actor = requireActor(ctx);
      const { scope, cond } = await listScope(actor, query.orgId);
      const after = query.cursor ? decodeCursor(query.cursor, ZCursor) : undefined;
      const rows = await repo.listResults({
        period: query.period,
        scope: cond,
        level: query.level,
        flagged: query.flagged === 'true',
        after: after ? { total: after.t, orgId: after.id } : undefined,
        limit: query.limit + 1,
      });
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        items: page.map(rowDto),
        nextCursor: rows.length > query.limit && last ? encodeCursor({ t: last.total ?? -1, id: last.orgId }) : null,
        runs: (await repo.runsOf(query.period, citiesOf(scope))).map(runDto),
      };
    },

    async scorecard(ctx: RequestCtx, orgId: string, period: string): Promise<ScorecardDto> {
      const actor = requireActor(ctx);
      const scope = assertStaff(actor, READ_ROLES);
      const org = await orgOr404(orgId);
      if (!inScope(scope, { cityCode: org.cityCode, path: org.path }))
        throw forbidden({ zh: '该阵地不在您的管辖范围内', en: 'This site is outside your scope' });
      if (org.level === 'city') throw ruleViolation({ zh: '市级不参与评估排名，请查看下属中心的评分卡', en: 'The city itself is not evaluated' });
      const r = await repo.result(org.cityCode, org.id, period);
      if (!r) throw notFound({ zh: `${period} 尚未计算评估结果`, en: `No results for ${period} yet` });
      const run = (await repo.run(org.cityCode, period))!;
      const kind = period.length === 7 ? 'month' : 'year';
      return {
        ...rowDto(r),
        kind,
        closed: run.closed,
        computedAt: toIso(r.computedAt),
        indicators: r.indicators as IndicatorResultDto[],
        suggestions: r.suggestions as ScorecardDto['suggestions'],
        figures: r.figures as ScorecardDto['figures'],
        history: await repo.history(org.cityCode, org.id, kind, period, 12),
      };
    },

    /** Rows for the Excel export (the same scope and filters as the list, up to 20,000 sites). */
    async exportRows(ctx: RequestCtx, query: { period: string; orgId?: string; level?: EvaluatedLevel }) {
      const actor = requireActor(ctx);
      const { cond } = await listScope(actor, query.orgId);
      return repo.listResults({ period: query.period, scope: cond, level: query.level, limit: 20_000 });
    },
  };
}

export type EvaluationService = ReturnType<typeof createEvaluationService>;
