/**
 * Gregorian dates of the traditional festivals used by pairing plans (结对帮扶的节日探访),
 * 2025–2030. Lunar festivals are the Gregorian dates of their lunar month/day in China's
 * calendar (UTC+8); 清明 is the solar term. Shipped in the repository: no look-up at run time.
 * Checked against a lunar-calendar library when written; the unit tests check the internal
 * relations (元宵 = 春节 + 14 days, 除夕 = 春节 − 1 day, 清明 on 4 or 5 April, …).
 */
export const FESTIVALS = ['new_years_eve', 'spring', 'lantern', 'qingming', 'dragon_boat', 'qixi', 'mid_autumn', 'double_ninth'] as const;
export type Festival = (typeof FESTIVALS)[number];

export const FESTIVAL_NAMES: Record<Festival, string> = {
  new_years_eve: '除夕',
  spring: '春节',
  lantern: '元宵节',
  qingming: '清明节',
  dragon_boat: '端午节',
  qixi: '七夕',
  mid_autumn: '中秋节',
  double_ninth: '重阳节',
};

/** The lunar date (or solar term) each festival is on, for display. */
export const FESTIVAL_LUNAR: Record<Festival, string> = {
  new_years_eve: '农历腊月最后一天',
  spring: '农历正月初一',
  lantern: '农历正月十五',
  qingming: '清明节气',
  dragon_boat: '农历五月初五',
  qixi: '农历七月初七',
  mid_autumn: '农历八月十五',
  double_ninth: '农历九月初九',
};

export const FESTIVAL_DATES: Record<number, Record<Festival, string>> = {
  2025: {
    new_years_eve: '2025-01-28',
    spring: '2025-01-29',
    lantern: '2025-02-12',
    qingming: '2025-04-04',
    dragon_boat: '2025-05-31',
    qixi: '2025-08-29',
    mid_autumn: '2025-10-06',
    double_ninth: '2025-10-29',
  },
  2026: {
    new_years_eve: '2026-02-16',
    spring: '2026-02-17',
    lantern: '2026-03-03',
    qingming: '2026-04-05',
    dragon_boat: '2026-06-19',
    qixi: '2026-08-19',
    mid_autumn: '2026-09-25',
    double_ninth: '2026-10-18',
  },
  2027: {
    new_years_eve: '2027-02-05',
    spring: '2027-02-06',
    lantern: '2027-02-20',
    qingming: '2027-04-05',
    dragon_boat: '2027-06-09',
    qixi: '2027-08-08',
    mid_autumn: '2027-09-15',
    double_ninth: '2027-10-08',
  },
  2028: {
    new_years_eve: '2028-01-25',
    spring: '2028-01-26',
    lantern: '2028-02-09',
    qingming: '2028-04-04',
    dragon_boat: '2028-05-28',
    qixi: '2028-08-26',
    mid_autumn: '2028-10-03',
    double_ninth: '2028-10-26',
  },
  2029: {
    new_years_eve: '2029-02-12',
    spring: '2029-02-13',
    lantern: '2029-02-27',
    qingming: '2029-04-04',
    dragon_boat: '2029-06-16',
    qixi: '2029-08-16',
    mid_autumn: '2029-09-22',
    double_ninth: '2029-10-16',
  },
  2030: {
    new_years_eve: '2030-02-02',
    spring: '2030-02-03',
    lantern: '2030-02-17',
    qingming: '2030-04-05',
    dragon_boat: '2030-06-05',
    qixi: '2030-08-05',
    mid_autumn: '2030-09-12',
    double_ninth: '2030-10-05',
  },
};

export const FESTIVAL_YEARS = { from: 2025, to: 2030 } as const;

/** The festival's date in that year, or null outside the table. */
export function festivalDate(festival: Festival, year: number): string | null {
  return FESTIVAL_DATES[year]?.[festival] ?? null;
}
