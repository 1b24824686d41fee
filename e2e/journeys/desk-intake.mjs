// 代点单 and the desk's 特急 alert (issue 18): an elderly resident with no smartphone phones the
// 小店区 desk about a gas smell at home; the dispatcher enters the order for her on the console —
// her account is made from her phone number — the desk rings and shows a red 特急 alert, and the
// filtered 工单台账 downloads as .xlsx. Later she signs in on a phone by SMS code and finds the
// order that was entered for her. Screenshots at 1440×900 and 390×844.
import { DEMO, DESKTOP, PASSWORD, PHONE, assert, freshPhone, openedDialog, signIn, smsCodeFor } from '../lib/harness.mjs';

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
  await desk.locator('.ant-message').filter({ hasText: `已为${RESIDENT}登记工单` }).waitFor();

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
}
