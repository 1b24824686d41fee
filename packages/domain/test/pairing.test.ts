import { describe, expect, it } from 'vitest';
import {
  addDays,
  chinaInstant,
  expandPairingSchedule,
  FESTIVAL_DATES,
  FESTIVALS,
  festivalDate,
  isoWeekday,
  isPairingTaskOverdue,
  localDate,
  mayLogPairingVisit,
  nextPairingPlanState,
  nextPairingTaskState,
  PAIRING_PLAN_EVENTS,
  PAIRING_PLAN_STATES,
  PAIRING_TASK_EVENTS,
  PAIRING_TASK_STATES,
  type PairingRules,
} from '../src/index.ts';

const PLAN: Record<string, Record<string, string>> = {
  active: { pause: 'paused', end: 'ended' },
  paused: { resume: 'active', end: 'ended' },
  ended: {},
};
const TASK: Record<string, Record<string, string>> = {
  open: { log: 'done', miss: 'missed', cancel: 'cancelled' },
  done: {},
  missed: {},
  cancelled: { reopen: 'open' },
};

describe('pairing plan state machine', () => {
  for (const s of PAIRING_PLAN_STATES)
    for (const e of PAIRING_PLAN_EVENTS) it(`${s} --${e}--> ${PLAN[s]![e] ?? '✗'}`, () => expect(nextPairingPlanState(s, e)).toBe(PLAN[s]![e] ?? null));
});

describe('pairing task state machine', () => {
  for (const s of PAIRING_TASK_STATES)
    for (const e of PAIRING_TASK_EVENTS) it(`${s} --${e}--> ${TASK[s]![e] ?? '✗'}`, () => expect(nextPairingTaskState(s, e)).toBe(TASK[s]![e] ?? null));
});

const none: PairingRules = { weekly: [], monthly: [], holidays: [] };
const span = (from: string, to: string, startsOn = '2020-01-01', endsOn: string | null = null) => ({ startsOn, endsOn, from, to });

describe('date helpers', () => {
  it('adds days across months and years, and knows weekdays', () => {
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(isoWeekday('2026-11-23')).toBe(1); // a Monday
    expect(isoWeekday('2026-11-29')).toBe(7); // a Sunday
  });
  it('reads the local date in China and makes China instants', () => {
    expect(localDate(new Date('2026-11-22T16:30:00Z'))).toBe('2026-11-23');
    expect(localDate(new Date('2026-11-22T15:59:00Z'))).toBe('2026-11-22');
    expect(chinaInstant('2026-11-23', '09:30').toISOString()).toBe('2026-11-23T01:30:00.000Z');
  });
});

describe('schedule expansion', () => {
  it('weekly: every matching weekday in the window, at the rule time', () => {
    const v = expandPairingSchedule({ ...none, weekly: [{ weekday: 3, time: '09:00' }] }, span('2026-11-23', '2026-12-13'));
    expect(v.map((x) => x.date)).toEqual(['2026-11-25', '2026-12-02', '2026-12-09']);
    expect(v.every((x) => x.kind === 'weekly' && x.time === '09:00')).toBe(true);
    expect(v[0]!.label).toContain('周三');
  });

  it('weekly on two weekdays, sorted by date', () => {
    const v = expandPairingSchedule(
      {
        ...none,
        weekly: [
          { weekday: 6, time: '15:00' },
          { weekday: 1, time: '09:00' },
        ],
      },
      span('2026-11-23', '2026-11-30'),
    );
    expect(v.map((x) => `${x.date} ${x.time}`)).toEqual(['2026-11-23 09:00', '2026-11-28 15:00', '2026-11-30 09:00']);
  });

  it('monthly: day 31 falls on the last day of short months (Feb 28, Feb 29 in a leap year, Apr 30)', () => {
    const rules = { ...none, monthly: [{ day: 31, time: '14:00' }] };
    expect(expandPairingSchedule(rules, span('2026-01-01', '2026-06-30')).map((x) => x.date)).toEqual([
      '2026-01-31',
      '2026-02-28',
      '2026-03-31',
      '2026-04-30',
      '2026-05-31',
      '2026-06-30',
    ]);
    expect(expandPairingSchedule(rules, span('2028-02-01', '2028-02-29')).map((x) => x.date)).toEqual(['2028-02-29']);
    expect(expandPairingSchedule({ ...none, monthly: [{ day: 29, time: '14:00' }] }, span('2027-02-01', '2027-03-31')).map((x) => x.date)).toEqual([
      '2027-02-28',
      '2027-03-29',
    ]);
  });

  it('monthly: two days clamping to the same date give one visit', () => {
    const v = expandPairingSchedule(
      {
        ...none,
        monthly: [
          { day: 30, time: '10:00' },
          { day: 31, time: '16:00' },
        ],
      },
      span('2026-02-01', '2026-02-28'),
    );
    expect(v).toEqual([{ date: '2026-02-28', time: '10:00', kind: 'monthly', label: '每月相聚（2月）' }]);
  });

  it('holidays: festival dates from the table, across a year boundary', () => {
    const v = expandPairingSchedule(
      {
        ...none,
        holidays: [
          { festival: 'double_ninth', time: '09:30' },
          { festival: 'spring', time: '10:00' },
          { festival: 'mid_autumn', time: '18:00' },
        ],
      },
      span('2026-09-01', '2027-02-28'),
    );
    expect(v.map((x) => `${x.date} ${x.label}`)).toEqual(['2026-09-25 中秋节探访', '2026-10-18 重阳节探访', '2027-02-06 春节探访']);
  });

  it('holidays outside the shipped table (2025–2030) produce nothing', () => {
    expect(expandPairingSchedule({ ...none, holidays: [{ festival: 'spring', time: '10:00' }] }, span('2031-01-01', '2031-12-31'))).toEqual([]);
    expect(festivalDate('spring', 2031)).toBeNull();
  });

  it('clips to the plan start and end dates (inclusive)', () => {
    const rules = { ...none, weekly: [{ weekday: 1, time: '09:00' }] };
    expect(expandPairingSchedule(rules, span('2026-11-01', '2026-12-31', '2026-11-23', '2026-12-07')).map((x) => x.date)).toEqual([
      '2026-11-23',
      '2026-11-30',
      '2026-12-07',
    ]);
    expect(expandPairingSchedule(rules, span('2026-11-01', '2026-11-30', '2026-12-01'))).toEqual([]);
    expect(expandPairingSchedule(rules, span('2026-12-08', '2026-12-31', '2026-11-01', '2026-12-07'))).toEqual([]);
  });

  it('a weekly visit and a festival on the same day are two visits of different kinds', () => {
    // 2026-10-18 (重阳) is a Sunday.
    const v = expandPairingSchedule(
      { ...none, weekly: [{ weekday: 7, time: '09:00' }], holidays: [{ festival: 'double_ninth', time: '09:00' }] },
      span('2026-10-18', '2026-10-18'),
    );
    expect(v.map((x) => x.kind)).toEqual(['holiday', 'weekly']);
  });
});

describe('festival table', () => {
  it('covers 2025–2030 for every festival, each date in its own year', () => {
    for (let y = 2025; y <= 2030; y++) for (const f of FESTIVALS) expect(FESTIVAL_DATES[y]![f].slice(0, 4)).toBe(String(y));
  });
  it('keeps the calendar relations: 除夕 = 春节 − 1, 元宵 = 春节 + 14, 清明 on 4 or 5 April, 春节 between 21 Jan and 20 Feb', () => {
    for (let y = 2025; y <= 2030; y++) {
      const d = FESTIVAL_DATES[y]!;
      expect(addDays(d.spring, -1)).toBe(d.new_years_eve);
      expect(addDays(d.spring, 14)).toBe(d.lantern);
      expect(['04-04', '04-05']).toContain(d.qingming.slice(5));
      expect(d.spring >= `${y}-01-21` && d.spring <= `${y}-02-20`).toBe(true);
      // Festivals in calendar order.
      const order = [d.new_years_eve, d.spring, d.lantern, d.qingming, d.dragon_boat, d.qixi, d.mid_autumn, d.double_ninth];
      expect([...order].sort()).toEqual(order);
    }
  });
  it('has the well-known dates', () => {
    expect(FESTIVAL_DATES[2025]!.mid_autumn).toBe('2025-10-06');
    expect(FESTIVAL_DATES[2026]!.spring).toBe('2026-02-17');
    expect(FESTIVAL_DATES[2026]!.dragon_boat).toBe('2026-06-19');
  });
});

describe('overdue and logging windows', () => {
  it('an open task is overdue after its due date; a done one never', () => {
    expect(isPairingTaskOverdue('open', '2026-11-22', '2026-11-23')).toBe(true);
    expect(isPairingTaskOverdue('open', '2026-11-23', '2026-11-23')).toBe(false);
    expect(isPairingTaskOverdue('done', '2026-11-01', '2026-11-23')).toBe(false);
  });
  it('a visit may be logged from the day before it is due', () => {
    expect(mayLogPairingVisit('2026-11-24', '2026-11-23')).toBe(true);
    expect(mayLogPairingVisit('2026-11-25', '2026-11-23')).toBe(false);
    expect(mayLogPairingVisit('2026-11-01', '2026-11-23')).toBe(true);
  });
});
