import type { ActivitiesKit } from '../activities-kit.ts';

/** The day-before reminder to everyone registered; each activity once, however many runners. */
export async function remindUpcoming(deps: ActivitiesKit, horizonMs = 24 * 3600_000) {
  const { activities, now } = deps;
  let sent = 0;
  // City by city: a claim (FOR UPDATE SKIP LOCKED) filters on one city_code (docs/scale-out.md).
  for (const cityCode of await activities.citiesToRemind(now(), horizonMs)) sent += await remindCity(deps, cityCode, horizonMs);
  return sent;
}

async function remindCity(deps: ActivitiesKit, cityCode: string, horizonMs: number) {
  const { db, activities, now } = deps;
  let sent = 0;
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      const rows = await activities.claimReminders(tx, cityCode, now(), horizonMs);
      for (const r of rows) {
        if (!r.user_ids.length) continue;
        const at = new Intl.DateTimeFormat('zh-CN', {
          month: 'numeric',
          day: 'numeric',
          hour: '2-digit',
          minute: '2-digit',
          hour12: false,
          timeZone: 'Asia/Shanghai',
        }).format(new Date(r.starts_at));
        await deps.notifications.add(tx, {
          userIds: r.user_ids,
          cityCode: r.city_code,
          kind: 'activity.reminder',
          title: `活动提醒：「${r.title}」将于 ${at} 开始`,
          body: r.address ? `地点：${r.address}。请准时参加，到场后扫码签到。` : '请准时参加，到场后扫码签到。',
          refType: 'activity',
          refId: r.id,
        });
        sent += r.user_ids.length;
      }
      return rows.length;
    });
    if (batch < 100) return sent;
  }
}
