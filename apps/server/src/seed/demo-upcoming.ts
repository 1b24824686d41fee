import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import { users } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';
import type { RequestCtx } from '../lib/policy.ts';
import { createModules } from '../modules/index.ts';
import { GIVEN_NAMES, SURNAMES } from './names.ts';

/**
 * The demo's days around "now" (issue 19): activities of the last ten days that were held (sign-
 * ups, attendance, hours, ratings and a published report) and of the coming two weeks (published,
 * with sign-ups of volunteers and residents, so sign-up and check-in can be tried), at the sites
 * where the demo's volunteers report in; residents of those communities; and the love
 * supermarkets of the demo districts stocked. Everything goes through the real use cases, on a
 * clock moved to when each step would have happened.
 */

const DAY = 24 * 3600_000;

/** An instant at a China wall-clock time, `days` after `now`'s China date. */
export function chinaAt(now: Date, days: number, hh: number, mm = 0): Date {
  const china = new Date(now.getTime() + 8 * 3600_000);
  const midnightUtc = Date.UTC(china.getUTCFullYear(), china.getUTCMonth(), china.getUTCDate()) - 8 * 3600_000;
  return new Date(midnightUtc + days * DAY + (hh * 60 + mm) * 60_000);
}

interface Plan {
  title: string;
  category: string;
  hh: number;
  mm: number;
  hours: number;
  description: string;
  place: string;
}

/** What stations hold, by service category (the category codes of the catalogue). */
const PLANS: Plan[] = [
  {
    title: '义诊进社区：量血压、测血糖',
    category: 'health',
    hh: 9,
    mm: 0,
    hours: 3,
    description: '社区卫生服务中心医生坐诊，为老年人免费测量血压、血糖，讲解慢病用药。',
    place: '社区广场',
  },
  {
    title: '理论政策宣讲：养老服务新政解读',
    category: 'theory',
    hh: 14,
    mm: 30,
    hours: 2,
    description: '宣讲员解读居家养老服务补贴、高龄津贴申领办法，现场答疑。',
    place: '新时代文明实践站活动室',
  },
  {
    title: '垃圾分类我先行：楼道清洁日',
    category: 'environment',
    hh: 9,
    mm: 30,
    hours: 2.5,
    description: '志愿者与居民一起清理楼道杂物，讲解垃圾分类投放要点。',
    place: '小区东门集合',
  },
  {
    title: '法律明白人：防诈骗讲座',
    category: 'legal',
    hh: 15,
    mm: 0,
    hours: 1.5,
    description: '派出所民警和律师志愿者讲解常见电信诈骗手法，帮助老人识别骗局。',
    place: '新时代文明实践站多功能厅',
  },
  {
    title: '科普大篷车：智能手机课堂',
    category: 'science',
    hh: 9,
    mm: 0,
    hours: 2,
    description: '手把手教老年人使用健康码、视频通话和线上缴费。',
    place: '新时代文明实践站活动室',
  },
  {
    title: '邻里文艺汇：广场舞与戏曲展演',
    category: 'culture',
    hh: 19,
    mm: 0,
    hours: 2,
    description: '社区文艺队展演晋剧选段和广场舞，欢迎居民报名参加。',
    place: '社区广场',
  },
  {
    title: '困难家庭走访慰问',
    category: 'poverty',
    hh: 10,
    mm: 0,
    hours: 3,
    description: '为社区困难家庭和独居老人送去米面油，了解生活需求。',
    place: '新时代文明实践站集合',
  },
  {
    title: '四点半课堂：作业辅导',
    category: 'education',
    hh: 16,
    mm: 30,
    hours: 2,
    description: '大学生志愿者为双职工家庭的孩子辅导作业、开展阅读活动。',
    place: '新时代文明实践站书屋',
  },
];

const REWARDS = [
  { name: '洗衣液（2kg）', cost: 120, stock: 30, perUserLimit: 2, description: '日化用品，凭兑换码到站点领取。' },
  { name: '大米（5kg）', cost: 300, stock: 20, perUserLimit: 1, description: '本地新米，每人每月限兑一袋。' },
  { name: '食用油（1.8L）', cost: 260, stock: 20, perUserLimit: 1, description: '非转基因压榨花生油。' },
  { name: '纯棉毛巾（两条装）', cost: 50, stock: 60, perUserLimit: 3, description: '' },
  { name: '折叠雨伞', cost: 150, stock: 25, perUserLimit: 1, description: '印有“志愿太原”字样。' },
  { name: '不锈钢保温杯', cost: 200, stock: 15, perUserLimit: 1, description: '' },
  { name: '理发服务券', cost: 80, stock: 50, perUserLimit: 2, description: '可在社区便民理发点使用一次。' },
];

interface Site {
  city_code: string;
  id: string;
  name: string;
  address: string | null;
  lat: number | null;
  lng: number | null;
}

export async function seedDemoUpcoming(
  database: Database,
  config: Config,
  log: (m: string) => void,
  opts: { now?: () => Date; sites?: number } = {},
): Promise<{ upcoming: number; past: number; signups: number; residents: number; rewards: number }> {
  const realNow = (opts.now ?? (() => new Date()))();
  let t = realNow;
  const modules = createModules({ config, database, clock: () => t });
  const q = database.raw.query.bind(database.raw);
  const [adminRow] = await q<{ id: string }>('SELECT id FROM users WHERE is_admin ORDER BY created_at LIMIT 1');
  const [residentRow] = await q<{ id: string; password_hash: string }>("SELECT id, password_hash FROM users WHERE phone = '13900000010'");
  if (!residentRow) return { upcoming: 0, past: 0, signups: 0, residents: 0, rewards: 0 };
  const ctxFor = async (userId: string): Promise<RequestCtx> => ({ actor: await modules.auth.actorOf(userId), ip: '127.0.0.1', requestId: 'seed' });
  // The seed acts as the super admin (or, on a database without one, as the platform itself).
  const admin: RequestCtx = adminRow
    ? await ctxFor(adminRow.id)
    : { actor: { userId: newId(), name: '系统', phone: '', isAdmin: true, grants: [] }, ip: '127.0.0.1', requestId: 'seed' };
  const categories = new Set((await q<{ code: string }>('SELECT code FROM categories')).map((c) => c.code));

  // The sites where the demo's volunteers report in, most volunteers first.
  const sites = await q<Site & { n: number }>(
    `SELECT o.city_code, o.id::text, o.name, o.address, o.lat, o.lng, count(*)::int AS n
     FROM volunteers v JOIN orgs o ON o.city_code = v.city_code AND o.id = v.org_id
     WHERE v.status = 'active' AND o.level IN ('station', 'institute')
     GROUP BY o.city_code, o.id, o.name, o.address, o.lat, o.lng ORDER BY n DESC, o.name LIMIT ${opts.sites ?? 8}`,
  );
  const volunteersAt = async (s: Site) =>
    q<{ user_id: string }>("SELECT user_id::text FROM volunteers WHERE city_code = $1 AND org_id = $2 AND status = 'active' ORDER BY created_at", [
      s.city_code,
      s.id,
    ]);

  // Residents of those communities: accounts with the demo password (the resident 李大爷's).
  let residentSeq = 0;
  const residentsOf = new Map<string, string[]>();
  for (const s of sites) {
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      residentSeq++;
      const id = newId();
      const name = `${SURNAMES[(residentSeq * 7) % SURNAMES.length]}${GIVEN_NAMES[(residentSeq * 11) % GIVEN_NAMES.length]}`;
      const phone = `1370000${String(residentSeq).padStart(4, '0')}`;
      const [row] = await database.db
        .insert(users)
        .values({ id, phone, name, passwordHash: residentRow.password_hash, homeCityCode: s.city_code, homeOrgId: s.id })
        .onConflictDoNothing()
        .returning({ id: users.id });
      if (row) ids.push(row.id);
    }
    residentsOf.set(s.id, ids);
  }

  let upcoming = 0;
  let past = 0;
  let signups = 0;
  const signUp = async (userId: string, activityId: string, role: 'volunteer' | 'resident') => {
    try {
      const s = await modules.activities.signup(await ctxFor(userId), activityId, role);
      signups++;
      return s;
    } catch {
      return null; // full, or not eligible: as in life
    }
  };

  for (const [i, s] of sites.entries()) {
    const vols = (await volunteersAt(s)).map((v) => v.user_id);
    const residents = residentsOf.get(s.id) ?? [];
    const plans = PLANS.filter((p) => categories.has(p.category));
    const where = (p: Plan) => `${s.name.replace(/新时代文明实践(站|所)$/, '')}${p.place}`;
    const body = (p: Plan, startsAt: Date, volunteerQuota: number, publicQuota: number) => ({
      orgId: s.id,
      title: p.title,
      category: p.category,
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + p.hours * 3600_000).toISOString(),
      volunteerQuota,
      publicQuota,
      description: p.description,
      address: s.address ? `${s.address}（${p.place}）` : where(p),
      ...(s.lat !== null && s.lng !== null ? { lat: s.lat, lng: s.lng, geofenceM: 500 } : {}),
    });

    // Held in the last ten days: signed up a week before, attended, finished, rated, reported.
    {
      const p = plans[(i * 3 + 1) % plans.length]!;
      const startsAt = chinaAt(realNow, -(2 + ((i * 3) % 8)), p.hh, p.mm);
      t = new Date(startsAt.getTime() - 7 * DAY);
      const a = (await modules.activities.create(admin, body(p, startsAt, 8, 20))) as { id: string };
      await modules.activities.publish(admin, a.id, {});
      const came: { userId: string; signupId: string }[] = [];
      for (const [k, userId] of [
        ...vols.slice(0, 6).map((u) => [u, 'volunteer'] as const),
        ...residents.slice(0, 8).map((u) => [u, 'resident'] as const),
      ].entries()) {
        t = new Date(startsAt.getTime() - (6 - (k % 5)) * DAY);
        const su = await signUp(userId[0], a.id, userId[1]);
        if (su && userId[1] === 'volunteer') came.push({ userId: userId[0], signupId: su.id });
      }
      t = new Date(startsAt.getTime() + p.hours * 3600_000 + 30 * 60_000);
      for (const [k, c] of came.entries()) {
        // One volunteer of six did not come; the others signed the sheet at the door.
        if (k === came.length - 1 && came.length > 2) continue;
        await modules.activities.attendance(admin, a.id, {
          signupId: c.signupId,
          checkinAt: new Date(startsAt.getTime() - 10 * 60_000 + k * 60_000).toISOString(),
          checkoutAt: new Date(startsAt.getTime() + p.hours * 3600_000).toISOString(),
          reason: '按现场签到表登记',
        });
      }
      t = new Date(startsAt.getTime() + p.hours * 3600_000 + 2 * 3600_000);
      await modules.activities.finish(admin, a.id, {});
      for (const [k, c] of came.slice(0, -1).entries()) {
        t = new Date(startsAt.getTime() + p.hours * 3600_000 + (3 + k) * 3600_000);
        await modules.activities
          .rate(await ctxFor(c.userId), a.id, {
            score: k % 4 === 3 ? 4 : 5,
            comment: ['组织有序，居民反响很好', '时间安排合理', '希望多办几次', ''][k % 4] || undefined,
          })
          .catch(() => undefined);
      }
      t = new Date(startsAt.getTime() + DAY);
      await modules.activities.report(admin, a.id, {
        summary: `${p.title}在${where(p)}举行，${came.length - (came.length > 2 ? 1 : 0)}名志愿者参与服务，居民踊跃参加。${p.description}`,
      });
      past++;
    }

    // The coming two weeks: two activities per site, published, with sign-ups already in.
    for (let j = 0; j < 2; j++) {
      const p = plans[(i * 2 + j) % plans.length]!;
      const day = 1 + ((i * 5 + j * 6) % 13);
      const startsAt = chinaAt(realNow, day, p.hh, p.mm);
      t = new Date(realNow.getTime() - (j + 1) * DAY);
      const a = (await modules.activities.create(admin, body(p, startsAt, 6 + j * 4, 15 + i))) as { id: string };
      await modules.activities.publish(admin, a.id, {});
      t = realNow;
      for (const userId of vols.slice(j, j + 3)) await signUp(userId, a.id, 'volunteer');
      for (const userId of residents.slice(j * 4, j * 4 + 5)) await signUp(userId, a.id, 'resident');
      upcoming++;
    }
  }
  t = realNow;

  // 爱心超市: every demo district center and the sites above stock the everyday goods points buy.
  const centers = await q<{ city_code: string; id: string }>(
    "SELECT o.city_code, o.id::text FROM orgs o WHERE o.level = 'center' AND o.region_code IN ('140105', '140108', '140109', '140110', '140213') ORDER BY o.region_code",
  );
  let rewards = 0;
  const shops = [...centers, ...sites.slice(0, 4).map((x) => ({ city_code: x.city_code, id: x.id }))];
  for (const [k, org] of shops.entries()) {
    for (const r of REWARDS.filter((_, n) => (n + k) % 3 !== 2)) {
      await q(
        `INSERT INTO rewards (city_code, id, org_id, pickup_org_id, name, description, cost, stock, per_user_monthly_limit, created_at)
         VALUES ($1, $2, $3, $3, $4, $5, $6, $7, $8, $9)`,
        [org.city_code, newId(), org.id, r.name, r.description || null, r.cost, r.stock, r.perUserLimit, new Date(realNow.getTime() - 30 * DAY).toISOString()],
      );
      rewards++;
    }
  }
  // Nobody serves before reporting in: a demo volunteer's registration precedes their first hour of service.
  // In UTC timestamp arithmetic (immutable): Citus refuses timestamptz - interval (STABLE) on a column in an UPDATE.
  for (const city of [...new Set(sites.map((x) => x.city_code))]) {
    await q(
      `UPDATE volunteers v SET created_at = ((f.first AT TIME ZONE 'UTC') - interval '30 days') AT TIME ZONE 'UTC'
       FROM (SELECT city_code, volunteer_id, min(started_at) AS first FROM service_records WHERE city_code = $1 GROUP BY city_code, volunteer_id) f
       WHERE v.city_code = $1 AND f.city_code = v.city_code AND v.id = f.volunteer_id AND f.first < v.created_at`,
      [city],
    );
  }
  log(`演示近期活动：已举办 ${past} 场、未来两周 ${upcoming} 场，报名 ${signups} 人次；社区居民 ${residentSeq} 人；爱心超市商品 ${rewards} 种`);
  return { upcoming, past, signups, residents: residentSeq, rewards };
}
