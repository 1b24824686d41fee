import { idNumberCheckChar, maskIdNumber } from '@wenming/domain';
import type { Pii } from '../../lib/pii.ts';
import { DAY, FAMILY, N, arr, esc, int, json, opt, pick, rng, seedOf, tenths, ts, type Rand } from './text.ts';
import {
  CATEGORIES,
  CATEGORY_NAMES,
  personName,
  residentCreated,
  residentPhone,
  residentUserId,
  volunteerId,
  volunteerPhone,
  volunteerUserId,
  type World,
} from './world.ts';

/** Accounts, volunteers (志愿者报到), teams and memberships, staff grants. */

const SPECIALTIES = ['摄影', '理发', '推拿按摩', '家电维修', '书法', '心理疏导', '急救', '外语', '驾驶', '烹饪', '手机教学', '编织'];
/** Work units of in-service Party members (党员双报到). */
const WORK_UNITS = [
  '太原市第一人民医院',
  '山西大学',
  '太原理工大学',
  '山西医科大学第一医院',
  '太原市中心医院',
  '国网太原供电公司',
  '太原市第五中学校',
  '山西省图书馆',
  '太原市公安局',
  '太原市税务局',
  '太原钢铁（集团）有限公司',
  '山西焦煤集团',
  '太原市自来水公司',
  '太原市人民检察院',
  '中国银行太原分行',
  '太原市实验小学',
  '山西省人民医院',
  '太原市市场监督管理局',
  '太原日报社',
  '太原市城乡管理局',
  '太原市教育局',
  '太原铁路局',
  '中北大学',
  '山西财经大学',
];
const PERIODS = ['morning', 'afternoon', 'evening'] as const;

export interface VolunteerFacts {
  name: string;
  idNumber: string;
  birthYear: number;
  gender: 'male' | 'female';
  political: 'party' | 'league' | 'masses';
  workUnit: string | null;
  suspended: boolean;
  r: Rand;
}

const BIRTH0 = Date.UTC(1950, 0, 1);

/** Who volunteer i is; the ID number is unique per city by construction (birth day × sequence). */
export function volunteerFacts(w: World, i: number): VolunteerFacts {
  const r = rng(seedOf(w.seed, 4, i));
  const name = personName(r);
  const b = (i * 7919) % 20_000;
  const block = Math.floor(i / 20_000);
  const birth = new Date(BIRTH0 + b * DAY);
  const y = birth.getUTCFullYear();
  const seq = ((block * 41 + 13) % 100) * 10 + Math.floor(r() * 10);
  const region = w.districts[w.orgs[w.vStation[i]!]!.district]?.code ?? `${w.city}01`;
  const first17 = `${region.slice(0, 6).padEnd(6, '0')}${y}${String(birth.getUTCMonth() + 1).padStart(2, '0')}${String(birth.getUTCDate()).padStart(2, '0')}${String(seq).padStart(3, '0')}`;
  const x = r();
  const political = x < 0.22 ? 'party' : x < 0.32 ? 'league' : 'masses';
  return {
    name,
    idNumber: first17 + idNumberCheckChar(first17),
    birthYear: y,
    gender: seq % 2 === 1 ? 'male' : 'female',
    political,
    workUnit: political === 'party' && r() < 0.65 ? pick(r, WORK_UNITS) : null,
    suspended: r() < 0.015,
    r,
  };
}

export const USER_COLS = ['id', 'phone', 'name', 'password_hash', 'is_admin', 'status', 'created_at', 'updated_at'] as const;

/** Accounts: the admins kept from before, staff, every volunteer and every resident. */
export function* userRows(w: World, keep: string[]): Generator<string> {
  yield* keep;
  for (const s of w.staff)
    yield `${s.userId}\t${s.phone}\t${esc(s.name)}\t${w.passwordHash}\tf\tactive\t${ts(w.now - 6 * 365 * DAY)}\t${ts(w.now - 6 * 365 * DAY)}`;
  for (let i = 0; i < w.sizes.volunteers; i++) {
    const f = volunteerFacts(w, i);
    const c = ts(w.vCreated[i]!);
    yield `${volunteerUserId(w, i)}\t${volunteerPhone(w, i)}\t${f.name}\t${w.passwordHash}\tf\tactive\t${c}\t${c}`;
  }
  for (let i = 0; i < w.sizes.residents; i++) {
    const r = rng(seedOf(w.seed, 5, i));
    const c = ts(residentCreated(w, i));
    yield `${residentUserId(w, i)}\t${residentPhone(w, i)}\t${personName(r)}\t${w.passwordHash}\tf\tactive\t${c}\t${c}`;
  }
}

export const VOLUNTEER_COLS = [
  'city_code',
  'id',
  'user_id',
  'org_id',
  'real_name',
  'id_number_enc',
  'id_number_hash',
  'id_number_masked',
  'birth_year',
  'gender',
  'skills',
  'specialties',
  'political_status',
  'work_unit',
  'availability',
  'lat',
  'lng',
  'status',
  'status_reason',
  'total_hours',
  'created_at',
  'updated_at',
] as const;

export function* volunteerRows(w: World, pii: Pii, hoursTenths: Int32Array): Generator<string> {
  for (let i = 0; i < w.sizes.volunteers; i++) {
    const f = volunteerFacts(w, i);
    const r = f.r;
    const st = w.orgs[w.vStation[i]!]!;
    const skills = new Set<string>();
    const nSkills = int(r, 1, 3);
    while (skills.size < nSkills) skills.add(pick(r, CATEGORIES));
    const specs = new Set<string>();
    const nSpecs = r() < 0.4 ? int(r, 1, 2) : 0;
    while (specs.size < nSpecs) specs.add(pick(r, SPECIALTIES));
    const avail: { weekday: number; period: string }[] = [];
    const nAvail = int(r, 0, 3);
    const days = new Set<number>();
    while (days.size < nAvail) days.add(int(r, 1, 7));
    for (const d of [...days].sort()) avail.push({ weekday: d, period: pick(r, PERIODS) });
    const lat = Math.round((st.lat + (r() - 0.5) * 0.02) * 1000) / 1000;
    const lng = Math.round((st.lng + (r() - 0.5) * 0.024) * 1000) / 1000;
    const c = w.vCreated[i]!;
    yield [
      w.city,
      volunteerId(w, i),
      volunteerUserId(w, i),
      st.id,
      f.name,
      pii.encrypt(f.idNumber),
      pii.hash(f.idNumber),
      maskIdNumber(f.idNumber),
      f.birthYear,
      f.gender,
      arr([...skills]),
      arr([...specs]),
      f.political,
      opt(f.workUnit),
      json(avail),
      lat,
      lng,
      f.suspended ? 'suspended' : 'active',
      f.suspended ? '长期未参加志愿服务，暂停' : N,
      tenths(hoursTenths[i]!),
      ts(c),
      ts(Math.max(c, w.now - int(r, 1, 60) * DAY)),
    ].join('\t');
  }
}

export const TEAM_COLS = [
  'city_code',
  'id',
  'org_id',
  'parent_team_id',
  'name',
  'tier',
  'type',
  'category',
  'leader_user_id',
  'description',
  'status',
  'created_at',
] as const;

export function* teamRows(w: World): Generator<string> {
  for (const t of w.teams) {
    const o = w.orgs[t.orgIdx]!;
    const parent = t.parent >= 0 ? w.teams[t.parent]!.id : N;
    const desc = `扎根${o.short}，常年开展${CATEGORY_NAMES[t.category]}志愿服务。`;
    yield `${w.city}\t${t.id}\t${o.id}\t${parent}\t${esc(t.name)}\t${t.tier}\t${t.type}\t${t.category}\t${volunteerUserId(w, w.teamLeader[t.idx]!)}\t${esc(desc)}\tactive\t${ts(t.createdMs)}`;
  }
}

export const TEAM_MEMBER_COLS = ['city_code', 'team_id', 'volunteer_id', 'joined_at'] as const;

export function* teamMemberRows(w: World): Generator<string> {
  for (const t of w.teams) {
    const r = rng(seedOf(w.seed, 6, t.idx));
    for (const m of t.members) {
      const from = Math.max(t.createdMs, w.vCreated[m]!);
      const joined = Math.min(w.now - DAY, from + Math.floor(r() * 60 * DAY));
      yield `${w.city}\t${t.id}\t${volunteerId(w, m)}\t${ts(joined)}`;
    }
  }
}

export const USER_CITY_COLS = ['user_id', 'city_code'] as const;

/** The city of every staff account and volunteer (0042: their grants and volunteer records refer to it). */
export function* userCityRows(w: World): Generator<string> {
  const seen = new Set<string>();
  const users = [...w.staff.map((s) => s.userId)];
  for (let i = 0; i < w.sizes.volunteers; i++) users.push(volunteerUserId(w, i));
  for (const u of users) {
    if (!seen.has(u)) {
      seen.add(u);
      yield `${u}\t${w.city}`;
    }
  }
}

export const GRANT_COLS = ['city_code', 'id', 'user_id', 'role', 'org_id', 'department_id', 'granted_by', 'created_at'] as const;

export function* grantRows(w: World, grantedBy: string | null): Generator<string> {
  let n = 0;
  for (const s of w.staff) {
    const at = w.now - 6 * 365 * DAY;
    yield `${w.city}\t${w.ids(at, FAMILY.grant, n++)}\t${s.userId}\t${s.role}\t${w.orgs[s.orgIdx]!.id}\t${s.departmentId ?? N}\t${grantedBy ?? N}\t${ts(at)}`;
  }
}
