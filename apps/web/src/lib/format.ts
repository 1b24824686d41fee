const dateTime = new Intl.DateTimeFormat('zh-CN', {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
  timeZone: 'Asia/Shanghai',
});

/** 2026/11/23 14:46 (China time, whatever the device's zone). */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}

export function formatCoord(lat: number | null, lng: number | null): string {
  if (lat === null || lng === null) return '未设置';
  return `北纬 ${lat.toFixed(6)}°，东经 ${lng.toFixed(6)}°`;
}
