import { describe, expect, it } from 'vitest';
import { ACTIVITY_EVENTS, ACTIVITY_STATES, acceptedWindows, attendanceHours, codeWindow, nextActivityState } from '../src/index.ts';

const EXPECTED: Record<string, Record<string, string>> = {
  draft: { publish: 'published', cancel: 'cancelled' },
  published: { cancel: 'cancelled', finish: 'finished' },
  cancelled: {},
  finished: {},
};

describe('activity state machine', () => {
  for (const s of ACTIVITY_STATES)
    for (const e of ACTIVITY_EVENTS) it(`${s} --${e}--> ${EXPECTED[s]![e] ?? '✗'}`, () => expect(nextActivityState(s, e)).toBe(EXPECTED[s]![e] ?? null));
});

describe('hours from attendance', () => {
  const start = new Date('2026-11-22T09:00:00+08:00');
  const end = new Date('2026-11-22T11:00:00+08:00');
  const at = (hhmm: string) => new Date(`2026-11-22T${hhmm}:00+08:00`);
  it('takes the overlap with the activity, rounded down to a tenth', () => {
    expect(attendanceHours(at('08:40'), at('11:30'), start, end)).toMatchObject({ hours: 2, eligible: true });
    expect(attendanceHours(at('09:10'), at('11:00'), start, end)).toMatchObject({ hours: 1.8, eligible: true });
    expect(attendanceHours(at('09:00'), at('10:59'), start, end).hours).toBe(1.9);
  });
  it('earns nothing below 60 % attendance or without overlap', () => {
    expect(attendanceHours(at('09:00'), at('10:11'), start, end)).toMatchObject({ hours: 1.1, eligible: false });
    expect(attendanceHours(at('09:00'), at('10:12'), start, end)).toMatchObject({ hours: 1.2, eligible: true });
    expect(attendanceHours(at('11:10'), at('11:30'), start, end)).toMatchObject({ hours: 0, eligible: false });
    expect(attendanceHours(at('10:00'), at('09:30'), start, end)).toMatchObject({ hours: 0, eligible: false });
  });
  it('caps at 24 hours', () => {
    expect(
      attendanceHours(new Date('2026-11-20T00:00:00Z'), new Date('2026-11-23T00:00:00Z'), new Date('2026-11-20T00:00:00Z'), new Date('2026-11-23T00:00:00Z'))
        .hours,
    ).toBe(24);
  });
});

describe('check-in code windows', () => {
  it('rotate every 30 seconds and accept the previous one', () => {
    const t = new Date('2026-11-22T09:00:10Z');
    expect(codeWindow(new Date(t.getTime() + 30_000))).toBe(codeWindow(t) + 1);
    expect(acceptedWindows(t)).toEqual([codeWindow(t), codeWindow(t) - 1]);
  });
});

import { distanceMeters } from '../src/index.ts';
describe('distance', () => {
  it('measures metres on the ground', () => {
    expect(distanceMeters(37.8, 112.56, 37.8, 112.56)).toBe(0);
    // 0.01° of latitude is about 1.11 km.
    expect(distanceMeters(37.8, 112.56, 37.81, 112.56)).toBeGreaterThan(1100);
    expect(distanceMeters(37.8, 112.56, 37.81, 112.56)).toBeLessThan(1120);
  });
});
