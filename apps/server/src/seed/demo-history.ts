import type { Database } from '../db/client.ts';
import { newId } from '../lib/ids.ts';
import { createPointsRepository } from '../modules/points/points.repository.ts';
import { createPointsEarning } from '../modules/points/points.earning.ts';
import { prng } from './demo-orgs.ts';
import { GIVEN_NAMES, SURNAMES } from './names.ts';

/**
 * DEMO HISTORY — not real data. A year of backdated orders (through the whole loop, with their
 * timelines), finished activities and verified service hours, so the statistics pages and the big
 * screen have months to draw. Written by direct inserts (the use cases stamp "now"), shaped like
 * what the services write: every order has its timeline, every hour a verified service record
 * and the volunteer's running total. Codes start with "H" so they never meet a live code.
 */
const CATS = ['theory', 'culture', 'education', 'health', 'science', 'legal', 'environment', 'poverty'];
const CAT_WEIGHTS = [6, 8, 6, 22, 10, 9, 14, 25];
const CONTENT: Record<string, string[]> = {
  theory: ['想请宣讲员来社区讲讲新出台的惠民政策', '希望给老党员们上一堂党史课'],
  culture: ['社区广场舞队想请老师指导编排', '重阳节想办一场文艺汇演，需要志愿者'],
  education: ['孩子放学没人辅导作业，想找大学生志愿者', '想给留守儿童办个暑期阅读班'],
  health: ['老人腿脚不便，想请医生上门量血压', '想请志愿者陪同老伴去医院复查', '社区想办一次义诊'],
  science: ['不会用手机挂号，想找人教一教', '想学会用手机视频和孙子聊天', '想了解防电信诈骗的知识'],
  legal: ['拖欠工资的事想咨询律师怎么办', '想咨询遗嘱怎么写才有效', '租房押金不退，想问问该怎么维权'],
  environment: ['楼道里堆满杂物，想请志愿者帮忙清理', '小区垃圾分类没人指导', '河边垃圾很多，想组织一次清洁'],
  poverty: ['独居老人想请人帮忙代买米面', '家里困难，想了解有没有帮扶政策', '想请人帮忙换个灯泡修个水龙头'],
};
/**
 * What residents ask that is not a volunteer's service: consultations, complaints and petitions,
 * forwarded (转办) to the department that answers them — `depts` are name endings in order of
 * preference, the nearest department above the site that matches answers — with its reply.
 */
const FORWARDED: { nature: 'consult' | 'complaint' | 'petition'; category: string; content: string; depts: string[] }[] = [
  { nature: 'complaint', category: 'environment', content: '小区物业不作为，楼道灯坏了一个月没人修', depts: ['住房和城乡建设局', '信访局'] },
  { nature: 'complaint', category: 'environment', content: '电梯三天两头坏，老人上下楼太难，物业一直拖着不修', depts: ['住房和城乡建设局', '信访局'] },
  { nature: 'complaint', category: 'environment', content: '供暖温度不达标，家里只有十五六度', depts: ['住房和城乡建设局', '信访局'] },
  { nature: 'complaint', category: 'environment', content: '小区门口占道经营，早上车都开不出去', depts: ['城市管理局', '信访局'] },
  { nature: 'complaint', category: 'environment', content: '楼下饭店油烟太大，晚上十一点还很吵', depts: ['城市管理局', '信访局'] },
  { nature: 'petition', category: 'poverty', content: '申请低保的材料交了两个月，一直没有回音', depts: ['民政局', '信访局'] },
  { nature: 'petition', category: 'environment', content: '老旧小区改造说了两年，迟迟不动工，想反映一下', depts: ['住房和城乡建设局', '信访局'] },
  { nature: 'consult', category: 'poverty', content: '想咨询高龄津贴怎么申请，需要带什么材料', depts: ['民政局', '信访局'] },
  { nature: 'consult', category: 'poverty', content: '家里老人想办居家养老服务补贴，去哪里办', depts: ['民政局', '信访局'] },
  { nature: 'consult', category: 'health', content: '想问问社区医院什么时候能打流感疫苗', depts: ['卫生健康局', '民政局', '信访局'] },
];

/** A department's reply, by what it is (the end of its name). */
const REPLIES: [string, string][] = [
  ['住房和城乡建设局', '已约谈物业服务企业，责令限期整改；整改完成后已电话回访居民，居民表示认可。'],
  ['城市管理局', '执法队员已到现场核查，责令商户整改并纳入日常巡查，后续将持续跟踪。'],
  ['民政局', '已电话告知申请条件和所需材料，可携带身份证、户口本到社区便民服务站代办。'],
  ['卫生健康局', '已协调社区卫生服务中心，疫苗到货后由社区统一通知预约接种。'],
  ['信访局', '已登记并转交责任单位办理，办理结果已电话反馈给居民。'],
];

/** Legal questions are consultations (律师志愿者 answer them); the rest of the menu is service. */
const natureOf = (category: string) => (category === 'legal' ? 'consult' : 'service');

const ACTIVITY_TITLES: Record<string, string[]> = {
  theory: ['“学习二十大 奋进新征程”理论宣讲', '党史故事分享会', '惠民政策进社区宣讲'],
  culture: ['“我们的节日”文艺汇演', '广场舞公益教学', '书法进社区'],
  education: ['“四点半课堂”作业辅导', '暑期读书会', '家庭教育讲座'],
  health: ['社区义诊', '老年人健康体检', '急救知识培训'],
  science: ['老年人智能手机课堂', '防范电信诈骗讲座', '青少年科普实验'],
  legal: ['法律咨询进社区', '民法典宣传', '反家暴普法讲座'],
  environment: ['“清洁家园”环境整治', '垃圾分类宣传', '河道清洁行动'],
  poverty: ['“3+1晚霞行动”入户帮扶', '爱心助老理发', '困难家庭慰问'],
};

/** One line of an activity report per category (the demo 活动风采). */
const REPORT_LINES: Record<string, string> = {
  theory: '宣讲员用身边的故事讲政策、讲变化，居民边听边问，现场气氛热烈。',
  culture: '节目由社区居民自编自演，老中青三代同台，掌声一阵接一阵。',
  education: '志愿者分组辅导孩子们完成作业、共读好书，家长们纷纷点赞。',
  health: '医护志愿者为居民量血压、测血糖、讲解用药常识，并为行动不便的老人上门服务。',
  science: '志愿者手把手教老人用手机挂号、视频通话，讲解常见骗局的识别方法。',
  legal: '律师志愿者现场解答婚姻家庭、物业纠纷等问题，并发放普法宣传资料。',
  environment: '志愿者清理楼道杂物和绿化带垃圾，向居民宣传垃圾分类知识。',
  poverty: '志愿者走访困难家庭和独居老人，送去生活用品，帮忙打扫卫生、聊家常。',
};

function pick<T>(r: () => number, xs: T[], weights?: number[]): T {
  if (!weights) return xs[Math.floor(r() * xs.length)]!;
  const total = weights.reduce((a, b) => a + b, 0);
  let x = r() * total;
  for (let i = 0; i < xs.length; i++) if ((x -= weights[i]!) < 0) return xs[i]!;
  return xs.at(-1)!;
}

export async function seedDemoHistory(database: Database, log: (m: string) => void = () => {}, days = 365) {
  const q = database.raw.query.bind(database.raw);
  const r = prng(20261108);
  const [resident] = await q<{ id: string; password_hash: string; home_org_id: string | null }>(
    "SELECT id, password_hash, home_org_id::text FROM users WHERE phone = '13900000010'",
  );
  const [admin] = await q<{ id: string }>('SELECT user_id AS id FROM role_grants LIMIT 1');
  const creator = admin?.id ?? resident?.id;
  if (!resident || !creator) return;
  const now = Date.now();
  const DAY = 86_400_000;
  // Every level below the city names its district (the center's label in the path).
  const sites = await q<{ city_code: string; id: string; level: string; district: string; path: string }>(
    `SELECT city_code, id::text, level, subpath(path, 1, 1)::text AS district, path::text FROM orgs WHERE level IN ('institute', 'station') AND lat IS NOT NULL`,
  );
  const teams = await q<{ city_code: string; id: string; category: string; district: string | null; members: string[] }>(
    `SELECT t.city_code, t.id::text, t.category, CASE WHEN nlevel(o.path) > 1 THEN subpath(o.path, 1, 1)::text END AS district,
            array_agg(m.volunteer_id::text ORDER BY m.volunteer_id) AS members
     FROM teams t JOIN orgs o ON o.city_code = t.city_code AND o.id = t.org_id
     JOIN team_members m ON m.city_code = t.city_code AND m.team_id = t.id WHERE t.status = 'active' GROUP BY 1, 2, 3, 4 ORDER BY 2`,
  );
  const vols = await q<{ city_code: string; id: string; district: string | null }>(
    `SELECT v.city_code, v.id::text, CASE WHEN nlevel(o.path) > 1 THEN subpath(o.path, 1, 1)::text END AS district
     FROM volunteers v JOIN orgs o ON o.city_code = v.city_code AND o.id = v.org_id WHERE v.status = 'active' ORDER BY v.id`,
  );
  const depts = await q<{ city_code: string; id: string; name: string; path: string }>(
    `SELECT d.city_code, d.id::text, d.name, o.path::text FROM departments d JOIN orgs o ON o.city_code = d.city_code AND o.id = d.org_id ORDER BY d.name`,
  );
  if (!sites.length || !teams.length) return;
  // Volunteers serve where they live: only districts with teams (and volunteers) see services and
  // activities; the other districts' residents still ask, and their departments answer.
  const teamsIn = new Map<string, typeof teams>();
  for (const t of teams) if (t.district) teamsIn.set(t.district, [...(teamsIn.get(t.district) ?? []), t]);
  const volsIn = new Map<string, typeof vols>();
  for (const v of vols) if (v.district) volsIn.set(v.district, [...(volsIn.get(v.district) ?? []), v]);
  // Districts differ in how busy they are (the map has something to colour).
  const districts = [...new Set(sites.map((s) => s.district))];
  const busy = new Map(districts.map((d) => [d, (0.2 + r() * 1.6) * (teamsIn.has(d) ? 1 : 0.08)]));
  const activeSites = sites.filter((s) => volsIn.has(s.district));
  // The department that answers a forwarded question at a site: the nearest above it whose name fits.
  const deptFor = (site: { city_code: string; path: string }, wanted: string[]) => {
    const above = depts.filter((d) => d.city_code === site.city_code && site.path.startsWith(`${d.path}.`)).sort((a, b) => b.path.length - a.path.length);
    for (const w of wanted) {
      const d = above.find((x) => x.name.endsWith(w));
      if (d) return d;
    }
    return above[0] ?? null;
  };
  const replyOf = (deptName: string) => REPLIES.find(([end]) => deptName.endsWith(end))?.[1] ?? REPLIES.at(-1)![1];
  // The residents who ask: a few per site, 李大爷 among those of his own community.
  const newResidents: unknown[][] = [];
  const residentsAt = new Map<string, string[]>();
  if (resident.home_org_id) residentsAt.set(resident.home_org_id, [resident.id]);
  let residentSeq = 0;
  const requesterAt = (site: { city_code: string; id: string }) => {
    const pool = residentsAt.get(site.id) ?? [];
    if (pool.length < 4 && (pool.length === 0 || r() < 0.5)) {
      residentSeq++;
      const id = newId();
      const name = `${SURNAMES[(residentSeq * 13) % SURNAMES.length]}${GIVEN_NAMES[(residentSeq * 7) % GIVEN_NAMES.length]}`;
      // 1360…: apart from the residents of the days around now (1370…) and the e2e journeys' random numbers.
      newResidents.push([
        id,
        `1360${String(residentSeq).padStart(7, '0')}`,
        name,
        resident.password_hash,
        site.city_code,
        site.id,
        new Date(now - (days + 30) * DAY),
      ]);
      pool.push(id);
      residentsAt.set(site.id, pool);
      return id;
    }
    return pool[Math.floor(r() * pool.length)]!;
  };
  const orders: unknown[][] = [];
  const events: unknown[][] = [];
  const records: unknown[][] = [];
  const hoursOf = new Map<string, number>();
  const addRecord = (
    city: string,
    vol: string,
    org: string,
    team: string | null,
    type: string,
    src: string,
    hours: number,
    start: number,
    end: number,
    decided: number,
  ) => {
    records.push([city, newId(), vol, org, team, type, src, hours, new Date(start), new Date(end), 'verified', new Date(decided), new Date(start)]);
    hoursOf.set(`${city}:${vol}`, (hoursOf.get(`${city}:${vol}`) ?? 0) + hours);
  };
  let seq = 0;
  for (let daysAgo = days; daysAgo >= 2; daysAgo--) {
    // More orders lately (the platform caught on), a few each day.
    const perDay = Math.round((1 + (365 - daysAgo) / 120) * (0.6 + r() * 1.2));
    for (let k = 0; k < perDay; k++) {
      const site = pick(
        r,
        sites,
        sites.map((s) => busy.get(s.district) ?? 1),
      );
      const localTeams = teamsIn.get(site.district) ?? [];
      // A third of what residents ask is for a department (and everything, where no team serves).
      const ask = !localTeams.length || r() < 0.3 ? pick(r, FORWARDED) : null;
      const category = ask ? ask.category : pick(r, CATS, CAT_WEIGHTS);
      const nature = ask ? ask.nature : natureOf(category);
      const dept = ask ? deptFor(site, ask.depts) : null;
      if (ask && !dept) continue;
      const team = localTeams.length ? (localTeams.find((t) => t.category === category && r() < 0.8) ?? pick(r, localTeams)) : null;
      const requester = requesterAt(site);
      const created = now - daysAgo * DAY + Math.floor((8 + r() * 11) * 3_600_000);
      const urgent = r() < 0.15;
      const due = created + (urgent ? 2 : 24) * 3_600_000;
      const id = newId();
      const x = r();
      const flow = ask
        ? x < 0.9
          ? 'forwarded'
          : 'cancelled'
        : x < 0.66
          ? 'rated'
          : x < 0.74
            ? 'late'
            : x < 0.8
              ? 'completed'
              : x < 0.93
                ? 'cancelled'
                : 'rejected';
      const dispatched = created + (10 + r() * 80) * 60_000;
      const accepted = flow === 'late' ? due + (1 + r() * 10) * 3_600_000 : dispatched + (5 + r() * (urgent ? 60 : 240)) * 60_000;
      const started = accepted + (1 + r() * 20) * 3_600_000;
      const completed = started + (1 + r() * 3) * 3_600_000;
      const t = { created, dispatched, accepted, started, completed, rated: completed + r() * DAY };
      const score = pick(r, [5, 4, 3, 2], [62, 26, 8, 4]);
      const hours = Math.round((1 + r() * 3) * 2) / 2;
      const ev = (action: string, from: string | null, to: string, at: number, data: unknown = null, note: string | null = null, actor: string | null = null) =>
        events.push([site.city_code, newId(), id, new Date(at), actor, action, from, to, note, data ? JSON.stringify(data) : null]);
      ev('submit', null, 'submitted', created, null, null, requester);
      let state: string;
      const o: Record<string, unknown> = {
        team: null,
        dept: null,
        reply: null,
        rejectReason: null,
        dispatched: null,
        accepted: null,
        acknowledged: null,
        started: null,
        completed: null,
        forwarded: null,
        resolved: null,
        closed: null,
        rating: null,
        rated: null,
        hours: null,
      };
      if (flow === 'cancelled') {
        const at = created + r() * 3_600_000 * 6;
        ev('cancel', 'submitted', 'cancelled', at, null, '问题已自行解决', requester);
        state = 'cancelled';
        o.closed = new Date(at);
      } else if (flow === 'rejected') {
        const reason = '不属于志愿服务范围，已电话告知居民办理渠道';
        ev('reject', 'submitted', 'rejected', t.dispatched, null, reason);
        state = 'rejected';
        Object.assign(o, { closed: new Date(t.dispatched), rejectReason: reason });
      } else if (flow === 'forwarded') {
        // 转办 → 签收 → 答复 → 评价: the department of the site's district (or city) answers.
        const reply = replyOf(dept!.name);
        const ack = t.dispatched + (1 + r() * 6) * 3_600_000;
        const resolved = t.completed + DAY;
        ev('forward', 'submitted', 'forwarded', t.dispatched, { departmentId: dept!.id, departmentName: dept!.name }, '请核实处理');
        ev('acknowledge', 'forwarded', 'acknowledged', ack);
        ev('resolve', 'acknowledged', 'resolved', resolved, null, reply);
        ev('rate', 'resolved', 'rated', t.rated + DAY, { score }, null, requester);
        state = 'rated';
        Object.assign(o, {
          dept: dept!.id,
          reply,
          forwarded: new Date(t.dispatched),
          acknowledged: new Date(ack),
          resolved: new Date(resolved),
          rating: score,
          rated: new Date(t.rated + DAY),
          closed: new Date(t.rated + DAY),
        });
      } else {
        const server = pick(r, team!.members);
        ev('dispatch', 'submitted', 'dispatched', t.dispatched, { teamId: team!.id });
        ev('accept', 'dispatched', 'accepted', t.accepted);
        ev('start', 'accepted', 'in_service', t.started);
        ev('complete', 'in_service', 'completed', t.completed);
        state = 'completed';
        Object.assign(o, {
          team: team!.id,
          dispatched: new Date(t.dispatched),
          accepted: new Date(t.accepted),
          started: new Date(t.started),
          completed: new Date(t.completed),
          hours,
        });
        if (flow !== 'completed') {
          ev('rate', 'completed', 'rated', t.rated, { score }, null, requester);
          state = 'rated';
          Object.assign(o, { rating: score, rated: new Date(t.rated), closed: new Date(t.rated) });
        }
        addRecord(site.city_code, server, site.id, team!.id, 'order', id, hours, t.started, t.completed, t.completed + DAY / 2);
      }
      seq++;
      const code = `H${new Date(created + 8 * 3_600_000).toISOString().slice(2, 10).replace(/-/g, '')}${String(seq).padStart(5, '0')}`;
      orders.push([
        site.city_code,
        id,
        code,
        site.id,
        site.id,
        requester,
        ask ? ask.content : pick(r, CONTENT[category]!),
        category,
        nature,
        urgent ? 'urgent' : 'normal',
        JSON.stringify({ category, nature, urgency: urgent ? 'urgent' : 'normal', confidence: 0.9, lowConfidence: false }),
        state,
        o.team,
        o.dept,
        new Date(due),
        new Date(due),
        o.dispatched,
        o.accepted,
        o.started,
        o.completed,
        o.forwarded,
        o.acknowledged,
        o.resolved,
        o.closed,
        o.reply,
        o.rejectReason,
        o.hours,
        o.rating,
        o.rated,
        new Date(created),
        new Date(Math.min(now - DAY, (o.closed as Date | null)?.getTime() ?? created)),
      ]);
    }
  }
  // Finished activities, a few a week per district, with their attendees' hours.
  const activities: unknown[][] = [];
  for (let daysAgo = days; daysAgo >= 2; daysAgo -= 1) {
    if (r() < 0.45) continue;
    // Held where volunteers live, by volunteers of that district.
    if (!activeSites.length) break;
    const site = pick(
      r,
      activeSites,
      activeSites.map((s) => busy.get(s.district) ?? 1),
    );
    const category = pick(r, CATS, [10, 16, 8, 14, 10, 8, 18, 16]);
    const starts = now - daysAgo * DAY + Math.floor((9 + r() * 8) * 3_600_000);
    const dur = (2 + Math.floor(r() * 2)) * 3_600_000;
    const id = newId();
    const title = pick(r, ACTIVITY_TITLES[category]!);
    const localVols = volsIn.get(site.district) ?? [];
    const n = Math.min(localVols.length, 3 + Math.floor(r() * 6));
    const chosen = new Set<string>();
    while (chosen.size < n) chosen.add(pick(r, localVols).id);
    // 活动风采: the activities of every other day of the last two months have a published report
    // (chosen without drawing, so the random sequence the rest of the history uses stays the same).
    const reported = daysAgo <= 60 && daysAgo % 2 === 0;
    const summary = reported ? `${n} 名志愿者参加了“${title}”。${REPORT_LINES[category]!}感谢志愿者们的辛勤付出，也欢迎更多居民下次一起参加。` : null;
    activities.push([
      site.city_code,
      id,
      site.id,
      title,
      category,
      new Date(starts),
      new Date(starts + dur),
      new Date(starts),
      30,
      'finished',
      creator,
      new Date(starts - 7 * DAY),
      new Date(starts - 7 * DAY),
      new Date(starts + dur),
      summary,
      reported ? new Date(starts + dur + DAY) : null,
    ]);
    for (const v of chosen) addRecord(site.city_code, v, site.id, null, 'activity', id, dur / 3_600_000, starts, starts + dur, starts + dur + DAY);
  }

  const insert = async (table: string, cols: string, rows: unknown[][], casts: string[] = []) => {
    const CHUNK = 300;
    for (let i = 0; i < rows.length; i += CHUNK) {
      const part = rows.slice(i, i + CHUNK);
      const width = part[0]!.length;
      const values = part.map((_, j) => `(${Array.from({ length: width }, (_, c) => `$${j * width + c + 1}${casts[c] ?? ''}`).join(', ')})`).join(', ');
      await q(`INSERT INTO ${table} (${cols}) VALUES ${values}`, part.flat());
    }
  };
  // The residents who asked, of the communities they asked at, registered before the history began.
  if (newResidents.length)
    await insert('users', 'id, phone, name, password_hash, home_city_code, home_org_id, created_at', newResidents, ['', '', '', '', '', '', '']);
  await insert(
    'orders',
    'city_code, id, code, org_id, handling_org_id, requester_id, content, category, nature, urgency, triage, state, assignee_team_id, department_id, accept_due_at, first_accept_due_at, dispatched_at, accepted_at, started_at, completed_at, forwarded_at, acknowledged_at, resolved_at, closed_at, reply, reject_reason, hours, rating, rated_at, created_at, updated_at',
    orders,
    ['', '', '', '', '', '', '', '', '', '', '::jsonb'],
  );
  await insert('order_events', 'city_code, id, order_id, at, actor_id, action, from_state, to_state, note, data', events, [
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '::jsonb',
  ]);
  await insert(
    'activities',
    'city_code, id, org_id, title, category, starts_at, ends_at, signup_deadline, volunteer_quota, state, created_by, created_at, published_at, finished_at, summary, report_published_at',
    activities,
  );
  await insert(
    'service_records',
    'city_code, id, volunteer_id, org_id, team_id, source_type, source_id, hours, started_at, ended_at, status, decided_at, created_at',
    records,
  );
  for (const [key, h] of hoursOf) {
    const [city, vol] = key.split(':') as [string, string];
    await q('UPDATE volunteers SET total_hours = total_hours + $3 WHERE city_code = $1 AND id = $2', [city, vol, Math.round(h * 10) / 10]);
  }
  // Points for the verified hours, through the earning rules as verification would credit them
  // (one ledger row per record, the balance moved with it), so the love supermarket has customers.
  const earning = createPointsEarning({ points: createPointsRepository(database.db) });
  const owners = new Map((await q<{ id: string; user_id: string }>('SELECT id::text, user_id::text FROM volunteers')).map((v) => [v.id, v.user_id]));
  const paths = new Map(
    (await q<{ id: string; path: string }>("SELECT id::text, path::text FROM orgs WHERE level IN ('institute', 'station')")).map((o) => [o.id, o.path]),
  );
  for (let i = 0; i < records.length; i += 200) {
    await database.db.transaction(async (tx) => {
      for (const [city, id, vol, org, , type, src, hours] of records.slice(i, i + 200) as [
        string,
        string,
        string,
        string,
        string | null,
        'order' | 'activity',
        string,
        number,
      ][]) {
        const userId = owners.get(vol);
        const orgPath = paths.get(org);
        if (!userId || !orgPath) continue;
        await earning.onRecordVerified(tx, {
          cityCode: city,
          id,
          orgId: org,
          orgPath,
          volunteerUserId: userId,
          sourceType: type,
          sourceId: src,
          hours,
          title: null,
        });
      }
    });
  }
  // The demo volunteers reported in over the year, not all today. The time is computed from a
  // parameter with immutable functions only: Citus refuses now() and timestamptz arithmetic
  // (STABLE) beside a column in an UPDATE (docs/scale-out.md).
  await q(`UPDATE volunteers SET created_at = to_timestamp($1::float8 - 86400 * ((abs(hashtext(id::text)) % 330) + 3))`, [now / 1000]);
  log(`演示历史数据（仅演示）：${orders.length} 个工单（${residentSeq} 位居民）、${activities.length} 场活动、${records.length} 条服务记录`);
}
