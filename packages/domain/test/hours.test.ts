import { describe, expect, it } from 'vitest';
import { checkClaimedHours, formatDuration, HOURS_GRACE } from '../src/hours.ts';

const at = (iso: string) => new Date(iso);

describe('hours plausibility', () => {
  it('flags 24 hours claimed for a service started and completed 0.8 s apart, with the evidence', () => {
    const c = checkClaimedHours({ claimed: 24, startedAt: at('2026-12-07T10:00:00.000Z'), endedAt: at('2026-12-07T10:00:00.800Z') });
    expect(c).toMatchObject({ verdict: 'implausible', claimed: 24, observedHours: 0, maxHours: HOURS_GRACE });
    expect(c.reason).toBe('申报 24 小时，但开始至完成仅 0.8 秒');
  });

  it('passes a claim within the observed time and the grace, and flags one just beyond', () => {
    const s = at('2026-12-07T01:00:00Z');
    const e = at('2026-12-07T03:00:00Z');
    expect(checkClaimedHours({ claimed: 2, startedAt: s, endedAt: e }).verdict).toBe('ok');
    expect(checkClaimedHours({ claimed: 2.5, startedAt: s, endedAt: e }).verdict).toBe('ok');
    const over = checkClaimedHours({ claimed: 2.6, startedAt: s, endedAt: e });
    expect(over).toMatchObject({ verdict: 'implausible', observedHours: 2, maxHours: 2.5 });
    expect(over.reason).toBe('申报 2.6 小时，但开始至完成仅 2 小时');
  });

  it('holds an activity record to the activity’s times as well as the check-in and check-out', () => {
    const window = { startsAt: at('2026-12-07T01:00:00Z'), endsAt: at('2026-12-07T02:00:00Z') };
    const c = checkClaimedHours({ claimed: 3, startedAt: at('2026-12-07T00:00:00Z'), endedAt: at('2026-12-07T04:00:00Z'), window });
    expect(c).toMatchObject({ verdict: 'implausible', observedHours: 1, maxHours: 1.5 });
    expect(c.reason).toContain('活动时间仅 1 小时');
    expect(checkClaimedHours({ claimed: 1.5, startedAt: null, endedAt: null, window }).verdict).toBe('ok');
  });

  it('says unknown, not ok, when there are no times to check against', () => {
    expect(checkClaimedHours({ claimed: 8, startedAt: null, endedAt: null })).toMatchObject({ verdict: 'unknown', observedHours: null, reason: null });
    expect(checkClaimedHours({ claimed: 8, startedAt: at('2026-12-07T00:00:00Z'), endedAt: null }).verdict).toBe('unknown');
  });

  it('never counts a completion before the start as time served', () => {
    expect(checkClaimedHours({ claimed: 1, startedAt: at('2026-12-07T02:00:00Z'), endedAt: at('2026-12-07T01:00:00Z') }).verdict).toBe('implausible');
  });

  it('formats durations for people', () => {
    expect(formatDuration(0.8 / 3600)).toBe('0.8 秒');
    expect(formatDuration(0.2)).toBe('12 分钟');
    expect(formatDuration(1.54)).toBe('1.5 小时');
  });
});
