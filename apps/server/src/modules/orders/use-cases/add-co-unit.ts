import { notFound, ruleViolation } from '../../../lib/errors.ts';
import type { RequestCtx } from '../../../lib/policy.ts';
import { type OrdersKit } from '../orders-kit.ts';

/** 协办: the lead department asks another department to help; the lead still answers. */
export async function addCoUnit(deps: OrdersKit, ctx: RequestCtx, id: string, body: { departmentId: string; note?: string }) {
  const { fire, notify } = deps;
  let coOfficers: string[] = [];
  let name = '';
  return fire(ctx, id, 'add_co_unit', {
    note: body.note ?? null,
    check: async (o) => {
      if (body.departmentId === o.departmentId) throw ruleViolation({ zh: '协办单位不能是主办单位本身', en: 'The co-unit cannot be the lead unit' });
      if (o.coDepartmentIds.includes(body.departmentId)) throw ruleViolation({ zh: '该部门已是协办单位', en: 'Already a co-unit' });
      const d = await deps.departments.byId(body.departmentId);
      if (!d || d.cityCode !== o.cityCode) throw notFound({ zh: '职能部门不存在', en: 'No such department' });
      name = d.name;
      coOfficers = await deps.users.officersOf(o.cityCode, d.id);
    },
    patch: (o) => ({ coDepartmentIds: [...o.coDepartmentIds, body.departmentId] }),
    data: () => ({ departmentId: body.departmentId, departmentName: name }),
    then: (tx, o) => notify(tx, o, coOfficers, 'order.co_unit', `工单 ${o.code} 请协办`, body.note?.slice(0, 60) ?? o.content.slice(0, 60)),
  });
}
