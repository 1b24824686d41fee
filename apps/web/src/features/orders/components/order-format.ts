import type { OrderDto } from '../api/orders-api';

/** Who serves (or handles) an order, in words. */
export function whoServes(o: OrderDto): string | null {
  if (o.servers.length) return o.servers.map((s) => s.realName).join('、');
  if (o.assignee.volunteerName) return `志愿者 ${o.assignee.volunteerName}`;
  if (o.assignee.teamName) return o.assignee.teamName;
  if (o.assignee.departmentName) return o.assignee.departmentName;
  return null;
}
