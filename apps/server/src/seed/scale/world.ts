import { DAY, FAMILY, makeIds, pick, rng, seedOf, weighted, type Rand } from './text.ts';
import { GIVEN_NAMES, SURNAMES as SURNAME_CHARS } from '../names.ts';

/**
 * The plan of a city at scale, held compactly in memory: the org tree, how many volunteers and
 * residents live at each station (volunteer i lives at the station whose range holds i), the
 * teams and their members, the staff who act in the timelines. Every table is generated from
 * this plan and per-row seeded streams, so a table can be generated again and give the same rows.
 */
export interface OrgNode {
  idx: number;
  id: string;
  parentIdx: number;
  level: 'city' | 'center' | 'institute' | 'station' | 'point';
  name: string;
  /** The name without 新时代文明实践中心/所/站: 小店区, 坞城街道, 南内环社区. */
  short: string;
  regionCode: string | null;
  address: string | null;
  lat: number;
  lng: number;
  path: string;
  /** Index in World.districts, -1 for the city. */
  district: number;
  /** Volunteers [vLo, vHi) and residents [rLo, rHi) living in this subtree. */
  vLo: number;
  vHi: number;
  rLo: number;
  rHi: number;
}

export interface Team {
  idx: number;
  id: string;
  orgIdx: number;
  parent: number;
  tier: 'corps' | 'squad' | 'unit';
  type: 'party' | 'professional' | 'social';
  category: string;
  name: string;
  createdMs: number;
  members: number[];
}

export interface Department {
  id: string;
  orgIdx: number;
  name: string;
  district: number;
  officerUser: string;
  officerPhone: string;
  officerName: string;
}

export interface Staff {
  userId: string;
  phone: string;
  name: string;
  role: 'org_admin' | 'dispatcher' | 'dept_officer';
  orgIdx: number;
  departmentId: string | null;
}

export const CATEGORIES = ['theory', 'culture', 'education', 'health', 'science', 'legal', 'environment', 'poverty'] as const;
export const CATEGORY_NAMES: Record<string, string> = {
  theory: '理论宣讲',
  culture: '文化文艺',
  education: '助学支教',
  health: '医疗健身',
  science: '科学普及',
  legal: '法律服务',
  environment: '卫生环保',
  poverty: '扶贫帮困',
};

/** Resident population of the county-level units (10 k people, 2020 census, rounded): volunteers and needs follow it. */
const POPULATION: Record<string, number> = {
  '140105': 112,
  '140106': 65,
  '140107': 73,
  '140108': 50,
  '140109': 82,
  '140110': 26,
  '140121': 34,
  '140122': 13,
  '140123': 10,
  '140181': 19,
  '140212': 10,
  '140213': 110,
  '140214': 62,
  '140215': 17,
  '140221': 24,
  '140222': 18,
  '140223': 17,
  '140224': 21,
  '140225': 30,
  '140226': 13,
};

/** One character a surname; the demo's given names and more, for a city of 400,000. */
export const SURNAMES = SURNAME_CHARS.split('');
export const GIVEN = [
  ...GIVEN_NAMES,
  '子涵',
  '浩然',
  '欣怡',
  '宇轩',
  '梓萱',
  '一诺',
  '俊杰',
  '佳怡',
  '志刚',
  '晓燕',
  '丽萍',
  '建军',
  '海涛',
  '秀英',
  '玉兰',
  '金花',
  '德明',
  '瑞芳',
  '少华',
  '文娟',
];
export const personName = (r: Rand) => pick(r, SURNAMES) + pick(r, GIVEN);

export interface Sizes {
  volunteers: number;
  teams: number;
  activities: number;
  orders: number;
  residents: number;
  manualRecords: number;
  certificates: number;
  redemptions: number;
}

/** The source reports' figures for Taiyuan; Datong scaled by its share of stations. */
export function sizesFor(city: '1401' | '1402', factor: number): Sizes {
  const s = city === '1401' ? 1 : 1827 / 1401;
  const n = (x: number, min = 1) => Math.max(min, Math.round(x * s * factor));
  return {
    volunteers: n(434_710, 20),
    teams: n(4_334, 6),
    activities: n(84_885, 5),
    orders: n(200_000, 20),
    residents: n(150_000, 10),
    manualRecords: n(580_000, 5),
    certificates: n(300, 2),
    redemptions: n(60_000, 5),
  };
}

export interface World {
  city: string;
  cityName: string;
  seed: number;
  now: number;
  sizes: Sizes;
  ids: ReturnType<typeof makeIds>;
  orgs: OrgNode[];
  cityIdx: number;
  districts: { orgIdx: number; name: string; code: string }[];
  stations: number[];
  institutes: number[];
  /** Station (org index) of volunteer i / resident i. */
  vStation: Int32Array;
  rStation: Int32Array;
  vCreated: Float64Array;
  /** Ids of volunteer i and of their account, made once. */
  vIds: string[];
  vUserIds: string[];
  teams: Team[];
  teamsAt: Map<number, number[]>;
  /** Team indices each volunteer belongs to (only volunteers who joined any). */
  vTeams: Map<number, number[]>;
  /** Leader volunteer of each team. */
  teamLeader: Int32Array;
  staff: Staff[];
  departments: Department[];
  /** Per district: org_admin and dispatcher users (they create activities and dispatch orders). */
  desk: { admin: Staff; dispatcher: Staff }[];
  cityAdmin: Staff;
  passwordHash: string;
  /** Rows made once and read by several tables (activities with their sign-ups, orders with their timelines). */
  cache: { activities?: object[]; orders?: object[] };
}

export interface OrgRow {
  id: string;
  parent_id: string | null;
  level: OrgNode['level'];
  name: string;
  region_code: string | null;
  address: string | null;
  lat: number | null;
  lng: number | null;
  path: string;
}

function shortName(o: OrgRow): string {
  return o.name.replace(/新时代文明实践(中心|所|站)$/, '') || o.name;
}

/** Counts per item proportional to weights, summing exactly to total (largest remainder). */
export function apportion(total: number, weights: number[]): number[] {
  const w = weights.reduce((a, b) => a + b, 0) || 1;
  const exact = weights.map((x) => (total * x) / w);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) out[order[k]![1]]! += 1;
  return out;
}

export function planWorld(opts: {
  city: string;
  cityName: string;
  seed: number;
  now: number;
  sizes: Sizes;
  orgRows: OrgRow[];
  passwordHash: string;
  departments: { id: string; orgId: string; name: string }[];
}): World {
  const { seed, sizes } = opts;
  const r = rng(seedOf(seed, 100, 0));
  const ids = makeIds(seed);
  // ---------------------------------------------------------------- the tree, in depth-first order
  const byParent = new Map<string | null, OrgRow[]>();
  for (const o of opts.orgRows) byParent.set(o.parent_id, [...(byParent.get(o.parent_id) ?? []), o]);
  for (const list of byParent.values()) list.sort((a, b) => (a.region_code ?? `~${a.name}`).localeCompare(b.region_code ?? `~${b.name}`));
  const orgs: OrgNode[] = [];
  const districts: World['districts'] = [];
  const visit = (o: OrgRow, parentIdx: number, district: number) => {
    const idx = orgs.length;
    const parent = orgs[parentIdx];
    let d = district;
    if (o.level === 'center') {
      d = districts.length;
      districts.push({ orgIdx: idx, name: shortName(o), code: o.region_code ?? '' });
    }
    orgs.push({
      idx,
      id: o.id,
      parentIdx,
      level: o.level,
      name: o.name,
      short: shortName(o),
      regionCode: o.region_code,
      address: o.address,
      lat: o.lat ?? parent?.lat ?? 37.87,
      lng: o.lng ?? parent?.lng ?? 112.55,
      path: o.path,
      district: d,
      vLo: 0,
      vHi: 0,
      rLo: 0,
      rHi: 0,
    });
    for (const c of byParent.get(o.id) ?? []) visit(c, idx, d);
  };
  const root = (byParent.get(null) ?? [])[0];
  if (!root) throw new Error(`城市 ${opts.city} 没有阵地树`);
  visit(root, -1, -1);
  const stations = orgs.filter((o) => o.level === 'station').map((o) => o.idx);
  const institutes = orgs.filter((o) => o.level === 'institute').map((o) => o.idx);

  // ---------------------------------------------------------------- people per station
  const stationWeight = stations.map((s) => {
    const o = orgs[s]!;
    const pop = POPULATION[districts[o.district]?.code ?? ''] ?? 20;
    const perDistrict = stations.filter((x) => orgs[x]!.district === o.district).length || 1;
    return (pop / perDistrict) * (0.35 + r() * 1.3);
  });
  const vCounts = apportion(sizes.volunteers, stationWeight);
  const rCounts = apportion(sizes.residents, stationWeight);
  const vStation = new Int32Array(sizes.volunteers);
  const rStation = new Int32Array(sizes.residents);
  let v = 0;
  let res = 0;
  // Ranges: stations in depth-first order, so every subtree holds a contiguous range.
  const stationPos = new Map(stations.map((s, k) => [s, k]));
  for (const o of orgs) {
    const k = stationPos.get(o.idx);
    o.vLo = v;
    o.rLo = res;
    if (k !== undefined) {
      for (let j = 0; j < vCounts[k]!; j++) vStation[v++] = o.idx;
      for (let j = 0; j < rCounts[k]!; j++) rStation[res++] = o.idx;
      o.vHi = v;
      o.rHi = res;
    }
  }
  // Close the ranges of inner nodes (children come right after their parent in depth-first order).
  for (let i = orgs.length - 1; i >= 0; i--) {
    const o = orgs[i]!;
    if (o.level === 'station') continue;
    o.vHi = o.vLo;
    o.rHi = o.rLo;
  }
  for (let i = orgs.length - 1; i >= 0; i--) {
    const o = orgs[i]!;
    const p = orgs[o.parentIdx];
    if (!p) continue;
    p.vHi = Math.max(p.vHi, o.vHi);
    p.rHi = Math.max(p.rHi, o.rHi);
  }
  // Volunteers reported in over five years, more of them lately.
  const vCreated = new Float64Array(sizes.volunteers);
  const FIVE_Y = 5 * 365 * DAY;
  for (let i = 0; i < sizes.volunteers; i++) {
    const u = rng(seedOf(seed, 1, i))();
    vCreated[i] = Math.floor(opts.now - 2 * DAY - FIVE_Y * (1 - Math.sqrt(u)));
  }

  // ---------------------------------------------------------------- teams in three tiers
  const nCorps = Math.max(1, Math.round(sizes.teams * 0.03));
  const nSquad = Math.max(1, Math.round(sizes.teams * 0.17));
  const nUnit = Math.max(1, sizes.teams - nCorps - nSquad);
  const teams: Team[] = [];
  const teamsAt = new Map<number, number[]>();
  const catPick = weighted(CATEGORIES, [8, 12, 8, 16, 10, 8, 18, 20]);
  const typePick = weighted(['party', 'professional', 'social'] as const, [30, 25, 45]);
  const tierWord = { corps: '志愿服务总队', squad: '志愿服务分队', unit: '志愿服务队' } as const;
  const addTeams = (tier: Team['tier'], count: number, places: number[], weightOf: (o: OrgNode) => number) => {
    const counts = apportion(
      count,
      places.map((p) => Math.max(0.01, weightOf(orgs[p]!))),
    );
    places.forEach((p, k) => {
      const seen = new Map<string, number>();
      for (let j = 0; j < counts[k]!; j++) {
        const category = catPick(r);
        const n = (seen.get(category) ?? 0) + 1;
        seen.set(category, n);
        const o = orgs[p]!;
        const idx = teams.length;
        teams.push({
          idx,
          id: '',
          orgIdx: p,
          parent: -1,
          tier,
          type: typePick(r),
          category,
          name: `${o.short}${CATEGORY_NAMES[category]}${tierWord[tier]}${n > 1 ? `（${n}）` : ''}`,
          createdMs: Math.floor(opts.now - (3 + r() * 3) * 365 * DAY),
          members: [],
        });
        teamsAt.set(p, [...(teamsAt.get(p) ?? []), idx]);
      }
    });
  };
  addTeams(
    'corps',
    nCorps,
    districts.map((d) => d.orgIdx),
    (o) => o.vHi - o.vLo,
  );
  addTeams('squad', nSquad, institutes, (o) => o.vHi - o.vLo);
  addTeams('unit', nUnit, stations, (o) => o.vHi - o.vLo);
  for (const t of teams) t.id = ids(t.createdMs, FAMILY.team, t.idx);
  // Parents: a squad under a corps of its district, a unit under a squad of its institute.
  const corpsOf = new Map<number, number[]>();
  const squadsOf = new Map<number, number[]>();
  for (const t of teams) {
    const o = orgs[t.orgIdx]!;
    if (t.tier === 'corps') corpsOf.set(o.district, [...(corpsOf.get(o.district) ?? []), t.idx]);
    if (t.tier === 'squad') squadsOf.set(t.orgIdx, [...(squadsOf.get(t.orgIdx) ?? []), t.idx]);
  }
  for (const t of teams) {
    const o = orgs[t.orgIdx]!;
    const ups = t.tier === 'squad' ? corpsOf.get(o.district) : t.tier === 'unit' ? squadsOf.get(o.parentIdx) : undefined;
    if (ups?.length && r() < 0.8) t.parent = pick(r, ups);
  }
  // Members: most volunteers join a unit at their station, some a squad of their street, a few a corps.
  const vTeams = new Map<number, number[]>();
  const join = (t: number, vi: number) => {
    teams[t]!.members.push(vi);
    const list = vTeams.get(vi);
    if (list) list.push(t);
    else vTeams.set(vi, [t]);
  };
  for (let i = 0; i < sizes.volunteers; i++) {
    const rr = rng(seedOf(seed, 2, i));
    const st = orgs[vStation[i]!]!;
    const units = teamsAt.get(st.idx) ?? [];
    const squads = squadsOf.get(st.parentIdx) ?? [];
    const corps = corpsOf.get(st.district) ?? [];
    if (units.length && rr() < 0.72) join(pick(rr, units), i);
    if (squads.length && rr() < (units.length ? 0.25 : 0.6)) join(pick(rr, squads), i);
    if (corps.length && rr() < 0.07) join(pick(rr, corps), i);
  }
  const teamLeader = new Int32Array(teams.length);
  for (const t of teams) {
    if (!t.members.length) {
      const o = orgs[t.orgIdx]!;
      if (o.vHi > o.vLo) {
        for (let k = 0; k < Math.min(5, o.vHi - o.vLo); k++) {
          const vi = o.vLo + Math.floor(r() * (o.vHi - o.vLo));
          if (!t.members.includes(vi)) join(t.idx, vi);
        }
      } else join(t.idx, Math.floor(r() * sizes.volunteers));
    }
    // The longest-serving member leads.
    let lead = t.members[0]!;
    for (const m of t.members) if (vCreated[m]! < vCreated[lead]!) lead = m;
    teamLeader[t.idx] = lead;
  }

  // ---------------------------------------------------------------- staff and departments
  let staffSeq = 0;
  const staff: Staff[] = [];
  const newStaff = (role: Staff['role'], orgIdx: number, departmentId: string | null = null): Staff => {
    const n = staffSeq++;
    const s: Staff = {
      userId: ids(opts.now - 6 * 365 * DAY, FAMILY.staff, n),
      phone: `137${opts.city === '1401' ? '0' : '1'}${String(n).padStart(7, '0')}`,
      name: personName(r),
      role,
      orgIdx,
      departmentId,
    };
    staff.push(s);
    return s;
  };
  const cityIdx = 0;
  const cityAdmin = newStaff('org_admin', cityIdx);
  const desk = districts.map((d) => ({ admin: newStaff('org_admin', d.orgIdx), dispatcher: newStaff('dispatcher', d.orgIdx) }));
  const orgIdxOf = new Map(orgs.map((o) => [o.id, o.idx]));
  const departments: Department[] = [];
  for (const d of opts.departments) {
    const orgIdx = orgIdxOf.get(d.orgId);
    if (orgIdx === undefined) continue;
    const officer = newStaff('dept_officer', orgIdx, d.id);
    departments.push({
      id: d.id,
      orgIdx,
      name: d.name,
      district: orgs[orgIdx]!.district,
      officerUser: officer.userId,
      officerPhone: officer.phone,
      officerName: officer.name,
    });
  }
  return {
    city: opts.city,
    cityName: opts.cityName,
    seed,
    now: opts.now,
    sizes,
    ids,
    orgs,
    cityIdx,
    districts,
    stations,
    institutes,
    vStation,
    rStation,
    vCreated,
    vIds: Array.from(vCreated, (c, i) => ids(c, FAMILY.volunteer, i)),
    vUserIds: Array.from(vCreated, (c, i) => ids(c, FAMILY.user, i)),
    teams,
    teamsAt,
    vTeams,
    teamLeader,
    staff,
    departments,
    desk,
    cityAdmin,
    passwordHash: opts.passwordHash,
    cache: {},
  };
}

/** A volunteer of org's subtree, the earlier ones (the core) more often; -1 when there is none. */
export function volunteerIn(w: World, r: Rand, orgIdx: number, skew = 1.6): number {
  const o = w.orgs[orgIdx]!;
  const n = o.vHi - o.vLo;
  if (n <= 0) return -1;
  return o.vLo + Math.floor(Math.pow(r(), skew) * n);
}

/** The desk (district staff) of an org. */
export function deskOf(w: World, orgIdx: number) {
  const d = w.orgs[orgIdx]!.district;
  return d >= 0 ? w.desk[d]! : { admin: w.cityAdmin, dispatcher: w.cityAdmin };
}

export const volunteerId = (w: World, i: number) => w.vIds[i]!;
export const volunteerUserId = (w: World, i: number) => w.vUserIds[i]!;
/** Volunteers' phones: 15 + a scrambled 9-digit number (a bijection of the index, so never twice). */
export const volunteerPhone = (w: World, i: number) =>
  `${w.city === '1401' ? '15' : '16'}${String((i * 387_420_489 + 123_456_789) % 1_000_000_000).padStart(9, '0')}`;
export const residentPhone = (w: World, i: number) =>
  `${w.city === '1401' ? '18' : '17'}${String((i * 282_475_249 + 987_654_321) % 1_000_000_000).padStart(9, '0')}`;
export const residentCreated = (w: World, i: number) => Math.floor(w.now - 2 * DAY - rng(seedOf(w.seed, 3, i))() * 3 * 365 * DAY);
export const residentUserId = (w: World, i: number) => w.ids(residentCreated(w, i), FAMILY.resident, i);
