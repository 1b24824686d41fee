import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { LRUCache } from 'lru-cache';
import { shortOrgName, type StatsCategoryRow, type StatsDistricts, type StatsMap, type StatsRates, type StatsTop, type StatsTrend } from '@wenming/contracts';
import { localTime, openMinutesBetween } from '@wenming/domain';
import { DEFAULT_TZ } from '../../lib/time.ts';
import { idFromLabel } from '../../lib/ids.ts';
import { assertStaff, requireActor, scopeCondition, type Actor, type RequestCtx, type Scope } from '../../lib/policy.ts';
import type { OrgRow, OrgsRepository } from '../orgs/index.ts';
import { narrowToOrg } from '../orgs/index.ts';
import type { FigureRow, StatsRepository } from './stats.repository.ts';
import type { StatsRollupRepository } from './stats-rollup.repository.ts';
import { createFigureReader, type FigureQuery } from './stats-figures.ts';
import { ORDER_METRICS, STATE_METRICS } from './stats-sources.ts';

/** 服务人次: people served by finished activities, completed orders and verified pairing visits. */
const SERVED_METRICS = ['served.activities', 'served.orders', 'served.pairing'];
const OVERVIEW_METRICS = ['volunteers.active', 'volunteers.new', 'activities', 'hours', ...SERVED_METRICS, ...ORDER_METRICS, ...STATE_METRICS];
const TREND_METRICS = ['orders.submitted', 'orders.solved', 'activities', 'hours', 'volunteers.new', ...SERVED_METRICS];
const DISTRICT_METRICS = ['volunteers.active', 'activities', 'hours', ...SERVED_METRICS, ...ORDER_METRICS];
const PERIOD_METRICS = ['activities', 'hours', 'volunteers.new', ...SERVED_METRICS, ...ORDER_METRICS];
const servedOf = (m: Map<string, number>) => SERVED_METRICS.reduce((s, k) => s + Math.round(m.get(k) ?? 0), 0);
const byMetric = (rows: FigureRow[]) => new Map(rows.map((r) => [r.metric, Number(r.value)]));

const ratio = (num: number, den: number) => (den > 0 ? Math.round((num / den) * 10000) / 10000 : 0);
const round1 = (n: number) => Math.round(n * 10) / 10;

/** The committed district boundaries (data/boundaries, see data/README.md). */
const BOUNDARIES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../data/boundaries');
type Feature = { type: 'Feature'; properties: { name: string; code: string | null; currentName?: string }; geometry: unknown };
const boundaryCache = new Map<string, Feature[] | null>();
function boundaries(cityCode: string): Feature[] | null {
  if (!boundaryCache.has(cityCode)) {
    const file = path.join(BOUNDARIES_DIR, `${cityCode}.json`);
    boundaryCache.set(cityCode, fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { features: Feature[] }).features : null);
  }
  return boundaryCache.get(cityCode)!;
}

export function ratesOf(m: Map<string, number>): StatsRates {
  const g = (k: string) => m.get(k) ?? 0;
  return {
    responseRate: ratio(g('orders.respondedInTime'), g('orders.due')),
    resolutionRate: ratio(g('orders.solved'), g('orders.closedOrDue')),
    satisfactionRate: ratio(g('orders.satisfied'), g('orders.ratings')),
    avgAcceptMinutes: g('orders.accepted') > 0 ? round1(g('orders.acceptMinutes') / g('orders.accepted')) : null,
  };
}

/** Today and the first day of the month `back` months before this one, local (YYYY-MM-DD). */
function monthsBack(now: Date, back: number) {
  const t = localTime(now, DEFAULT_TZ).date;
  const [y, m] = t.split('-').map(Number) as [number, number];
  const months: string[] = [];
  for (let i = back; i >= 0; i--) {
    const d = new Date(Date.UTC(y, m - 1 - i, 1));
    months.push(`${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`);
  }
  return { today: t, from: `${months[0]}-01`, months };
}

/**
 * Statistics (API.md "Statistics"; docs/statistics.md). Figures come from the rollup table
 * stats_daily for days up to the last roll, plus the facts of the later days read live, so they
 * are exact without scanning the facts of all history. Rates are fractions in [0, 1]:
 * - responseRate   = orders accepted or forwarded by their first deadline / orders that are due
 *                    (first deadline passed, or already accepted or forwarded);
 * - resolutionRate = orders completed or resolved / orders closed or due (cancelled ones left out);
 * - satisfactionRate = ratings ≥ 4 / ratings; avgAcceptMinutes = mean time from submission to acceptance;
 * - bookings.utilization = hours booked (approved, checked in, completed) of exclusive resources in the
 *   last 30 days / their open hours in those days.
 */
export function createStatsService(deps: {
  stats: StatsRepository;
  rollup: StatsRollupRepository;
  orgs: OrgsRepository;
  categories: () => Promise<{ code: string; name: string }[]>;
  clock?: () => Date;
  /** How long a finished answer serves identical requests (same scope, same query); 0: never shared. */
  freshMs?: number;
}) {
  const now = deps.clock ?? (() => new Date());
  const figures = createFigureReader({ stats: deps.stats, now });

  /**
   * Answers shared by identical requests: a big screen, or fifty of them, asks for the same figures
   * every minute. Requests that arrive while an identical one is being answered wait for that
   * answer (one computation, not fifty), and a finished answer serves identical requests for
   * `freshMs`. Identical means the same endpoint, the same query and the same scope (the caller's
   * subtrees: two staff with the same scope see the same figures). Figures are thus at most
   * `freshMs` plus one computation old; errors are never kept.
   */
  const freshMs = deps.freshMs ?? 0;
  const answers = new LRUCache<string, object, () => Promise<object>>({
    max: 500,
    ttl: Math.max(1, freshMs),
    // Ages are read on the service's clock (the one the tests control), at every look-up.
    perf: { now: () => now().getTime() },
    ttlResolution: 0,
    fetchMethod: (_key, _stale, { context }) => context(),
  });
  function shared<A extends unknown[], T extends object>(name: string, answer: (ctx: RequestCtx, ...args: A) => Promise<T>) {
    return (ctx: RequestCtx, ...args: A): Promise<T> => {
      if (freshMs <= 0) return answer(ctx, ...args);
      const key = JSON.stringify([name, assertStaff(requireActor(ctx)), args]);
      return answers.fetch(key, { context: () => answer(ctx, ...args) }) as Promise<T>;
    };
  }

  /** The caller's scope narrowed to orgId; the cities it touches (null: all). */
  async function scoped(ctx: RequestCtx, orgId?: string) {
    const actor = requireActor(ctx);
    const { scope } = await narrowToOrg(deps.orgs, assertStaff(actor), orgId);
    return { actor, scope, cond: scopeCondition(scope, sql`o.city_code`, sql`o.path`), cities: citiesOf(scope) };
  }
  const citiesOf = (scope: Scope) => (scope.all ? null : [...new Set(scope.subtrees.map((s) => s.cityCode))]);

  /** The org a page centres on: the one asked for, else the caller's first subtree (admins: the first city). */
  async function focusOrg(actor: Actor, scope: Scope, orgId?: string): Promise<OrgRow | null> {
    if (orgId) return deps.orgs.byId(orgId);
    if (!scope.all) return deps.orgs.byId(idFromLabel(scope.subtrees[0]!.path.split('.').pop()!));
    const [first] = await deps.stats.childOrgs(null, sql`TRUE`);
    return first ? deps.orgs.byId(first.id) : null;
  }

  async function totals(ctx: RequestCtx, orgId?: string, range: { from?: string; to?: string } = {}) {
    const s = await scoped(ctx, orgId);
    const metrics = range.from || range.to ? PERIOD_METRICS : OVERVIEW_METRICS;
    return { ...s, m: byMetric(await figures.read(s, { metrics, group: 'metric', range })) };
  }

  const service = {
    async overview(ctx: RequestCtx, orgId?: string) {
      const { cond, m } = await totals(ctx, orgId);
      // Booking utilisation over the last 30 days: booked hours of exclusive resources / their open hours.
      const to = now();
      const from = new Date(to.getTime() - 30 * 86_400_000);
      const [orgCounts, teams, bk] = await Promise.all([deps.stats.orgCounts(cond), deps.stats.teamCount(cond), deps.stats.bookingFigures(cond, from, to)]);
      const fromDate = localTime(from, DEFAULT_TZ).date;
      const openHours = bk.resources.reduce((sum, r) => sum + openMinutesBetween(r.open_hours, r.closed_dates, fromDate, 30, DEFAULT_TZ), 0) / 60;
      const levels = Object.fromEntries(orgCounts.map((r) => [r.level, Number(r.n)]));
      const sum = (k: 'plaqued' | 'national' | 'provincial' | 'city') => orgCounts.filter((r) => r.level !== 'city').reduce((s, r) => s + Number(r[k]), 0);
      const siteTotal = (levels.center ?? 0) + (levels.institute ?? 0) + (levels.station ?? 0) + (levels.point ?? 0);
      const byState: Record<string, number> = {};
      for (const [k, v] of m) if (k.startsWith('state.') && Math.round(v) !== 0) byState[k.slice(6)] = Math.round(v);
      return {
        orgs: { city: levels.city ?? 0, center: levels.center ?? 0, institute: levels.institute ?? 0, station: levels.station ?? 0, point: levels.point ?? 0 },
        volunteers: Math.round(m.get('volunteers.active') ?? 0),
        teams,
        activities: Math.round(m.get('activities') ?? 0),
        serviceHours: round1(m.get('hours') ?? 0),
        peopleServed: {
          total: servedOf(m),
          activities: Math.round(m.get('served.activities') ?? 0),
          orders: Math.round(m.get('served.orders') ?? 0),
          pairing: Math.round(m.get('served.pairing') ?? 0),
        },
        // 1+N: 1 center, N institutes, N stations, N points ("1+18+203+N" for a district).
        layout: [levels.center ?? 0, levels.institute ?? 0, levels.station ?? 0, levels.point ?? 0].join('+'),
        plaque: { plaqued: sum('plaqued'), sites: siteTotal, rate: siteTotal ? Math.round((sum('plaqued') / siteTotal) * 10000) / 10000 : 0 },
        pilots: { national: sum('national'), provincial: sum('provincial'), city: sum('city') },
        orders: { total: Object.values(byState).reduce((a, b) => a + b, 0), byState, ...ratesOf(m) },
        bookings: { total: bk.total, utilization: openHours > 0 ? Math.min(1, Math.round((bk.bookedHours / openHours) * 10000) / 10000) : 0 },
      };
    },

    /** Per month of the last `months` months (this one included): orders, solved, activities, hours, new volunteers. */
    async trend(ctx: RequestCtx, q: { orgId?: string; months: number }): Promise<StatsTrend> {
      const s = await scoped(ctx, q.orgId);
      const { today, from, months } = monthsBack(now(), q.months - 1);
      const rows = await figures.read(s, { metrics: TREND_METRICS, group: 'month', range: { from, to: today } });
      const get = (metric: string) =>
        months.map((mo) => round1(rows.filter((r) => r.month === mo && r.metric === metric).reduce((a, r) => a + Number(r.value), 0)));
      return {
        months,
        series: {
          orders: get('orders.submitted'),
          solved: get('orders.solved'),
          activities: get('activities'),
          serviceHours: get('hours'),
          newVolunteers: get('volunteers.new'),
          peopleServed: months.map((_, i) => SERVED_METRICS.reduce((s, k) => s + Math.round(get(k)[i] ?? 0), 0)),
        },
      };
    },

    /** 供需对接: per category, what was asked for (orders) and held (activities) in the period, and the supply now. */
    async categories(
      ctx: RequestCtx,
      q: { orgId?: string; from?: string; to?: string },
    ): Promise<{ from: string | null; to: string | null; items: StatsCategoryRow[] }> {
      const s = await scoped(ctx, q.orgId);
      const [period, supply, teams, cats] = await Promise.all([
        figures.read(s, { metrics: ['cat.orders', 'cat.activities'], group: 'dim', range: { from: q.from, to: q.to } }),
        figures.read(s, { metrics: ['volunteers.skill'], group: 'dim' }),
        deps.stats.teamsByCategory(s.cond),
        deps.categories(),
      ]);
      const val = (rows: FigureRow[], metric: string, dim: string) => Math.round(rows.find((r) => r.metric === metric && r.dim === dim)?.value ?? 0);
      return {
        from: q.from ?? null,
        to: q.to ?? null,
        items: cats.map((c) => ({
          code: c.code,
          name: c.name,
          orders: val(period, 'cat.orders', c.code),
          activities: val(period, 'cat.activities', c.code),
          teams: teams.find((t) => t.category === c.code)?.n ?? 0,
          volunteers: val(supply, 'volunteers.skill', c.code),
        })),
      };
    },

    /** Teams by verified hours in the period; volunteers by their verified hours in total. */
    async top(ctx: RequestCtx, q: { orgId?: string; from?: string; to?: string; limit?: number }): Promise<StatsTop> {
      const s = await scoped(ctx, q.orgId);
      const limit = q.limit ?? 10;
      const [teamHours, vols] = await Promise.all([
        figures.read(s, { metrics: ['team.hours'], group: 'dim', range: { from: q.from, to: q.to } }),
        deps.stats.topVolunteers(s.cond, limit),
      ]);
      const best = teamHours
        .filter((r) => r.value > 0)
        .sort((a, b) => b.value - a.value || a.dim.localeCompare(b.dim))
        .slice(0, limit);
      const info = new Map((await deps.stats.teamsByIds(best.map((b) => b.dim))).map((t) => [t.id, t]));
      return {
        teams: best.flatMap((b) => {
          const t = info.get(b.dim);
          return t ? [{ id: t.id, name: t.name, category: t.category, orgName: t.org_name, members: Number(t.members), hours: round1(b.value) }] : [];
        }),
        volunteers: vols.map((v) => ({ id: v.id, name: maskName(v.real_name), orgName: v.org_name, hours: round1(Number(v.total_hours)) })),
      };
    },

    /** Per direct child of the org (the map's colours): sites, teams, volunteers, activities, orders, hours and rates. */
    async districts(ctx: RequestCtx, q: { orgId?: string; from?: string; to?: string }): Promise<StatsDistricts> {
      const s = await scoped(ctx, q.orgId);
      const parent = await focusOrg(s.actor, s.scope, q.orgId);
      if (!parent) return { parent: null, items: [] };
      const ref = { cityCode: parent.cityCode, path: parent.path };
      const [facts, sites, children] = await Promise.all([
        figures.read({ ...s, cities: [parent.cityCode] }, {
          metrics: DISTRICT_METRICS,
          group: 'child',
          range: { from: q.from, to: q.to },
          parent: ref,
        } satisfies FigureQuery),
        deps.stats.sitesByChild(s.cond, ref),
        deps.stats.childOrgs({ cityCode: parent.cityCode, id: parent.id }, s.cond),
      ]);
      const byKey = new Map<string, Map<string, number>>();
      for (const f of facts) {
        let m = byKey.get(f.key!);
        if (!m) byKey.set(f.key!, (m = new Map<string, number>()));
        m.set(f.metric, Number(f.value));
      }
      const siteMap = new Map(sites.map((x) => [x.key, x]));
      const row = (o: { id: string; name: string; level: string; region_code: string | null; path: string }, self: boolean) => {
        const m = byKey.get(o.path) ?? new Map<string, number>();
        return {
          orgId: o.id,
          name: self ? `${o.name}（本级）` : o.name,
          shortName: self ? '本级' : shortOrgName(o.name),
          level: o.level,
          regionCode: o.region_code,
          self,
          sites: self ? 0 : (siteMap.get(o.path)?.sites ?? 0),
          teams: siteMap.get(o.path)?.teams ?? 0,
          volunteers: Math.round(m.get('volunteers.active') ?? 0),
          activities: Math.round(m.get('activities') ?? 0),
          orders: Math.round(m.get('orders.submitted') ?? 0),
          serviceHours: round1(m.get('hours') ?? 0),
          peopleServed: servedOf(m),
          plaqued: self ? 0 : (siteMap.get(o.path)?.plaqued ?? 0),
          ...ratesOf(m),
        };
      };
      const items = children.map((c) => row(c, false));
      const own = byKey.get(parent.path);
      if (own && [...own.values()].some((v) => v !== 0))
        items.push(row({ id: parent.id, name: parent.name, level: parent.level, region_code: parent.regionCode, path: parent.path }, true));
      return { parent: { id: parent.id, name: parent.name, level: parent.level }, items };
    },

    /** The district shapes around the org and its sites as points. */
    async map(ctx: RequestCtx, q: { orgId?: string }): Promise<StatsMap> {
      const s = await scoped(ctx, q.orgId);
      const org = await focusOrg(s.actor, s.scope, q.orgId);
      if (!org) return { org: null, mapName: 'none', geojson: null, regions: [], points: [], truncated: false };
      const LIMIT = 5000;
      const cond = scopeCondition({ all: false, subtrees: [{ cityCode: org.cityCode, path: org.path }] }, sql`o.city_code`, sql`o.path`);
      const [points, children] = await Promise.all([
        deps.stats.sitePoints(sql`${cond} AND ${s.cond}`, LIMIT + 1),
        deps.stats.childOrgs({ cityCode: org.cityCode, id: org.id }, s.cond),
      ]);
      const features = boundaries(org.cityCode) ?? [];
      let shapes: Feature[] = [];
      let regions: StatsMap['regions'];
      let mapName = org.cityCode;
      if (org.level === 'city') {
        const byCode = new Map(children.filter((c) => c.region_code).map((c) => [c.region_code!, c]));
        shapes = features.map((f) => {
          const child = f.properties.code ? byCode.get(f.properties.code) : undefined;
          return { ...f, properties: { ...f.properties, name: child ? shortOrgName(child.name) : f.properties.name, orgId: child?.id ?? null } } as Feature;
        });
        regions = children.map((c) => ({ orgId: c.id, name: shortOrgName(c.name), code: c.region_code }));
      } else {
        // A district or below: the outline of its district (the center on its path).
        const centerId = idFromLabel(org.path.split('.')[1]!);
        const center = centerId === org.id ? org : await deps.orgs.byId(centerId);
        const f = center?.regionCode ? features.find((x) => x.properties.code === center.regionCode) : undefined;
        if (f && center) {
          shapes = [{ ...f, properties: { ...f.properties, name: shortOrgName(center.name), orgId: center.id } } as Feature];
          mapName = `${org.cityCode}-${center.regionCode}`;
        }
        regions = children.map((c) => ({ orgId: c.id, name: shortOrgName(c.name), code: c.region_code }));
      }
      return {
        org: { id: org.id, name: org.name, level: org.level, parentId: org.parentId },
        mapName,
        geojson: shapes.length ? { type: 'FeatureCollection', features: shapes } : null,
        regions,
        points: points.slice(0, LIMIT).map((p) => ({ id: p.id, name: p.name, level: p.level, lat: Number(p.lat), lng: Number(p.lng) })),
        truncated: points.length > LIMIT,
      };
    },

    /** Everything of the statistics page in one go (the Excel export). */
    async report(ctx: RequestCtx, q: { orgId?: string; from?: string; to?: string }) {
      const overviewP = service.overview(ctx, q.orgId);
      const [overview, period, categories, top, districts, trend] = await Promise.all([
        overviewP,
        totals(ctx, q.orgId, q),
        service.categories(ctx, q),
        service.top(ctx, { ...q, limit: 50 }),
        service.districts(ctx, q),
        service.trend(ctx, { orgId: q.orgId, months: 12 }),
      ]);
      const org = q.orgId ? await deps.orgs.byId(q.orgId) : null;
      const pm = period.m;
      return {
        org: org ? { id: org.id, name: org.name } : null,
        from: q.from ?? null,
        to: q.to ?? null,
        overview,
        period: {
          orders: Math.round(pm.get('orders.submitted') ?? 0),
          solved: Math.round(pm.get('orders.solved') ?? 0),
          activities: Math.round(pm.get('activities') ?? 0),
          serviceHours: round1(pm.get('hours') ?? 0),
          peopleServed: servedOf(pm),
          newVolunteers: Math.round(pm.get('volunteers.new') ?? 0),
          ...ratesOf(pm),
        },
        categories: categories.items,
        top,
        districts: districts.items,
        trend,
      };
    },

    /** The rollup job: rolls every city up to yesterday (docs/statistics.md). */
    async refreshRollups(): Promise<number> {
      let n = 0;
      for (const city of await deps.rollup.cities()) {
        const r = await deps.rollup.refreshCity(city, now());
        if (r) n += r.rolled;
      }
      return n;
    },
  };
  return {
    ...service,
    overview: shared('overview', service.overview.bind(service)),
    trend: shared('trend', service.trend.bind(service)),
    categories: shared('categories', service.categories.bind(service)),
    top: shared('top', service.top.bind(service)),
    districts: shared('districts', service.districts.bind(service)),
    map: shared('map', service.map.bind(service)),
  };
}

/** Names on a public screen: the family name and the last character (张*明, 李*). */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return name;
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars.at(-1)}`;
}

export type StatsService = ReturnType<typeof createStatsService>;
