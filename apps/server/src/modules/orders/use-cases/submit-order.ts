import { msg, ORDER_CHANNEL_NAMES, type OrderChannel, type TSubmitOrderBody } from '@wenming/contracts';
import { acceptDueAt, applyTriageRules, orderCode, type Urgency } from '@wenming/domain';
import { AppError, notFound } from '../../../lib/errors.ts';
import { newCityId, newId } from '../../../lib/ids.ts';
import { requireActor, type RequestCtx } from '../../../lib/policy.ts';
import { idempotentAnswer, replayOfTakenKey } from '../../../plugins/idempotency.ts';
import type { OrderRow, OrdersRepository } from '../orders.repository.ts';
import { localDate, type OrdersKit } from '../orders-kit.ts';

/**
 * 群众点单. The hot path of the loop, kept to a bounded handful of statements: the site with
 * its limits and the desk to notify (one query), the day's
 * number (its own short statement), then one statement that writes the order, its first
 * timeline row, the inbox rows and the Idempotency-Key's answer, and NOTIFYs them. The answer
 * is built from what is written, not read back.
 */
export async function submitOrder(
  deps: OrdersKit,
  ctx: RequestCtx,
  body: TSubmitOrderBody,
  /** 代点单: the resident the order is for, how it came in, and who entered it (the caller). */
  assisted?: { requester: { id: string; name: string; phone: string }; channel: Exclude<OrderChannel, 'app'> },
) {
  const { orders, now, present, notify, categoryExists } = deps;
  const actor = requireActor(ctx);
  const requester = assisted?.requester ?? { id: actor.userId, name: actor.name, phone: actor.phone };
  if ((body.lat === undefined) !== (body.lng === undefined))
    throw new AppError('VALIDATION_FAILED', undefined, [
      { path: body.lat === undefined ? 'lat' : 'lng', message: msg('经纬度须同时填写', 'Give latitude and longitude together') },
    ]);
  const org = await orders.siteForOrder(body.orgId);
  if (!org) throw notFound({ zh: '所选社区（阵地）不存在', en: 'No such site' });
  if (body.category && !(await categoryExists(body.category)))
    throw new AppError('VALIDATION_FAILED', undefined, [{ path: 'category', message: msg('无效的服务类别', 'Invalid category code') }]);
  let item = null;
  if (body.serviceItemId) {
    item = await deps.items.byId(body.serviceItemId);
    if (!item || item.cityCode !== org.cityCode || item.status !== 'active') throw notFound({ zh: '服务项目不存在或已下架', en: 'No such service item' });
  }
  const photoIds = [...new Set(body.photoIds ?? [])];
  await deps.checkPhotos(actor.userId, photoIds);
  const text = [body.title, body.content].filter(Boolean).join('。');
  // The model's guess, then the rules that hold whatever it says (danger → 特急, 投诉 → complaint, …).
  const t = applyTriageRules(text, (await deps.triage()).classify(text));
  const triage = {
    category: (await categoryExists(t.category)) ? t.category : 'poverty',
    nature: t.nature,
    urgency: t.urgency,
    confidence: Math.round(t.confidence * 1000) / 1000,
    lowConfidence: t.lowConfidence,
  };
  const category = body.category ?? item?.category ?? triage.category;
  const nature = (body.nature ?? (item ? 'service' : triage.nature)) as 'service';
  const urgency = (body.urgency ?? (item && triage.urgency === 'normal' ? item.defaultUrgency : triage.urgency)) as Urgency;
  const created = now();
  const id = newCityId(org.cityCode);
  const due = acceptDueAt(created, urgency, org.sla);
  const d = localDate(created);
  const seq = await orders.nextCodeSeq(org.cityCode, `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`);
  const code = orderCode(d, seq);
  const row = {
    cityCode: org.cityCode,
    id,
    code,
    orgId: org.id,
    handlingOrgId: org.id,
    requesterId: requester.id,
    title: body.title ?? null,
    content: body.content,
    category,
    nature,
    urgency,
    triage,
    address: body.address ?? org.address,
    lat: body.lat ?? null,
    lng: body.lng ?? null,
    preferredAt: body.preferredAt ? new Date(body.preferredAt) : null,
    serviceItemId: item?.id ?? null,
    acceptDueAt: due,
    firstAcceptDueAt: due,
    channel: assisted?.channel ?? 'app',
    enteredBy: assisted ? actor.userId : null,
    photoIds,
    createdAt: created,
  } satisfies Parameters<OrdersRepository['insert']>[1];
  const event = {
    cityCode: org.cityCode,
    id: newId(),
    orderId: id,
    actorId: actor.userId,
    action: 'submit',
    fromState: null,
    toState: 'submitted' as const,
    note: assisted ? `${actor.name}代为登记（${ORDER_CHANNEL_NAMES[assisted.channel]}）` : null,
    data: assisted ? { channel: assisted.channel, enteredBy: actor.userId } : null,
    at: created,
  };
  const written: OrderRow = {
    ...row,
    state: 'submitted',
    assigneeTeamId: null,
    assigneeVolunteerId: null,
    departmentId: null,
    escalationLevel: 0,
    remindedAt: null,
    ackDueAt: null,
    acknowledgedAt: null,
    resolveDueAt: null,
    stageStartedAt: null,
    stageDueAt: null,
    stageRemindedAt: null,
    stageEscalatedAt: null,
    supervisedAt: null,
    supervisionNote: null,
    disputeCount: 0,
    extensionUntil: null,
    extensionReason: null,
    coDepartmentIds: [],
    dispatchedAt: null,
    acceptedAt: null,
    startedAt: null,
    completedAt: null,
    forwardedAt: null,
    resolvedAt: null,
    closedAt: null,
    report: null,
    reply: null,
    hours: null,
    peopleServed: null,
    rating: null,
    ratingComment: null,
    ratedAt: null,
    rejectReason: null,
    updatedAt: created,
    orgPath: org.path,
    orgName: org.name,
    handlingOrgName: org.name,
    handlingOrgPath: org.path,
  };
  const answer = await present(actor, written, true, {
    timeline: [event],
    servers: [],
    requester: { name: requester.name, phone: requester.phone },
  });
  // The order, its first timeline row, the desk's inbox rows with their NOTIFY, and with an
  // Idempotency-Key the key with this answer: one statement, so no transaction to open and close,
  // and a retry finds either all of it or nothing.
  const writes = [...orders.newOrderWrites(row, event), ...idempotentAnswer(ctx.idempotency, 201, answer)];
  try {
    await notify(deps.db, { cityCode: org.cityCode, id, code }, org.desk, 'order.submitted', `新工单 ${code}`, body.content.slice(0, 60), writes);
  } catch (e) {
    // The key was taken: the first submission's answer (its number was used; this one's is a gap).
    const first = await replayOfTakenKey<typeof answer>(deps.db, ctx, e);
    if (first) return first;
    throw e;
  }
  return answer;
}
