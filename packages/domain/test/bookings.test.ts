import { describe, expect, it } from 'vitest';
import { BOOKING_EVENTS, BOOKING_STATES, checkBooking, localTime, nextBookingState, openIntervals } from '../src/index.ts';

const EXPECTED: Record<string, Record<string, string>> = {
  pending: { approve: 'approved', reject: 'rejected', cancel: 'cancelled' },
  approved: { cancel: 'cancelled', checkin: 'checked_in', no_show: 'no_show', complete: 'completed' },
  checked_in: { complete: 'completed' },
  rejected: {},
  cancelled: {},
  completed: {},
  no_show: {},
};

describe('booking state machine', () => {
  for (const s of BOOKING_STATES)
    for (const e of BOOKING_EVENTS) it(`${s} --${e}--> ${EXPECTED[s]![e] ?? '✗'}`, () => expect(nextBookingState(s, e)).toBe(EXPECTED[s]![e] ?? null));
});

describe('open hours in Asia/Shanghai', () => {
  const tz = 'Asia/Shanghai';
  // Monday 2026-11-23 … ; open Mon 08:30–12:00 and 14:00–21:00, Sat 09:00–12:00 and 12:00–17:00 (touching).
  const room = {
    openHours: [
      { weekday: 1, open: '08:30', close: '12:00' },
      { weekday: 1, open: '14:00', close: '21:00' },
      { weekday: 6, open: '09:00', close: '12:00' },
      { weekday: 6, open: '12:00', close: '17:00' },
    ],
    closedDates: ['2026-12-07'],
    capacity: 30,
    maxDaysAhead: 30,
    timeZone: tz,
  };
  const now = new Date('2026-11-22T12:00:00+08:00');
  const at = (s: string) => new Date(s);
  const check = (a: string, b: string, attendees?: number) => checkBooking({ startsAt: at(a), endsAt: at(b), attendees }, room, now);

  it('reads the local wall clock', () => {
    expect(localTime(at('2026-11-23T01:30:00Z'), tz)).toEqual({ date: '2026-11-23', weekday: 1, minutes: 9 * 60 + 30 });
    expect(localTime(at('2026-11-22T16:30:00Z'), tz)).toEqual({ date: '2026-11-23', weekday: 1, minutes: 30 });
  });
  it('merges touching intervals', () => {
    expect(openIntervals(room.openHours, 6)).toEqual([[540, 1020]]);
    expect(openIntervals(room.openHours, 1)).toEqual([
      [510, 720],
      [840, 1260],
    ]);
    expect(openIntervals(room.openHours, 3)).toEqual([]);
  });
  it('accepts bookings inside one open interval, up to its close', () => {
    expect(check('2026-11-23T09:00:00+08:00', '2026-11-23T11:00:00+08:00')).toBeNull();
    expect(check('2026-11-23T19:00:00+08:00', '2026-11-23T21:00:00+08:00')).toBeNull();
    // Across noon when open through noon (Saturday's touching intervals).
    expect(check('2026-11-28T11:00:00+08:00', '2026-11-28T13:30:00+08:00')).toBeNull();
  });
  it('refuses the lunch break, before opening, after closing, closed days and dates', () => {
    expect(check('2026-11-23T11:00:00+08:00', '2026-11-23T15:00:00+08:00')).toBe('outside_hours');
    expect(check('2026-11-23T08:00:00+08:00', '2026-11-23T09:00:00+08:00')).toBe('outside_hours');
    expect(check('2026-11-23T20:30:00+08:00', '2026-11-23T21:30:00+08:00')).toBe('outside_hours');
    expect(check('2026-11-25T09:00:00+08:00', '2026-11-25T10:00:00+08:00')).toBe('outside_hours'); // Wednesday: closed
    expect(check('2026-12-07T09:00:00+08:00', '2026-12-07T10:00:00+08:00')).toBe('closed_date');
    expect(check('2026-11-23T20:00:00+08:00', '2026-11-24T09:00:00+08:00')).toBe('multi_day');
  });
  it('refuses the past, too far ahead and over capacity', () => {
    expect(check('2026-11-21T09:00:00+08:00', '2026-11-21T10:00:00+08:00')).toBe('past');
    expect(check('2027-01-04T09:00:00+08:00', '2027-01-04T10:00:00+08:00')).toBe('too_far_ahead');
    expect(check('2026-11-23T09:00:00+08:00', '2026-11-23T10:00:00+08:00', 31)).toBe('over_capacity');
  });
});

import { zonedInstant } from '../src/index.ts';
describe('zoned instants', () => {
  it('turns a Shanghai wall clock into an instant', () => {
    expect(zonedInstant('2026-11-23', 9 * 60, 'Asia/Shanghai').toISOString()).toBe('2026-11-23T01:00:00.000Z');
    expect(zonedInstant('2026-11-23', 0, 'Asia/Shanghai').toISOString()).toBe('2026-11-22T16:00:00.000Z');
    expect(zonedInstant('2026-11-23', 24 * 60, 'Asia/Shanghai').toISOString()).toBe('2026-11-23T16:00:00.000Z');
  });
});

import { openMinutesBetween } from '../src/index.ts';
describe('open minutes', () => {
  it('adds up the open intervals of each day, skipping closed dates', () => {
    const hours = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, open: '09:00', close: '17:00' }));
    expect(openMinutesBetween(hours, [], '2026-11-23', 7, 'Asia/Shanghai')).toBe(7 * 8 * 60);
    expect(openMinutesBetween(hours, ['2026-11-24'], '2026-11-23', 7, 'Asia/Shanghai')).toBe(6 * 8 * 60);
    expect(openMinutesBetween([{ weekday: 1, open: '09:00', close: '12:00' }], [], '2026-11-23', 7, 'Asia/Shanghai')).toBe(180);
  });
});
