// e. A resident reports in as a volunteer on a phone; an org admin records hours by hand, a
// second staff member (the dispatcher) verifies them on 时长审核; the volunteer sees the hours.
import { DEMO, DESKTOP, PASSWORD, PHONE, apiLogin, assert, freshPhone, makeIdNumber, pickCommunity, registerOnPhone, signIn } from '../lib/harness.mjs';

const NAME = '韩雪梅';
const STATION = '师范街';

export default async function volunteerHours(t) {
  const phone = freshPhone('138');
  const password = 'xuemei-2026';
  const page = await t.newPage(PHONE);
  await registerOnPhone(page, { phone, name: NAME, password });

  // 1. 志愿者报到 from the home page.
  await page.getByTestId('home-volunteer').filter({ hasText: '志愿者报到' }).tap();
  await page.waitForURL('**/h5/volunteer/register');
  assert((await page.getByLabel('真实姓名').inputValue()) === NAME, 'the real name starts from the account name');
  // A wrong check digit is caught before anything is sent.
  const id = makeIdNumber(2024);
  const wrong = id.slice(0, 17) + (id[17] === '1' ? '2' : '1');
  await page.getByLabel('身份证号码').fill(wrong);
  await page.getByRole('button', { name: '选择社区' }).tap();
  await pickCommunity(page, STATION);
  await page.getByTestId('volunteer-station').filter({ hasText: STATION }).waitFor();
  await page.getByTestId('volunteer-skills').getByText('文化文艺服务', { exact: true }).tap();
  await page.getByTestId('volunteer-skills').getByText('助学支教', { exact: true }).tap();
  await page.getByTestId('volunteer-specialties').getByText('文艺', { exact: true }).tap();
  await page.getByText('中共党员', { exact: true }).tap();
  await page.getByLabel('工作单位（党员双报到）').fill('太原市第五中学');
  for (const slot of ['周六上午', '周六下午', '周日上午', '周三晚上']) await page.getByRole('button', { name: slot }).tap();
  await page.getByTestId('volunteer-submit').tap();
  await page.getByText('身份证号码有误，请核对（最后一位校验码不符）').waitFor();
  await t.shot(page, 'register-bad-id');
  await page.getByLabel('身份证号码').fill(id);
  await t.shot(page, 'register-form');
  await page.getByTestId('volunteer-submit').tap();

  // 2. 我的志愿: no hours yet.
  await page.waitForURL('**/h5/volunteer');
  await page.getByTestId('volunteer-hero').getByText(NAME).waitFor();
  assert((await page.getByTestId('volunteer-hours').innerText()) === '0', 'no hours yet');
  await page.getByText('再服务 100 小时升为 1 星志愿者').waitFor();
  await t.shot(page, 'my-volunteer-new');
  // Reported in: 任务 appears.
  await page.getByTestId('tab-任务').waitFor();

  // 3. The org admin records 3.5 hours by hand (API); it waits for a second person.
  const me = await t.api('/volunteers/me', { token: await apiLogin(t, phone, password) });
  assert(
    me.status === 200 && me.body.politicalStatus === 'party' && me.body.workUnit === '太原市第五中学',
    `profile kept: ${JSON.stringify(me.body).slice(0, 300)}`,
  );
  assert(me.body.availability.length === 4, `availability kept: ${JSON.stringify(me.body.availability)}`);
  const adminToken = await apiLogin(t, DEMO.orgAdmin);
  const rec = await t.api('/service-records', {
    method: 'POST',
    token: adminToken,
    body: {
      volunteerId: me.body.id,
      orgId: me.body.orgId,
      hours: 3.5,
      startedAt: '2026-11-20T14:00:00+08:00',
      endedAt: '2026-11-20T17:30:00+08:00',
      title: '师范街社区重阳敬老文艺演出',
      note: '签到表存社区居委会',
    },
  });
  assert(rec.status === 201 && rec.body.status === 'pending', `manual record: ${rec.status} ${JSON.stringify(rec.body)}`);
  assert(!rec.body.allowedActions.includes('verify'), 'the one who recorded it may not verify it');

  // 4. The dispatcher verifies it on 时长审核.
  const desk = await t.newPage(DESKTOP);
  await signIn(desk, DEMO.dispatcher, PASSWORD, '/admin');
  await desk.getByRole('menuitem', { name: /时长审核/ }).click();
  await desk.waitForURL('**/admin/records');
  const row = desk.locator('tr').filter({ hasText: '师范街社区重阳敬老文艺演出' });
  await row.waitFor();
  await row.getByText(NAME).waitFor();
  await t.shot(desk, 'records-queue');
  await row.getByTestId('record-verify').click();
  await desk
    .locator('.ant-popconfirm')
    .getByRole('button', { name: /通\s*过/ })
    .click();
  await desk.getByText(`已认证 ${NAME} 3.5 小时`).waitFor();
  await row.waitFor({ state: 'detached' });
  await t.shot(desk, 'records-verified');

  // The 志愿者 page finds her by the last four digits of her phone.
  await desk.getByRole('menuitem', { name: /志愿者/ }).click();
  await desk.waitForURL('**/admin/volunteers');
  await desk.getByTestId('volunteer-search').locator('input').fill(phone.slice(-4));
  await desk.getByTestId('volunteer-search').locator('input').press('Enter');
  const vrow = desk.locator('tr').filter({ hasText: NAME });
  await vrow.waitFor();
  await vrow.getByText('3.5h').waitFor();
  await vrow.click();
  await desk.locator('.ant-drawer').getByText('师范街社区重阳敬老文艺演出').waitFor();
  await t.shot(desk, 'volunteer-drawer');

  // 5. The volunteer sees the hours and the points.
  await page.reload();
  await page.getByTestId('volunteer-hero').waitFor();
  await page.getByTestId('volunteer-hours').filter({ hasText: '3.5' }).waitFor();
  await page.getByTestId('volunteer-records').getByText('已认证').waitFor();
  const points = Number(await page.getByTestId('volunteer-points').innerText());
  assert(points === 35, `3.5 verified hours earn 35 points: ${points}`);
  await t.shot(page, 'my-volunteer-hours');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert(overflow <= 0, `no horizontal overflow (${overflow}px)`);
}
