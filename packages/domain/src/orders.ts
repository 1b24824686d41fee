/**
 * The service-order workflow (群众点单 → 中心派单 → 志愿者接单 → 群众评单), API.md "Service orders".
 * One literal transition table; guards say which kind of actor may fire each event.
 */
export const ORDER_STATES = [
  'submitted',
  'dispatched',
  'accepted',
  'in_service',
  'completed',
  'rated',
  'forwarded',
  'resolved',
  'cancelled',
  'rejected',
] as const;
export type OrderState = (typeof ORDER_STATES)[number];

export const ORDER_EVENTS = [
  'dispatch',
  'forward',
  'reject',
  'accept',
  'decline',
  'start',
  'complete',
  'resolve',
  'rate',
  'cancel',
  'escalate',
  'reopen',
] as const;
export type OrderEvent = (typeof ORDER_EVENTS)[number];

export const ORDER_TRANSITIONS = {
  submitted: { dispatch: 'dispatched', forward: 'forwarded', reject: 'rejected', cancel: 'cancelled', escalate: 'submitted' },
  dispatched: { accept: 'accepted', decline: 'submitted', cancel: 'cancelled', escalate: 'dispatched' },
  accepted: { start: 'in_service' },
  in_service: { complete: 'completed' },
  completed: { rate: 'rated' },
  forwarded: { resolve: 'resolved' },
  resolved: { rate: 'rated' },
  rated: { reopen: 'submitted' },
  cancelled: {},
  rejected: {},
} as const satisfies Record<OrderState, Partial<Record<OrderEvent, OrderState>>>;

/** The parts an actor can play on one order. */
export type OrderRole = 'requester' | 'staff' | 'assignee' | 'department' | 'system';

export const ORDER_EVENT_ROLES = {
  dispatch: ['staff'],
  forward: ['staff'],
  reject: ['staff'],
  accept: ['assignee'],
  decline: ['assignee'],
  start: ['assignee'],
  complete: ['assignee'],
  resolve: ['department'],
  rate: ['requester'],
  cancel: ['requester'],
  escalate: ['system'],
  reopen: ['staff'],
} as const satisfies Record<OrderEvent, readonly OrderRole[]>;

export function nextOrderState(state: OrderState, event: OrderEvent): OrderState | null {
  const row = ORDER_TRANSITIONS[state] as Partial<Record<OrderEvent, OrderState>>;
  return row[event] ?? null;
}

export function mayFire(event: OrderEvent, roles: ReadonlySet<OrderRole>): boolean {
  return (ORDER_EVENT_ROLES[event] as readonly OrderRole[]).some((r) => roles.has(r));
}

/** Events the actor may fire now (the UI draws its buttons from these); `escalate` is the system's own. */
export function allowedOrderEvents(state: OrderState, roles: ReadonlySet<OrderRole>, opts: { rating?: number | null } = {}): OrderEvent[] {
  return (Object.keys(ORDER_TRANSITIONS[state]) as OrderEvent[]).filter(
    (e) => e !== 'escalate' && mayFire(e, roles) && (e !== 'reopen' || (opts.rating != null && opts.rating <= 2)),
  );
}

export const URGENCIES = ['normal', 'urgent', 'critical'] as const;
export type Urgency = (typeof URGENCIES)[number];
export const NATURES = ['service', 'petition', 'complaint', 'consult'] as const;
export type Nature = (typeof NATURES)[number];

/** Minutes to accept by urgency (API.md defaults): critical 30 min, urgent 2 h, normal 24 h. */
export const DEFAULT_ACCEPT_MINUTES: Record<Urgency, number> = { critical: 30, urgent: 120, normal: 24 * 60 };

export function acceptDueAt(from: Date, urgency: Urgency, minutes: Partial<Record<Urgency, number>> = {}): Date {
  return new Date(from.getTime() + (minutes[urgency] ?? DEFAULT_ACCEPT_MINUTES[urgency]) * 60_000);
}

/** Order codes residents can read out on the phone: D + yymmdd + 4-digit daily sequence. */
export function orderCode(localDate: { year: number; month: number; day: number }, seq: number): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `D${p(localDate.year % 100)}${p(localDate.month)}${p(localDate.day)}${p(seq, 4)}`;
}

export const ORDER_STATE_NAMES: Record<OrderState, string> = {
  submitted: '待派单',
  dispatched: '待接单',
  accepted: '已接单',
  in_service: '服务中',
  completed: '待评价',
  rated: '已评价',
  forwarded: '已转办',
  resolved: '已办结',
  cancelled: '已取消',
  rejected: '已退回',
};

export const ORDER_ACTION_NAMES: Record<OrderEvent | 'submit' | 'remind' | 'retriage', string> = {
  submit: '群众点单',
  dispatch: '中心派单',
  forward: '转办部门',
  reject: '退回',
  accept: '志愿者接单',
  decline: '婉拒',
  start: '开始服务',
  complete: '服务完成',
  resolve: '部门办结',
  rate: '群众评单',
  cancel: '取消',
  escalate: '超时上报',
  reopen: '回访重办',
  remind: '催单',
  retriage: '修正研判',
};
