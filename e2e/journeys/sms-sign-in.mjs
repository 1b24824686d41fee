// An elderly resident signs in on the phone with an SMS code (the default way), after a wrong
// code and a forgotten consent tick, and lands on the H5 home signed up as a resident.
import { PHONE, assert, smsCodeFor } from '../lib/harness.mjs';

export default async function residentSignsInBySmsCode(t) {
  const phone = `136${String(Date.now()).slice(-8)}`;
  const page = await t.newPage(PHONE);

  await page.goto('/');
  await page.waitForURL('**/login');
  // The code field and its button are the default; no password to invent.
  await page.getByTestId('sms-send').waitFor();
  await t.shot(page, 'sms-login');

  // No phone yet: a clear message instead of a request.
  await page.getByTestId('sms-send').tap();
  await page.getByTestId('form-error').filter({ hasText: '请先填写正确的11位手机号' }).waitFor();

  await page.getByLabel('手机号').fill(phone);
  await page.getByTestId('sms-send').tap();
  await page
    .getByTestId('sms-send')
    .filter({ hasText: /\d+秒后重发/ })
    .waitFor();
  assert(await page.getByTestId('sms-send').isDisabled(), 'the resend button waits out its 60 seconds');
  await t.shot(page, 'sms-code-sent');
  const code = await smsCodeFor(t, phone);

  // Without the consent tick: told what to do.
  await page.getByTestId('sms-code').fill(code);
  await page.getByTestId('sms-login-submit').tap();
  await page.getByTestId('form-error').filter({ hasText: '请先阅读并勾选同意' }).waitFor();

  // A wrong code: the tries left are said.
  await page.getByTestId('consent').tap();
  await page.getByTestId('sms-code').fill(code === '000000' ? '111111' : '000000');
  await page.getByTestId('sms-login-submit').tap();
  await page.getByTestId('form-error').filter({ hasText: '验证码不正确，还可以再试4次' }).waitFor();
  await t.shot(page, 'sms-wrong-code');

  await page.getByTestId('sms-code').fill(code);
  await page.getByTestId('sms-login-submit').tap();
  await page.waitForURL((u) => u.pathname === '/h5');
  await page
    .getByTestId('greeting')
    .filter({ hasText: `居民${phone.slice(-4)}` })
    .waitFor();
  await t.shot(page, 'sms-signed-in');

  // The agreement pages open without signing in.
  const anon = await t.newPage(PHONE);
  await anon.goto('/privacy');
  await anon.getByText('一、我们收集的信息').waitFor();
  await anon.goto('/terms');
  await anon.getByText('一、账号').waitFor();
  await t.shot(anon, 'terms');
}
