import { describe, expect, it } from 'vitest';
import { missingQualifications, nextHonourRoundState, qualificationExpiry, qualificationValid, votingOpen } from '../src/training.ts';

describe('qualifications', () => {
  it('count until their last valid day, not after, and never when revoked', () => {
    expect(qualificationValid({ validUntil: '2027-03-01' }, '2027-03-01')).toBe(true);
    expect(qualificationValid({ validUntil: '2027-03-01' }, '2027-03-02')).toBe(false);
    expect(qualificationValid({ validUntil: null }, '2099-01-01')).toBe(true);
    expect(qualificationValid({ validUntil: null, revokedAt: new Date() }, '2027-01-01')).toBe(false);
  });
  it('earned on a day expire the day before the same date so many months later', () => {
    expect(qualificationExpiry('2026-12-07', 24)).toBe('2028-12-06');
    expect(qualificationExpiry('2027-01-31', 1)).toBe('2027-02-27');
    expect(qualificationExpiry('2027-03-01', 12)).toBe('2028-02-29');
    expect(qualificationExpiry('2027-03-01', null)).toBeNull();
  });
  it('an expired one does not meet a requirement', () => {
    const held = [
      { name: '急救证', validUntil: '2026-12-01' },
      { name: '心理咨询', validUntil: null },
    ];
    expect(missingQualifications(['急救证', '心理咨询'], held, '2026-12-07')).toEqual(['急救证']);
    expect(missingQualifications(['急救证'], held, '2026-11-30')).toEqual([]);
  });
});

describe('selection rounds', () => {
  it('go 推荐 → 投票 → 结束 and no other way', () => {
    expect(nextHonourRoundState('nominating', 'openVoting')).toBe('voting');
    expect(nextHonourRoundState('voting', 'close')).toBe('closed');
    expect(nextHonourRoundState('nominating', 'close')).toBeNull();
    expect(nextHonourRoundState('closed', 'openVoting')).toBeNull();
  });
  it('take votes only on the days of the voting period', () => {
    const r = { state: 'voting' as const, votingStartsOn: '2026-12-01', votingEndsOn: '2026-12-10' };
    expect(votingOpen(r, '2026-12-01')).toBe(true);
    expect(votingOpen(r, '2026-12-11')).toBe(false);
    expect(votingOpen({ ...r, state: 'closed' }, '2026-12-05')).toBe(false);
  });
});
