/** The benchmark's one table (stdout) and its JSON record (bench/results/<timestamp>.json). */
import fs from 'node:fs';
import path from 'node:path';
import type { LoadResult } from './load.ts';
import type { ReplayResult } from './sql-replay.ts';

export interface PathRow {
  name: string;
  label: string;
  request: string;
  http?: LoadResult;
  sql?: ReplayResult & { statements: number; transactions: number; aligned: boolean; writes: boolean };
  /** The HTTP ceiling's name and req/s. */
  httpCeiling?: { name: string; rps: number };
  rss?: { start: number; peak: number };
  target?: string;
  met?: boolean | null;
  note?: string;
  error?: string;
}

export interface SingleRow {
  name: string;
  label: string;
  seconds: number | null;
  detail: string;
  rss?: { start: number; peak: number };
  target?: string;
  met?: boolean | null;
  error?: string;
}

const num = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '—' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const msf = (x: number | undefined) =>
  x === undefined || !Number.isFinite(x) ? '—' : x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : x >= 100 ? `${x.toFixed(0)} ms` : `${x.toFixed(1)} ms`;
const ratio = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined || !b || !Number.isFinite(a / b) ? '—' : `${(a / b).toFixed(2)}`;
const mark = (m: boolean | null | undefined) => (m === true ? '✓ ' : m === false ? '✗ ' : '');

/** Display width: CJK characters take two columns. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}
const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));
const lpad = (s: string, n: number) => ' '.repeat(Math.max(0, n - width(s))) + s;

export function renderTable(rows: PathRow[], singles: SingleRow[]): string {
  const head = ['path', 'conn', 'req/s', 'p50', 'p95', 'p99', 'SQL req/s', 'SQL p99', '÷SQL', '÷HTTP', 'p99÷SQL', 'RSS MB', 'target'];
  const body: string[][] = rows.map((r) => [
    r.label,
    r.http ? (r.http.mode === 'sequential' ? '1 seq' : String(r.http.connections)) : '',
    r.error ? 'error' : num(r.http?.rps),
    msf(r.http?.p50),
    msf(r.http?.p95),
    msf(r.http?.p99),
    r.sql ? num(r.sql.rps) : '',
    r.sql ? msf(r.sql.p99) : '',
    r.sql ? ratio(r.http?.rps, r.sql.rps) : '',
    r.httpCeiling ? ratio(r.http?.rps, r.httpCeiling.rps) : '',
    r.sql ? ratio(r.http?.p99, r.sql.p99) : '',
    r.rss ? r.rss.peak.toFixed(0) : '',
    `${mark(r.met)}${r.target ?? ''}`,
  ]);
  for (const s of singles)
    body.push([
      s.label,
      'once',
      s.error ? 'error' : '',
      s.seconds === null ? '—' : msf(s.seconds * 1000),
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      s.rss ? s.rss.peak.toFixed(0) : '',
      `${mark(s.met)}${s.target ?? ''}`,
    ]);
  const widths = head.map((h, i) => Math.max(width(h), ...body.map((b) => width(b[i]!))));
  const left = new Set([0, 12]);
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (left.has(i) ? pad(c, widths[i]!) : lpad(c, widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [line(head), widths.map((w) => '─'.repeat(w)).join('  ')];
  for (const b of body) out.push(line(b));
  const notes = [
    ...rows
      .filter((r) => r.error || r.note || r.http?.failures || r.sql?.errors)
      .map(
        (r) =>
          `  ${r.label}: ${[r.error, r.note, r.http?.failures ? `${r.http.failures} failed responses (${r.http.firstFailure})` : '', r.sql?.errors ? `${r.sql.errors} failed replays (${r.sql.firstError})` : ''].filter(Boolean).join('; ')}`,
      ),
    ...singles.map((s) => `  ${s.label}: ${s.error ?? s.detail}`),
  ];
  if (notes.length) out.push('', ...notes);
  return out.join('\n');
}

export function writeJson(dir: string, record: unknown): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}
