import type { PairingTaskDto, TLogPairingVisitBody } from '@wenming/contracts';
import { addDays, localDate, mayLogPairingVisit } from '@wenming/domain';
import { invalidState, ruleViolation, validationFailed } from '../../../lib/errors.ts';
import type { RequestCtx } from '../../../lib/policy.ts';
import type { PairingKit } from '../pairing-kit.ts';

/**
 * Log a visit: open → done (conditional update; a second log is 409), and in the same
 * transaction one pending service record per serving volunteer (source "pairing", the task).
 */
export async function logVisit(deps: PairingKit, ctx: RequestCtx, id: string, body: TLogPairingVisitBody): Promise<PairingTaskDto> {
  const { db, pairing, now, presentTask, loadTask, checkPhotos } = deps;
  const { actor, task, access, vols } = await loadTask(ctx, id);
  if (task.state !== 'open') throw invalidState({ zh: '该探访任务已处理，不能重复登记', en: 'The visit was already logged or closed' });
  const t = now();
  if (!mayLogPairingVisit(task.dueOn, localDate(t)))
    throw ruleViolation({ zh: '探访日期未到，最早可提前一天登记', en: 'Too early: a visit can be logged from the day before it is due' });
  const visitedAt = body.visitedAt ? new Date(body.visitedAt) : t;
  if (visitedAt.getTime() > t.getTime() + 5 * 60_000) throw ruleViolation({ zh: '探访时间不能晚于现在', en: 'The visit cannot be in the future' });
  if (localDate(visitedAt) < addDays(task.dueOn, -1)) throw ruleViolation({ zh: '探访时间早于任务日期', en: 'The visit is before the task date' });
  let served = body.volunteerIds;
  if (!served) {
    const mine = vols.find((v) => v.userId === actor.userId);
    if (!mine) throw validationFailed('volunteerIds', { zh: '请选择参与探访的志愿者', en: 'Name the volunteers who served' });
    served = [mine.id];
  }
  for (const vid of served) {
    const v = vols.find((x) => x.id === vid);
    if (!v) throw ruleViolation({ zh: '只能为本结对的志愿者登记探访', en: 'Only volunteers of this plan can be credited' });
    if (v.status !== 'active') throw ruleViolation({ zh: `志愿者${v.name}已暂停服务`, en: `Volunteer ${v.name} is suspended` });
  }
  await checkPhotos(ctx, body.photoIds ?? []);
  const hours = Math.round(body.hours * 10) / 10;
  if (hours <= 0) throw validationFailed('hours', { zh: '时长须大于0', en: 'Hours must be positive' });
  await db.transaction(async (tx) => {
    const done = await pairing.logVisit(tx, task.cityCode, task.id, {
      loggedBy: actor.userId,
      visitedAt,
      hours,
      note: body.note ?? null,
      photoIds: body.photoIds ?? [],
      lat: body.lat ?? null,
      lng: body.lng ?? null,
      servedVolunteerIds: served,
    });
    if (!done) throw invalidState({ zh: '该探访任务已处理，不能重复登记', en: 'The visit was already logged or closed' });
    for (const vid of served)
      await deps.records.createPending(tx, {
        cityCode: task.cityCode,
        volunteerId: vid,
        orgId: task.orgId,
        sourceType: 'pairing',
        sourceId: task.id,
        hours,
        startedAt: new Date(visitedAt.getTime() - hours * 3600_000),
        endedAt: visitedAt,
        title: `结对帮扶：${task.planName}（${task.label}）`,
        note: body.note ?? null,
        createdBy: actor.userId,
      });
    await deps.audit.record(
      ctx,
      {
        cityCode: task.cityCode,
        action: 'pairing.visit.log',
        entityType: 'pairing_task',
        entityId: task.id,
        before: { state: 'open' },
        after: { state: 'done', hours, volunteerIds: served, photos: body.photoIds?.length ?? 0 },
      },
      tx,
    );
  });
  return presentTask(actor, (await pairing.taskById(id))!, access, vols);
}
