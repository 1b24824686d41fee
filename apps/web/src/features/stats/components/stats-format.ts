export const LEVEL_NAMES: Record<string, string> = { city: '市', center: '实践中心', institute: '实践所', station: '实践站', point: '实践点' };

const intFmt = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 });
const oneFmt = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 1 });

export const fmtInt = (n: number) => intFmt.format(n);
/** Hours: one decimal below 10,000; 万 above. */
export const fmtHours = (n: number) => (n >= 100_000 ? `${oneFmt.format(n / 10_000)}万` : oneFmt.format(n));
export const fmtPct = (r: number) => `${oneFmt.format(r * 100)}%`;
