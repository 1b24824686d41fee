#!/usr/bin/env node
// Browser journeys against the real server and the built web app.
//   npm run build && node e2e/run.mjs            (CHROMIUM_PATH overrides /usr/bin/chromium)
//   node e2e/run.mjs admin-orgs                   (only the journeys whose file name matches)
//   E2E_WEB_DIST=/tmp/dist node e2e/run.mjs       (serve a copy of the built app, e.g. while someone rebuilds apps/web/dist)
// Starts the server on a free port with a fresh database and the demo seed, runs each journey
// in its own browser context, writes screenshots to e2e/screenshots/, and prints
// "e2e: N passed, M failed".
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { PASSWORD, createJourneyContext, ensureDir } from './lib/harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const screenshotDir = path.join(here, 'screenshots');
// The first start seeds the demo (sites, loop, resources, pairing, content, a year of history).
const READY_TIMEOUT_MS = 300_000;
const JOURNEY_TIMEOUT_MS = 180_000;

function fail(message) {
  console.error(`e2e: ${message}`);
  console.log('e2e: 0 passed, 1 failed');
  process.exit(1);
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function startServer(port, dataDir) {
  const logs = [];
  // Always the embedded database in a fresh folder, whatever the caller's environment says.
  const { DATABASE_URL: _ignored, WEB_DIST: _default, ...env } = process.env;
  const child = spawn(process.execPath, [path.join(root, 'apps/server/bin/wenming.mjs'), 'serve'], {
    cwd: root,
    env: {
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      WENMING_ADMIN_PASSWORD: PASSWORD,
      WENMING_SEED: 'demo',
      ...(process.env.E2E_WEB_DIST ? { WEB_DIST: path.resolve(process.env.E2E_WEB_DIST) } : {}),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk) => {
    logs.push(chunk.toString());
    if (logs.length > 400) logs.splice(0, logs.length - 400);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });
  return {
    child,
    logs: () => logs.join(''),
    exited: () => exited,
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      for (let i = 0; i < 50 && !exited; i++) await sleep(100);
      if (!exited) child.kill('SIGKILL');
    },
  };
}

async function waitReady(baseUrl, server) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server.exited()) throw new Error(`the server exited (${JSON.stringify(server.exited())}) before it was ready:\n${server.logs()}`);
    try {
      const res = await fetch(`${baseUrl}/readyz`);
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await sleep(500);
  }
  throw new Error(`the server was not ready within ${READY_TIMEOUT_MS / 1000} s:\n${server.logs()}`);
}

async function loadJourneys(filter) {
  const dir = path.join(here, 'journeys');
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.mjs'))
    .filter((f) => !filter.length || filter.some((x) => f.includes(x)))
    .sort();
  const journeys = [];
  for (const f of files) {
    const mod = await import(pathToFileURL(path.join(dir, f)).href);
    journeys.push({ name: f.replace(/\.mjs$/, ''), run: mod.default });
  }
  return journeys;
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function main() {
  const indexHtml = path.join(process.env.E2E_WEB_DIST ? path.resolve(process.env.E2E_WEB_DIST) : path.join(root, 'apps/web/dist'), 'index.html');
  if (!fs.existsSync(indexHtml)) fail(`${path.relative(process.cwd(), indexHtml)} is missing: build the web app first (npm run build).`);
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) fail(`no Chromium at ${executablePath} (set CHROMIUM_PATH).`);

  const journeys = await loadJourneys(process.argv.slice(2));
  if (!journeys.length) fail('no journey matches.');
  ensureDir(screenshotDir);

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wenming-e2e-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const server = startServer(port, dataDir);
  let browser;
  let passed = 0;
  let failed = 0;
  try {
    console.log(`e2e: starting the server on ${baseUrl} (seeding the demo data)…`);
    const t0 = Date.now();
    await waitReady(baseUrl, server);
    console.log(`e2e: server ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const shell = await fetch(`${baseUrl}/login`, { headers: { accept: 'text/html' } });
    const shellText = await shell.text();
    if (!shell.ok || !shellText.includes('<div id="root">'))
      throw new Error(`the server does not serve the web app at /login (HTTP ${shell.status}); is apps/web/dist built?`);

    browser = await chromium.launch({
      executablePath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });

    for (const j of journeys) {
      const t = createJourneyContext({ browser, baseUrl, screenshotDir, name: j.name, serverLogs: server.logs });
      const started = Date.now();
      console.log(`e2e: ▶ ${j.name}`);
      try {
        await withTimeout(j.run(t), JOURNEY_TIMEOUT_MS, j.name);
        if (t.problems.length) throw new Error(`the pages reported errors:\n    ${t.problems.join('\n    ')}`);
        passed += 1;
        console.log(`e2e: ✔ ${j.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      } catch (e) {
        failed += 1;
        console.error(`e2e: ✘ ${j.name}: ${e instanceof Error ? (e.stack ?? e.message) : e}`);
        for (const [i, page] of t.pages.entries()) {
          try {
            const file = path.join(screenshotDir, `FAILED-${j.name}-${i + 1}.png`);
            await page.screenshot({ path: file });
            console.error(`  screenshot of the failure: ${path.relative(process.cwd(), file)} (at ${page.url()})`);
          } catch {
            /* the page is gone */
          }
        }
      } finally {
        for (const page of t.pages)
          await page
            .context()
            .close()
            .catch(() => undefined);
      }
    }
  } catch (e) {
    failed += 1;
    console.error(`e2e: ${e instanceof Error ? e.message : e}`);
  } finally {
    await browser?.close().catch(() => undefined);
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  console.log('e2e: 0 passed, 1 failed');
  process.exit(1);
});
