#!/usr/bin/env node
// Web delivery benchmark: the first-load JavaScript of each face (from Vite's manifest), then the
// first contentful paint (FCP) of /h5 for a signed-in phone user on an emulated slow 4G network
// with a 4× slower CPU (Chrome DevTools Protocol: Network.emulateNetworkConditions,
// Emulation.setCPUThrottlingRate), cold cache and warm cache. It reports; it asserts no time.
//
//   npm run build && npm run bench:web
//   npm run bench:web -- --runs 5 --port 3192
//   npm run bench:web -- --identity      also load with compression refused (as before precompression)
//   npm run bench:web -- --dist /tmp/old-dist   serve another build (WEB_DIST), e.g. to compare with an older one
//
// Starts `wenming serve` on its own port with a temporary DATA_DIR (WENMING_SEED=none: the
// signed-in super admin opens the H5 home). Chromium: /usr/bin/chromium (CHROMIUM_PATH overrides).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { faceSizes } from '../scripts/web-size.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const runs = Number(opt('runs', '3'));
const port = Number(opt('port', '3192'));
const withIdentity = args.includes('--identity');
const dist = opt('dist', undefined);
// --root DIR: run the `wenming` of another checkout (its own web build unless --dist says otherwise).
const appRoot = path.resolve(opt('root', root));
const PASSWORD = 'bench-admin-pass';
const base = `http://127.0.0.1:${port}`;

// Lighthouse's "slow 4G" (mobile) profile: 150 ms RTT, 1.6 Mbps down, 750 kbps up, CPU 4× slower.
const SLOW_4G = { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 };
const CPU_SLOWDOWN = 4;
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' };

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

if (!fs.existsSync(path.join(root, 'apps/web/dist/.vite/manifest.json'))) {
  console.error('没有找到构建结果：请先运行 npm run build');
  process.exit(1);
}

console.log(`首屏 JavaScript（每个端的第一页，来自 apps/web/dist 的 Vite manifest${dist ? '；浏览器测量用 ' + dist : ''}）:`);
for (const [face, t] of Object.entries(faceSizes()))
  console.log(
    `  ${face.padEnd(18)} ${String(t.files).padStart(3)} files  raw ${kb(t.raw).padStart(7)}  gzip ${kb(t.gz).padStart(6)}  brotli ${kb(t.br).padStart(6)}`,
  );

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-bench-web-'));
const server = spawn(process.execPath, [path.join(appRoot, 'apps/server/bin/wenming.mjs'), 'serve'], {
  cwd: appRoot,
  env: {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DATABASE_URL: '',
    LOG_LEVEL: 'warn',
    WENMING_SEED: 'none',
    WENMING_ADMIN_PASSWORD: PASSWORD,
    ...(dist ? { WEB_DIST: path.resolve(dist) } : {}),
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});
let browser;
try {
  for (let i = 0; ; i++) {
    if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}`);
    if (i > 1200) throw new Error('server not ready after 120 s');
    if (
      await fetch(`${base}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await sleep(100);
  }
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });

  /** One context (its own cache), signed in; loads /h5 `times` times in a row under throttling. */
  async function measure({ identity }) {
    const context = await browser.newContext({ baseURL: base, ...PHONE });
    const login = await context.request.post('/api/v1/auth/login', { data: { phone: '13800000000', password: PASSWORD } });
    if (!login.ok()) throw new Error(`login failed: ${login.status()}`);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    if (identity) await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': 'identity' } });
    const types = new Map();
    let jsBytes = 0;
    let requests = 0;
    cdp.on('Network.responseReceived', (e) => types.set(e.requestId, e.type));
    cdp.on('Network.loadingFinished', (e) => {
      requests += 1;
      if (types.get(e.requestId) === 'Script') jsBytes += e.encodedDataLength;
    });
    const out = [];
    for (const cache of ['cold', 'warm']) {
      jsBytes = 0;
      requests = 0;
      await page.goto('/h5', { waitUntil: 'load', timeout: 120_000 });
      // The H5 home is there when its 我要点单 button is.
      await page.getByText('我要点单').first().waitFor({ timeout: 120_000 });
      const home = await page.evaluate(() => performance.now());
      const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null);
      await sleep(300);
      out.push({ cache, fcp, home, jsBytes, requests });
    }
    await context.close();
    return out;
  }

  const modes = withIdentity
    ? [
        { name: 'br', identity: false },
        { name: 'identity', identity: true },
      ]
    : [{ name: 'br', identity: false }];
  console.log(`\n/h5 首次内容绘制（FCP），慢速 4G（RTT ${SLOW_4G.latency} ms，下行 1.6 Mbps）+ CPU ${CPU_SLOWDOWN}× 降速，390×844，已登录:`);
  for (const mode of modes) {
    const all = [];
    for (let i = 0; i < runs; i++) all.push(...(await measure(mode)));
    for (const cache of ['cold', 'warm']) {
      const rs = all.filter((r) => r.cache === cache);
      const label = `${mode.name === 'br' ? 'compressed' : 'identity'} ${cache}`;
      console.log(
        `  ${label.padEnd(16)} FCP ${(median(rs.map((r) => r.fcp)) / 1000).toFixed(2)} s   home ready ${(median(rs.map((r) => r.home)) / 1000).toFixed(2)} s   JS on the wire ${kb(median(rs.map((r) => r.jsBytes)))}   requests ${median(rs.map((r) => r.requests))}   (median of ${rs.length}; FCP runs ${rs.map((r) => (r.fcp / 1000).toFixed(2)).join(' ')})`,
      );
    }
  }
} finally {
  await browser?.close();
  server.kill('SIGTERM');
  await new Promise((r) => (server.exitCode !== null ? r() : server.once('exit', r)));
  fs.rmSync(dataDir, { recursive: true, force: true });
}
