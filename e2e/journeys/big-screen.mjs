// 指挥调度大屏: the 小店区 org admin opens the big screen at 1920×1080; the counters are not zero,
// the district map is drawn (a canvas), and an order a resident submits through the API shows up
// in the live ticker within seconds. Then the admin console's 统计分析 page and its Excel export.
import { DEMO, DESKTOP, PASSWORD, apiLogin, apiRegister, assert, findStation, freshPhone, signIn } from '../lib/harness.mjs';

const SCREEN = { viewport: { width: 1920, height: 1080 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' };

const num = (s) => Number(String(s).replace(/[^\d.]/g, ''));

export default async function bigScreenJourney(t) {
  const page = await t.newPage(SCREEN);
  await signIn(page, DEMO.orgAdmin, PASSWORD, '/admin');
  await page.goto('/screen/dashboard');
  await page.getByText('新时代文明实践 · 指挥调度大屏').waitFor();

  // The counters fill in, and are not zero.
  const volunteers = page.getByTestId('counter-volunteers');
  await page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid="counter-volunteers"]')?.textContent ?? ''), undefined, { timeout: 30_000 });
  for (const id of ['volunteers', 'teams', 'activities', 'hours']) {
    const text = await page.getByTestId(`counter-${id}`).textContent();
    assert(num(text) > 0, `counter ${id} is not zero: ${text}`);
  }
  t.log('志愿者', await volunteers.textContent());
  // The map is drawn on a canvas.
  await page.getByTestId('district-map').locator('canvas').first().waitFor();
  // The live feed is connected (green dot).
  await page.locator('[data-status="open"]').waitFor({ timeout: 20_000 });
  await page.waitForTimeout(1500);
  await t.shot(page, 'screen');

  // A resident submits an order at a 小店区 station: it arrives in the ticker.
  const adminToken = await apiLogin(t, DEMO.orgAdmin);
  const station = await findStation(t, adminToken, '坞城');
  const { token } = await apiRegister(t, { phone: freshPhone('136'), name: '大屏测试居民', password: 'resident-2026' });
  const res = await t.api('/orders', { method: 'POST', token, body: { content: '家里老人想请志愿者帮忙理发', orgId: station.id, category: 'health' } });
  assert(res.status === 201, `order: ${res.status} ${JSON.stringify(res.body)}`);
  const code = res.body.code;
  await page.getByTestId('ticker').getByText(code).waitFor({ timeout: 20_000 });
  await t.shot(page, 'ticker');

  // Drill down: a click on the first region of the map changes the address to that site.
  const before = page.url();
  const box = await page.getByTestId('district-map').boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForTimeout(800);
  if (page.url() !== before) {
    await page.getByRole('button', { name: /返回上级/ }).waitFor();
    await page.getByTestId('district-map').locator('canvas').first().waitFor();
    await page.waitForTimeout(1200);
    await t.shot(page, 'drilled');
    await page.getByRole('button', { name: /返回上级/ }).click();
    await page.waitForURL((u) => u.href === before);
  }

  // The console page: figures, tables, export.
  const desk = await t.newPage(DESKTOP);
  await signIn(desk, DEMO.orgAdmin, PASSWORD, '/admin');
  await desk.getByRole('menuitem', { name: /统计分析/ }).click();
  await desk.waitForURL('**/admin/stats');
  await desk.getByText('月度趋势（近12个月）').waitFor();
  await desk.locator('.ant-table-row').first().waitFor();
  await desk.waitForTimeout(1000);
  await t.shot(desk, 'admin-stats');
  const [download] = await Promise.all([desk.waitForEvent('download'), desk.getByRole('link', { name: /导出 Excel/ }).click()]);
  assert(/\.xlsx$/.test(download.suggestedFilename()), `export file: ${download.suggestedFilename()}`);
}
