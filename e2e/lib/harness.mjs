// Shared helpers of the browser journeys: accounts, viewports, assertions, screenshots.
import fs from 'node:fs';
import path from 'node:path';

export const ADMIN_PHONE = '13800000000';
export const PASSWORD = 'e2e-admin-pass';

export const DESKTOP = { viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' };
export const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
  userAgent:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47 NetType/WIFI Language/zh_CN',
};

export function assert(cond, message) {
  if (!cond) throw new Error(`断言失败: ${message}`);
}

/**
 * Everything a journey gets: the browser, where the app runs, and helpers that remember the
 * pages it opened (the runner screenshots them when the journey fails).
 */
export function createJourneyContext({ browser, baseUrl, screenshotDir, name, serverLogs = () => '' }) {
  const pages = [];
  const problems = [];
  let n = 0;
  return {
    baseUrl,
    name,
    /** What the server has printed so far (the log SMS provider's lines among it). */
    serverLogs,
    pages,
    problems,
    async newPage(options) {
      const context = await browser.newContext({ baseURL: baseUrl, ...options });
      context.setDefaultTimeout(15_000);
      const page = await context.newPage();
      page.on('pageerror', (e) => problems.push(`页面脚本错误: ${e.message}`));
      page.on('console', (m) => {
        // Expected: the 401 of GET /me before signing in, and the 403/409 a journey provokes.
        if (m.type() === 'error' && !/status of (401|403|409)/.test(m.text())) problems.push(`控制台错误: ${m.text()}`);
      });
      page.on('response', (r) => {
        if (r.status() >= 500) problems.push(`服务器错误 ${r.status()}: ${r.request().method()} ${r.url()}`);
      });
      pages.push(page);
      return page;
    },
    async shot(page, label) {
      // Let drawers, modals and toasts finish moving first.
      await page
        .waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity), undefined, {
          timeout: 3000,
        })
        .catch(() => undefined);
      n += 1;
      const file = path.join(screenshotDir, `${name}-${String(n).padStart(2, '0')}-${label}.png`);
      await page.screenshot({ path: file, fullPage: false });
      return file;
    },
    log(...args) {
      console.log(`  [${name}]`, ...args);
    },
    async api(pathname, { method = 'GET', token, body } = {}) {
      const res = await fetch(new URL(`/api/v1${pathname}`, baseUrl), {
        method,
        headers: {
          accept: 'application/json',
          ...(body ? { 'content-type': 'application/json' } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
  };
}

/**
 * The SMS code the server sent to `phone`: the default SMS provider (log) prints it, masked phone
 * and all, when the demo seed runs (docs/channels.md). Waits for the line to appear.
 */
export async function smsCodeFor(t, phone) {
  const masked = `${phone.slice(0, 3)}****${phone.slice(-4)}`;
  for (let i = 0; i < 100; i++) {
    const line = t
      .serverLogs()
      .split('\n')
      .reverse()
      .find((l) => l.includes(masked) && l.includes('verification'));
    const code = line?.match(/验证码 (\d{6})/)?.[1];
    if (code) return code;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no SMS code for ${masked} in the server log`);
}

/** Signs in through the UI and waits to land on `landing`. */
export async function signIn(page, phone, password, landing) {
  // Password sign-in is the second tab; SMS code is the default (docs/channels.md).
  await page.goto('/login?mode=password');
  await page.getByLabel('手机号').fill(phone);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.waitForURL((u) => u.pathname.startsWith(landing));
}

export function ensureDir(dir) {
  fs.mkdirSync(dir, { recursive: true });
}

/** Demo accounts of the seed (password: PASSWORD). */
export const DEMO = {
  orgAdmin: '13900000001',
  dispatcher: '13900000002',
};

/** A valid 18-character resident ID number (GB 11643 check digit) for a made-up person. */
export function makeIdNumber(n = Math.floor(Math.random() * 1e6)) {
  const region = '140105';
  const year = 1960 + (n % 40);
  const month = String(1 + (n % 12)).padStart(2, '0');
  const day = String(1 + (n % 28)).padStart(2, '0');
  const seq = String(100 + (n % 900)).padStart(3, '0');
  const first17 = `${region}${year}${month}${day}${seq}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * weights[i];
  return first17 + '10X98765432'[sum % 11];
}

/** A phone number no one has used yet in this run. */
let phoneSeq = 0;
export function freshPhone(prefix = '135') {
  phoneSeq += 1;
  return `${prefix}${String(Date.now() + phoneSeq).slice(-8)}`;
}

/** Signs in through the API; returns the bearer token. */
export async function apiLogin(t, phone, password = PASSWORD) {
  const r = await t.api('/auth/login', { method: 'POST', body: { phone, password } });
  if (r.status !== 200) throw new Error(`login ${phone} failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.token;
}

/** Registers a user through the API; returns { token, user }. */
export async function apiRegister(t, { phone, name, password }) {
  const r = await t.api('/auth/register', { method: 'POST', body: { phone, name, password } });
  if (r.status !== 201) throw new Error(`register ${phone} failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** The first community station whose name contains `q`. */
export async function findStation(t, token, q) {
  const r = await t.api(`/sites?q=${encodeURIComponent(q)}&level=station`, { token });
  const s = r.body?.items?.find((o) => o.level === 'station');
  if (!s) throw new Error(`no station matches ${q}: ${r.status} ${JSON.stringify(r.body)}`);
  return s;
}

/** Registers on the phone through the sign-up page and waits for /h5. */
export async function registerOnPhone(page, { phone, name, password }) {
  await page.goto('/register');
  await page.getByLabel('手机号').fill(phone);
  await page.getByLabel('姓名').fill(name);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByLabel('确认密码').fill(password);
  await page.getByRole('button', { name: '注册并登录' }).tap();
  await page.waitForURL((u) => u.pathname === '/h5');
}

/** Picks a community in the open picker by searching for it. */
export async function pickCommunity(page, q) {
  await page.getByTestId('site-search').fill(q);
  const option = page.getByTestId('site-option').first();
  await option.waitFor();
  await option.tap();
  await page.locator('.h5-picker .ant-drawer-content-wrapper').waitFor({ state: 'hidden' });
}

/** `datetime-local` value in China time for an instant. */
export function localInput(ms) {
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
      .formatToParts(new Date(ms))
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/** Opens the antd Select labelled `label`, types `typed` (if any) and picks the option containing `optionText`. */
export async function pickOption(page, label, typed, optionText) {
  const input = page.getByLabel(label, { exact: true });
  await input.click();
  if (typed) await input.fill(typed);
  const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: optionText }).first();
  await option.waitFor();
  await option.click();
}

/**
 * The open dialog (containing `hasText`, if given), once it has finished opening. A click
 * aims at where a button is; while the dialog still zooms in, on a busy machine the button
 * can move between the aim and the click, and the click lands beside it.
 */
export async function openedDialog(page, hasText) {
  const dialog = hasText ? page.getByRole('dialog').filter({ hasText }) : page.getByRole('dialog');
  await dialog.waitFor();
  await untilStill(dialog);
  return dialog;
}

/** Waits (up to 5 s) until the dialog, drawer or dropdown around `locator` has finished its opening animation. */
export async function untilStill(locator) {
  await locator.evaluate(async (el) => {
    const box = el.closest('.ant-modal, .ant-drawer-content-wrapper, .ant-select-dropdown') ?? el;
    const moving = () => /-(appear|enter)\b/.test(box.className) || box.getAnimations().some((a) => a.playState !== 'finished');
    for (let i = 0; i < 100 && moving(); i++) await new Promise((r) => setTimeout(r, 50));
  });
}
