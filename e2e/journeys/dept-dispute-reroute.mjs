// 派单异议 (issue 18): the desk forwards a complaint about 小广告 to the wrong department (住建局);
// the officer returns it from the PC 部门工作台 with a reason; it is back on the desk with the
// dispute counted and 城市管理局 suggested, and the desk re-routes it there.
import { DEMO, DESKTOP, PASSWORD, assert, openedDialog, signIn } from '../lib/harness.mjs';

const OFFICER = '13900000005'; // 陈志强, 小店区住房和城乡建设局
const WRONG = '小店区住房和城乡建设局';
const RIGHT = '小店区城市管理局';
const NEED = '投诉：小区门口的电线杆和墙上贴满了小广告，撕了又贴，很影响市容';

export default async function deptDisputeReroute(t) {
  const residentToken = (await t.api('/auth/login', { method: 'POST', body: { phone: '13900000010', password: PASSWORD } })).body.token;
  const sites = await t.api(`/sites?q=${encodeURIComponent('永康北路')}&level=station`, { token: residentToken });
  const station = sites.body.items.find((o) => o.level === 'station');
  const made = await t.api('/orders', { method: 'POST', token: residentToken, body: { content: NEED, orgId: station.id } });
  assert(made.status === 201, `order: ${made.status} ${JSON.stringify(made.body)}`);
  const { id, code } = made.body;

  // 1. The desk forwards it by hand to the wrong department.
  const desk = await t.newPage(DESKTOP);
  await signIn(desk, DEMO.dispatcher, PASSWORD, '/admin');
  await desk.goto(`/admin/orders/${id}`);
  await desk.getByTestId('order-forward').click();
  const fwd = await openedDialog(desk, '转办');
  await fwd.getByTestId('forward-department').click();
  await desk.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: WRONG }).first().click();
  await fwd
    .getByRole('button', { name: /转\s*办/ })
    .last()
    .click();
  await fwd.waitFor({ state: 'hidden' });
  await desk.getByTestId('order-state').filter({ hasText: '待签收' }).first().waitFor();

  // 2. The officer returns it: not 住建局's duty.
  const office = await t.newPage(DESKTOP);
  await signIn(office, OFFICER, PASSWORD, '/admin');
  await office.goto('/admin/dept-work');
  const task = office.getByTestId('dept-task').filter({ hasText: code });
  await task.waitFor();
  await task.getByTestId('dept-dispute').click();
  const dispute = await openedDialog(office, '派单异议');
  await dispute.locator('textarea').first().fill('小广告清理属城市管理局职责，请改派');
  await t.shot(office, 'dispute');
  await dispute
    .getByRole('button', { name: /退\s*回/ })
    .last()
    .click();
  await dispute.waitFor({ state: 'hidden' });
  await task.waitFor({ state: 'detached' });

  // 3. Back on the desk: 待派单, the dispute counted, 城市管理局 suggested; re-routed there.
  await desk.reload();
  await desk.getByTestId('order-state').filter({ hasText: '待派单' }).first().waitFor();
  await desk.getByTestId('order-timeline').getByText('派单异议（退回）').waitFor();
  const back = await t.api(`/orders/${id}`, { token: residentToken });
  assert(back.body.disputeCount === 1, `dispute counted: ${back.body.disputeCount}`);
  const right = desk.getByTestId('candidate').filter({ hasText: RIGHT }).first();
  await right.waitFor();
  await t.shot(desk, 'back-on-desk');
  await right.getByTestId('candidate-forward').click();
  await desk.getByTestId('order-state').filter({ hasText: '待签收' }).first().waitFor();
  const final = await t.api(`/orders/${id}`, { token: residentToken });
  assert(
    final.body.assignee.departmentName === RIGHT && final.body.state === 'forwarded',
    `re-routed: ${final.body.state} ${final.body.assignee.departmentName}`,
  );
  await t.shot(desk, 'rerouted');
}
