import { DAY, FAMILY, HOUR, N, esc, int, json, opt, pick, rng, seedOf, shanghaiDate, ts, tsOpt, weighted, type Rand } from './text.ts';
import { apportion, deskOf, residentUserId, volunteerId, volunteerIn, volunteerUserId, type World } from './world.ts';

/**
 * A year of orders through the loop 群众点单 → 中心派单 → 志愿者接单 → 群众评单, with their
 * timelines (order_events), the volunteers who served, forwarded complaints and petitions with
 * the departments' replies, reminders, escalations and declines. Order i is generated from its
 * own stream; times and daily code sequences come from the plan (ordersPlan).
 */
const CONTENT: Record<string, string[]> = {
  theory: ['想请宣讲员来社区讲讲新出台的惠民政策', '希望给老党员们上一堂党史课', '想了解一下医保新政策怎么报销'],
  culture: ['社区广场舞队想请老师指导编排', '重阳节想办一场文艺汇演，需要志愿者', '想请书法老师来教孩子们写春联'],
  education: ['孩子放学没人辅导作业，想找大学生志愿者', '想给留守儿童办个暑期阅读班', '孩子上网课不会操作，想找人帮帮忙'],
  health: ['老人腿脚不便，想请医生上门量血压', '想请志愿者陪同老伴去医院复查', '社区想办一次义诊', '老人糖尿病，想请医生讲讲饮食注意'],
  science: ['不会用手机挂号，想找人教一教', '想学会用手机视频和孙子聊天', '想了解防电信诈骗的知识', '家里的智能电视不会用'],
  legal: ['拖欠工资的事想咨询律师怎么办', '想咨询遗嘱怎么写才有效', '租房押金不退，想问问该怎么维权', '离婚财产分割的问题想咨询一下'],
  environment: ['楼道里堆满杂物，想请志愿者帮忙清理', '小区垃圾分类没人指导', '河边垃圾很多，想组织一次清洁', '楼道的灯坏了好几天，晚上看不见'],
  poverty: ['独居老人想请人帮忙代买米面', '家里困难，想了解有没有帮扶政策', '想请人帮忙换个灯泡修个水龙头', '老人一个人在家，想请人定期来看看'],
};
const COMPLAINTS = [
  '物业乱收停车费，还不给开票，我要投诉',
  '隔壁装修天天晚上十点以后还在砸墙，反映好几次了',
  '小区门口的垃圾堆了一个星期没人清运，味道很大',
  '楼下饭店油烟太大，窗户都不敢开',
  '小区供暖温度不达标，家里只有十五度',
  '路边井盖丢了好几天，很危险',
  '商户占道经营，老人走路都不方便',
];
const PETITIONS = [
  '老旧小区改造什么时候轮到我们小区，希望尽快安排',
  '我家低保申请三个月了还没有结果',
  '拆迁补偿一直没有落实，请帮忙问问',
  '残疾人补贴停发了，不知道什么原因',
  '村里的道路坑坑洼洼，希望能修一修',
  '孩子入学的事情想反映一下情况',
];
const REPLIES = [
  '已联系物业公司，要求限期整改并公示收费标准',
  '已安排执法人员到现场核查，责令整改',
  '已协调环卫部门清运，并增加清运频次',
  '已转相关科室办理，工作人员将电话联系您',
  '经核实，已按政策为您办理',
  '已约谈相关单位，问题已解决',
];
const REPORTS = ['已上门服务，老人很满意', '已按约定完成服务', '服务完成，并留下了联系方式', '问题已解决，叮嘱了注意事项'];
const RATE_COMMENTS = ['志愿者很耐心', '服务很及时', '态度很好，谢谢', '解决了大问题', '来得有点晚', '还是有噪音', '问题没有彻底解决'];
const REJECTS = ['不属于服务范围，请拨打12345热线', '信息不完整，无法联系到您', '重复提交'];
const catPick = weighted(['theory', 'culture', 'education', 'health', 'science', 'legal', 'environment', 'poverty'], [5, 7, 7, 22, 11, 9, 14, 25]);
const naturePick = weighted(['service', 'consult', 'complaint', 'petition'] as const, [78, 6, 9, 7]);
const scorePick = weighted([5, 4, 3, 2, 1], [62, 25, 8, 3, 2]);
const SLA: Record<string, number> = { normal: 24 * HOUR, urgent: 2 * HOUR, critical: 30 * 60_000 };

export interface OrdersPlan {
  created: Float64Array;
  seq: Int32Array;
  /** Local day (YYYY-MM-DD) → number of codes given that day. */
  counters: Map<string, number>;
}

/** Order times over the last year (busier lately, on weekdays, in the daytime) and their daily code numbers. */
export function ordersPlan(w: World): OrdersPlan {
  const n = w.sizes.orders;
  const r = rng(seedOf(w.seed, 19, 0));
  // Local (UTC+8) midnights of the last 365 days; today's orders stop before now.
  const todayLocal = Math.floor((w.now + 8 * HOUR) / DAY) * DAY - 8 * HOUR;
  const days = Array.from({ length: 366 }, (_, k) => todayLocal - (365 - k) * DAY);
  const weights = days.map((d, k) => {
    const dow = new Date(d + 8 * HOUR).getUTCDay();
    const todayShare = d === todayLocal ? Math.max(0, (w.now - d) / DAY) : 1;
    return (1 + (1.5 * k) / 365) * (dow === 0 || dow === 6 ? 0.7 : 1) * todayShare;
  });
  const counts = apportion(n, weights);
  const created = new Float64Array(n);
  const seq = new Int32Array(n);
  const counters = new Map<string, number>();
  let i = 0;
  days.forEach((d, k) => {
    const c = counts[k]!;
    const end = d === todayLocal ? w.now - 10 * 60_000 : d + DAY;
    const times: number[] = [];
    for (let j = 0; j < c; j++) {
      // 7:00–21:00 local mostly.
      const h = r() < 0.92 ? 7 + r() * 14 : r() * 24;
      times.push(Math.min(end - 1000, d + Math.floor(h * HOUR)));
    }
    times.sort((a, b) => a - b);
    for (let j = 0; j < c; j++) {
      created[i] = times[j]!;
      seq[i] = j + 1;
      i++;
    }
    if (c) counters.set(shanghaiDate(d + HOUR), c);
  });
  return { created, seq, counters };
}

export interface OrderEvent {
  at: number;
  actor: string | null;
  action: string;
  from: string | null;
  to: string;
  note: string | null;
  data: unknown;
}
export interface Order {
  i: number;
  id: string;
  code: string;
  orgIdx: number;
  handlingIdx: number;
  requester: string;
  content: string;
  category: string;
  nature: 'service' | 'consult' | 'complaint' | 'petition';
  urgency: 'normal' | 'urgent' | 'critical';
  confidence: number;
  state: string;
  team: number;
  volunteer: number;
  department: string | null;
  created: number;
  acceptDue: number;
  firstDue: number;
  escalation: number;
  reminded: number | null;
  dispatched: number | null;
  accepted: number | null;
  started: number | null;
  completed: number | null;
  forwarded: number | null;
  resolved: number | null;
  closed: number | null;
  report: string | null;
  reply: string | null;
  hoursTenths: number | null;
  rating: number | null;
  ratingComment: string | null;
  rated: number | null;
  rejectReason: string | null;
  updated: number;
  lat: number | null;
  lng: number | null;
  servers: number[];
  events: OrderEvent[];
}

function flowFor(r: Rand, nature: Order['nature'], age: number): string {
  const x = r();
  if (nature === 'complaint' || nature === 'petition') {
    if (age < 3 * HOUR) return x < 0.5 ? 'submitted' : 'forwarded';
    if (age < 10 * DAY) return x < 0.25 ? 'forwarded' : x < 0.55 ? 'resolved' : x < 0.95 ? 'rated_forward' : 'rejected';
    return x < 0.08 ? 'resolved' : x < 0.93 ? 'rated_forward' : 'rejected';
  }
  if (age < 3 * HOUR) return x < 0.45 ? 'submitted' : x < 0.8 ? 'dispatched' : x < 0.95 ? 'accepted' : 'cancelled';
  if (age < DAY)
    return x < 0.1
      ? 'dispatched'
      : x < 0.25
        ? 'accepted'
        : x < 0.4
          ? 'in_service'
          : x < 0.85
            ? 'completed'
            : x < 0.9
              ? 'rated'
              : x < 0.95
                ? 'cancelled'
                : 'rejected';
  if (age < 7 * DAY) return x < 0.2 ? 'completed' : x < 0.88 ? 'rated' : x < 0.94 ? 'cancelled' : 'rejected';
  return x < 0.04 ? 'completed' : x < 0.88 ? 'rated' : x < 0.94 ? 'cancelled' : 'rejected';
}

/** Order i (made once per run: orders, events, servers and the hours ledger read it). */
export function order(w: World, plan: OrdersPlan, i: number): Order {
  const cache = (w.cache.orders ??= new Array<Order>(w.sizes.orders)) as (Order | undefined)[];
  return (cache[i] ??= makeOrder(w, plan, i));
}

function makeOrder(w: World, plan: OrdersPlan, i: number): Order {
  const r = rng(seedOf(w.seed, 20, i));
  const created = plan.created[i]!;
  // The requester: any resident, some of them often.
  const res = r() < 0.35 ? Math.floor(Math.pow(r(), 3) * w.sizes.residents) : Math.floor(r() * w.sizes.residents);
  const orgIdx = w.rStation[res]!;
  const o = w.orgs[orgIdx]!;
  const nature = naturePick(r);
  const category = nature === 'complaint' ? 'environment' : nature === 'petition' ? 'poverty' : catPick(r);
  const content = nature === 'complaint' ? pick(r, COMPLAINTS) : nature === 'petition' ? pick(r, PETITIONS) : pick(r, CONTENT[category]!);
  const age = w.now - created;
  const flow = flowFor(r, nature, age);
  const open = flow === 'submitted' || flow === 'dispatched';
  const ux = r();
  const urgency: Order['urgency'] = open ? 'normal' : ux < 0.8 ? 'normal' : ux < 0.97 ? 'urgent' : 'critical';
  const d = new Date(created + 8 * HOUR);
  const code = `D${String(d.getUTCFullYear() % 100).padStart(2, '0')}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}${String(plan.seq[i]!).padStart(4, '0')}`;
  const desk = deskOf(w, orgIdx);
  const requester = residentUserId(w, res);
  const firstDue = created + SLA[urgency]!;
  const x: Order = {
    i,
    id: w.ids(created, FAMILY.order, i),
    code,
    orgIdx,
    handlingIdx: orgIdx,
    requester,
    content,
    category,
    nature,
    urgency,
    confidence: Math.round((0.55 + r() * 0.44) * 1000) / 1000,
    state: 'submitted',
    team: -1,
    volunteer: -1,
    department: null,
    created,
    acceptDue: firstDue,
    firstDue,
    escalation: 0,
    reminded: null,
    dispatched: null,
    accepted: null,
    started: null,
    completed: null,
    forwarded: null,
    resolved: null,
    closed: null,
    report: null,
    reply: null,
    hoursTenths: null,
    rating: null,
    ratingComment: null,
    rated: null,
    rejectReason: null,
    updated: created,
    lat: null,
    lng: null,
    servers: [],
    events: [],
  };
  if (r() < 0.5) {
    x.lat = Math.round((o.lat + (r() - 0.5) * 0.01) * 1e6) / 1e6;
    x.lng = Math.round((o.lng + (r() - 0.5) * 0.012) * 1e6) / 1e6;
  }
  const ev = (at: number, actor: string | null, action: string, to: string, note: string | null = null, data: unknown = null) => {
    x.events.push({ at, actor, action, from: action === 'submit' ? null : x.state, to, note, data });
    x.state = to;
    x.updated = Math.max(x.updated, at);
  };
  // Times never pass now: each step is clipped just before it.
  let t = created;
  const step = (min: number, max: number) => {
    const want = t + min + Math.floor(r() * (max - min));
    const cap = w.now - 60_000;
    t = want < cap ? want : t + Math.max(1000, Math.floor((cap - t) / 2));
    return t;
  };
  ev(created, requester, 'submit', 'submitted');
  if (flow === 'submitted') return x;
  if (flow === 'cancelled' && r() < 0.5) {
    ev(step(10 * 60_000, 3 * HOUR), requester, 'cancel', 'cancelled');
    x.closed = t;
    return x;
  }
  if (flow === 'rejected') {
    x.rejectReason = pick(r, REJECTS);
    ev(step(10 * 60_000, 4 * HOUR), desk.dispatcher.userId, 'reject', 'rejected', x.rejectReason);
    x.closed = t;
    return x;
  }
  if (nature === 'complaint' || nature === 'petition') {
    const local = w.departments.filter((dd) => dd.district === o.district);
    const pool = local.length && r() < 0.75 ? local : w.departments.filter((dd) => dd.district < 0);
    const dept = pool.length ? pick(r, pool) : w.departments.length ? pick(r, w.departments) : null;
    if (!dept) return x;
    x.department = dept.id;
    x.forwarded = step(10 * 60_000, 6 * HOUR);
    ev(x.forwarded, desk.dispatcher.userId, 'forward', 'forwarded', '请核实处理');
    if (flow === 'forwarded') return x;
    x.reply = pick(r, REPLIES);
    x.resolved = step(6 * HOUR, 5 * DAY);
    ev(x.resolved, dept.officerUser, 'resolve', 'resolved', x.reply);
    if (flow === 'resolved') return x;
    x.rating = scorePick(r);
    x.ratingComment = r() < 0.5 ? pick(r, RATE_COMMENTS) : null;
    x.rated = x.closed = step(HOUR, 3 * DAY);
    ev(x.rated, requester, 'rate', 'rated', x.ratingComment, { score: x.rating });
    return x;
  }
  // Dispatch: to a team of the place (its leader accepts and names who serves) or to one volunteer.
  const pickAssignee = () => {
    const local = [...(w.teamsAt.get(orgIdx) ?? []), ...(w.teamsAt.get(o.parentIdx) ?? [])];
    const same = local.filter((tt) => w.teams[tt]!.category === category);
    if (local.length && r() < 0.6) return { team: same.length && r() < 0.7 ? pick(r, same) : pick(r, local), volunteer: -1 };
    const v = volunteerIn(w, r, orgIdx, 1.3);
    if (v >= 0) return { team: -1, volunteer: v };
    return local.length ? { team: pick(r, local), volunteer: -1 } : { team: -1, volunteer: Math.floor(r() * w.sizes.volunteers) };
  };
  let a = pickAssignee();
  const dispatch = () => {
    x.team = a.team;
    x.volunteer = a.volunteer;
    x.dispatched = step(5 * 60_000, 2 * HOUR);
    ev(
      x.dispatched,
      desk.dispatcher.userId,
      'dispatch',
      'dispatched',
      null,
      a.team >= 0 ? { teamId: w.teams[a.team]!.id } : { volunteerId: volunteerId(w, a.volunteer) },
    );
  };
  dispatch();
  if (flow !== 'dispatched' && r() < 0.04) {
    // Declined (婉拒), back to the desk, dispatched again.
    ev(
      step(10 * 60_000, 2 * HOUR),
      a.team >= 0 ? volunteerUserId(w, w.teamLeader[a.team]!) : volunteerUserId(w, a.volunteer),
      'decline',
      'submitted',
      '时间冲突，无法前往',
    );
    x.team = -1;
    x.volunteer = -1;
    a = pickAssignee();
    dispatch();
  }
  if (flow === 'dispatched') return x;
  if (flow === 'cancelled') {
    ev(step(10 * 60_000, 3 * HOUR), requester, 'cancel', 'cancelled');
    x.closed = t;
    return x;
  }
  const accepter = a.team >= 0 ? volunteerUserId(w, w.teamLeader[a.team]!) : volunteerUserId(w, a.volunteer);
  // Late acceptances: reminded, then escalated to the desk above (中心吹哨).
  const late = r() < 0.1 && x.firstDue < w.now - 2 * HOUR;
  if (late) {
    x.reminded = x.dispatched! + Math.floor(((x.firstDue - x.dispatched!) * 3) / 4);
    if (x.reminded > x.dispatched!) ev(x.reminded, null, 'remind', 'dispatched', '接单时限将到，系统催单');
    let at = Math.max(x.firstDue, x.reminded);
    const levels = r() < 0.2 ? 2 : 1;
    for (let k = 0; k < levels; k++) {
      const from = x.handlingIdx;
      const up = w.orgs[from]!.parentIdx >= 0 ? w.orgs[from]!.parentIdx : from;
      x.handlingIdx = up;
      x.escalation++;
      x.reminded = null;
      x.acceptDue = at + SLA[urgency]!;
      ev(at, null, 'escalate', 'dispatched', `超时未接单，上报至${w.orgs[up]!.name}`, { from: w.orgs[from]!.id, to: w.orgs[up]!.id });
      at = x.acceptDue;
      if (at > w.now - HOUR || r() < 0.6) break;
    }
    t = Math.max(t, Math.min(w.now - 30 * 60_000, at - 30 * 60_000));
  } else if (r() < 0.2) {
    x.reminded = x.dispatched! + Math.floor(((x.firstDue - x.dispatched!) * 3) / 4);
    if (x.reminded < w.now - HOUR) ev(x.reminded, null, 'remind', 'dispatched', '接单时限将到，系统催单');
    else x.reminded = null;
    t = Math.max(t, x.reminded ?? t);
  }
  // Who serves: the volunteer dispatched to, or one to three members the leader names.
  if (a.team >= 0) {
    const m = w.teams[a.team]!.members;
    const want = Math.min(m.length, int(r, 1, 3));
    const s = new Set<number>();
    while (s.size < want) s.add(m[Math.floor(r() * m.length)]!);
    x.servers = [...s];
  } else x.servers = [a.volunteer];
  x.accepted = step(5 * 60_000, urgency === 'normal' ? 6 * HOUR : HOUR);
  ev(x.accepted, accepter, 'accept', 'accepted', null, a.team >= 0 ? { volunteerIds: x.servers.map((v) => volunteerId(w, v)) } : {});
  if (flow === 'accepted') return x;
  x.started = step(30 * 60_000, 20 * HOUR);
  ev(x.started, accepter, 'start', 'in_service');
  if (flow === 'in_service') return x;
  x.hoursTenths = int(r, 1, 8) * 5;
  x.completed = step(x.hoursTenths * 6 * 60_000, x.hoursTenths * 6 * 60_000 + HOUR);
  x.report = pick(r, REPORTS);
  ev(x.completed, accepter, 'complete', 'completed', x.report);
  if (flow === 'completed') return x;
  x.rating = scorePick(r);
  x.ratingComment = r() < 0.5 ? pick(r, RATE_COMMENTS) : null;
  x.rated = x.closed = step(HOUR, 2 * DAY);
  ev(x.rated, requester, 'rate', 'rated', x.ratingComment, { score: x.rating });
  return x;
}

/** Verification of the hours an order earned: a day after completion, pending before that. */
export function orderRecordStatus(w: World, o: Order): { status: 'verified' | 'pending'; decidedMs: number | null } {
  const decided = o.completed! + DAY + (o.i % 12) * HOUR;
  return decided < w.now - HOUR ? { status: 'verified', decidedMs: decided } : { status: 'pending', decidedMs: null };
}

export const ORDER_COLS = [
  'city_code',
  'id',
  'code',
  'org_id',
  'handling_org_id',
  'requester_id',
  'title',
  'content',
  'category',
  'nature',
  'urgency',
  'triage',
  'address',
  'lat',
  'lng',
  'preferred_at',
  'service_item_id',
  'state',
  'assignee_team_id',
  'assignee_volunteer_id',
  'department_id',
  'accept_due_at',
  'first_accept_due_at',
  'escalation_level',
  'reminded_at',
  'dispatched_at',
  'accepted_at',
  'started_at',
  'completed_at',
  'forwarded_at',
  'resolved_at',
  'closed_at',
  'report',
  'reply',
  'hours',
  'rating',
  'rating_comment',
  'rated_at',
  'reject_reason',
  'created_at',
  'updated_at',
] as const;

export function* orderRows(w: World, plan: OrdersPlan): Generator<string> {
  for (let i = 0; i < w.sizes.orders; i++) {
    const o = order(w, plan, i);
    const org = w.orgs[o.orgIdx]!;
    const triage = { category: o.category, nature: o.nature, urgency: o.urgency, confidence: o.confidence, lowConfidence: o.confidence < 0.6 };
    yield [
      w.city,
      o.id,
      o.code,
      org.id,
      w.orgs[o.handlingIdx]!.id,
      o.requester,
      N,
      esc(o.content),
      o.category,
      o.nature,
      o.urgency,
      json(triage),
      opt(org.address),
      o.lat ?? N,
      o.lng ?? N,
      N,
      N,
      o.state,
      o.team >= 0 ? w.teams[o.team]!.id : N,
      o.volunteer >= 0 ? volunteerId(w, o.volunteer) : N,
      o.department ?? N,
      ts(o.acceptDue),
      ts(o.firstDue),
      o.escalation,
      tsOpt(o.reminded),
      tsOpt(o.dispatched),
      tsOpt(o.accepted),
      tsOpt(o.started),
      tsOpt(o.completed),
      tsOpt(o.forwarded),
      tsOpt(o.resolved),
      tsOpt(o.closed),
      opt(o.report),
      opt(o.reply),
      o.hoursTenths === null ? N : (o.hoursTenths / 10).toFixed(1),
      o.rating ?? N,
      opt(o.ratingComment),
      tsOpt(o.rated),
      opt(o.rejectReason),
      ts(o.created),
      ts(o.updated),
    ].join('\t');
  }
}

export const EVENT_COLS = ['city_code', 'id', 'order_id', 'at', 'actor_id', 'action', 'from_state', 'to_state', 'note', 'data'] as const;

export function* eventRows(w: World, plan: OrdersPlan): Generator<string> {
  for (let i = 0; i < w.sizes.orders; i++) {
    const o = order(w, plan, i);
    let k = 0;
    for (const e of o.events)
      yield `${w.city}\t${w.ids(e.at, FAMILY.event, i * 32 + k++)}\t${o.id}\t${ts(e.at)}\t${e.actor ?? N}\t${e.action}\t${e.from ?? N}\t${e.to}\t${opt(e.note)}\t${e.data === null ? N : json(e.data)}`;
  }
}

export const SERVER_COLS = ['city_code', 'order_id', 'volunteer_id'] as const;

export function* serverRows(w: World, plan: OrdersPlan): Generator<string> {
  for (let i = 0; i < w.sizes.orders; i++) {
    const o = order(w, plan, i);
    for (const v of o.servers) yield `${w.city}\t${o.id}\t${volunteerId(w, v)}`;
  }
}

export const COUNTER_COLS = ['city_code', 'day', 'n'] as const;

export function* counterRows(w: World, plan: OrdersPlan): Generator<string> {
  for (const [day, n] of [...plan.counters.entries()].sort()) yield `${w.city}\t${day}\t${n}`;
}
