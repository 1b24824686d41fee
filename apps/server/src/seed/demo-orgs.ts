import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OrgLevel } from '@wenming/contracts';
import { ltreeLabel, newCityId } from '../lib/ids.ts';

/** The committed real data (data/divisions.json, data/district-centers.json; see data/README.md). */
export const DATA_DIR_REAL = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../data');

interface Division {
  code: string;
  name: string;
}
interface Divisions {
  source: string;
  cities: (Division & { districts: (Division & { streets: (Division & { communities: Division[] })[] })[] })[];
}
type Centers = Record<string, { name: string; lat: number; lng: number }>;

export function loadDivisions(): Divisions {
  return JSON.parse(fs.readFileSync(path.join(DATA_DIR_REAL, 'divisions.json'), 'utf8')) as Divisions;
}

function loadCenters(): Centers {
  return JSON.parse(fs.readFileSync(path.join(DATA_DIR_REAL, 'district-centers.json'), 'utf8')) as Centers;
}

export interface SeedOrg {
  cityCode: string;
  id: string;
  parentId: string | null;
  level: OrgLevel;
  name: string;
  regionCode: string | null;
  address: string | null;
  lat: number | null;
  lng: number | null;
  path: string;
}

/** Deterministic pseudo-random numbers (mulberry32), so the demo looks the same every time. */
export function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Development zones are not counted among the seeds' 10 centers per city. */
const SKIPPED_DISTRICTS = new Set(['140171', '140271']);

/** 师范街社区居委会 → 师范街社区; 南寨村村民委员会 → 南寨村. */
export function shortCommunityName(name: string): string {
  const community = /^(.*?)(社区)?(居民委员会|居委会)$/.exec(name);
  if (community) return `${community[1]}社区`;
  const village = /^(.*?)(村)?(村民委员会|村委会)$/.exec(name);
  if (village) return `${village[1]}村`;
  return name;
}

/**
 * The five-level tree from real administrative divisions: a city per city, a center per
 * county-level unit, an institute (所) per street/town, a station (站) per community/village,
 * plus the points and sites the source reports name.
 */
export function buildDemoOrgs(): SeedOrg[] {
  const div = loadDivisions();
  const centers = loadCenters();
  const rand = prng(20261123);
  const jitter = (lat: number, lng: number, km: number) => ({
    lat: Math.round((lat + (rand() - 0.5) * 2 * (km / 111)) * 1e6) / 1e6,
    lng: Math.round((lng + (rand() - 0.5) * 2 * (km / 88)) * 1e6) / 1e6,
  });
  const out: SeedOrg[] = [];
  const add = (o: Omit<SeedOrg, 'id' | 'path'>, parent: SeedOrg | null): SeedOrg => {
    const id = newCityId(o.cityCode);
    const row = { ...o, id, path: parent ? `${parent.path}.${ltreeLabel(id)}` : ltreeLabel(id) };
    out.push(row);
    return row;
  };
  for (const city of div.cities) {
    const districtsWithCenter = city.districts.filter((d) => centers[d.code] && !SKIPPED_DISTRICTS.has(d.code));
    const avg = (k: 'lat' | 'lng') => districtsWithCenter.reduce((s, d) => s + centers[d.code]![k], 0) / districtsWithCenter.length;
    const cityOrg = add(
      {
        cityCode: city.code,
        parentId: null,
        level: 'city',
        name: city.name,
        regionCode: city.code,
        address: `山西省${city.name}`,
        lat: round6(avg('lat')),
        lng: round6(avg('lng')),
      },
      null,
    );
    for (const d of districtsWithCenter) {
      const c = centers[d.code]!;
      const center = add(
        {
          cityCode: city.code,
          parentId: cityOrg.id,
          level: 'center',
          name: `${d.name}新时代文明实践中心`,
          regionCode: d.code,
          address: `山西省${city.name}${d.name}`,
          lat: c.lat,
          lng: c.lng,
        },
        cityOrg,
      );
      for (const s of d.streets) {
        const sp = jitter(c.lat, c.lng, 6);
        const inst = add(
          {
            cityCode: city.code,
            parentId: center.id,
            level: 'institute',
            name: `${s.name}新时代文明实践所`,
            regionCode: s.code,
            address: `山西省${city.name}${d.name}${s.name}`,
            ...sp,
          },
          center,
        );
        for (const m of s.communities) {
          const short = shortCommunityName(m.name);
          add(
            {
              cityCode: city.code,
              parentId: inst.id,
              level: 'station',
              name: `${short}新时代文明实践站`,
              regionCode: m.code,
              address: `山西省${city.name}${d.name}${s.name}${short}`,
              ...jitter(sp.lat, sp.lng, 1.5),
            },
            inst,
          );
        }
      }
    }
  }
  // Sites and points the source reports name.
  const find = (pred: (o: SeedOrg) => boolean) => out.find(pred);
  const named: { under: (o: SeedOrg) => boolean; level: OrgLevel; name: string; address: string }[] = [
    { under: (o) => o.regionCode === '140105', level: 'point', name: '小店区新时代文明实践中心实践广场', address: '山西省太原市小店区' },
    { under: (o) => o.regionCode === '140105006', level: 'point', name: '永康北路社区法治长廊', address: '山西省太原市小店区小店街道永康北路社区' },
    { under: (o) => o.regionCode === '140108004', level: 'station', name: '尖草坪区南寨区域文明实践站', address: '山西省太原市尖草坪区南寨街道' },
    { under: (o) => o.regionCode === '140110', level: 'point', name: '晋源区爱国主义教育基地', address: '山西省太原市晋源区' },
    { under: (o) => o.regionCode === '140213', level: 'point', name: '平城区新时代文明实践中心国风非遗坊', address: '山西省大同市平城区' },
    { under: (o) => o.regionCode === '140213052', level: 'point', name: '新旺街道小马驿站', address: '山西省大同市平城区新旺街道' },
    { under: (o) => o.regionCode === '140213052007', level: 'point', name: '文博苑社区农家书屋', address: '山西省大同市平城区新旺街道文博苑社区' },
  ];
  for (const n of named) {
    const parent = find(n.under);
    if (!parent) continue;
    add(
      {
        cityCode: parent.cityCode,
        parentId: parent.id,
        level: n.level,
        name: n.name,
        regionCode: null,
        address: n.address,
        ...jitter(parent.lat!, parent.lng!, 0.5),
      },
      parent,
    );
  }
  return out;
}

function round6(x: number) {
  return Math.round(x * 1e6) / 1e6;
}
