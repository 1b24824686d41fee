/** One CSV field: quoted when it holds a comma, quote or line break; formula starts defused. */
function field(v: unknown): string {
  let s = v === null || v === undefined ? '' : String(v);
  // A cell starting with = + - @ would run as a formula in Excel.
  if (/^[=+\-@]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Downloads rows as a CSV file: UTF-8 with a byte-order mark and CRLF line ends, so Excel on
 * Windows opens the Chinese text correctly.
 */
export function downloadCsv(filename: string, header: string[], rows: unknown[][]): void {
  const text = [header, ...rows].map((r) => r.map(field).join(',')).join('\r\n');
  const blob = new Blob(['\uFEFF', text, '\r\n'], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename.replace(/[\\/:*?"<>|]/g, '_');
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}
