// 以行积分 · 以分换物: a volunteer earns points by verified service hours (through the real API),
// redeems a reward of the 小店区 love supermarket on a phone, and shows the pick-up code; staff of
// the center fulfil it by typing the code in the console (once: the second look says it is
// picked up); the volunteer's balance and the reward's stock are right in the UI and the API.
import { DEMO, DESKTOP, PASSWORD, PHONE, apiLogin, apiRegister, assert, findStation, freshPhone, makeIdNumber, signIn } from '../lib/harness.mjs';

const NAME = '韩秀英';
const STATION = '永康北路';

export default async function pointsRedeemJourney(t) {
  const adminToken = await apiLogin(t, DEMO.orgAdmin);
  const dispatcherToken = await apiLogin(t, DEMO.dispatcher);
  const station = await findStation(t, adminToken, STATION);
  const me = await t.api('/me', { token: adminToken });
  const center = me.body.roles.find((r) => r.role === 'org_admin');
  assert(center?.orgId, 'the demo org admin holds a site');

  // A volunteer of the station, reported in through the API.
  const phone = freshPhone('136');
  const password = 'xiuying-2026';
  const { token: volToken } = await apiRegister(t, { phone, name: NAME, password });
  const reg = await t.api('/volunteers', {
    method: 'POST',
    token: volToken,
    body: { realName: NAME, idNumber: makeIdNumber(Date.now() % 1_000_000), orgId: station.id, skills: ['environment'] },
  });
  assert(reg.status === 201, `volunteer: ${reg.status} ${JSON.stringify(reg.body)}`);

  // Points through verified hours: the org admin records 3 h of service, the dispatcher verifies them.
  const rules = await t.api(`/points/rules?orgId=${station.id}`, { token: adminToken });
  assert(rules.status === 200, `rules: ${rules.status}`);
  const perHour = rules.body.effective.pointsPerHour;
  const ended = Date.now() - 3600_000;
  const rec = await t.api('/service-records', {
    method: 'POST',
    token: adminToken,
    body: {
      volunteerId: reg.body.id,
      orgId: station.id,
      hours: 3,
      startedAt: new Date(ended - 3 * 3600_000).toISOString(),
      endedAt: new Date(ended).toISOString(),
      title: '陪伴独居老人',
    },
  });
  assert(rec.status === 201, `record: ${rec.status} ${JSON.stringify(rec.body)}`);
  const ver = await t.api(`/service-records/${rec.body.id}/verify`, { method: 'POST', token: dispatcherToken, body: {} });
  assert(ver.status === 200, `verify: ${ver.status} ${JSON.stringify(ver.body)}`);
  const earned = 3 * perHour;
  const before = await t.api('/points/me', { token: volToken });
  assert(before.body.balance === earned, `balance after verification: ${before.body.balance}, expected ${earned}`);

  // The center stocks a reward (unique name, so the journey repeats on any database).
  const rewardName = `爱心毛巾 ${String(Date.now()).slice(-5)}`;
  const cost = Math.max(1, Math.floor(earned / 2) - 1);
  const rw = await t.api('/rewards', {
    method: 'POST',
    token: adminToken,
    body: { orgId: center.orgId, pickupOrgId: station.id, name: rewardName, description: '纯棉毛巾两条', cost, stock: 3, perUserLimit: 2 },
  });
  assert(rw.status === 201, `reward: ${rw.status} ${JSON.stringify(rw.body)}`);

  // 1. On the phone: 我的 → 我的积分 → 积分商城 → 兑换.
  const phonePage = await t.newPage(PHONE);
  await signIn(phonePage, phone, password, '/h5');
  await phonePage.goto('/h5/me');
  await phonePage.getByTestId('me-points').tap();
  await phonePage.waitForURL('**/h5/points');
  await phonePage.getByTestId('points-ledger').waitFor();
  assert((await phonePage.getByTestId('points-balance').innerText()).trim() === String(earned), 'the phone shows the balance');
  await phonePage.getByText('志愿服务时长').first().waitFor();
  await t.shot(phonePage, 'my-points');
  await phonePage.getByTestId('points-to-mall').tap();
  await phonePage.waitForURL('**/h5/mall');
  const card = phonePage.getByTestId('mall-card').filter({ hasText: rewardName });
  await card.waitFor();
  assert((await card.getByTestId('mall-stock').innerText()).includes('3'), 'the card shows the stock');
  await t.shot(phonePage, 'mall');
  await card.getByTestId('mall-redeem').tap();
  await phonePage.getByTestId('redeem-confirm').waitFor();
  assert((await phonePage.getByTestId('redeem-total').innerText()).trim() === String(cost), 'the sheet shows the cost');
  await t.shot(phonePage, 'redeem-sheet');
  await phonePage.getByTestId('redeem-confirm').tap();
  await phonePage.getByTestId('redeem-success').waitFor();
  const code = await phonePage.getByTestId('redeem-code').getAttribute('data-code');
  assert(/^\d{8}$/.test(code ?? ''), `pick-up code: ${code}`);
  assert((await phonePage.getByTestId('pickup-qr').getAttribute('data-code')) === code, 'the QR code holds the pick-up code');
  await t.shot(phonePage, 'redeemed');
  await phonePage.getByRole('button', { name: '查看我的兑换' }).tap();
  await phonePage.waitForURL('**/h5/redemptions');
  await phonePage.locator('[data-testid="redemption-card"][data-status="pending_pickup"]').first().waitFor();
  await t.shot(phonePage, 'my-redemptions');

  // 2. In the console: 爱心超市 → 核销取货, type the code, confirm once.
  const desk = await t.newPage(DESKTOP);
  await signIn(desk, DEMO.orgAdmin, PASSWORD, '/admin');
  await desk.getByRole('menuitem', { name: /爱心超市/ }).click();
  await desk.getByRole('menuitem', { name: '核销取货' }).click();
  await desk.waitForURL('**/admin/points/fulfil');
  // A wrong code says so, nothing else happens.
  await desk.getByTestId('fulfil-code').fill('1234');
  await desk.getByTestId('fulfil-search').click();
  await desk.getByText('取货码为8位数字').waitFor();
  await desk.getByTestId('fulfil-code').fill(code);
  await desk.getByTestId('fulfil-code').press('Enter');
  const result = desk.getByTestId('fulfil-result');
  await result.waitFor();
  assert((await result.innerText()).includes(rewardName) && (await result.innerText()).includes(NAME), 'the console shows the reward and who redeemed it');
  await t.shot(desk, 'fulfil-found');
  await desk.getByTestId('fulfil-confirm').click();
  await desk.getByText('已核销').first().waitFor();
  await t.shot(desk, 'fulfilled');
  // The same code again: already picked up, no button to hand it over twice.
  await desk.getByRole('button', { name: '核销下一个' }).click();
  await desk.getByTestId('fulfil-code').fill(code);
  await desk.getByTestId('fulfil-search').click();
  await desk.getByTestId('fulfil-stale').waitFor();
  assert((await desk.getByTestId('fulfil-confirm').count()) === 0, 'a picked-up code cannot be fulfilled again');
  await t.shot(desk, 'stale-code');

  // 3. Balance and stock are right: in the API…
  const after = await t.api('/points/me', { token: volToken });
  assert(after.body.balance === earned - cost, `balance after redemption: ${after.body.balance}, expected ${earned - cost}`);
  assert(after.body.items[0]?.reason === 'redeem' && after.body.items[0]?.delta === -cost, 'the ledger has the debit');
  const stocked = await t.api(`/rewards?orgId=${center.orgId}&subtree=true`, { token: adminToken });
  const reward = stocked.body.find((r) => r.id === rw.body.id);
  assert(reward?.stock === 2, `stock after redemption: ${reward?.stock}`);
  const mine = await t.api('/redemptions/mine', { token: volToken });
  assert(mine.body[0]?.status === 'fulfilled', `redemption status: ${mine.body[0]?.status}`);
  const again = await t.api(`/redemptions/${mine.body[0].id}/fulfill`, { method: 'POST', token: adminToken, body: { pickupCode: code } });
  assert(again.status === 409 && again.body.error.code === 'INVALID_STATE', `fulfilling twice: ${again.status}`);

  // …and on the phone.
  await phonePage.goto('/h5/points');
  await phonePage.getByTestId('points-ledger').waitFor();
  assert((await phonePage.getByTestId('points-balance').innerText()).trim() === String(earned - cost), 'the phone shows the new balance');
  await phonePage.getByText('兑换奖品').first().waitFor();
  await t.shot(phonePage, 'points-after');
  await phonePage.goto('/h5/mall');
  const card2 = phonePage.getByTestId('mall-card').filter({ hasText: rewardName });
  await card2.waitFor();
  assert((await card2.getByTestId('mall-stock').innerText()).includes('2'), 'the mall shows the stock left');
  await phonePage.goto('/h5/redemptions');
  await phonePage.locator('[data-testid="redemption-card"][data-status="fulfilled"]').first().waitFor();
  await t.shot(phonePage, 'picked-up');
}
