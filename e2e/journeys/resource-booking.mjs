// h. 场馆预约: a resident on a phone finds the 舞蹈室 of 新城社区, picks a free slot on the day view
// (another person takes the first slot meanwhile: the refusal is shown in Chinese and a second slot
// is booked), sees it waiting in 我的预约; the 晋源区 center's admin approves it in the week calendar
// of the console; the resident sees it approved.
import { ADMIN_PHONE, DESKTOP, PHONE, apiLogin, apiRegister, assert, freshPhone, signIn } from '../lib/harness.mjs';

const RESIDENT = '孙秀英';
const STAFF = '晋源区预约管理员';

export default async function resourceBookingJourney(t) {
  const adminToken = await apiLogin(t, ADMIN_PHONE);

  // The 晋源区 center's own admin (the demo has none): created through the API, scoped to the center.
  const centers = await t.api(`/orgs?q=${encodeURIComponent('晋源区')}&level=center`, { token: adminToken });
  const center = centers.body.items?.find((o) => o.level === 'center' && o.name.includes('晋源区'));
  assert(center, `晋源区 center: ${JSON.stringify(centers.body).slice(0, 300)}`);
  const staffPhone = freshPhone('136');
  const staffPassword = 'jinyuan-2026';
  const user = await t.api('/users', { method: 'POST', token: adminToken, body: { phone: staffPhone, name: STAFF, password: staffPassword } });
  assert(user.status === 201, `user: ${user.status} ${JSON.stringify(user.body)}`);
  const grant = await t.api(`/users/${user.body.id}/roles`, { method: 'POST', token: adminToken, body: { role: 'org_admin', orgId: center.id } });
  assert(grant.status === 201, `grant: ${grant.status} ${JSON.stringify(grant.body)}`);

  // The 舞蹈室 of the seeded library (新城社区 station, needs approval).
  const found = await t.api(`/resources?q=${encodeURIComponent('舞蹈室')}`, { token: adminToken });
  const dance = found.body.items.find((r) => r.name === '舞蹈室' && r.orgName.includes('新城社区'));
  assert(dance && dance.requiresApproval && dance.bookable, `the demo 舞蹈室: ${JSON.stringify(found.body).slice(0, 300)}`);

  // 1. A resident, new on the platform, opens 场馆预约 on the phone and picks their community.
  const phone = freshPhone('135');
  const password = 'xiuying-2026';
  await apiRegister(t, { phone, name: RESIDENT, password });
  const mobile = await t.newPage(PHONE);
  await signIn(mobile, phone, password, '/h5');
  await mobile.getByTestId('home-resources').tap();
  await mobile.waitForURL('**/h5/resources');
  await mobile.getByTestId('resource-pick-community').tap();
  // There are several 新城社区 in Taiyuan: hers is the one of 晋源街道.
  await mobile.getByTestId('site-search').fill('新城社区');
  await mobile.getByTestId('site-option').filter({ hasText: '晋源' }).first().tap();
  await mobile.locator('.h5-picker .ant-drawer-content-wrapper').waitFor({ state: 'hidden' });
  await mobile.getByTestId('resource-scope').filter({ hasText: '晋源区' }).waitFor();
  await mobile.getByTestId('resource-card').first().waitFor();
  await t.shot(mobile, 'h5-library');
  await mobile.getByTestId('resource-search').fill('舞蹈');
  const card = mobile.getByTestId('resource-card').filter({ hasText: '新城社区' }).filter({ hasText: '舞蹈室' });
  await card.waitFor();
  await card.tap();
  await mobile.waitForURL(`**/h5/resources/${dance.id}**`);
  await mobile.getByTestId('resource-name').filter({ hasText: '舞蹈室' }).waitFor();
  await mobile.getByTestId('resource-rules').getByText('每人每周最多预约 3 次').waitFor();
  // Tomorrow's day view: open periods and free slots.
  await mobile.getByTestId('avail-day').nth(1).tap();
  await mobile.waitForURL(/date=\d{4}-\d{2}-\d{2}/);
  const date = new URL(mobile.url()).searchParams.get('date');
  const free = mobile.locator('[data-testid="slot"][data-state="free"]');
  await free.first().waitFor();
  await t.shot(mobile, 'h5-detail');

  // 2. She picks the first free slot; meanwhile someone else books it (through the API).
  const first = (await free.first().locator('b').innerText()).trim();
  await free.first().tap();
  await mobile
    .getByTestId('chosen-slot')
    .filter({ hasText: `已选 ${first}` })
    .waitFor();
  await mobile.getByTestId('booking-purpose').fill('社区秧歌队排练迎新春');
  await mobile.locator('#res-attendees').fill('16');
  const other = await apiRegister(t, { phone: freshPhone('134'), name: '抢先的人', password: 'someone-2026' });
  const startsAt = `${date}T${first}:00+08:00`;
  const endsAt = new Date(Date.parse(startsAt) + dance.slotMinutes * 60_000).toISOString();
  const taken = await t.api(`/resources/${dance.id}/bookings`, {
    method: 'POST',
    token: other.token,
    body: { startsAt, endsAt, purpose: '太极拳', attendees: 5 },
  });
  assert(taken.status === 201, `the other booking: ${taken.status} ${JSON.stringify(taken.body)}`);
  await t.shot(mobile, 'h5-form');
  await mobile.getByTestId('booking-submit').tap();
  const error = mobile.getByTestId('booking-error');
  await error.getByText('这个时段刚被别人约走了').waitFor();
  await error.getByText('该时段已被预约，请选择其他时间').waitFor();
  await t.shot(mobile, 'h5-conflict');
  // The grid now shows that slot taken; she picks the next free one.
  await mobile.locator('[data-testid="slot"]').filter({ hasText: first }).and(mobile.locator('[data-state="taken"]')).waitFor();
  const second = (await free.first().locator('b').innerText()).trim();
  await free.first().tap();
  await mobile.getByTestId('booking-submit').tap();
  await mobile.getByTestId('booking-done').getByText('预约已提交，等待审核').waitFor();
  await t.shot(mobile, 'h5-submitted');
  await mobile.getByTestId('go-my-bookings').tap();
  await mobile.waitForURL('**/h5/bookings');
  const mine = mobile.getByTestId('my-booking').filter({ hasText: '舞蹈室' });
  await mine.getByTestId('booking-status').filter({ hasText: '待审核' }).waitFor();
  await mine.getByText(second).waitFor();
  await t.shot(mobile, 'h5-pending');

  // 3. The center's admin approves it in the week calendar of the console.
  const desk = await t.newPage(DESKTOP);
  await signIn(desk, staffPhone, staffPassword, '/admin');
  await desk.getByRole('menuitem', { name: /资源库/ }).click();
  await desk.getByRole('menuitem', { name: /预约审批/ }).click();
  await desk.waitForURL('**/admin/bookings');
  await desk.getByTestId('booking-calendar').waitFor();
  const chip = desk.getByTestId('calendar-booking').filter({ hasText: RESIDENT });
  // Tomorrow may be in next week.
  try {
    await chip.waitFor({ timeout: 5000 });
  } catch {
    await desk.getByTestId('week-next').click();
    await chip.waitFor();
  }
  assert((await chip.getAttribute('data-status')) === 'pending', 'the booking waits for approval');
  await t.shot(desk, 'admin-calendar');
  await chip.click();
  const drawer = desk.getByTestId('booking-drawer');
  await drawer.getByText('社区秧歌队排练迎新春').waitFor();
  await t.shot(desk, 'admin-drawer');
  await drawer.getByTestId('booking-approve').click();
  await desk.getByText('已通过，已通知预约人').waitFor();
  await drawer.getByTestId('booking-status').filter({ hasText: '已通过' }).waitFor();
  await t.shot(desk, 'admin-approved');
  // The other person's pending booking is in the calendar too (highlighted), and nobody outside the subtree sees hers.
  const outsider = await apiLogin(t, '13900000001');
  const theirs = await t.api('/bookings?status=pending', { token: outsider });
  assert(!theirs.body.items.some((b) => b.resourceId === dance.id), '小店区 staff do not see 晋源区 bookings');

  // 4. The resident sees it approved (and the notice).
  await mobile.reload();
  await mine.getByTestId('booking-status').filter({ hasText: '已通过' }).waitFor();
  await mine.getByText('审核已通过').waitFor();
  await t.shot(mobile, 'h5-approved');
  const overflow = await mobile.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert(overflow <= 0, `no horizontal overflow (${overflow}px)`);
}
