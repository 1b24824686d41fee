// b. A resident registers on a phone, picks a community, and turns on 长辈模式.
import { PHONE, assert } from '../lib/harness.mjs';

const NAME = '张秀英';
const COMMUNITY = '新城社区新时代文明实践站';

export default async function residentRegistersOnPhone(t) {
  const phone = `137${String(Date.now()).slice(-8)}`;
  const page = await t.newPage(PHONE);

  await page.goto('/');
  await page.waitForURL('**/login');
  await page.getByRole('link', { name: '立即注册' }).tap();
  await page.waitForURL('**/register');

  // Bad input: the contract's messages, in Chinese, on the fields.
  await page.getByLabel('手机号').fill('12345');
  await page.getByLabel('姓名').fill(NAME);
  await page.getByLabel('密码', { exact: true }).fill('123');
  await page.getByLabel('确认密码').fill('1234');
  await page.getByRole('button', { name: '注册并登录' }).tap();
  await page.getByText('请输入11位手机号').waitFor();
  await page.getByText('密码至少8位').waitFor();
  await page.getByText('两次输入的密码不一致').waitFor();
  await t.shot(page, 'register-errors');

  await page.getByLabel('手机号').fill(phone);
  await page.getByLabel('密码', { exact: true }).fill('xiuying-2026');
  await page.getByLabel('确认密码').fill('xiuying-2026');
  await t.shot(page, 'register');
  await page.getByRole('button', { name: '注册并登录' }).tap();

  // H5 home: greeting, the service categories, no community yet.
  await page.waitForURL((u) => u.pathname === '/h5');
  await page.getByTestId('greeting').filter({ hasText: NAME }).waitFor();
  await page.locator('.h5-category').nth(7).waitFor();
  const categories = await page.locator('.h5-category-name').allInnerTexts();
  assert(categories.length >= 8 && categories.includes('理论政策宣讲') && categories.includes('扶贫帮困'), `service categories: ${categories.join('，')}`);
  const tabs = await page.locator('.h5-tab-label').allInnerTexts();
  // Only working tabs: 首页 first, 我的 last, 服务 for everyone; 任务 only for volunteers and the like.
  assert(tabs[0] === '首页' && tabs.at(-1) === '我的' && tabs.includes('服务') && !tabs.includes('任务'), `only working tabs are shown: ${tabs.join(',')}`);
  await t.shot(page, 'home');

  // Pick a community through the site search.
  await page.getByTestId('pick-community').tap();
  await page.getByTestId('site-search').fill('新城');
  const option = page.getByTestId('site-option').filter({ hasText: COMMUNITY }).first();
  await option.waitFor();
  const optionText = await option.innerText();
  await t.shot(page, 'site-search');
  await option.tap();
  await page.getByTestId('community-name').filter({ hasText: COMMUNITY }).waitFor();
  await page.locator('.h5-picker .ant-drawer-content-wrapper').waitFor({ state: 'hidden' });
  await t.shot(page, 'community-picked');

  // Remembered on this device.
  await page.reload();
  await page.getByTestId('community-name').filter({ hasText: COMMUNITY }).waitFor();
  t.log('community kept after reload:', optionText.replace(/\s+/g, ' '));

  // 我的: name, masked phone, 长辈模式.
  await page.getByTestId('tab-我的').tap();
  await page.waitForURL('**/h5/me');
  await page.getByTestId('me-name').filter({ hasText: NAME }).waitFor();
  const masked = await page.getByTestId('me-phone').innerText();
  assert(masked === `${phone.slice(0, 3)}****${phone.slice(7)}`, `masked phone: ${masked}`);
  await page.getByText('居民', { exact: true }).waitFor();
  await t.shot(page, 'me');

  const before = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.h5-row-label')).fontSize));
  await page.getByTestId('elderly-switch').tap();
  await page.waitForFunction(() => document.documentElement.classList.contains('elderly'));
  const after = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.h5-row-label')).fontSize));
  assert(after >= 20 && after > before, `长辈模式 enlarges the text (${before}px → ${after}px)`);
  const stored = await page.evaluate(() => window.localStorage.getItem('wenming.elderlyMode'));
  assert(stored === 'true', '长辈模式 is remembered');
  await t.shot(page, 'me-elderly');

  // Applied app-wide, and still on after a reload.
  await page.getByTestId('tab-首页').tap();
  await page.waitForURL((u) => u.pathname === '/h5');
  await page.reload();
  await page.getByTestId('community-name').waitFor();
  assert(await page.evaluate(() => document.documentElement.classList.contains('elderly')), '长辈模式 survives a reload');
  const greetingSize = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('[data-testid=greeting]')).fontSize));
  assert(greetingSize >= 26, `greeting is large in 长辈模式 (${greetingSize}px)`);
  await t.shot(page, 'home-elderly');

  // 长辈模式's home: the three main actions; every text ≥ 18 px and every target ≥ 48 px tall.
  for (const id of ['elderly-order', 'elderly-orders', 'elderly-activities']) await page.getByTestId(id).waitFor();
  const small = await page.evaluate(() => {
    const out = [];
    const walk = document.createTreeWalker(document.querySelector('.h5-elderly-home'), NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      if (!n.textContent.trim() || !n.parentElement.getClientRects().length) continue;
      const px = parseFloat(getComputedStyle(n.parentElement).fontSize);
      if (px < 18) out.push(`${n.textContent.trim()} ${px}px`);
    }
    return out;
  });
  assert(small.length === 0, `every text of the elderly home is ≥ 18 px: ${small.join('，')}`);
  const tiny = await page.evaluate(() =>
    [...document.querySelectorAll('.h5-elderly-home a, .h5-elderly-home button, .h5-elderly-home label')]
      // A switch's target is its whole labelled row.
      .map((e) => ({ t: e.textContent.trim() || e.getAttribute('aria-label'), h: (e.closest('label') ?? e).getBoundingClientRect().height }))
      .filter((x) => x.h < 48)
      .map((x) => `${x.t} ${x.h}px`),
  );
  assert(tiny.length === 0, `every target of the elderly home is ≥ 48 px tall: ${tiny.join('，')}`);
  // The choice is the account's: a device that never saw it (storage cleared) opens in 长辈模式 too.
  await page.evaluate(() => window.localStorage.clear());
  await page.reload();
  await page.getByTestId('elderly-home').waitFor();
  assert(await page.evaluate(() => document.documentElement.classList.contains('elderly')), '长辈模式 comes back from the account');
  // The switch is on the home page: off again, the full home is back.
  await page.getByTestId('home-elderly-switch').tap();
  await page.waitForFunction(() => !document.documentElement.classList.contains('elderly'));
  await page.locator('.h5-category').first().waitFor();
  await t.shot(page, 'home-elderly-off');
  await page.getByTestId('home-elderly-switch').tap();
  await page.getByTestId('elderly-home').waitFor();

  // No horizontal scrolling on a 390px phone.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert(overflow <= 0, `no horizontal overflow (${overflow}px)`);
}
