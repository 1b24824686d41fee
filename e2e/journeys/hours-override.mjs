// Hours plausibility (issue 18): a volunteer starts and completes an order at once and claims 3
// hours; on 时长审核 the dispatcher sees 时长存疑 with the evidence, cannot simply pass it, and
// verifies it only with 核定通过 and a written reason.
import { DEMO, DESKTOP, PASSWORD, apiLogin, apiRegister, assert, findStation, freshPhone, makeIdNumber, openedDialog, signIn } from '../lib/harness.mjs';

const NAME = '岳志刚';

export default async function hoursOverride(t) {
  const dispatcherToken = await apiLogin(t, DEMO.dispatcher);
  const station = await findStation(t, dispatcherToken, '永康北路');
  const vol = await apiRegister(t, { phone: freshPhone('136'), name: NAME, password: 'zhigang-2026' });
  const reg = await t.api('/volunteers', {
    method: 'POST',
    token: vol.token,
    body: { realName: NAME, idNumber: makeIdNumber(5821), orgId: station.id, skills: ['health'] },
  });
  assert(reg.status === 201, `volunteer: ${reg.status} ${JSON.stringify(reg.body)}`);
  const residentToken = await apiLogin(t, '13900000010');
  const order = await t.api('/orders', { method: 'POST', token: residentToken, body: { content: '想请人帮忙量血压', orgId: station.id } });
  assert(order.status === 201, `order: ${order.status}`);
  const step = async (action, token, body = {}) => {
    const r = await t.api(`/orders/${order.body.id}/${action}`, { method: 'POST', token, body });
    assert(r.status === 200, `${action}: ${r.status} ${JSON.stringify(r.body)}`);
  };
  await step('dispatch', dispatcherToken, { volunteerId: reg.body.id });
  await step('accept', vol.token);
  await step('start', vol.token);
  await step('complete', vol.token, { report: '量了血压', hours: 3 });

  const desk = await t.newPage(DESKTOP);
  await signIn(desk, DEMO.dispatcher, PASSWORD, '/admin');
  await desk.goto('/admin/records');
  const row = desk.locator('tr').filter({ hasText: `工单 ${order.body.code}` });
  await row.waitFor();
  await row.getByTestId('record-implausible').filter({ hasText: '时长存疑' }).waitFor();
  assert((await row.getByTestId('record-verify').count()) === 0, 'no plain 通过 for an implausible claim');
  await row.getByTestId('record-implausible').hover();
  await desk.locator('.ant-tooltip').filter({ hasText: '开始至完成仅' }).waitFor();
  await t.shot(desk, 'implausible-flagged');

  await row.getByTestId('record-verify-override').click();
  const dialog = await openedDialog(desk, '核定通过');
  await dialog.getByText('时长存疑').first().waitFor();
  await dialog.locator('textarea').fill('志愿者到场后才补点开始服务，已电话向群众核实服务约 3 小时');
  await t.shot(desk, 'override-dialog');
  await dialog.getByRole('button', { name: /核定通过/ }).click();
  await desk.getByText(`已核定 3 小时`).waitFor();
  await row.waitFor({ state: 'detached' });

  const records = await t.api(`/volunteers/${reg.body.id}/records`, { token: dispatcherToken });
  const rec = records.body.items[0];
  assert(rec.status === 'verified' && rec.overrideReason?.includes('电话'), `verified with the reason: ${JSON.stringify(rec)}`);
  assert(records.body.totalHours === 3, `hours credited: ${records.body.totalHours}`);
}
