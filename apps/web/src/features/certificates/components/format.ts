/** 2026-11-23 or 2026-11-23T09:30:00+08:00 → 2026年11月23日 (the date part is already China time). */
export function cnDate(iso: string | null | undefined): string {
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})/.exec(iso) : null;
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : '—';
}

/** 4 → 4, 2.5 → 2.5 (hours carry one decimal). */
export const hoursText = (h: number) => String(Math.round(h * 10) / 10);

export const starsText = (star: number) => '★'.repeat(star) + '☆'.repeat(Math.max(0, 5 - star));
