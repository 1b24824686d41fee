import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { cityOfId, newCityId, newId } from '../src/lib/ids.ts';

describe('ids that carry their city (newCityId)', () => {
  it('are valid UUIDs (version 8) that give back their city', () => {
    for (const city of ['1401', '1402', '1100', '8290', '0001']) {
      const id = newCityId(city);
      expect(z.uuid().safeParse(id).success, id).toBe(true);
      expect(id[14]).toBe('8');
      expect(cityOfId(id)).toBe(city);
    }
  });

  it('keep the time order of UUID v7 (the timestamp leads)', () => {
    const a = newCityId('1401');
    const later = Date.now() + 2;
    while (Date.now() < later);
    expect(newCityId('1402') > a).toBe(true);
  });

  it('are unique in bulk', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200_000; i++) seen.add(newCityId('1401'));
    expect(seen.size).toBe(200_000);
  });

  it('say nothing for other ids, and refuse a city code that is not 4 digits', () => {
    expect(cityOfId(newId())).toBeNull();
    expect(cityOfId('not-an-id')).toBeNull();
    expect(cityOfId('0190f3a0-1234-8abc-0def-0123456789ab')).toBeNull(); // version 8 without the RFC variant
    expect(() => newCityId('140')).toThrow();
    expect(() => newCityId('abcd')).toThrow();
  });
});
