#!/usr/bin/env node
// How much compressed JavaScript the first page of each face of the web app loads, read from
// Vite's manifest (apps/web/dist/.vite/manifest.json; the build sets `build.manifest: true`).
//
// A face's first page loads the entry (index.html → src/main.tsx), the lazy chunks its first render asks for
// (listed below), and every chunk those import statically — Vite's preload helper fetches a
// dynamic chunk's static imports with it. Sizes are brotli (quality 11, what the build
// precompresses) and gzip of each file, summed once per file.
//
//   node scripts/web-size.mjs            the table
//   node scripts/web-size.mjs --json     the same as JSON
//   node scripts/web-size.mjs --budget   exit 1 when /h5 loads more than 400 KB of brotli JS
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'apps/web/dist');
export const H5_BUDGET_BYTES = 400 * 1024;

/** The lazy modules the first page of each face renders at once (after the entry). */
export const FACES = {
  '/login': ['src/features/auth/components/login-page.tsx'],
  '/h5': ['src/app/h5/h5-app.tsx', 'src/features/content/components/h5-home-news.tsx', 'src/features/activities/components/h5-home-activities.tsx'],
  '/admin': ['src/app/admin/admin-app.tsx', 'src/features/orgs/components/orgs-page.tsx'],
  '/screen/dashboard': ['src/features/stats/components/screen-dashboard-page.tsx'],
};
const ENTRY = 'index.html';

function sizes(file) {
  const buf = fs.readFileSync(path.join(dist, file));
  const br = fs.existsSync(path.join(dist, `${file}.br`))
    ? fs.statSync(path.join(dist, `${file}.br`)).size
    : zlib.brotliCompressSync(buf, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const gz = fs.existsSync(path.join(dist, `${file}.gz`)) ? fs.statSync(path.join(dist, `${file}.gz`)).size : zlib.gzipSync(buf, { level: 9 }).length;
  return { raw: buf.length, br, gz };
}

export function faceSizes() {
  const manifestPath = path.join(dist, '.vite/manifest.json');
  if (!fs.existsSync(manifestPath)) throw new Error(`没有找到 ${path.relative(root, manifestPath)}：请先构建 (npm run build)`);
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  const cache = new Map();
  const size = (f) => cache.get(f) ?? (cache.set(f, sizes(f)), cache.get(f));
  const result = {};
  for (const [face, lazyKeys] of Object.entries(FACES)) {
    const files = new Set();
    const visit = (key) => {
      const chunk = manifest[key];
      if (!chunk) throw new Error(`manifest 中没有 ${key}`);
      if (chunk.file.endsWith('.js')) files.add(chunk.file);
      for (const dep of chunk.imports ?? []) visit(dep);
    };
    visit(ENTRY);
    for (const k of lazyKeys) visit(k);
    const total = { raw: 0, br: 0, gz: 0, files: files.size };
    for (const f of files) {
      const s = size(f);
      total.raw += s.raw;
      total.br += s.br;
      total.gz += s.gz;
    }
    result[face] = total;
  }
  return result;
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = faceSizes();
  if (process.argv.includes('--json')) console.log(JSON.stringify(r, null, 2));
  else {
    console.log('首屏 JavaScript（每个端的第一页）/ first-load JS per face:');
    console.log(`  ${'face'.padEnd(18)} ${'files'.padStart(5)} ${'raw'.padStart(11)} ${'gzip'.padStart(11)} ${'brotli'.padStart(11)}`);
    for (const [face, t] of Object.entries(r))
      console.log(`  ${face.padEnd(18)} ${String(t.files).padStart(5)} ${kb(t.raw).padStart(11)} ${kb(t.gz).padStart(11)} ${kb(t.br).padStart(11)}`);
  }
  if (process.argv.includes('--budget') && r['/h5'].br > H5_BUDGET_BYTES) {
    console.error(`/h5 首屏 JS ${kb(r['/h5'].br)} 超出预算 ${kb(H5_BUDGET_BYTES)}`);
    process.exit(1);
  }
}
