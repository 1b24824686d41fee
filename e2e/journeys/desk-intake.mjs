// 代点单 and the desk's 特急 alert (issue 18): an elderly resident with no smartphone phones the
// 小店区 desk about a gas smell at home; the dispatcher enters the order for her on the console —
// her account is made from her phone number — the desk rings and shows a red 特急 alert, and the
// filtered 工单台账 downloads as .xlsx. Later she signs in on a phone by SMS code and finds the
// order that was entered for her. Screenshots at 1440×900 and 390×844.
import { DEMO, DESKTOP, PASSWORD, PHONE, assert, freshPhone, openedDialog, pickCommunity, signIn, smsCodeFor } from '../lib/harness.mjs';

/** A 1×1 PNG, as a phone camera's picture would be uploaded. */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5fd3a5b0000000049454e44ae426082',
  'hex',
);

const RESIDENT = '韩秀兰';
const NEED = '家里厨房闻到很大的煤气味，老伴腿脚不便在家，请赶紧派人来看看';

export default async function deskIntake(t) {
  const residentPhone = freshPhone('137');
  const desk = await t.newPage(DESKTOP);
  await desk.context().grantPermissions(['notifications']);
  await signIn(desk, DEMO.dispatcher, PASSWORD, '/admin');
  await desk.goto('/admin/dispatch');
  await desk.getByTestId('desk-alerts').waitFor();

  // 1. 代点单 on the desk: the channel, the resident by name and phone, her words.
  await desk.getByTestId('assisted-open').click();
  const dialog = await openedDialog(desk, '代点单');
  await dialog.getByText('电话', { exact: true }).click();
  await dialog.getByTestId('assisted-name').fill(RESIDENT);
  await dialog.getByTestId('assisted-phone').fill(residentPhone);
  const site = dialog.getByLabel('所在社区（阵地）');
  await site.click();
  await site.fill('永康北路');
  const option = desk.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '永康北路社区' }).first();
  await option.waitFor();
  await option.click();
  await dialog.getByTestId('assisted-content').fill(NEED);
  // The clerk marks it 特急 (a gas smell), whatever the triage would say.
  await dialog.getByLabel('紧急程度').click();
  await desk.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '特急' }).first().click();
  await t.shot(desk, 'assisted-form');
  await dialog.getByTestId('assisted-submit').click();
  await desk
    .locator('.ant-message')
    .filter({ hasText: `已为${RESIDENT}登记工单` })
    .waitFor();

  // 2. The desk rings: the order is 特急 (gas), so a red alert names it; the workbench shows who entered it.
  const alert = desk.locator('.ant-notification-notice').filter({ hasText: '特急工单' }).first();
  await alert.waitFor({ timeout: 20_000 });
  const code = (await alert.innerText()).match(/[DH]\d{10}/)?.[0];
  assert(code, `the alert names the order: ${await alert.innerText()}`);
  await desk.getByTestId('workbench-content').filter({ hasText: '煤气味' }).waitFor();
  await desk.getByText(`${RESIDENT} `).first().waitFor();
  await desk.getByText('（电话代登记）').first().waitFor();
  await t.shot(desk, 'critical-alert');

  // 3. The ledger, filtered by her phone, downloads as .xlsx.
  await desk.goto('/admin/dispatch?tab=all');
  await desk.getByTestId('order-search').locator('input').fill(residentPhone);
  await desk.getByTestId('order-search').locator('input').press('Enter');
  await desk.locator('.ant-table-row').filter({ hasText: code }).waitFor();
  const [download] = await Promise.all([desk.waitForEvent('download'), desk.getByTestId('orders-export').click()]);
  assert(/工单台账.*\.xlsx$/.test(download.suggestedFilename()), `ledger file: ${download.suggestedFilename()}`);
  await t.shot(desk, 'ledger');

  // 4. The console form on a phone-sized screen stays usable.
  const small = await t.newPage({ ...PHONE });
  await signIn(small, DEMO.dispatcher, PASSWORD, '/admin');
  await small.goto('/admin/dispatch');
  await small.getByTestId('assisted-open').click();
  await openedDialog(small, '代点单');
  await t.shot(small, 'assisted-form-phone');

  // 5. The resident signs in on her phone by SMS code: the order entered for her is hers.
  const phone = await t.newPage(PHONE);
  await phone.goto('/login');
  await phone.getByLabel('手机号').fill(residentPhone);
  await phone.getByTestId('sms-send').tap();
  const smsCode = await smsCodeFor(t, residentPhone);
  await phone.getByTestId('sms-code').fill(smsCode);
  await phone.getByTestId('consent').tap();
  await phone.getByTestId('sms-login-submit').tap();
  await phone.waitForURL((u) => u.pathname === '/h5');
  await phone.getByTestId('greeting').filter({ hasText: RESIDENT }).waitFor();
  await phone.goto('/h5/orders');
  await phone.getByText(NEED.slice(0, 10)).first().waitFor();
  await t.shot(phone, 'resident-sees-order');

  // 6. On her own phone she orders again, with two pictures of the damage; the desk sees them.
  await phone.goto('/h5');
  await phone.getByTestId('pick-community').tap();
  await pickCommunity(phone, '永康北路');
  await phone.getByTestId('home-order').tap();
  await phone.waitForURL('**/h5/order/new');
  await phone.getByTestId('order-content').fill('楼道墙皮大片脱落，砸到过人，请看看照片');
  for (const name of ['墙皮1.png', '墙皮2.png']) {
    await phone.locator('[data-testid=order-photos] input[type=file]').setInputFiles({ name, mimeType: 'image/png', buffer: PNG });
  }
  await phone.locator('[data-testid=order-photos] .ant-upload-list-item-done').nth(1).waitFor();
  await t.shot(phone, 'order-with-photos');
  await phone.getByTestId('order-submit').tap();
  await phone.waitForURL(/\/h5\/orders\/[0-9a-f-]{36}/);
  await phone.getByTestId('order-photos-view').locator('img').nth(1).waitFor();
  const photoOrder = phone.url().match(/orders\/([0-9a-f-]{36})/)[1];
  await desk.goto(`/admin/orders/${photoOrder}`);
  await desk.getByTestId('order-photos-view').locator('img').nth(1).waitFor();
  await t.shot(desk, 'desk-sees-photos');
}
