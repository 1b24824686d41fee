import { expandPairingSchedule, PAIRING_CARE_TAGS, type PairingRules } from '@wenming/domain';
import { volunteerFacts } from './people.ts';
import { DAY, FAMILY, HOUR, N, arr, esc, int, json, opt, pick, rng, seedOf, shanghaiDate, tenths, ts, tsOpt, weighted } from './text.ts';
import { deskOf, personName, volunteerIn, volunteerUserId, type World } from './world.ts';

/**
 * 结对帮扶 (“3+1晚霞行动”): elders in the stations' care, each paired with two or three volunteers of
 * their station under a plan of weekly (and for some monthly) visits, over the past months and the
 * coming two weeks. The tasks are the app's own schedule (`expandPairingSchedule`, the same labels
 * and dates the job makes); past visits were logged as done by a volunteer of the plan (a service
 * record per volunteer who served, source "pairing", verified by the desk or still pending when
 * recent), missed with a reason, or cancelled; the coming ones are open.
 */

export interface PairElder {
  id: string;
  name: string;
  address: string;
  phone: string | null;
  gender: 'male' | 'female';
  birthYear: number;
  tags: string[];
}
export interface PairTask {
  id: string;
  dueOn: string;
  dueAt: number;
  kind: 'weekly' | 'monthly' | 'holiday';
  label: string;
  state: 'open' | 'done' | 'missed' | 'cancelled';
  served: number[];
  visitedMs: number | null;
  loggedMs: number | null;
  loggedBy: string | null;
  missedReason: string | null;
}
export interface PairPlan {
  j: number;
  id: string;
  orgIdx: number;
  name: string;
  rules: PairingRules;
  startsOn: string;
  endsOn: string | null;
  state: 'active' | 'ended';
  visitTenths: number;
  createdMs: number;
  createdBy: string;
  elders: PairElder[];
  vols: number[];
  tasks: PairTask[];
}

const TIMES = ['09:00', '09:30', '10:00', '15:00', '15:30', '16:00'];
const MISSED = ['老人外出就医，改期探访', '老人随子女外出', '志愿者临时有事，已电话问候', '老人住院，已电话联系家属'];
const PLAN_NAMES = ['“3+1晚霞行动”结对', '独居老人关爱结对', '空巢老人陪伴结对', '高龄老人帮扶结对'];
const taskPick = weighted(['done', 'missed', 'cancelled'] as const, [86, 10, 4]);

/** Midnight in China (UTC+8) of a local date. */
const chinaMidnight = (date: string) => Date.parse(`${date}T00:00:00+08:00`);

const plans = new WeakMap<World, PairPlan[]>();

/** The plans of the city, made once per world (several tables and the records read them). */
export function pairingPlan(w: World): PairPlan[] {
  const cached = plans.get(w);
  if (cached) return cached;
  const out: PairPlan[] = [];
  const count = Math.max(2, Math.round(w.sizes.volunteers / 150));
  const yesterday = shanghaiDate(w.now - DAY);
  const horizon = shanghaiDate(w.now + 14 * DAY);
  for (let j = 0, tries = 0; out.length < count && tries < count * 3; tries++) {
    const r = rng(seedOf(w.seed, 60, tries));
    const station = w.vStation[Math.floor(r() * w.sizes.volunteers)]!;
    const vols = new Set<number>();
    for (let k = 0, n = int(r, 2, 3); k < n * 2 && vols.size < n; k++) {
      const v = volunteerIn(w, r, station, 1.3);
      if (v >= 0 && !volunteerFacts(w, v).suspended) vols.add(v);
    }
    if (vols.size === 0) continue;
    const o = w.orgs[station]!;
    const startsMs = w.now - int(r, 30, 420) * DAY;
    const startsOn = shanghaiDate(startsMs);
    // The plan starts after its volunteers registered.
    if ([...vols].some((v) => w.vCreated[v]! > startsMs - DAY)) continue;
    const ended = r() < 0.06 && w.now - startsMs > 120 * DAY;
    const endsOn = ended ? shanghaiDate(startsMs + int(r, 60, Math.floor((w.now - startsMs) / DAY) - 30) * DAY) : null;
    const rules: PairingRules = {
      weekly: [{ weekday: int(r, 1, 7), time: pick(r, TIMES) }],
      monthly: r() < 0.3 ? [{ day: int(r, 1, 28), time: pick(r, TIMES) }] : [],
      holidays: [],
    };
    const elders: PairElder[] = [];
    for (let e = 0, n = r() < 0.7 ? 1 : 2; e < n; e++) {
      const gender = r() < 0.62 ? 'female' : 'male';
      const tags = [pick(r, PAIRING_CARE_TAGS)];
      if (r() < 0.5) tags.push('高龄');
      elders.push({
        id: w.ids(startsMs - 3 * DAY, FAMILY.pairingElder, tries * 4 + e),
        name: personName(r),
        address: `${o.short}${int(r, 1, 30)}号楼${int(r, 1, 6)}单元${int(r, 1, 6)}0${int(r, 1, 4)}室`,
        phone: r() < 0.6 ? `13${String(int(r, 0, 999_999_999)).padStart(9, '0')}` : null,
        gender,
        birthYear: int(r, 1928, 1952),
        tags: [...new Set(tags)],
      });
    }
    const desk = deskOf(w, station);
    const visitTenths = pick(r, [10, 10, 15, 20]);
    const schedule = expandPairingSchedule(rules, { startsOn, endsOn, from: startsOn, to: horizon });
    const list = [...vols];
    const tasks: PairTask[] = schedule.map((s, n) => {
      const rt = rng(seedOf(w.seed, 61, tries * 4096 + n));
      const dueAt = chinaMidnight(s.date) + Number(s.time.slice(0, 2)) * HOUR + Number(s.time.slice(3)) * 60_000;
      const id = w.ids(Math.min(dueAt, w.now) - 14 * DAY, FAMILY.pairingTask, tries * 4096 + n);
      const base = { id, dueOn: s.date, dueAt, kind: s.kind, label: s.label };
      // Before yesterday, every task has been dealt with; from yesterday on they are open.
      if (s.date >= yesterday) return { ...base, state: 'open', served: [], visitedMs: null, loggedMs: null, loggedBy: null, missedReason: null };
      const state = taskPick(rt);
      if (state === 'done') {
        const served = rt() < 0.6 ? [list[0]!] : list.slice(0, 2);
        const visitedMs = Math.min(w.now - 2 * HOUR, dueAt + int(rt, -30, 120) * 60_000);
        const loggedMs = Math.min(w.now - HOUR, visitedMs + int(rt, 10, 600) * 60_000);
        return { ...base, state, served, visitedMs, loggedMs, loggedBy: volunteerUserId(w, served[0]!), missedReason: null };
      }
      if (state === 'missed')
        return {
          ...base,
          state,
          served: [],
          visitedMs: null,
          loggedMs: Math.min(w.now - HOUR, dueAt + DAY),
          loggedBy: desk.admin.userId,
          missedReason: pick(rt, MISSED),
        };
      return { ...base, state, served: [], visitedMs: null, loggedMs: null, loggedBy: null, missedReason: null };
    });
    out.push({
      j,
      id: w.ids(startsMs - 2 * DAY, FAMILY.pairingPlan, tries),
      orgIdx: station,
      name: `${o.short}${pick(r, PLAN_NAMES)}`,
      rules,
      startsOn,
      endsOn,
      state: ended ? 'ended' : 'active',
      visitTenths,
      createdMs: startsMs - 2 * DAY,
      createdBy: desk.admin.userId,
      elders,
      vols: list,
      tasks,
    });
    j++;
  }
  plans.set(w, out);
  return out;
}

export const PAIR_RESIDENT_COLS = [
  'city_code',
  'id',
  'org_id',
  'name',
  'address',
  'phone',
  'gender',
  'birth_year',
  'tags',
  'created_by',
  'created_at',
  'updated_at',
] as const;
export function* pairResidentRows(w: World): Generator<string> {
  for (const p of pairingPlan(w))
    for (const e of p.elders)
      yield [
        w.city,
        e.id,
        w.orgs[p.orgIdx]!.id,
        esc(e.name),
        esc(e.address),
        opt(e.phone),
        e.gender,
        String(e.birthYear),
        arr(e.tags),
        p.createdBy,
        ts(p.createdMs - DAY),
        ts(p.createdMs - DAY),
      ].join('\t');
}

export const PAIR_PLAN_COLS = [
  'city_code',
  'id',
  'org_id',
  'name',
  'state',
  'rules',
  'starts_on',
  'ends_on',
  'visit_hours',
  'created_by',
  'created_at',
  'updated_at',
] as const;
export function* pairPlanRows(w: World): Generator<string> {
  for (const p of pairingPlan(w))
    yield [
      w.city,
      p.id,
      w.orgs[p.orgIdx]!.id,
      esc(p.name),
      p.state,
      json(p.rules),
      p.startsOn,
      p.endsOn ?? N,
      tenths(p.visitTenths),
      p.createdBy,
      ts(p.createdMs),
      ts(p.endsOn ? chinaMidnight(p.endsOn) : p.createdMs),
    ].join('\t');
}

export const PAIR_PLAN_VOLUNTEER_COLS = ['city_code', 'plan_id', 'volunteer_id', 'added_at'] as const;
export function* pairPlanVolunteerRows(w: World): Generator<string> {
  for (const p of pairingPlan(w)) for (const v of p.vols) yield `${w.city}\t${p.id}\t${w.vIds[v]!}\t${ts(p.createdMs)}`;
}

export const PAIR_PLAN_RESIDENT_COLS = ['city_code', 'plan_id', 'resident_id', 'added_at'] as const;
export function* pairPlanResidentRows(w: World): Generator<string> {
  for (const p of pairingPlan(w)) for (const e of p.elders) yield `${w.city}\t${p.id}\t${e.id}\t${ts(p.createdMs)}`;
}

export const PAIR_TASK_COLS = [
  'city_code',
  'id',
  'plan_id',
  'kind',
  'due_on',
  'due_at',
  'label',
  'state',
  'logged_by',
  'logged_at',
  'visited_at',
  'hours',
  'note',
  'served_volunteer_ids',
  'missed_reason',
  'created_at',
  'updated_at',
] as const;
export function* pairTaskRows(w: World): Generator<string> {
  for (const p of pairingPlan(w))
    for (const t of p.tasks) {
      const created = Math.min(w.now - HOUR, t.dueAt - 14 * DAY);
      yield [
        w.city,
        t.id,
        p.id,
        t.kind,
        t.dueOn,
        ts(t.dueAt),
        esc(t.label),
        t.state,
        t.loggedBy ?? N,
        tsOpt(t.loggedMs),
        tsOpt(t.visitedMs),
        t.state === 'done' ? tenths(p.visitTenths) : N,
        t.state === 'done' ? '陪老人聊天，帮忙打扫卫生，检查了燃气和水电。' : N,
        arr(t.served.map((v) => w.vIds[v]!)),
        opt(t.missedReason),
        ts(Math.max(p.createdMs, created)),
        ts(t.loggedMs ?? Math.max(p.createdMs, created)),
      ].join('\t');
    }
}
