import { DAY, FAMILY, HOUR, N, arr, esc, int, opt, pick, rng, seedOf, ts, tsOpt, weighted } from './text.ts';
import { CATEGORIES, deskOf, residentUserId, volunteerId, volunteerIn, volunteerUserId, type World } from './world.ts';

/**
 * Three years of activities (活动项目) with their sign-ups, attendance, ratings and the hours
 * attendance earned. Each activity is generated from its own seeded stream, so any table of
 * this group can be generated again on its own and gives the same rows.
 */
const TITLES: Record<string, string[]> = {
  theory: ['“学习二十大 奋进新征程”理论宣讲', '党史故事分享会', '惠民政策进社区宣讲', '“百姓宣讲团”微宣讲', '红色经典诵读会'],
  culture: ['“我们的节日”文艺汇演', '广场舞公益教学', '书法进社区', '非遗剪纸体验课', '社区合唱团排练', '露天电影放映'],
  education: ['“四点半课堂”作业辅导', '暑期读书会', '家庭教育讲座', '留守儿童陪伴成长', '青少年研学实践'],
  health: ['社区义诊', '老年人健康体检', '急救知识培训', '太极拳健身课', '中医养生讲座', '无偿献血服务'],
  science: ['老年人智能手机课堂', '防范电信诈骗讲座', '青少年科普实验', '农业技术田间课堂', '科普大篷车进社区'],
  legal: ['法律咨询进社区', '民法典宣传', '反家暴普法讲座', '“法律明白人”培训', '人民调解服务日'],
  environment: ['“清洁家园”环境整治', '垃圾分类宣传', '河道清洁行动', '文明交通劝导', '植树护绿行动', '汾河岸线清洁'],
  poverty: ['“3+1晚霞行动”入户帮扶', '爱心助老理发', '困难家庭慰问', '独居老人走访', '爱心义卖', '“暖冬行动”物资发放'],
};
const REPORT: Record<string, string> = {
  theory: '宣讲员用身边的故事讲政策、讲变化，居民边听边问，现场气氛热烈。',
  culture: '节目由居民自编自演，老中青三代同台，掌声一阵接一阵。',
  education: '志愿者分组辅导孩子们完成作业、共读好书，家长们纷纷点赞。',
  health: '医护志愿者为居民量血压、测血糖、讲解用药常识。',
  science: '志愿者手把手教老人用手机挂号、视频通话，讲解常见骗局的识别方法。',
  legal: '律师志愿者现场解答婚姻家庭、物业纠纷等问题，并发放普法宣传资料。',
  environment: '志愿者清理楼道杂物和绿化带垃圾，向居民宣传垃圾分类知识。',
  poverty: '志愿者走访困难家庭和独居老人，送去生活用品，帮忙打扫卫生、聊家常。',
};
const COMMENTS = ['活动组织得很好', '志愿者很热情', '学到了不少东西', '希望多办几次', '时间有点短', '场地有点挤', '老人们都很满意', '很有意义'];
const catPick = weighted(CATEGORIES, [10, 16, 8, 14, 10, 8, 18, 16]);
const durPick = weighted([2, 3, 4, 6, 8, 12], [14, 14, 18, 20, 22, 12]);
const scorePick = weighted([5, 4, 3, 2, 1], [60, 27, 9, 3, 1]);

export interface Signup {
  userId: string;
  v: number;
  role: 'volunteer' | 'resident';
  status: 'registered' | 'waitlisted' | 'withdrawn';
  seq: number;
  createdMs: number;
  checkin: number | null;
  checkout: number | null;
}
export interface Activity {
  i: number;
  id: string;
  orgIdx: number;
  team: number;
  category: string;
  title: string;
  starts: number;
  ends: number;
  quota: number;
  publicQuota: number;
  state: 'draft' | 'published' | 'cancelled' | 'finished';
  createdMs: number;
  publishedMs: number | null;
  cancelledMs: number | null;
  finishedMs: number | null;
  createdBy: string;
  decidedBy: string;
  geofence: number | null;
  requiredSkills: string[];
  partyOnly: boolean;
  summary: string | null;
  reportMs: number | null;
  signups: Signup[];
  ratings: { userId: string; score: number; comment: string | null; createdMs: number }[];
  vRegistered: number;
  pRegistered: number;
}

const SPAN_BACK = 3 * 365 * DAY;
const SPAN_AHEAD = 30 * DAY;

/** Activity i (made once per run: every table of the group and the hours ledger read it). */
export function activity(w: World, i: number): Activity {
  const cache = (w.cache.activities ??= new Array<Activity>(w.sizes.activities)) as (Activity | undefined)[];
  return (cache[i] ??= makeActivity(w, i));
}

function makeActivity(w: World, i: number): Activity {
  const r = rng(seedOf(w.seed, 10, i));
  const n = w.sizes.activities;
  // More activities lately: the start times follow u^0.75 over three years and the next month.
  const u = (i + r()) / n;
  const day = Math.floor((w.now - SPAN_BACK + Math.pow(u, 0.75) * (SPAN_BACK + SPAN_AHEAD)) / DAY) * DAY;
  const starts = day + (int(r, 8, 16) - 8) * HOUR + (r() < 0.5 ? 30 * 60_000 : 0);
  const dur = durPick(r);
  const ends = starts + Math.min(dur, 14) * HOUR;
  // Where: a volunteer's station, street or district (so busy places hold more).
  const v0 = Math.floor(r() * w.sizes.volunteers);
  let orgIdx = w.vStation[v0]!;
  const x = r();
  if (x > 0.7) orgIdx = w.orgs[orgIdx]!.parentIdx;
  if (x > 0.9) orgIdx = w.orgs[orgIdx]!.parentIdx;
  const o = w.orgs[orgIdx]!;
  const category = catPick(r);
  const title = `${o.short}${pick(r, TITLES[category]!)}`.slice(0, 100);
  const local = w.teamsAt.get(orgIdx) ?? [];
  const same = local.filter((t) => w.teams[t]!.category === category);
  const team = same.length && r() < 0.75 ? pick(r, same) : local.length && r() < 0.4 ? pick(r, local) : -1;
  const quota = int(r, 8, 40);
  const publicQuota = r() < 0.3 ? int(r, 20, 60) : 0;
  const createdMs = starts - int(r, 3, 20) * DAY - int(r, 0, 8) * HOUR;
  const desk = deskOf(w, orgIdx);
  let state: Activity['state'];
  if (ends > w.now - 12 * HOUR) state = createdMs < w.now && r() < 0.93 ? 'published' : 'draft';
  else state = r() < 0.03 ? 'cancelled' : 'finished';
  if (createdMs >= w.now) state = 'draft';
  const a: Activity = {
    i,
    id: w.ids(createdMs, FAMILY.activity, i),
    orgIdx,
    team,
    category,
    title,
    starts,
    ends,
    quota,
    publicQuota,
    state,
    createdMs: Math.min(createdMs, w.now - 60_000),
    publishedMs: state === 'draft' ? null : createdMs + HOUR,
    cancelledMs: null,
    finishedMs: null,
    createdBy: desk.admin.userId,
    decidedBy: desk.dispatcher.userId,
    geofence: r() < 0.3 ? 500 : null,
    requiredSkills: r() < 0.2 ? [category] : [],
    partyOnly: team >= 0 && w.teams[team]!.type === 'party' && r() < 0.1,
    summary: null,
    reportMs: null,
    signups: [],
    ratings: [],
    vRegistered: 0,
    pRegistered: 0,
  };
  if (state === 'draft') return a;
  const openFrom = a.publishedMs!;
  const signupAt = () => Math.min(openFrom + Math.floor(r() * (starts - openFrom)), w.now - 60_000);
  let k = 0;
  const add = (userId: string, v: number, role: Signup['role'], status: Signup['status']) => {
    const createdAt = signupAt();
    a.signups.push({ userId, v, role, status, seq: i * 1000 + k, createdMs: createdAt, checkin: null, checkout: null });
    k++;
  };
  // Volunteers: from the place's own people, the active core more often; never someone who registered later.
  const fill = state === 'published' ? Math.min(1, 0.15 + (w.now - openFrom) / Math.max(1, starts - openFrom)) : 0.55 + r() * 0.45;
  const want = Math.min(quota, Math.round(quota * fill));
  const chosen = new Set<number>();
  for (let tries = 0; chosen.size < want && tries < want * 4; tries++) {
    const v = volunteerIn(w, r, orgIdx);
    if (v < 0) break;
    if (w.vCreated[v]! > openFrom || chosen.has(v)) continue;
    if (a.partyOnly && r() < 0.5) continue;
    chosen.add(v);
  }
  for (const v of chosen) add(volunteerUserId(w, v), v, 'volunteer', 'registered');
  a.vRegistered = chosen.size;
  // A few changed their minds; when the places are gone, some wait.
  for (let j = 0, extra = r() < 0.3 ? int(r, 1, 3) : 0; j < extra; j++) {
    const v = volunteerIn(w, r, orgIdx);
    if (v < 0 || chosen.has(v) || w.vCreated[v]! > openFrom) continue;
    chosen.add(v);
    add(volunteerUserId(w, v), v, 'volunteer', a.vRegistered === quota && state === 'published' ? 'waitlisted' : 'withdrawn');
  }
  if (publicQuota > 0 && o.rHi > o.rLo) {
    const pw = Math.min(publicQuota, Math.round(publicQuota * fill * (0.3 + r() * 0.7)));
    const seen = new Set<number>();
    for (let tries = 0; seen.size < pw && tries < pw * 3; tries++) seen.add(o.rLo + Math.floor(r() * (o.rHi - o.rLo)));
    for (const res of seen) add(residentUserId(w, res), -1, 'resident', 'registered');
    a.pRegistered = seen.size;
  }
  if (state === 'cancelled') {
    a.cancelledMs = starts - int(r, 1, 48) * HOUR;
    return a;
  }
  if (state !== 'finished') return a;
  a.finishedMs = ends + int(r, 1, 10) * HOUR;
  for (const s of a.signups) {
    if (s.status !== 'registered') continue;
    if (r() < 0.92) {
      s.checkin = starts - int(r, 0, 15) * 60_000;
      s.checkout = ends + int(r, 0, 15) * 60_000;
      if (r() < 0.3) {
        const score = scorePick(r);
        a.ratings.push({
          userId: s.userId,
          score,
          comment: r() < 0.4 ? pick(r, COMMENTS) : null,
          createdMs: Math.min(w.now - 60_000, ends + int(r, 1, 72) * HOUR),
        });
      }
    }
  }
  if (r() < 0.2) {
    a.summary = `${a.vRegistered} 名志愿者参加了“${title}”。${REPORT[category]!}`;
    a.reportMs = Math.min(w.now - 60_000, a.finishedMs + DAY);
  }
  return a;
}

/** Verified (or, for the last days, pending) hours of those who attended. */
export function activityRecordStatus(w: World, a: Activity): { status: 'verified' | 'pending'; decidedMs: number | null } {
  const decided = a.finishedMs! + (1 + (a.i % 3)) * DAY;
  return decided < w.now - HOUR ? { status: 'verified', decidedMs: decided } : { status: 'pending', decidedMs: null };
}

export const ACTIVITY_COLS = [
  'city_code',
  'id',
  'org_id',
  'team_id',
  'title',
  'category',
  'description',
  'address',
  'lat',
  'lng',
  'geofence_m',
  'starts_at',
  'ends_at',
  'signup_deadline',
  'volunteer_quota',
  'public_quota',
  'volunteer_registered',
  'public_registered',
  'party_only',
  'team_only',
  'adults_only',
  'required_skills',
  'state',
  'summary',
  'created_by',
  'created_at',
  'published_at',
  'cancelled_at',
  'finished_at',
  'reminded_at',
  'report_published_at',
  'rating_count',
  'rating_sum',
] as const;

export function* activityRows(w: World): Generator<string> {
  for (let i = 0; i < w.sizes.activities; i++) {
    const a = activity(w, i);
    const o = w.orgs[a.orgIdx]!;
    const ratingSum = a.ratings.reduce((s, x) => s + x.score, 0);
    const reminded = a.state === 'finished' || (a.state === 'published' && a.starts - DAY < w.now) ? a.starts - DAY : null;
    yield [
      w.city,
      a.id,
      o.id,
      a.team >= 0 ? w.teams[a.team]!.id : N,
      esc(a.title),
      a.category,
      esc(`${a.title}，欢迎志愿者和居民报名参加。`),
      opt(o.address),
      o.lat,
      o.lng,
      a.geofence ?? N,
      ts(a.starts),
      ts(a.ends),
      ts(a.starts),
      a.quota,
      a.publicQuota,
      a.vRegistered,
      a.pRegistered,
      a.partyOnly ? 't' : 'f',
      'f',
      'f',
      arr(a.requiredSkills),
      a.state,
      opt(a.summary),
      a.createdBy,
      ts(a.createdMs),
      tsOpt(a.publishedMs),
      tsOpt(a.cancelledMs),
      tsOpt(a.finishedMs),
      tsOpt(reminded !== null && reminded < w.now ? reminded : null),
      tsOpt(a.reportMs),
      a.ratings.length,
      ratingSum,
    ].join('\t');
  }
}

export const SIGNUP_COLS = [
  'city_code',
  'id',
  'activity_id',
  'user_id',
  'volunteer_id',
  'role',
  'status',
  'seq',
  'checkin_at',
  'checkout_at',
  'created_at',
  'updated_at',
] as const;

export function* signupRows(w: World): Generator<string> {
  for (let i = 0; i < w.sizes.activities; i++) {
    const a = activity(w, i);
    for (const s of a.signups)
      yield `${w.city}\t${w.ids(s.createdMs, FAMILY.signup, s.seq)}\t${a.id}\t${s.userId}\t${s.v >= 0 ? volunteerId(w, s.v) : N}\t${s.role}\t${s.status}\t${s.seq}\t${tsOpt(s.checkin)}\t${tsOpt(s.checkout)}\t${ts(s.createdMs)}\t${ts(s.checkout ?? s.createdMs)}`;
  }
}

export const RATING_COLS = ['city_code', 'activity_id', 'user_id', 'score', 'comment', 'created_at'] as const;

export function* ratingRows(w: World): Generator<string> {
  for (let i = 0; i < w.sizes.activities; i++) {
    const a = activity(w, i);
    for (const x of a.ratings) yield `${w.city}\t${a.id}\t${x.userId}\t${x.score}\t${opt(x.comment)}\t${ts(x.createdMs)}`;
  }
}
