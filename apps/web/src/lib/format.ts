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

/** `datetime-local` value (China time, as people mean it) → ISO with +08:00. */
export function localInputToIso(v: string | undefined | null): string | undefined {
  if (!v) return undefined;
  const full = v.length === 16 ? `${v}:00` : v;
  return `${full}+08:00`;
}

/** ISO → `datetime-local` value in China time. */
export function isoToLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(d)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/** 2.5 小时 */
export function formatHours(h: number | null | undefined): string {
  if (h === null || h === undefined) return '—';
  return `${Math.round(h * 10) / 10} 小时`;
}
