import { describe, expect, it } from 'vitest';
import {
  acceptDueAt,
  allowedOrderEvents,
  mayFire,
  nextOrderState,
  ORDER_EVENTS,
  ORDER_STATES,
  orderCode,
  type OrderEvent,
  type OrderRole,
  type OrderState,
} from '../src/index.ts';

/** The expected table, written out independently of the implementation (API.md). */
const EXPECTED: Record<OrderState, Partial<Record<OrderEvent, OrderState>>> = {
  submitted: { dispatch: 'dispatched', forward: 'forwarded', reject: 'rejected', cancel: 'cancelled', escalate: 'submitted' },
  dispatched: { accept: 'accepted', decline: 'submitted', cancel: 'cancelled', escalate: 'dispatched', reassign: 'dispatched' },
  accepted: { start: 'in_service', escalate: 'accepted' },
  in_service: { complete: 'completed', escalate: 'in_service' },
  completed: { rate: 'rated' },
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
};

describe('order state machine: every state × event', () => {
  for (const s of ORDER_STATES)
    for (const e of ORDER_EVENTS)
      it(`${s} --${e}--> ${EXPECTED[s][e] ?? '✗'}`, () => {
        expect(nextOrderState(s, e)).toBe(EXPECTED[s][e] ?? null);
      });
});

describe('guards', () => {
  const roles = (...r: OrderRole[]) => new Set(r);
  it('lets only the right actor fire each event', () => {
    expect(mayFire('dispatch', roles('staff'))).toBe(true);
    expect(mayFire('dispatch', roles('requester', 'assignee'))).toBe(false);
    expect(mayFire('accept', roles('assignee'))).toBe(true);
    expect(mayFire('accept', roles('staff'))).toBe(false);
    expect(mayFire('rate', roles('requester'))).toBe(true);
    expect(mayFire('rate', roles('staff', 'assignee'))).toBe(false);
    expect(mayFire('cancel', roles('staff'))).toBe(false);
    expect(mayFire('resolve', roles('department'))).toBe(true);
    expect(mayFire('escalate', roles('staff'))).toBe(false);
  });
  it('lists allowed actions per state and role', () => {
    expect(allowedOrderEvents('submitted', roles('staff'))).toEqual(['dispatch', 'forward', 'reject']);
    expect(allowedOrderEvents('submitted', roles('requester'))).toEqual(['cancel']);
    expect(allowedOrderEvents('dispatched', roles('assignee'))).toEqual(['accept', 'decline']);
    expect(allowedOrderEvents('dispatched', roles('requester'))).toEqual(['cancel']);
    expect(allowedOrderEvents('dispatched', roles('staff'))).toEqual(['reassign']);
    expect(allowedOrderEvents('completed', roles('requester'))).toEqual(['rate']);
    expect(allowedOrderEvents('completed', roles('staff'))).toEqual([]);
    expect(allowedOrderEvents('rated', roles('staff'), { rating: 5 })).toEqual([]);
    expect(allowedOrderEvents('rated', roles('staff'), { rating: 2 })).toEqual(['reopen']);
    expect(allowedOrderEvents('cancelled', roles('staff', 'requester', 'assignee', 'department'))).toEqual([]);
  });
  it('gives the department its half of the loop, the desk the extension decision, a co-unit nothing to fire', () => {
    expect(allowedOrderEvents('forwarded', roles('department'))).toEqual(['acknowledge', 'resolve', 'dispute']);
    expect(allowedOrderEvents('forwarded', roles('staff'))).toEqual([]);
    expect(allowedOrderEvents('acknowledged', roles('department'))).toEqual(['resolve', 'dispute', 'request_extension', 'add_co_unit']);
    expect(allowedOrderEvents('extension_requested', roles('department'))).toEqual(['resolve', 'add_co_unit']);
    expect(allowedOrderEvents('extension_requested', roles('staff'))).toEqual(['grant_extension', 'refuse_extension']);
    for (const s of ORDER_STATES) expect(allowedOrderEvents(s, roles('co_unit'))).toEqual([]);
    expect(mayFire('dispute', roles('staff', 'requester'))).toBe(false);
    expect(mayFire('grant_extension', roles('department'))).toBe(false);
    // Supervision is the system's own: nobody is offered it.
    for (const s of ORDER_STATES) expect(allowedOrderEvents(s, roles('staff', 'department', 'assignee', 'requester'))).not.toContain('escalate');
  });
});

describe('SLA and codes', () => {
  it('sets the accept deadline by urgency', () => {
    const t = new Date('2026-11-22T09:00:00+08:00');
    expect(acceptDueAt(t, 'critical').toISOString()).toBe('2026-11-22T01:30:00.000Z');
    expect(acceptDueAt(t, 'urgent').toISOString()).toBe('2026-11-22T03:00:00.000Z');
    expect(acceptDueAt(t, 'normal').toISOString()).toBe('2026-11-23T01:00:00.000Z');
    expect(acceptDueAt(t, 'normal', { normal: 60 }).toISOString()).toBe('2026-11-22T02:00:00.000Z');
  });
  it('makes codes a person can read out', () => {
    expect(orderCode({ year: 2026, month: 11, day: 22 }, 1)).toBe('D2611220001');
    expect(orderCode({ year: 2026, month: 1, day: 5 }, 123)).toBe('D2601050123');
  });
});
