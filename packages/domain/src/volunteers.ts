/** Star levels (星级) from verified hours (API.md): 1★ ≥ 100, 2★ ≥ 300, 3★ ≥ 600, 4★ ≥ 1000, 5★ ≥ 1500. */
export const STAR_THRESHOLDS = [100, 300, 600, 1000, 1500] as const;

export function starLevel(totalHours: number): number {
  let star = 0;
  for (const t of STAR_THRESHOLDS) if (totalHours >= t) star++;
  return star;
}

/** Hours still needed for the next star, or null at 5★. */
export function hoursToNextStar(totalHours: number): number | null {
  const next = STAR_THRESHOLDS.find((t) => totalHours < t);
  return next === undefined ? null : Math.round((next - totalHours) * 10) / 10;
}

export const DEFAULT_POINTS_PER_HOUR = 10;

/** Points earned for verified hours: whole points, rounded down (1.5 h × 10 = 15). */
export function pointsForHours(hours: number, perHour: number = DEFAULT_POINTS_PER_HOUR): number {
  return Math.floor((Math.round(hours * 10) * perHour) / 10);
}

/** Hours carry one decimal; rounded down to 0.1 h (API.md). */
export function roundHoursDown(hours: number): number {
  return Math.floor(hours * 10 + 1e-9) / 10;
}

/** Birth year and gender from a valid resident ID number (digits 7–10; digit 17 odd = male). */
export function idNumberFacts(idNumber: string): { birthYear: number; gender: 'male' | 'female' } {
  return { birthYear: Number(idNumber.slice(6, 10)), gender: Number(idNumber[16]) % 2 === 1 ? 'male' : 'female' };
}
