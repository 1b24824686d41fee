#!/usr/bin/env node
// Start-up benchmark: time from spawning `wenming serve` to the first 200 from /readyz, and the
// process's memory (RSS when ready, peak RSS, RSS after a few page and API requests).
//
//   npm run bench:startup                         fresh start once, then 3 restarts on that data dir
//   npm run bench:startup -- --restarts 5 --seed demo --port 3190
//   npm run bench:startup -- --json               machine-readable
//
// The runs share one temporary DATA_DIR (deleted afterwards); LOG_LEVEL=silent. --seed none
// (default) times the start-up itself; with --seed demo the fresh start also seeds the demo data
// (a year of history: minutes on a busy machine) and the restarts run on that data.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const restarts = Number(opt('restarts', '3'));
const seed = opt('seed', 'none');
const port = Number(opt('port', '3190'));
const json = args.includes('--json');
// --root DIR: run the `wenming` of another checkout (e.g. an older commit unpacked beside this one).
const appRoot = path.resolve(opt('root', root));
const { serverBuildFresh } = await import(pathToFileURL(path.join(appRoot, 'apps/server/bin/stamp.mjs')).href).catch(() => ({ serverBuildFresh: () => false }));
const keep = args.includes('--keep');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function memOf(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? 0);
    // CPU time (user + system) so far: on a shared, busy machine it says more than the wall clock.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const cpu = (Number(stat[11]) + Number(stat[12])) / 100;
    return { rss: kb('VmRSS') * 1024, peak: kb('VmHWM') * 1024, cpu };
  } catch {
    return { rss: 0, peak: 0, cpu: 0 };
  }
}

async function once(dataDir) {
  const compiled = serverBuildFresh();
  const t0 = performance.now();
  const child = spawn(process.execPath, [path.join(appRoot, 'apps/server/bin/wenming.mjs'), 'serve'], {
    cwd: appRoot,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      WENMING_SEED: seed,
      WENMING_ADMIN_PASSWORD: 'bench-admin-pass',
      DATABASE_URL: '',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  let exited = null;
  child.once('exit', (code) => (exited = code));
  const url = `http://127.0.0.1:${port}`;
  let readyMs = null;
  let atReady;
  let afterUse;
  try {
    while (readyMs === null) {
      if (exited !== null) throw new Error(`server exited with ${exited}:\n${stderr}`);
      if (performance.now() - t0 > 900_000) throw new Error('not ready after 900 s');
      try {
        const r = await fetch(`${url}/readyz`);
        if (r.status === 200) readyMs = performance.now() - t0;
      } catch {
        /* not listening yet */
      }
      if (readyMs === null) await sleep(25);
    }
    atReady = memOf(child.pid);
    // A little use: the H5 shell, its entry script, sign-in, one list.
    await fetch(`${url}/h5`).then((r) => r.text());
    const login = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: '13800000000', password: 'bench-admin-pass' }),
    });
    const token = login.ok ? (await login.json()).token : undefined;
    if (token) await fetch(`${url}/api/v1/sites?limit=20`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.text());
    await sleep(300);
    afterUse = memOf(child.pid);
  } finally {
    if (exited === null) child.kill('SIGTERM');
    await new Promise((r) => (exited !== null ? r() : child.once('exit', r)));
  }
  return { compiled, readyMs: Math.round(readyMs), cpuReady: atReady.cpu, rssReady: atReady.rss, rssAfterUse: afterUse.rss, peak: afterUse.peak };
}

const mb = (n) => `${(n / 1024 / 1024).toFixed(0)} MB`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-bench-startup-'));
try {
  const runs = [];
  runs.push({ kind: 'fresh', ...(await once(dataDir)) });
  for (let i = 0; i < restarts; i++) runs.push({ kind: 'restart', ...(await once(dataDir)) });
  if (json) console.log(JSON.stringify({ seed, runs }, null, 2));
  else {
    console.log(
      `启动基准 / start-up of ${appRoot} (WENMING_SEED=${seed}, node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)})`,
    );
    console.log(
      `  ${'run'.padEnd(8)} ${'/readyz'.padStart(9)} ${'CPU'.padStart(7)} ${'RSS ready'.padStart(10)} ${'RSS used'.padStart(10)} ${'peak RSS'.padStart(10)}  server`,
    );
    for (const r of runs)
      console.log(
        `  ${r.kind.padEnd(8)} ${`${(r.readyMs / 1000).toFixed(2)} s`.padStart(9)} ${`${r.cpuReady.toFixed(1)} s`.padStart(7)} ${mb(r.rssReady).padStart(10)} ${mb(r.rssAfterUse).padStart(10)} ${mb(r.peak).padStart(10)}  ${r.compiled ? 'dist/main.mjs' : 'tsx'}`,
      );
    const rs = runs
      .filter((r) => r.kind === 'restart')
      .map((r) => r.readyMs)
      .sort((a, b) => a - b);
    if (rs.length) console.log(`  restart median ${(rs[Math.floor(rs.length / 2)] / 1000).toFixed(2)} s`);
  }
} finally {
  if (!keep) fs.rmSync(dataDir, { recursive: true, force: true });
}
