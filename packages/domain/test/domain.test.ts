import { describe, expect, it } from 'vitest';
import { ORG_LEVELS } from '@wenming/contracts';
import { canBeChildOf, childLevelsOf, idNumberCheckChar, isValidIdNumber, isValidPhone, maskIdNumber, maskPhone } from '../src/index.ts';

describe('org level rules', () => {
  const allowed: Record<string, string[]> = {
    city: [],
    center: ['city'],
    institute: ['center'],
    station: ['institute'],
    point: ['center', 'institute', 'station'],
  };
  for (const child of ORG_LEVELS)
    for (const parent of ORG_LEVELS)
      it(`${child} under ${parent}: ${allowed[child]!.includes(parent)}`, () => {
        expect(canBeChildOf(child, parent)).toBe(allowed[child]!.includes(parent));
      });
  it('only a city has no parent', () => {
    expect(ORG_LEVELS.filter((l) => canBeChildOf(l, null))).toEqual(['city']);
  });
  it('lists the levels creatable under each parent', () => {
    expect(childLevelsOf('city')).toEqual(['center']);
    expect(childLevelsOf('center')).toEqual(['institute', 'point']);
    expect(childLevelsOf('institute')).toEqual(['station', 'point']);
    expect(childLevelsOf('station')).toEqual(['point']);
    expect(childLevelsOf('point')).toEqual([]);
  });
});

describe('resident ID number (GB 11643)', () => {
  it('accepts a number with the right check character', () => {
    // The standard's own example.
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber('11010519491231002x')).toBe(true);
    const first17 = '14010519800101123';
    expect(isValidIdNumber(first17 + idNumberCheckChar(first17))).toBe(true);
  });
  it('refuses a wrong check character, a bad date, bad length and letters', () => {
    expect(isValidIdNumber('110105194912310021')).toBe(false);
    expect(isValidIdNumber('140105198002301234')).toBe(false); // 30 February
    const bad = '14010519801301123';
    expect(isValidIdNumber(bad + idNumberCheckChar(bad))).toBe(false); // month 13
    expect(isValidIdNumber('1101051949123100')).toBe(false);
    expect(isValidIdNumber('11010519491231002XX')).toBe(false);
    expect(isValidIdNumber('A1010519491231002X')).toBe(false);
    expect(isValidIdNumber('')).toBe(false);
  });
  it('masks all but the first and last four', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('1101**********002X');
  });
});

describe('phone numbers', () => {
  it('accepts mainland mobiles only', () => {
    expect(isValidPhone('13812341234')).toBe(true);
    expect(isValidPhone('19912341234')).toBe(true);
    expect(isValidPhone('12812341234')).toBe(false);
    expect(isValidPhone('1381234123')).toBe(false);
    expect(isValidPhone('138123412345')).toBe(false);
    expect(isValidPhone('+8613812341234')).toBe(false);
  });
  it('masks the middle four digits', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
  });
});

import { hoursToNextStar, idNumberFacts, pointsForHours, roundHoursDown, starLevel } from '../src/index.ts';

describe('star levels and points', () => {
  it('climbs a star at 100, 300, 600, 1000 and 1500 hours', () => {
    const cases: [number, number][] = [
      [0, 0],
      [99.9, 0],
      [100, 1],
      [299.9, 1],
      [300, 2],
      [599.9, 2],
      [600, 3],
      [999.9, 3],
      [1000, 4],
      [1499.9, 4],
      [1500, 5],
      [99999, 5],
    ];
    for (const [h, s] of cases) expect(starLevel(h), `${h} h`).toBe(s);
    expect(hoursToNextStar(80)).toBe(20);
    expect(hoursToNextStar(1500)).toBeNull();
  });
  it('earns whole points per verified hour', () => {
    expect(pointsForHours(2)).toBe(20);
    expect(pointsForHours(1.5)).toBe(15);
    expect(pointsForHours(0.1, 10)).toBe(1);
    expect(pointsForHours(0.1, 5)).toBe(0);
    expect(pointsForHours(2.5, 12)).toBe(30);
  });
  it('rounds hours down to a tenth', () => {
    expect(roundHoursDown(1.99)).toBe(1.9);
    expect(roundHoursDown(2)).toBe(2);
    expect(roundHoursDown(0.3)).toBe(0.3);
  });
  it('reads birth year and gender from an ID number', () => {
    expect(idNumberFacts('11010519491231002X')).toEqual({ birthYear: 1949, gender: 'female' });
  });
});
