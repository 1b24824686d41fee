// A resident signs in with an SMS code and, in 我的 → 消息设置, turns the text message of
// "场地预约已通过" off; a duty notice's switches stay on and cannot be touched. The super admin's
// 消息记录 lists what the demo's days sent by SMS / WeChat, phones masked (issue 17).
import { ADMIN_PHONE, DESKTOP, PASSWORD, PHONE, assert, signIn, smsCodeFor } from '../lib/harness.mjs';

export default async function residentTurnsANoticeOff(t) {
  const phone = `137${String(Date.now()).slice(-8)}`;
  const page = await t.newPage(PHONE);
  await page.goto('/login');
  await page.getByLabel('手机号').fill(phone);
  await page.getByTestId('sms-send').tap();
  const code = await smsCodeFor(t, phone);
  await page.getByTestId('sms-code').fill(code);
  await page.getByTestId('consent').tap();
  await page.getByTestId('sms-login-submit').tap();
  await page.waitForURL((u) => u.pathname === '/h5');

  await page.goto('/h5/me');
  await page.getByTestId('me-notices').tap();
  await page.waitForURL('**/h5/me/notices');
  const booking = page.getByTestId('notice-booking.approve');
  await booking.waitFor();
  const smsSwitch = booking.getByRole('switch', { name: '场地预约已通过：短信' });
  assert((await smsSwitch.getAttribute('aria-checked')) === 'true', 'on by default');
  await smsSwitch.tap();
  await page.getByText('已关闭').waitFor();
  assert((await smsSwitch.getAttribute('aria-checked')) === 'false', 'turned off');
  const duty = page.getByTestId('notice-order.dispatched').getByRole('switch', { name: '工单派给我或我的队伍：短信' });
  assert(await duty.isDisabled(), 'a duty notice cannot be turned off');
  await t.shot(page, 'notice-settings');

  // Read again from the server: still off.
  await page.reload();
  await page.getByTestId('notice-booking.approve').waitFor();
  assert(
    (await page.getByTestId('notice-booking.approve').getByRole('switch', { name: '场地预约已通过：短信' }).getAttribute('aria-checked')) === 'false',
    'kept',
  );

  // 消息记录 (staff): the demo's dispatched orders went out through the outbox (the log provider).
  const desk = await t.newPage(DESKTOP);
  await signIn(desk, ADMIN_PHONE, PASSWORD, '/admin');
  await desk.goto('/admin/messages');
  await desk.getByRole('heading', { name: '消息记录' }).waitFor();
  const rows = desk.locator('[data-testid=message-log] tbody tr.ant-table-row');
  await rows.first().waitFor();
  const phones = await desk.locator('[data-testid=message-log] tbody tr.ant-table-row td:nth-child(3)').allInnerTexts();
  assert(phones.length > 0 && phones.every((p) => /^1\d{2}\*{4}\d{4}$/.test(p.trim())), `recipients masked: ${phones.slice(0, 5).join(', ')}`);
  await t.shot(desk, 'message-log');
}
