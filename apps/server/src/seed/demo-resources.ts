import { localTime, zonedInstant, type OpenHours } from '@wenming/domain';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import { newId } from '../lib/ids.ts';
import type { RequestCtx } from '../lib/policy.ts';
import { createModules } from '../modules/index.ts';

const TZ = 'Asia/Shanghai';
const every = (days: number[], periods: [string, string][]): OpenHours[] =>
  days.flatMap((weekday) => periods.map(([open, close]) => ({ weekday, open, close })));
const ALL_WEEK = [1, 2, 3, 4, 5, 6, 7];
const WORKDAYS = [1, 2, 3, 4, 5];
/** Mornings and afternoons-into-evenings, with a lunch break (the usual hours of a station). */
const STATION_HOURS = every(ALL_WEEK, [
  ['08:30', '11:30'],
  ['14:30', '21:00'],
]);
const OFFICE_HOURS = every(WORKDAYS, [
  ['09:00', '12:00'],
  ['14:00', '17:30'],
]);

interface Spec {
  region: string;
  name: string;
  type: string;
  capacity?: number;
  quantity?: number;
  bookable?: boolean;
  requiresApproval?: boolean;
  openHours: OpenHours[];
  slotMinutes?: number;
  maxDaysAhead?: number;
  maxPerWeek?: number;
  description: string;
  address?: string;
  closed?: 'maintenance';
}

/** The resources of the demo sites, of all five categories (rooms, bases, facilities, people, equipment). */
const RESOURCES: Spec[] = [
  // 晋源区新城社区 — the community of the demo resident 孙桂兰 (李大爷 lives in 小店区永康北路社区).
  {
    region: '140110003002',
    name: '舞蹈室',
    type: 'dance_room',
    capacity: 30,
    openHours: STATION_HOURS,
    maxPerWeek: 3,
    description: '实木地板、整面镜墙和音响，适合广场舞、健身操、太极拳排练。请穿软底鞋进入，用后关灯锁门。',
    address: '新城社区党群服务中心二楼',
    closed: 'maintenance',
  },
  {
    region: '140110003002',
    name: '多功能活动室',
    type: 'activity_room',
    capacity: 40,
    requiresApproval: false,
    openHours: STATION_HOURS,
    maxPerWeek: 5,
    description: '桌椅可拼可移，有投影和白板，适合居民议事会、读书会、兴趣小组活动。',
    address: '新城社区党群服务中心一楼',
  },
  {
    region: '140110003002',
    name: '棋牌室',
    type: 'chess_room',
    capacity: 16,
    requiresApproval: false,
    openHours: STATION_HOURS,
    slotMinutes: 120,
    description: '四张棋牌桌，象棋、围棋、扑克齐全。禁止吸烟，禁止赌博。',
    address: '新城社区党群服务中心一楼',
  },
  // 晋源街道实践所 — the institute above it: a hall and equipment to lend.
  {
    region: '140110003',
    name: '宣讲厅',
    type: 'lecture_hall',
    capacity: 120,
    openHours: OFFICE_HOURS,
    slotMinutes: 60,
    maxDaysAhead: 45,
    description: '120个座位，配LED屏、话筒和录播设备，用于理论宣讲、政策解读和专题讲座。',
  },
  {
    region: '140110003',
    name: '便携音响',
    type: 'sound_system',
    quantity: 4,
    openHours: every(ALL_WEEK, [['08:00', '20:00']]),
    slotMinutes: 60,
    maxPerWeek: 2,
    description: '拉杆式便携音响，含两支无线话筒，续航约6小时。借用当天到所里领取，用后归还。',
  },
  {
    region: '140110003',
    name: '活动帐篷',
    type: 'tent',
    quantity: 10,
    openHours: every(ALL_WEEK, [['08:00', '20:00']]),
    slotMinutes: 60,
    description: '3米×3米折叠帐篷，用于广场义诊、志愿服务摊位。每顶约25公斤，请安排两人搬运。',
  },
  // 小店区中心.
  {
    region: '140105',
    name: '红色影院',
    type: 'red_cinema',
    capacity: 100,
    openHours: every(ALL_WEEK, [
      ['09:00', '12:00'],
      ['14:00', '21:00'],
    ]),
    slotMinutes: 120,
    maxDaysAhead: 30,
    description: '100个座位，放映《建党伟业》《长津湖》等红色影片，可预约专场观影和党日活动。',
  },
  {
    region: '140105',
    name: '区图书馆阅览室',
    type: 'library',
    capacity: 60,
    requiresApproval: false,
    openHours: every([2, 3, 4, 5, 6, 7], [['09:00', '17:00']]),
    description: '藏书5000余册，设少儿阅读区和老年大字书专架，可预约集体阅读和读书分享会。',
  },
  {
    region: '140105',
    name: '理论宣讲员 王老师',
    type: 'lecturer',
    capacity: 200,
    openHours: OFFICE_HOURS,
    slotMinutes: 90,
    maxDaysAhead: 60,
    description: '区委党校退休教师，擅长党史、二十大精神、基层治理专题宣讲，可进社区、进学校、进企业。',
  },
  {
    region: '140105',
    name: '法律顾问 李律师',
    type: 'lawyer',
    capacity: 10,
    openHours: every([2, 4], [['14:00', '17:00']]),
    slotMinutes: 30,
    description: '婚姻家庭、劳动争议、房屋租赁方面的法律咨询，每周二、周四下午坐班。',
  },
  {
    region: '140105',
    name: '心理咨询师 赵老师',
    type: 'psychologist',
    capacity: 4,
    openHours: every([3, 6], [['09:00', '12:00']]),
    slotMinutes: 60,
    maxPerWeek: 1,
    description: '国家二级心理咨询师，面向青少年、老年人和家庭提供一对一心理疏导。',
  },
  {
    region: '140105',
    name: '投影仪',
    type: 'projector',
    quantity: 3,
    openHours: every(ALL_WEEK, [['08:00', '20:00']]),
    description: '便携投影仪含幕布和HDMI线，适合社区讲座、电影放映。',
  },
  {
    region: '140105',
    name: '折叠桌椅',
    type: 'tables_chairs',
    quantity: 50,
    requiresApproval: false,
    openHours: every(ALL_WEEK, [['08:00', '20:00']]),
    description: '折叠桌椅成套出借（一桌四椅为一套），用于户外活动和志愿服务站点。',
  },
  // 永康北路社区 (小店街道).
  {
    region: '140105006004',
    name: '舞蹈室',
    type: 'dance_room',
    capacity: 25,
    openHours: STATION_HOURS,
    maxPerWeek: 3,
    description: '社区文艺队排练场地，配镜墙和音响。',
  },
  {
    region: '140105006004',
    name: '居民议事厅',
    type: 'meeting_room',
    capacity: 30,
    openHours: STATION_HOURS,
    description: '居民议事、楼栋长会议和志愿者培训。',
  },
  // 小井峪街道实践所.
  {
    region: '140109011',
    name: '心理咨询室',
    type: 'counseling_room',
    capacity: 4,
    openHours: OFFICE_HOURS,
    slotMinutes: 60,
    description: '独立安静的咨询空间，周三、周五有心理咨询师值班。',
  },
  {
    region: '140109011',
    name: '法律服务室',
    type: 'legal_room',
    capacity: 8,
    openHours: OFFICE_HOURS,
    slotMinutes: 30,
    description: '法律援助和人民调解，街道法律服务队轮值。',
  },
  // 平城区 (大同).
  {
    region: '140213',
    name: '红色记忆厅',
    type: 'red_memory_hall',
    capacity: 50,
    openHours: every([2, 3, 4, 5, 6, 7], [['09:00', '16:30']]),
    slotMinutes: 90,
    description: '展陈大同革命史料和老物件，可预约讲解员带领参观。',
  },
  {
    region: '140213052007',
    name: '文艺舞台',
    type: 'stage',
    capacity: 200,
    openHours: every(ALL_WEEK, [['08:00', '21:30']]),
    slotMinutes: 120,
    description: '社区广场露天舞台，文博苑社区文艺志愿服务队常在此演出。',
  },
  {
    region: '140213052007',
    name: '健身步道',
    type: 'fitness_path',
    bookable: false,
    openHours: every(ALL_WEEK, [['06:00', '22:00']]),
    description: '环社区健身步道1.2公里，全天开放，无需预约。',
  },
];

/** The local date `n` days from `from`. */
const dayAfter = (from: Date, n: number) => localTime(new Date(from.getTime() + n * 86_400_000), TZ).date;
const at = (date: string, hhmm: string) => zonedInstant(date, Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5)), TZ);

/**
 * The resource library of the demo, through the real use cases: resources at the sites the demo
 * accounts work at, a few bookings waiting for approval or approved, and some used and rated.
 */
export async function seedDemoResources(database: Database, config: Config, log: (m: string) => void) {
  const modules = createModules({ config, database });
  const svc = modules.resources;
  const userId = async (phone: string) => (await database.raw.query<{ id: string }>('SELECT id FROM users WHERE phone = $1', [phone]))[0]?.id;
  const ctxOf = async (id: string): Promise<RequestCtx> => ({ actor: await modules.auth.actorOf(id), ip: '127.0.0.1', requestId: 'seed' });
  const adminId = (await database.raw.query<{ id: string }>('SELECT id FROM users WHERE is_admin ORDER BY created_at LIMIT 1'))[0]?.id;
  // The seed acts as the super admin (or, on a database without one, as the platform itself).
  const admin: RequestCtx = adminId
    ? await ctxOf(adminId)
    : { actor: { userId: newId(), name: '系统', phone: '', isAdmin: true, grants: [] }, ip: '127.0.0.1', requestId: 'seed' };
  const now = new Date();
  const maintenance = dayAfter(now, 12);

  const ids = new Map<string, string>();
  for (const r of RESOURCES) {
    const org = (await database.raw.query<{ id: string }>('SELECT id FROM orgs WHERE region_code = $1', [r.region]))[0];
    if (!org) continue;
    const created = await svc.create(admin, {
      orgId: org.id,
      name: r.name,
      type: r.type,
      capacity: r.capacity,
      quantity: r.quantity,
      bookable: r.bookable ?? true,
      requiresApproval: r.requiresApproval ?? true,
      openHours: r.openHours,
      closedDates: r.closed === 'maintenance' ? [maintenance] : [],
      slotMinutes: r.slotMinutes,
      maxDaysAhead: r.maxDaysAhead,
      maxPerWeek: r.maxPerWeek,
      description: r.description,
      address: r.address,
    });
    ids.set(`${r.region}/${r.name}`, created.id);
  }

  // Bookings: a week of life at 新城社区 and 永康北路社区.
  // 新城社区's rooms are booked by its own resident; 李大爷 lives in 永康北路社区 (小店区).
  const resident = await userId('13900000016');
  const volunteer = await userId('13900000007');
  const leader = await userId('13900000006');
  let bookings = 0;
  const book = async (
    who: string | undefined,
    key: string,
    dayOffset: number,
    from: string,
    to: string,
    purpose: string,
    extra: { attendees?: number; quantity?: number } = {},
  ) => {
    const id = ids.get(key);
    if (!who || !id) return null;
    // The first day the resource is open at that time, from dayOffset on.
    for (let d = dayOffset; d < dayOffset + 7; d++) {
      const date = dayAfter(now, d);
      try {
        const b = await svc.book(await ctxOf(who), id, { startsAt: at(date, from).toISOString(), endsAt: at(date, to).toISOString(), purpose, ...extra });
        bookings++;
        return b;
      } catch {
        /* closed that day: try the next */
      }
    }
    return null;
  };
  const dance = '140110003002/舞蹈室';
  await book(resident, dance, 2, '09:00', '10:30', '社区广场舞队排练', { attendees: 18 });
  await book(leader, dance, 3, '19:00', '20:30', '健身操教学', { attendees: 12 });
  await book(resident, '140110003002/多功能活动室', 1, '15:00', '17:00', '老年读书会', { attendees: 15 });
  await book(volunteer, '140105006004/舞蹈室', 2, '15:00', '16:30', '社区文艺队排练迎新春节目', { attendees: 20 });
  await book(volunteer, '140105006004/居民议事厅', 4, '09:00', '10:00', '楼栋长例会', { attendees: 12 });
  await book(leader, '140105/红色影院', 5, '14:00', '16:00', '医疗健身服务队党日观影', { attendees: 40 });
  await book(leader, '140110003/便携音响', 3, '08:00', '12:00', '广场义诊宣传', { quantity: 2 });
  const approvedLoan = await book(volunteer, '140105/投影仪', 2, '14:00', '17:00', '智能手机教学课件放映', { quantity: 1 });
  if (approvedLoan) await svc.approve(admin, approvedLoan.id);

  // Used and rated ones, and a no-show: booked ahead, then their days passed.
  const past = async (
    who: string | undefined,
    key: string,
    daysAgo: number,
    from: string,
    to: string,
    purpose: string,
    outcome: 'completed' | 'no_show',
    score?: number,
  ) => {
    const b = await book(who, key, 1, from, to, purpose, { attendees: 10 });
    if (!b || !who) return;
    if (b.status === 'pending') await svc.approve(admin, b.id);
    const shift = (Math.round((Date.parse(b.startsAt) - now.getTime()) / 86_400_000) + daysAgo) * 86_400_000;
    // The new times as parameters: Citus refuses timestamptz arithmetic (STABLE) on a column in an UPDATE.
    const startsAt = new Date(Date.parse(b.startsAt) - shift);
    await database.raw.query(
      `UPDATE bookings SET starts_at = $2, ends_at = $3,
         status = $4, checked_in_at = CASE WHEN $4 = 'checked_in' THEN $2::timestamptz ELSE NULL END WHERE id = $1`,
      [b.id, startsAt, new Date(Date.parse(b.endsAt) - shift), outcome === 'completed' ? 'checked_in' : 'approved'],
    );
    await svc.closeEnded();
    if (outcome === 'completed' && score)
      await svc.review(await ctxOf(who), b.id, { score, comment: score >= 5 ? '场地干净，音响好用，管理员很热情' : '整体不错，空调有点小' });
  };
  await past(resident, dance, 3, '09:00', '10:30', '广场舞排练', 'completed', 5);
  await past(leader, dance, 5, '19:00', '20:30', '健身操教学', 'completed', 4);
  await past(resident, '140110003002/多功能活动室', 4, '15:00', '17:00', '老年读书会', 'completed', 5);
  await past(volunteer, '140105006004/舞蹈室', 6, '15:00', '16:30', '文艺队排练', 'no_show');
  await modules.close();
  log(`演示资源 ${ids.size} 项，预约 ${bookings} 条`);
  return { resources: ids.size, bookings };
}
