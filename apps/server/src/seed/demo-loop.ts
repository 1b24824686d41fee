import { idNumberCheckChar } from '@wenming/domain';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import { users } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';
import type { RequestCtx } from '../lib/policy.ts';
import { createModules } from '../modules/index.ts';
import { prng } from './demo-orgs.ts';
import { GIVEN_NAMES, SURNAMES, isFemaleName } from './names.ts';

interface TeamSpec {
  region: string;
  name: string;
  tier: 'corps' | 'squad' | 'unit';
  type: 'party' | 'professional' | 'social';
  category: string;
  leader?: { phone: string; name: string };
  size: number;
  skills: string[];
}

/** Teams and programmes the source reports name. */
const TEAMS: TeamSpec[] = [
  { region: '140105', name: '小店区理论宣讲志愿服务总队', tier: 'corps', type: 'party', category: 'theory', size: 4, skills: ['theory'] },
  {
    region: '140105006',
    name: '小店街道医疗健身志愿服务队',
    tier: 'unit',
    type: 'professional',
    category: 'health',
    leader: { phone: '13900000006', name: '周志刚' },
    size: 6,
    skills: ['health'],
  },
  { region: '140105006004', name: '永康北路社区文明劝导队', tier: 'unit', type: 'social', category: 'environment', size: 5, skills: ['environment'] },
  { region: '140105006', name: '小店街道科普与智能手机教学队', tier: 'unit', type: 'social', category: 'science', size: 4, skills: ['science'] },
  { region: '140105006', name: '小店街道法律服务队', tier: 'unit', type: 'professional', category: 'legal', size: 3, skills: ['legal'] },
  { region: '140105006', name: '小店街道助老帮困服务队', tier: 'unit', type: 'party', category: 'poverty', size: 5, skills: ['poverty'] },
  { region: '140108004', name: '尖草坪区“3+1晚霞行动”结对帮扶队', tier: 'unit', type: 'party', category: 'poverty', size: 6, skills: ['poverty', 'health'] },
  { region: '140109011', name: '小井峪街道法律服务队', tier: 'unit', type: 'professional', category: 'legal', size: 3, skills: ['legal'] },
  { region: '140110', name: '“志愿晋源”科普服务队', tier: 'squad', type: 'social', category: 'science', size: 4, skills: ['science'] },
  { region: '140213', name: '平城区“红马甲”志愿服务总队', tier: 'corps', type: 'party', category: 'environment', size: 5, skills: ['environment', 'theory'] },
  { region: '140213052007', name: '文博苑社区文艺志愿服务队', tier: 'unit', type: 'social', category: 'culture', size: 5, skills: ['culture'] },
];

const MENU = [
  {
    region: '140105',
    name: '上门测量血压',
    category: 'health',
    description: '医护志愿者上门为老人测血压、讲解用药',
    urgency: 'normal' as const,
    team: '小店街道医疗健身志愿服务队',
  },
  {
    region: '140105',
    name: '智能手机教学',
    category: 'science',
    description: '手把手教老人视频通话、网上挂号、防诈骗',
    urgency: 'normal' as const,
    team: '小店街道科普与智能手机教学队',
  },
  {
    region: '140105',
    name: '法律咨询',
    category: 'legal',
    description: '律师志愿者解答婚姻家庭、劳务、租房等问题',
    urgency: 'normal' as const,
    team: '小店街道法律服务队',
  },
  {
    region: '140105',
    name: '助老代办',
    category: 'poverty',
    description: '代买菜、代缴费、陪同就医',
    urgency: 'normal' as const,
    team: '小店街道助老帮困服务队',
  },
  {
    region: '140105',
    name: '理论政策宣讲进社区',
    category: 'theory',
    description: '预约宣讲员到社区讲党史、讲政策',
    urgency: 'normal' as const,
    team: '小店区理论宣讲志愿服务总队',
  },
  {
    region: '140213',
    name: '文艺演出进社区',
    category: 'culture',
    description: '红马甲文艺队送戏上门',
    urgency: 'normal' as const,
    team: '文博苑社区文艺志愿服务队',
  },
];

const ORDERS: { content: string; region: string; flow: 'open' | 'dispatched' | 'rated' | 'forwarded' | 'acknowledged' | 'resolved'; score?: number }[] = [
  { content: '我是独居老人，家里楼道的灯坏了好几天，晚上下楼看不见，麻烦派人来看看', region: '140105006004', flow: 'open' },
  { content: '想请医生上门给我老伴量量血压，他腿脚不方便出不了门', region: '140105006004', flow: 'rated', score: 5 },
  { content: '孩子在外地，我不会用手机视频，想找人教教', region: '140105006004', flow: 'rated', score: 4 },
  { content: '小区门口的垃圾堆了一个星期没人清运，味道很大', region: '140105006004', flow: 'dispatched' },
  { content: '物业乱收停车费，还不给开票，我要投诉', region: '140105006004', flow: 'forwarded' },
  { content: '楼上住户家水管漏水渗到我家天花板，找物业好几次都推脱，投诉物业不作为', region: '140105006004', flow: 'acknowledged' },
  { content: '隔壁装修天天晚上十点以后还在砸墙，反映好几次了', region: '140105006004', flow: 'resolved', score: 2 },
  { content: '我爸欠薪的事情想咨询一下律师，该怎么走程序', region: '140105006004', flow: 'open' },
];

/** Work units of in-service Party members who report to their residential community (党员双报到), by city. */
const WORK_UNITS: Record<string, string[]> = {
  '1402': [
    '大同市第一人民医院',
    '山西大同大学',
    '大同市平城区人民法院',
    '大同市第一中学校',
    '国网大同供电公司',
    '平城区税务局',
    '大同市第三人民医院',
    '大同市图书馆',
    '大同市公安局平城分局',
    '平城区住建局',
  ],
  '1401': [
    '太原市第一人民医院',
    '山西大学',
    '太原市小店区人民法院',
    '太原市第五中学校',
    '国网太原供电公司',
    '小店区税务局',
    '太原市中心医院',
    '山西省图书馆',
    '太原市公安局小店分局',
    '万柏林区住建局',
  ],
};

/**
 * Life in the demo: volunteers reporting in, teams of the programmes the reports name, a service
 * menu, and orders at every step of the loop — all made through the real use cases.
 */
export async function seedDemoLoop(database: Database, config: Config, passwordHash: string, log: (m: string) => void) {
  const modules = createModules({ config, database });
  const rand = prng(7);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const orgByRegion = async (code: string) => {
    const res = await database.raw.query<{ id: string; lat: number; lng: number; city_code: string }>(
      'SELECT id, lat, lng, city_code FROM orgs WHERE region_code = $1',
      [code],
    );
    return res[0]!;
  };
  const stationsUnder = async (code: string) =>
    database.raw.query<{ id: string; lat: number; lng: number }>(
      "SELECT s.id, s.lat, s.lng FROM orgs s JOIN orgs p ON p.city_code = s.city_code AND s.path <@ p.path WHERE p.region_code = $1 AND s.level = 'station' ORDER BY s.name LIMIT 20",
      [code],
    );
  const ctxFor = async (userId: string): Promise<RequestCtx> => ({ actor: await modules.auth.actorOf(userId), ip: '127.0.0.1', requestId: 'seed' });
  const adminRow = (await database.raw.query<{ id: string }>('SELECT id FROM users WHERE is_admin ORDER BY created_at LIMIT 1'))[0];
  // The seed acts as the super admin (or, on a database without one, as the platform itself).
  const admin: RequestCtx = adminRow
    ? await ctxFor(adminRow.id)
    : { actor: { userId: newId(), name: '系统', phone: '', isAdmin: true, grants: [] }, ip: '127.0.0.1', requestId: 'seed' };
  let phoneSeq = 100;

  async function newUser(name: string, phone?: string) {
    const id = newId();
    await database.db
      .insert(users)
      .values({ id, phone: phone ?? `1390000${String(phoneSeq++).padStart(4, '0')}`, name, passwordHash })
      .onConflictDoNothing();
    const [row] = await database.raw.query<{ id: string }>('SELECT id FROM users WHERE phone = $1', [
      phone ?? `1390000${String(phoneSeq - 1).padStart(4, '0')}`,
    ]);
    return row!.id;
  }

  /**
   * A volunteer reporting in at a station of `district` (its six-digit division code): the ID
   * number is of that district (大同's volunteers carry 1402… numbers) and its sex digit (the
   * 17th, odd for a man) follows the name, so the certificate's 性别 fits the person.
   */
  async function newVolunteer(name: string, district: string, stationId: string, lat: number, lng: number, skills: string[], userId?: string) {
    const uid = userId ?? (await newUser(name));
    rand(); // drawn where the district once was, so the rest of the demo data stays the same
    const birth = `${1950 + Math.floor(rand() * 50)}${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`;
    const drawn = Math.floor(rand() * 1000);
    const sequence = drawn % 2 === (isFemaleName(name) ? 0 : 1) ? drawn : drawn ^ 1;
    const first17 = `${district}${birth}${String(sequence).padStart(3, '0')}`;
    const units = WORK_UNITS[district.slice(0, 4)] ?? WORK_UNITS['1401']!;
    const actorCtx = await ctxFor(uid);
    // Drawn where it always was, so the rest of the demo data stays the same.
    const party = rand() < 0.4;
    const v = await modules.volunteers.register(actorCtx, {
      realName: name,
      idNumber: first17 + idNumberCheckChar(first17),
      orgId: stationId,
      skills,
      politicalStatus: party ? 'party' : 'masses',
      // 党员双报到: in-service Party members give their work unit (picked without the generator).
      workUnit: party ? units[first17.charCodeAt(15) % units.length] : undefined,
      availability: [1, 3, 5].map((weekday) => ({ weekday, period: pick(['morning', 'afternoon', 'evening'] as const) })),
      lat: lat + (rand() - 0.5) * 0.01,
      lng: lng + (rand() - 0.5) * 0.01,
    });
    return { volunteerId: v.id, userId: uid };
  }

  const teamIds = new Map<string, string>();
  let volunteers = 0;
  for (const spec of TEAMS) {
    const org = await orgByRegion(spec.region);
    const leaderId = spec.leader ? await newUser(spec.leader.name, spec.leader.phone) : undefined;
    const team = await modules.teams.create(admin, {
      orgId: org.id,
      name: spec.name,
      tier: spec.tier,
      type: spec.type,
      category: spec.category,
      leaderUserId: leaderId,
    });
    teamIds.set(spec.name, team.id);
    const stations = await stationsUnder(spec.region);
    const home = stations.length ? stations : [{ id: org.id, lat: org.lat, lng: org.lng }];
    if (leaderId) {
      const s = home[0]!;
      const lv = await newVolunteer(spec.leader!.name, spec.region.slice(0, 6), s.id, s.lat, s.lng, spec.skills, leaderId);
      await modules.teams.addMember(admin, team.id, lv.volunteerId);
    }
    for (let i = 0; i < spec.size; i++) {
      const s = pick(home);
      const v = await newVolunteer(`${pick(SURNAMES.split(''))}${pick(GIVEN_NAMES)}`, spec.region.slice(0, 6), s.id, s.lat, s.lng, spec.skills);
      await modules.teams.addMember(admin, team.id, v.volunteerId);
      volunteers++;
    }
    if (!leaderId) {
      // The first member leads the team.
      const members = (await modules.teams.get(admin, team.id)).members;
      if (members[0])
        // Both by the city (one shard on Citus, which refuses the join across cities).
        await database.raw.query(
          'UPDATE teams SET leader_user_id = (SELECT user_id FROM volunteers WHERE city_code = $3 AND id = $1) WHERE city_code = $3 AND id = $2',
          [members[0].volunteerId, team.id, org.city_code],
        );
    }
  }
  log(`演示志愿者 ${volunteers} 人，队伍 ${TEAMS.length} 支`);

  // A volunteer account for trying the volunteer's side.
  const yk = await stationsUnder('140105006004');
  const demoVol = await newVolunteer(
    '吴丽娟',
    '140105',
    yk[0]!.id,
    yk[0]!.lat,
    yk[0]!.lng,
    ['health', 'science', 'poverty'],
    await newUser('吴丽娟', '13900000007'),
  );

  for (const m of MENU) {
    const org = await orgByRegion(m.region);
    await database.raw.query(
      'INSERT INTO service_items (city_code, id, org_id, name, category, description, default_urgency, team_ids) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING',
      [org.city_code, newId(), org.id, m.name, m.category, m.description, m.urgency, [teamIds.get(m.team)].filter(Boolean)],
    );
  }

  const resident = (await database.raw.query<{ id: string }>("SELECT id FROM users WHERE phone = '13900000010'"))[0]!.id;
  const residentCtx = await ctxFor(resident);
  const dispatcher = await ctxFor((await database.raw.query<{ id: string }>("SELECT id FROM users WHERE phone = '13900000002'"))[0]!.id);
  const officer = await ctxFor((await database.raw.query<{ id: string }>("SELECT id FROM users WHERE phone = '13900000005'"))[0]!.id);
  const dept = (await database.raw.query<{ id: string }>("SELECT id FROM departments WHERE name = '小店区住房和城乡建设局'"))[0]!.id;
  // The routing directory (派单目录) of 小店区's departments: what each one answers.
  const DUTIES: Record<string, object> = {
    小店区住房和城乡建设局: {
      keywords: ['物业', '电梯', '漏水', '供暖', '装修', '停车费', '维修基金'],
      natures: ['complaint', 'petition'],
      contact: '0351-7021234',
    },
    小店区城市管理局: { keywords: ['占道经营', '小广告', '摊贩', '垃圾清运', '违建', '夜市'], natures: ['complaint'], categories: ['environment'] },
    小店区民政局: { keywords: ['低保', '养老补贴', '高龄津贴', '残疾人'], natures: ['petition', 'consult'], categories: ['poverty'] },
    小店区卫生健康局: { keywords: ['医院', '诊所', '疫苗', '药店'], natures: ['complaint', 'consult'], categories: ['health'] },
  };
  for (const [name, duties] of Object.entries(DUTIES)) {
    const row = (await database.raw.query<{ id: string }>('SELECT id FROM departments WHERE name = $1', [name]))[0];
    if (row) await modules.departments.update(admin, row.id, duties);
  }
  const volCtx = await ctxFor(demoVol.userId);
  for (const o of ORDERS) {
    const org = await orgByRegion(o.region);
    const created = await modules.orders.submit(residentCtx, { content: o.content, orgId: org.id });
    if (o.flow === 'open') continue;
    if (o.flow === 'forwarded' || o.flow === 'acknowledged' || o.flow === 'resolved') {
      await modules.orders.forward(dispatcher, created.id, { departmentId: dept, note: '请核实处理' });
      if (o.flow === 'acknowledged') await modules.orders.acknowledge(officer, created.id, {});
      if (o.flow === 'resolved') {
        await modules.orders.resolve(officer, created.id, '已联系相关方，要求晚十点后停止施工');
        await modules.orders.rate(residentCtx, created.id, { score: o.score ?? 3, comment: '还是有噪音' });
      }
      continue;
    }
    await modules.orders.dispatch(dispatcher, created.id, { volunteerId: demoVol.volunteerId });
    if (o.flow === 'dispatched') continue;
    await modules.orders.accept(volCtx, created.id, {});
    await modules.orders.start(volCtx, created.id);
    await modules.orders.complete(volCtx, created.id, { report: '已上门服务，老人很满意', hours: 1.5 });
    await modules.orders.rate(residentCtx, created.id, { score: o.score ?? 5, comment: '志愿者很耐心' });
  }
  log(`演示工单 ${ORDERS.length} 张`);
  await modules.close();
  return { volunteers: volunteers + 2, teams: TEAMS.length, orders: ORDERS.length };
}
