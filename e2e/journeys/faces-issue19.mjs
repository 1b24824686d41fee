// Issue 19: the community picker on a phone, 操作日志 in Chinese (super admin and a district's
// admin), and a resident signing up for one of the demo's activities of the coming two weeks.
import { DEMO, DESKTOP, PASSWORD, PHONE, apiLogin, apiRegister, assert, freshPhone, signIn } from '../lib/harness.mjs';

export default async function facesOfIssue19(t) {
  // 1. The picker on a phone: names on one line, 选择 on screen, the error gone once a community is picked.
  const phone = freshPhone('137');
  await apiRegister(t, { phone, name: '郝桂兰', password: 'guilan-2026' });
  const mobile = await t.newPage(PHONE);
  await signIn(mobile, phone, 'guilan-2026', '/h5');
  await mobile.goto('/h5/order/new');
  await mobile.getByTestId('order-content').fill('楼道的灯坏了，晚上看不见台阶');
  await mobile.getByTestId('order-submit').tap();
  await mobile.getByText('请先选择您所在的社区').waitFor();
  await mobile.getByTestId('order-pick-community').tap();
  await mobile.getByTestId('site-search').fill('新城');
  const option = mobile.getByTestId('site-option').first();
  await option.waitFor();
  const layout = await mobile.evaluate(() => {
    const row = document.querySelector('[data-testid="site-option"]');
    const name = row.querySelector('.h5-site-name').getBoundingClientRect();
    const pick = row.querySelector('.h5-site-choose').getBoundingClientRect();
    const lineHeight = parseFloat(getComputedStyle(row.querySelector('.h5-site-name')).lineHeight) || 24;
    return { nameWidth: name.width, nameHeight: name.height, lineHeight, pickRight: pick.right, pickHeight: pick.height, vw: window.innerWidth };
  });
  assert(layout.nameWidth > 150, `the station name has room (${layout.nameWidth}px wide)`);
  assert(layout.nameHeight <= layout.lineHeight * 2.5, `the station name is not one character per line (${layout.nameHeight}px high)`);
  assert(layout.pickRight <= layout.vw, `选择 stays on the screen (${layout.pickRight} ≤ ${layout.vw})`);
  assert(layout.pickHeight < 40, `选择 is one line (${layout.pickHeight}px)`);
  await t.shot(mobile, 'picker-search');
  await option.tap();
  await mobile.getByTestId('order-community').waitFor();
  await mobile.getByText('请先选择您所在的社区').waitFor({ state: 'detached' });
  await t.shot(mobile, 'picker-picked');

  // 2. A resident signs up for one of the demo's activities of the coming two weeks.
  const token = await apiLogin(t, phone, 'guilan-2026');
  const now = new Date();
  const list = await t.api(
    `/activities?state=published&from=${encodeURIComponent(now.toISOString())}&to=${encodeURIComponent(new Date(now.getTime() + 14 * 86400_000).toISOString())}&limit=50`,
    { token },
  );
  assert(list.status === 200 && list.body.items.length >= 5, `the demo has activities in the coming two weeks (${list.body?.items?.length})`);
  const open = list.body.items.find((a) => a.publicQuota > (a.publicRegistered ?? 0)) ?? list.body.items[0];
  await mobile.goto(`/h5/activities/${open.id}`);
  await mobile.getByTestId('activity-title').waitFor();
  await t.shot(mobile, 'upcoming-activity');
  const unread = async () => Number(/(\d+) 条未读/.exec((await mobile.getByTestId('bell').getAttribute('aria-label')) ?? '')?.[1] ?? 0);
  const before = await unread();
  await mobile.getByTestId('signup-resident').tap();
  await mobile
    .getByTestId('my-signup')
    .getByText(/已报名|候补/)
    .waitFor();
  // The sign-up's notice reaches the bell, without a second toast over the page's own.
  await mobile.waitForFunction(
    (n) => Number(/(\d+) 条未读/.exec(document.querySelector('[data-testid="bell"]').getAttribute('aria-label') ?? '')?.[1] ?? 0) > n,
    before,
  );
  const toasts = await mobile.locator('.ant-message-notice').allInnerTexts();
  assert(!toasts.some((x) => x.includes('报名成功：')), `one toast for the sign-up, not two (${toasts.join(' | ')})`);
  await t.shot(mobile, 'upcoming-signed-up');

  // 3. 操作日志 in Chinese for the super admin, with its filters and export.
  const desk = await t.newPage(DESKTOP);
  await signIn(desk, '13800000000', PASSWORD, '/admin');
  await desk.goto('/admin/audit');
  await desk.locator('.ant-table-row').first().waitFor();
  const tags = await desk.locator('.ant-table-row td:nth-child(3) .ant-tag').allInnerTexts();
  assert(tags.length > 10, `the log has rows (${tags.length})`);
  const raw = tags.filter((x) => /^[a-z_.A-Z]+$/.test(x));
  assert(raw.length === 0, `every action is in Chinese (raw: ${raw.join(', ')})`);
  const href = await desk.getByTestId('audit-export').getAttribute('href');
  assert(href?.includes('/api/v1/audit-logs/export'), `the export links to the .xlsx (${href})`);
  await t.shot(desk, 'audit-admin');
  await desk.getByTestId('audit-action').click();
  await desk.keyboard.type('发布内容');
  await desk.locator('.ant-select-item-option').filter({ hasText: '发布内容' }).first().click();
  await desk.waitForFunction(() => {
    const cells = [...document.querySelectorAll('.ant-table-row td:nth-child(3) .ant-tag')].map((e) => e.textContent);
    return cells.length > 0 && cells.every((c) => c === '发布内容');
  });
  await t.shot(desk, 'audit-filtered');

  // 4. A district's admin reads their own district's log: a change they make appears, labelled.
  const districtToken = await apiLogin(t, DEMO.orgAdmin);
  const colleague = freshPhone('136');
  const made = await t.api('/users', { method: 'POST', token: districtToken, body: { phone: colleague, name: '新同事', password: 'colleague-2026' } });
  assert(made.status === 201, `the district admin adds a user (${made.status})`);
  const district = await t.newPage(DESKTOP);
  await signIn(district, DEMO.orgAdmin, PASSWORD, '/admin');
  await district.goto('/admin/audit');
  await district.locator('.ant-table-row').filter({ hasText: '新建用户' }).first().waitFor();
  await t.shot(district, 'audit-district');
}
