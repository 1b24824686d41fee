import type { Database } from '../db/client.ts';
import { newId } from '../lib/ids.ts';
import { createPointsRepository } from '../modules/points/points.repository.ts';
import { createPointsEarning } from '../modules/points/points.earning.ts';
import { prng } from './demo-orgs.ts';

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
  const [resident] = await q<{ id: string }>("SELECT id FROM users WHERE phone = '13900000010'");
  const [admin] = await q<{ id: string }>('SELECT user_id AS id FROM role_grants LIMIT 1');
  const creator = admin?.id ?? resident?.id;
  if (!resident || !creator) return;
  const sites = await q<{ city_code: string; id: string; level: string; district: string }>(
    `SELECT city_code, id::text, level, subpath(path, 1, 1)::text AS district FROM orgs WHERE level IN ('institute', 'station') AND lat IS NOT NULL`,
  );
  const teams = await q<{ city_code: string; id: string; category: string; members: string[] }>(
    `SELECT t.city_code, t.id::text, t.category, array_agg(m.volunteer_id::text) AS members
     FROM teams t JOIN team_members m ON m.city_code = t.city_code AND m.team_id = t.id WHERE t.status = 'active' GROUP BY 1, 2, 3`,
  );
  const vols = await q<{ city_code: string; id: string }>(`SELECT city_code, id::text FROM volunteers WHERE status = 'active'`);
  if (!sites.length || !teams.length) return;
  // Districts differ in how busy they are (the map has something to colour).
  const districts = [...new Set(sites.map((s) => s.district))];
  const busy = new Map(districts.map((d) => [d, 0.2 + r() * 1.6]));
  const now = Date.now();
  const DAY = 86_400_000;
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
      const category = pick(r, CATS, CAT_WEIGHTS);
      const cityTeams = teams.filter((t) => t.city_code === site.city_code);
      if (!cityTeams.length) continue;
      const team = cityTeams.find((t) => t.category === category && r() < 0.8) ?? pick(r, cityTeams);
      const server = pick(r, team.members);
      const created = now - daysAgo * DAY + Math.floor((8 + r() * 11) * 3_600_000);
      const urgent = r() < 0.15;
      const due = created + (urgent ? 2 : 24) * 3_600_000;
      const id = newId();
      const x = r();
      const flow = x < 0.66 ? 'rated' : x < 0.74 ? 'late' : x < 0.8 ? 'completed' : x < 0.87 ? 'resolved' : x < 0.93 ? 'cancelled' : 'rejected';
      const dispatched = created + (10 + r() * 80) * 60_000;
      const accepted = flow === 'late' ? due + (1 + r() * 10) * 3_600_000 : dispatched + (5 + r() * (urgent ? 60 : 240)) * 60_000;
      const started = accepted + (1 + r() * 20) * 3_600_000;
      const completed = started + (1 + r() * 3) * 3_600_000;
      const t = { created, dispatched, accepted, started, completed, rated: completed + r() * DAY };
      const score = pick(r, [5, 4, 3, 2], [62, 26, 8, 4]);
      const hours = Math.round((1 + r() * 3) * 2) / 2;
      const ev = (action: string, from: string | null, to: string, at: number, data: unknown = null) =>
        events.push([site.city_code, newId(), id, new Date(at), action, from, to, data ? JSON.stringify(data) : null]);
      ev('submit', null, 'submitted', created);
      let state: string;
      const o: Record<string, unknown> = {
        team: null,
        accepted: null,
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
        ev('cancel', 'submitted', 'cancelled', created + r() * 3_600_000 * 6);
        state = 'cancelled';
        o.closed = new Date(created + 3_600_000);
      } else if (flow === 'rejected') {
        ev('reject', 'submitted', 'rejected', t.dispatched, null);
        state = 'rejected';
        o.closed = new Date(t.dispatched);
      } else if (flow === 'resolved') {
        ev('forward', 'submitted', 'forwarded', t.dispatched);
        ev('resolve', 'forwarded', 'resolved', t.completed + DAY);
        ev('rate', 'resolved', 'rated', t.rated + DAY, { score });
        state = 'rated';
        Object.assign(o, {
          forwarded: new Date(t.dispatched),
          resolved: new Date(t.completed + DAY),
          rating: score,
          rated: new Date(t.rated + DAY),
          closed: new Date(t.rated + DAY),
        });
      } else {
        ev('dispatch', 'submitted', 'dispatched', t.dispatched, { teamId: team.id });
        ev('accept', 'dispatched', 'accepted', t.accepted);
        ev('start', 'accepted', 'in_service', t.started);
        ev('complete', 'in_service', 'completed', t.completed);
        state = 'completed';
        Object.assign(o, { team: team.id, accepted: new Date(t.accepted), started: new Date(t.started), completed: new Date(t.completed), hours });
        if (flow !== 'completed') {
          ev('rate', 'completed', 'rated', t.rated, { score });
          state = 'rated';
          Object.assign(o, { rating: score, rated: new Date(t.rated), closed: new Date(t.rated) });
        }
        addRecord(site.city_code, server, site.id, team.id, 'order', id, hours, t.started, t.completed, t.completed + DAY / 2);
      }
      seq++;
      const code = `H${new Date(created + 8 * 3_600_000).toISOString().slice(2, 10).replace(/-/g, '')}${String(seq).padStart(5, '0')}`;
      orders.push([
        site.city_code,
        id,
        code,
        site.id,
        site.id,
        resident.id,
        pick(r, CONTENT[category]!),
        category,
        'service',
        urgent ? 'urgent' : 'normal',
        JSON.stringify({ category, nature: 'service', urgency: urgent ? 'urgent' : 'normal', confidence: 0.9, lowConfidence: false }),
        state,
        o.team,
        new Date(due),
        new Date(due),
        flow === 'cancelled' || flow === 'rejected' || flow === 'resolved' ? null : new Date(t.dispatched),
        o.accepted,
        o.started,
        o.completed,
        o.forwarded,
        o.resolved,
        o.closed,
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
    const site = pick(
      r,
      sites,
      sites.map((s) => busy.get(s.district) ?? 1),
    );
    const category = pick(r, CATS, [10, 16, 8, 14, 10, 8, 18, 16]);
    const starts = now - daysAgo * DAY + Math.floor((9 + r() * 8) * 3_600_000);
    const dur = (2 + Math.floor(r() * 2)) * 3_600_000;
    const id = newId();
    const title = pick(r, ACTIVITY_TITLES[category]!);
    const cityVols = vols.filter((v) => v.city_code === site.city_code);
    const n = Math.min(cityVols.length, 3 + Math.floor(r() * 6));
    const chosen = new Set<string>();
    while (chosen.size < n) chosen.add(pick(r, cityVols).id);
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
  await insert(
    'orders',
    'city_code, id, code, org_id, handling_org_id, requester_id, content, category, nature, urgency, triage, state, assignee_team_id, accept_due_at, first_accept_due_at, dispatched_at, accepted_at, started_at, completed_at, forwarded_at, resolved_at, closed_at, hours, rating, rated_at, created_at, updated_at',
    orders,
    ['', '', '', '', '', '', '', '', '', '', '::jsonb'],
  );
  await insert('order_events', 'city_code, id, order_id, at, action, from_state, to_state, data', events, ['', '', '', '', '', '', '', '::jsonb']);
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
  log(`演示历史数据（仅演示）：${orders.length} 个工单、${activities.length} 场活动、${records.length} 条服务记录`);
}
