import { addDays, isoWeekday, localDate } from '@wenming/domain';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import { newId } from '../lib/ids.ts';
import type { RequestCtx } from '../lib/policy.ts';
import { createModules } from '../modules/index.ts';

interface PlanSpec {
  siteRegion: string;
  name: string;
  description: string;
  team: string;
  withDemoVolunteer: boolean;
  elder: { name: string; address: string; phone: string; birthYear: number; gender: 'male' | 'female'; tags: string[]; note: string; stationRegion: string };
}

/** 尖草坪区 "3+1晚霞行动": three volunteers care for one elderly resident (the source reports). */
const PLANS: PlanSpec[] = [
  {
    siteRegion: '140105006',
    name: '“3+1晚霞行动”结对帮扶·永康北路社区',
    description: '学习尖草坪区“3+1晚霞行动”：三名志愿者结对一位独居老人，每周上门探访，每月陪老人过一次集体活动，传统节日上门慰问。',
    team: '小店街道助老帮困服务队',
    withDemoVolunteer: true,
    elder: {
      name: '刘桂芳',
      address: '永康北路社区 5 号楼 2 单元 301 室',
      phone: '13503510001',
      birthYear: 1939,
      gender: 'female',
      tags: ['独居', '高龄', '慢性病'],
      note: '患高血压，每天早晚服药；耳背，敲门需大声。女儿在外地。',
      stationRegion: '140105006004',
    },
  },
  {
    siteRegion: '140108004',
    name: '“3+1晚霞行动”结对帮扶·南寨',
    description: '尖草坪区“3+1晚霞行动”：党员志愿者结对空巢老人，定期探访、代办、陪护就医。',
    team: '尖草坪区“3+1晚霞行动”结对帮扶队',
    withDemoVolunteer: false,
    elder: {
      name: '赵振华',
      address: '南寨街道柴村 3 巷 8 号',
      phone: '13603510002',
      birthYear: 1942,
      gender: 'male',
      tags: ['空巢', '半失能'],
      note: '腿脚不便，行走需搀扶；喜欢听晋剧。',
      stationRegion: '140108004',
    },
  },
];

/**
 * Demo 结对帮扶: two "3+1晚霞行动" plans made through the real use cases, the demo volunteer
 * (13900000007) in the first, with visits of the last weeks logged (pending verification),
 * one missed, one left overdue, and the tasks of the coming two weeks.
 */
export async function seedDemoPairing(database: Database, config: Config, log: (m: string) => void) {
  const modules = createModules({ config, database });
  try {
    const one = async <T>(q: string, p: unknown[]) => (await database.raw.query<T>(q, p))[0];
    const adminRow = await one<{ id: string }>('SELECT id FROM users WHERE is_admin ORDER BY created_at LIMIT 1', []);
    const ctxFor = async (userId: string): Promise<RequestCtx> => ({ actor: await modules.auth.actorOf(userId), ip: '127.0.0.1', requestId: 'seed' });
    const admin: RequestCtx = adminRow
      ? await ctxFor(adminRow.id)
      : { actor: { userId: newId(), name: '系统', phone: '', isAdmin: true, grants: [] }, ip: '127.0.0.1', requestId: 'seed' };
    const demoVol = await one<{ id: string; user_id: string }>(
      "SELECT v.id, v.user_id FROM volunteers v JOIN users u ON u.id = v.user_id WHERE u.phone = '13900000007'",
      [],
    );
    const today = localDate(new Date());
    let plans = 0;
    for (const spec of PLANS) {
      const site = await one<{ id: string }>('SELECT id FROM orgs WHERE region_code = $1', [spec.siteRegion]);
      const station = await one<{ id: string }>('SELECT id FROM orgs WHERE region_code = $1', [spec.elder.stationRegion]);
      const team = await one<{ id: string }>('SELECT id FROM teams WHERE name = $1', [spec.team]);
      if (!site || !station || !team) continue;
      const members = (await modules.teams.get(admin, team.id)).members.filter((m) => m.status === 'active').map((m) => m.volunteerId);
      const volunteerIds = spec.withDemoVolunteer && demoVol ? [demoVol.id, ...members.filter((m) => m !== demoVol.id).slice(0, 2)] : members.slice(0, 3);
      if (!volunteerIds.length) continue;
      const { stationRegion: _, ...elder } = spec.elder;
      const resident = await modules.pairing.createResident(admin, { ...elder, orgId: station.id });
      const plan = await modules.pairing.createPlan(admin, {
        orgId: site.id,
        name: spec.name,
        description: spec.description,
        volunteerIds,
        residentIds: [resident.id],
        // The weekly visit falls on today's weekday, so the demo volunteer has a task today.
        rules: {
          weekly: [{ weekday: isoWeekday(today), time: '09:30' }],
          monthly: [{ day: 15, time: '14:30' }],
          holidays: (['new_years_eve', 'spring', 'lantern', 'dragon_boat', 'qixi', 'mid_autumn', 'double_ninth'] as const).map((festival) => ({
            festival,
            time: '10:00',
          })),
        },
        startsOn: addDays(today, -28),
        visitHours: 1.5,
      });
      plans++;
      // The weeks before today: the job as it ran then.
      await modules.pairing.generateTasks(new Date(Date.now() - 28 * 86_400_000));
      await modules.pairing.generateTasks(new Date(Date.now() - 14 * 86_400_000));
      const past = (await modules.pairing.planTasks(admin, plan.id, { when: 'past', limit: 50 })).items.filter((t) => t.state === 'open').reverse();
      const logger = spec.withDemoVolunteer && demoVol ? await ctxFor(demoVol.user_id) : admin;
      for (const [i, t] of past.entries()) {
        if (i === past.length - 1) break; // the latest past visit stays overdue (highlighted for staff)
        const visitedAt = new Date(new Date(t.dueAt).getTime() + 90 * 60_000).toISOString();
        if (i === 1) await modules.pairing.markMissed(logger, t.id, '老人去女儿家小住，电话问候');
        else
          await modules.pairing.logVisit(logger, t.id, {
            hours: 1.5,
            note: ['帮老人量血压、整理药盒，聊了聊家常', '打扫卫生，陪老人下楼晒太阳', '代买米面油，检查燃气和电器安全'][i % 3],
            volunteerIds: volunteerIds.slice(0, i % 2 ? 2 : 3),
            visitedAt,
          });
      }
    }
    log(`演示结对帮扶计划 ${plans} 个`);
  } finally {
    await modules.close();
  }
}
