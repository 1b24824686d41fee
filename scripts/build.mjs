#!/usr/bin/env node
// Builds what `wenming serve` serves and runs:
//   web     apps/web/dist — Vite build, every text asset precompressed (.br, .gz), manifest,
//           a stamp with the hash of the web sources + lockfile + vite config
//   server  apps/server/dist/main.mjs — the server bundled by esbuild (node_modules stay
//           external), with a stamp of the server sources; plus apps/server/dist/pglite-template,
//           a migrated embedded database that new data folders start from
//
//   node scripts/build.mjs              build both (npm run build)
//   node scripts/build.mjs --if-stale   build only what is missing or older than its sources (npm start)
//   node scripts/build.mjs web|server   one of them
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, SERVER_BUNDLE, SERVER_STAMP, WEB_STAMP, readStamp, serverSourceHash, webSourceHash, writeStamp } from '../apps/server/bin/stamp.mjs';
import { bundleServer } from './bundle-server.mjs';

const args = process.argv.slice(2);
const ifStale = args.includes('--if-stale');
const parts = args.filter((a) => !a.startsWith('--'));
const want = (p) => parts.length === 0 || parts.includes(p);
const secs = (t0) => `${((performance.now() - t0) / 1000).toFixed(1)} s`;

function run(cmd, cmdArgs, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, cmdArgs, { stdio: 'inherit', ...opts });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(cmdArgs[0] ?? cmd)} ${cmdArgs.slice(1).join(' ')} exited with ${code}`)),
    );
  });
}

async function buildWeb() {
  const hash = webSourceHash();
  if (ifStale && fs.existsSync(path.join(ROOT, 'apps/web/dist/index.html')) && readStamp(WEB_STAMP)?.hash === hash) {
    console.log('web: apps/web/dist 已是最新（源码未变），跳过构建');
    return;
  }
  const t0 = performance.now();
  console.log('web: 构建 apps/web/dist …');
  await run(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: path.join(ROOT, 'apps/web') });
  writeStamp(WEB_STAMP, hash);
  console.log(`web: 完成 (${secs(t0)})`);
  const { faceSizes } = await import(pathToFileURL(path.join(ROOT, 'scripts/web-size.mjs')).href);
  const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
  const sizes = Object.entries(faceSizes()).map(([face, t]) => `${face} ${kb(t.br)}`);
  console.log(`web: 首屏 JS（brotli）${sizes.join(' · ')}`);
}

async function buildServer() {
  const hash = serverSourceHash();
  const { pgliteTemplateFresh, makePgliteTemplate } = await importServerTool();
  const bundleFresh = fs.existsSync(SERVER_BUNDLE) && readStamp(SERVER_STAMP)?.hash === hash;
  if (!(ifStale && bundleFresh)) {
    const t0 = performance.now();
    await bundleServer(
      path.join(ROOT, 'apps/server/src/main.ts'),
      SERVER_BUNDLE,
      '// Built by scripts/build.mjs from apps/server/src; do not edit. Run the sources with WENMING_FROM_SOURCE=1.',
    );
    writeStamp(SERVER_STAMP, hash);
    console.log(`server: apps/server/dist/main.mjs 已编译 (${secs(t0)})`);
  } else console.log('server: apps/server/dist/main.mjs 已是最新，跳过编译');
  if (pgliteTemplateFresh()) {
    console.log('server: 内嵌数据库模板已是最新（迁移未变）');
    return;
  }
  // Before `serve` (npm start) the template only matters to a data folder that has no database yet.
  const dataDir = path.resolve(ROOT, process.env.DATA_DIR || './data');
  if (ifStale && (process.env.DATABASE_URL || fs.existsSync(path.join(dataDir, 'pgdata/PG_VERSION')))) {
    console.log('server: 数据库已存在，不需要内嵌数据库模板（npm run build 会生成）');
    return;
  }
  const t0 = performance.now();
  console.log('server: 生成内嵌数据库模板（已迁移的空库，新数据目录从它复制）…');
  const r = await makePgliteTemplate();
  console.log(`server: 模板完成，${r.migrations} 个迁移，${(r.bytes / 1024 / 1024).toFixed(0)} MB (${secs(t0)})`);
}

/** The template module of the server, through tsx (the build must not depend on a build). */
async function importServerTool() {
  const { register } = await import('tsx/esm/api');
  const api = register({ namespace: 'wenming-build' });
  const mod = await api.import('../apps/server/src/db/pglite-template.ts', import.meta.url);
  return mod;
}

const t0 = performance.now();
const jobs = [];
// Both at once: the web build is mostly one core, the database template the other.
if (want('web')) jobs.push(buildWeb());
if (want('server')) jobs.push(buildServer());
const results = await Promise.allSettled(jobs);
const failed = results.filter((r) => r.status === 'rejected');
for (const f of failed) console.error(f.reason instanceof Error ? f.reason.message : f.reason);
if (failed.length) process.exit(1);
if (!ifStale) console.log(`构建完成 (${secs(t0)})`);
