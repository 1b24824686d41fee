import { activity, activityRecordStatus } from './activities.ts';
import { order, orderRecordStatus, type OrdersPlan } from './orders.ts';
import { pairingPlan } from './pairing.ts';
import { DAY, FAMILY, HOUR, N, esc, int, opt, pick, rng, seedOf, tenths, ts, tsOpt } from './text.ts';
import { deskOf, volunteerId, volunteerIn, volunteerUserId, type World } from './world.ts';

/**
 * The hours ledger (service_records) and the points ledger it earns (以行积分): one record per
 * volunteer and source — an attended activity, a served order, or a manual entry of regular
 * service outside the platform (值守, 劝导 …) — and one ledger row per verified record, at the
 * default rule of 10 points per hour (no site of the scale seed sets its own rule).
 */
export interface Rec {
  k: number;
  v: number;
  orgIdx: number;
  teamId: string | null;
  sourceType: 'activity' | 'order' | 'manual' | 'pairing';
  sourceId: string;
  tenths: number;
  started: number;
  ended: number;
  title: string;
  status: 'pending' | 'verified' | 'rejected';
  createdBy: string | null;
  decidedBy: string | null;
  decidedMs: number | null;
  note: string | null;
  createdMs: number;
}

const MANUAL_TITLES = [
  '疫情防控值守',
  '文明交通劝导',
  '社区网格巡查',
  '大型赛会志愿服务',
  '防汛值守',
  '创建文明城市志愿服务',
  '敬老院常态化服务',
  '“光盘行动”宣传',
  '核酸检测点服务',
  '马拉松赛事服务',
];

/** Every service record of the city, in a fixed order (record k gets the same id on every pass). */
export function* allRecords(w: World, plan: OrdersPlan): Generator<Rec> {
  let k = 0;
  for (let i = 0; i < w.sizes.activities; i++) {
    const a = activity(w, i);
    if (a.state !== 'finished') continue;
    const st = activityRecordStatus(w, a);
    const tenthsOf = Math.min(240, Math.floor((a.ends - a.starts) / 360_000));
    for (const s of a.signups) {
      if (s.v < 0 || s.checkin === null || s.checkout === null) continue;
      yield {
        k: k++,
        v: s.v,
        orgIdx: a.orgIdx,
        teamId: a.team >= 0 ? w.teams[a.team]!.id : null,
        sourceType: 'activity',
        sourceId: a.id,
        tenths: tenthsOf,
        started: s.checkin,
        ended: s.checkout,
        title: a.title,
        status: st.status,
        createdBy: a.createdBy,
        decidedBy: st.decidedMs ? a.decidedBy : null,
        decidedMs: st.decidedMs,
        note: null,
        createdMs: a.finishedMs!,
      };
    }
  }
  for (let i = 0; i < w.sizes.orders; i++) {
    const o = order(w, plan, i);
    if (o.completed === null) continue;
    const st = orderRecordStatus(w, o);
    const desk = deskOf(w, o.orgIdx);
    for (const v of o.servers)
      yield {
        k: k++,
        v,
        orgIdx: o.orgIdx,
        teamId: o.team >= 0 ? w.teams[o.team]!.id : null,
        sourceType: 'order',
        sourceId: o.id,
        tenths: o.hoursTenths!,
        started: o.started!,
        ended: o.completed,
        title: `工单 ${o.code}`,
        status: st.status,
        createdBy: null,
        decidedBy: st.decidedMs ? desk.dispatcher.userId : null,
        decidedMs: st.decidedMs,
        note: null,
        createdMs: o.completed,
      };
  }
  // Regular service recorded by hand at the volunteer's station, checked by a second person.
  const span = 3 * 365 * DAY;
  for (let j = 0; j < w.sizes.manualRecords; j++) {
    const r = rng(seedOf(w.seed, 30, j));
    const v = volunteerIn(w, r, w.vStation[Math.floor(r() * w.sizes.volunteers)]!, 1.8);
    if (v < 0) continue;
    const from = Math.max(w.vCreated[v]! + DAY, w.now - span);
    if (from > w.now - 2 * DAY) continue;
    const started = Math.floor(from + Math.pow(r(), 0.7) * (w.now - 2 * DAY - from));
    const t10 = int(r, 14, 44) * 5;
    const ended = started + t10 * 360_000;
    const created = Math.min(w.now - HOUR, ended + int(r, 1, 48) * HOUR);
    const desk = deskOf(w, w.vStation[v]!);
    const age = w.now - created;
    const x = r();
    const status = age < 14 * DAY && x < 0.4 ? 'pending' : x > 0.99 ? 'rejected' : 'verified';
    const decided = status === 'pending' ? null : Math.min(w.now - 60_000, created + int(r, 2, 72) * HOUR);
    const teams = w.vTeams.get(v);
    yield {
      k: k++,
      v,
      orgIdx: w.vStation[v]!,
      teamId: teams?.length && r() < 0.6 ? w.teams[pick(r, teams)]!.id : null,
      sourceType: 'manual',
      sourceId: w.ids(started, FAMILY.manual, j),
      tenths: t10,
      started,
      ended,
      title: pick(r, MANUAL_TITLES),
      status,
      createdBy: desk.admin.userId,
      decidedBy: decided ? desk.dispatcher.userId : null,
      decidedMs: decided,
      note: status === 'rejected' ? '缺少服务证明材料' : null,
      createdMs: created,
    };
  }
  // Pairing visits (结对帮扶): one record per volunteer who served, as logging the visit writes it.
  for (const p of pairingPlan(w)) {
    const desk = deskOf(w, p.orgIdx);
    for (let n = 0; n < p.tasks.length; n++) {
      const t = p.tasks[n]!;
      if (t.state !== 'done') continue;
      const r = rng(seedOf(w.seed, 62, p.j * 4096 + n));
      const logged = t.loggedMs!;
      const status = w.now - logged < 7 * DAY && r() < 0.6 ? 'pending' : 'verified';
      const decided = status === 'pending' ? null : Math.min(w.now - 60_000, logged + int(r, 2, 72) * HOUR);
      for (const v of t.served)
        yield {
          k: k++,
          v,
          orgIdx: p.orgIdx,
          teamId: null,
          sourceType: 'pairing',
          sourceId: t.id,
          tenths: p.visitTenths,
          started: t.visitedMs! - p.visitTenths * 360_000,
          ended: t.visitedMs!,
          title: `结对帮扶：${p.name}（${t.label}）`,
          status,
          createdBy: t.loggedBy,
          decidedBy: decided ? desk.dispatcher.userId : null,
          decidedMs: decided,
          note: null,
          createdMs: logged,
        };
    }
  }
}

export const recordId = (w: World, r: Rec) => w.ids(r.createdMs, FAMILY.record, r.k);

export const RECORD_COLS = [
  'city_code',
  'id',
  'volunteer_id',
  'org_id',
  'team_id',
  'source_type',
  'source_id',
  'hours',
  'started_at',
  'ended_at',
  'title',
  'note',
  'status',
  'created_by',
  'decided_by',
  'decided_at',
  'decision_note',
  'created_at',
] as const;

export function* recordRows(w: World, plan: OrdersPlan): Generator<string> {
  for (const r of allRecords(w, plan))
    yield `${w.city}\t${recordId(w, r)}\t${volunteerId(w, r.v)}\t${w.orgs[r.orgIdx]!.id}\t${r.teamId ?? N}\t${r.sourceType}\t${r.sourceId}\t${tenths(r.tenths)}\t${ts(r.started)}\t${ts(r.ended)}\t${esc(r.title)}\t${opt(r.note)}\t${r.status}\t${r.createdBy ?? N}\t${r.decidedBy ?? N}\t${tsOpt(r.decidedMs)}\t${r.status === 'rejected' ? '材料不全' : N}\t${ts(r.createdMs)}`;
}

export const LEDGER_COLS = ['city_code', 'id', 'user_id', 'delta', 'reason', 'source_type', 'source_id', 'note', 'created_at', 'org_id'] as const;

/** Points for verified hours: 10 per hour, whole points (pointsForHours), one row per record. */
export function* ledgerRows(w: World, plan: OrdersPlan): Generator<string> {
  for (const r of allRecords(w, plan)) {
    if (r.status !== 'verified' || r.tenths <= 0) continue;
    yield `${w.city}\t${w.ids(r.decidedMs!, FAMILY.ledger, r.k)}\t${volunteerUserId(w, r.v)}\t${r.tenths}\tservice_hours\tservice_record\t${recordId(w, r)}\t${esc(r.title)}\t${ts(r.decidedMs!)}\t${w.orgs[r.orgIdx]!.id}`;
  }
}

export interface Totals {
  /** Verified hours (tenths) and points per volunteer. */
  hours: Int32Array;
  points: Int32Array;
  records: number;
  verified: number;
  totalTenths: number;
}

export function recordTotals(w: World, plan: OrdersPlan): Totals {
  const hours = new Int32Array(w.sizes.volunteers);
  const points = new Int32Array(w.sizes.volunteers);
  let records = 0;
  let verified = 0;
  let totalTenths = 0;
  for (const r of allRecords(w, plan)) {
    records++;
    if (r.status !== 'verified') continue;
    verified++;
    hours[r.v]! += r.tenths;
    points[r.v]! += r.tenths;
    totalTenths += r.tenths;
  }
  return { hours, points, records, verified, totalTenths };
}

export const ACCOUNT_COLS = ['city_code', 'user_id', 'balance', 'earned', 'spent', 'updated_at'] as const;

export function* accountRows(w: World, t: Totals, spent: Int32Array, refunded: Int32Array): Generator<string> {
  const at = ts(w.now - HOUR);
  for (let i = 0; i < w.sizes.volunteers; i++) {
    const earned = t.points[i]! + refunded[i]!;
    const out = spent[i]!;
    yield `${w.city}\t${volunteerUserId(w, i)}\t${earned - out}\t${earned}\t${out}\t${at}`;
  }
}
