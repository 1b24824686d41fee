import type { Readable } from 'node:stream';
import { NATURE_NAMES, ORDER_CHANNEL_NAMES, URGENCY_NAMES } from '@wenming/contracts';
import { maskPhone, ORDER_STATE_NAMES } from '@wenming/domain';
import { forbidden } from '../../../lib/errors.ts';
import { isStaff, requireActor, type RequestCtx } from '../../../lib/policy.ts';
import { toIso } from '../../../lib/time.ts';
import { streamXlsx } from '../../../lib/xlsx-stream.ts';
import type { OrdersKit } from '../orders-kit.ts';
import { officerDepartments, orderListFilter, type ListOrdersQuery } from './list-orders.ts';

const PAGE = 500;
const at = (d: Date | null) => (d ? toIso(d).slice(0, 16).replace('T', ' ') : '');

/**
 * 工单台账: the list the caller sees with the same search and filters (the desk, a site, the
 * officer's queue), every page of it, as .xlsx pulled page by page as the client reads
 * (lib/xlsx-stream.ts). Staff and department officers only; the export and its filter are audited.
 * Phones are masked, but for a department's own complainants (as in its queue).
 */
export async function exportOrders(deps: OrdersKit, ctx: RequestCtx, q: Omit<ListOrdersQuery, 'limit' | 'cursor'>): Promise<Readable> {
  const actor = requireActor(ctx);
  const depts = officerDepartments(actor);
  if (!isStaff(actor) && !depts.length) throw forbidden({ zh: '仅限工作人员和职能部门导出工单台账', en: 'Staff and department officers only' });
  // Pages go newest first by a cursor, whatever order the screen sorts by.
  const filter = { ...(await orderListFilter(deps, actor, { ...q, limit: PAGE })), sort: 'created' as const, limit: PAGE };
  await deps.audit?.record(ctx, { cityCode: null, action: 'order.export', entityType: 'order', entityId: actor.userId, after: { filter: q } });
  const categories = new Map((await deps.catalogues.categories()).map((c) => [c.code, c.name]));
  async function* pages() {
    let before: { createdAt: Date; id: string } | undefined;
    for (;;) {
      const page = await deps.orders.list({ ...filter, before });
      yield page.map((o) => {
        const phone = o.known.requester?.phone ?? '';
        const whole = o.requesterId === actor.userId || (!!o.departmentId && depts.includes(o.departmentId));
        const handler = o.known.departmentName ?? o.known.team?.name ?? o.known.volunteerName ?? '';
        return [
          o.code,
          at(o.createdAt),
          ORDER_STATE_NAMES[o.state],
          NATURE_NAMES[o.nature],
          categories.get(o.category) ?? o.category,
          URGENCY_NAMES[o.urgency],
          ORDER_CHANNEL_NAMES[o.channel],
          o.title ? `${o.title}：${o.content}` : o.content,
          o.address ?? '',
          o.orgName,
          o.handlingOrgName,
          o.known.requester?.name ?? '',
          phone && !whole ? maskPhone(phone) : phone,
          handler,
          at(o.stageDueAt ?? o.acceptDueAt),
          at(o.completedAt ?? o.resolvedAt),
          o.hours === null ? null : Number(o.hours),
          o.rating,
          o.reply ?? o.report ?? '',
        ];
      });
      if (page.length < PAGE) return;
      before = { createdAt: page.at(-1)!.createdAt, id: page.at(-1)!.id };
    }
  }
  const out = streamXlsx({
    sheetName: '工单台账',
    columns: [
      { header: '工单编号', width: 14, text: true },
      { header: '提交时间', width: 17 },
      { header: '状态', width: 10 },
      { header: '性质', width: 9 },
      { header: '类别', width: 10 },
      { header: '紧急程度', width: 9 },
      { header: '来源渠道', width: 11 },
      { header: '诉求内容', width: 40 },
      { header: '地址', width: 26 },
      { header: '所属阵地', width: 24 },
      { header: '承办阵地', width: 24 },
      { header: '群众', width: 10 },
      { header: '联系电话', width: 14, text: true },
      { header: '承办队伍/志愿者/部门', width: 22 },
      { header: '当前时限', width: 17 },
      { header: '办结时间', width: 17 },
      { header: '服务时长（小时）', width: 12 },
      { header: '评分', width: 6 },
      { header: '办理情况', width: 40 },
    ],
    pages: pages(),
  });
  // A failed page cuts the download (the client sees it broken, never a short file as whole); Fastify logs it.
  out.on('error', () => {});
  return out;
}
