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
  'acknowledged',
  'extension_requested',
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
  'acknowledge',
  'dispute',
  'request_extension',
  'grant_extension',
  'refuse_extension',
  'add_co_unit',
  'reassign',
] as const;
export type OrderEvent = (typeof ORDER_EVENTS)[number];

export const ORDER_TRANSITIONS = {
  submitted: { dispatch: 'dispatched', forward: 'forwarded', reject: 'rejected', cancel: 'cancelled', escalate: 'submitted' },
  dispatched: { accept: 'accepted', decline: 'submitted', cancel: 'cancelled', escalate: 'dispatched', reassign: 'dispatched' },
  accepted: { start: 'in_service', escalate: 'accepted' },
  in_service: { complete: 'completed', escalate: 'in_service' },
  completed: { rate: 'rated' },
  // 接诉即办, the department half: 签收 → 办理（可申请延期、请协办单位）→ 答复办结; a misrouted
  // order goes back to the desk (派单异议); overdue stages are supervised (escalate, the system's).
  forwarded: { acknowledge: 'acknowledged', resolve: 'resolved', dispute: 'submitted', escalate: 'forwarded' },
  acknowledged: { resolve: 'resolved', dispute: 'submitted', request_extension: 'extension_requested', add_co_unit: 'acknowledged', escalate: 'acknowledged' },
  extension_requested: {
    grant_extension: 'acknowledged',
    refuse_extension: 'acknowledged',
    resolve: 'resolved',
    add_co_unit: 'extension_requested',
    escalate: 'extension_requested',
  },
  resolved: { rate: 'rated' },
  rated: { reopen: 'submitted' },
  cancelled: {},
  rejected: {},
} as const satisfies Record<OrderState, Partial<Record<OrderEvent, OrderState>>>;

/** The parts an actor can play on one order. */
/** `co_unit`: an officer of a department asked to help (协办): sees the order, answers nothing. */
export type OrderRole = 'requester' | 'staff' | 'assignee' | 'department' | 'co_unit' | 'system';

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
  acknowledge: ['department'],
  dispute: ['department'],
  request_extension: ['department'],
  grant_extension: ['staff'],
  refuse_extension: ['staff'],
  add_co_unit: ['department'],
  reassign: ['staff'],
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
  forwarded: '待签收',
  acknowledged: '办理中',
  extension_requested: '延期待批',
  resolved: '已办结',
  cancelled: '已取消',
  rejected: '已退回',
};

export const ORDER_ACTION_NAMES: Record<OrderEvent | 'submit' | 'remind' | 'retriage' | 'supervise' | 'remind_stage', string> = {
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
  acknowledge: '部门签收',
  dispute: '派单异议（退回）',
  request_extension: '申请延期',
  grant_extension: '同意延期',
  refuse_extension: '不同意延期',
  add_co_unit: '请协办单位',
  reassign: '改派',
  supervise: '超时督办',
  remind_stage: '办理时限提醒',
};

/** States in which a department holds the order (接诉即办). */
export const DEPARTMENT_STATES = ['forwarded', 'acknowledged', 'extension_requested'] as const satisfies readonly OrderState[];
/** States with a running stage deadline (stage_due_at): the department's, and the service after acceptance. */
export const STAGE_STATES = ['forwarded', 'acknowledged', 'extension_requested', 'accepted', 'in_service'] as const satisfies readonly OrderState[];

/** Minutes a department has to 签收 (acknowledge) a forwarded order, by urgency. */
export const DEFAULT_ACK_MINUTES: Record<Urgency, number> = { critical: 30, urgent: 2 * 60, normal: 24 * 60 };
/** Minutes a department has to answer (答复办结) from forwarding, by urgency. */
export const DEFAULT_RESOLVE_MINUTES: Record<Urgency, number> = { critical: 24 * 60, urgent: 3 * 24 * 60, normal: 7 * 24 * 60 };
/** Minutes to complete the service after acceptance, by urgency (完成时限). */
export const DEFAULT_SERVICE_MINUTES: Record<Urgency, number> = { critical: 4 * 60, urgent: 24 * 60, normal: 3 * 24 * 60 };

export function minutesAfter(from: Date, minutes: number): Date {
  return new Date(from.getTime() + minutes * 60_000);
}

/**
 * The stage reminder falls when a quarter of the stage's time is left (as 催单 does for acceptance):
 * the instant at which to remind for a stage that started at `from` and ends at `due`.
 */
export function stageReminderAt(from: Date, due: Date): Date {
  return new Date(due.getTime() - (due.getTime() - from.getTime()) / 4);
}
