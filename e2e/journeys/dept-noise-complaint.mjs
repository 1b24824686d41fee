// 接诉即办 end to end (issue 18): a resident complains on the phone about renovation noise late at
// night → the 小店区 desk sees 住建局 suggested (派单目录) and forwards it → the officer, in the PC
// 部门工作台, acknowledges (签收), asks for more time (申请延期, granted by the desk) and replies
// (答复办结) → the resident rates it → the department's figures (三率) move.
import { DEMO, DESKTOP, PASSWORD, PHONE, assert, freshPhone, openedDialog, pickCommunity, registerOnPhone, signIn } from '../lib/harness.mjs';

const OFFICER = '13900000005'; // 陈志强, 小店区住房和城乡建设局
const DEPT = '小店区住房和城乡建设局';
const NEED = '投诉：楼上邻居装修，晚上十一点多还在用电钻砸墙，噪音扰民，孩子和老人都没法睡觉，说了也不听';

export default async function deptNoiseComplaint(t) {
  const officerToken = await t.api('/auth/login', { method: 'POST', body: { phone: OFFICER, password: PASSWORD } }).then((r) => r.body.token);
  const figuresOf = async () => {
    const r = await t.api('/departments/stats', { token: officerToken });
    assert(r.status === 200, `figures: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.items.find((f) => f.name === DEPT);
  };
  const before = await figuresOf();

  // 1. The resident complains on the phone.
  const resident = await t.newPage(PHONE);
  await registerOnPhone(resident, { phone: freshPhone('137'), name: '高丽娟', password: 'lijuan-2026' });
  await resident.getByTestId('pick-community').tap();
  await pickCommunity(resident, '永康北路');
  await resident.getByTestId('home-order').tap();
  await resident.waitForURL('**/h5/order/new');
  await resident.getByTestId('order-content').fill(NEED);
  await resident.getByTestId('order-submit').tap();
  await resident.waitForURL(/\/h5\/orders\/[0-9a-f-]{36}/);
  const code = (await resident.getByTestId('order-code').innerText()).trim();
  const orderUrl = new URL(resident.url()).pathname;
  t.log('order', code);

  // 2. The desk sees 住建局 suggested first, with reasons, and forwards it there.
  const desk = await t.newPage(DESKTOP);
  await signIn(desk, DEMO.dispatcher, PASSWORD, '/admin');
  await desk.goto('/admin/dispatch');
  await desk.getByTestId('queue-scope').getByText('辖区全部').click();
  const item = desk.locator(`[data-testid=queue-item][data-code="${code}"]`);
  await item.waitFor();
  await item.click();
  await desk.getByTestId('workbench-code').filter({ hasText: code }).waitFor();
  // 住建局 is among the suggested departments, for the renovation its directory names.
  const first = desk.getByTestId('candidate').filter({ hasText: DEPT }).first();
  await first.waitFor();
  const reasons = await first.locator('.candidate-reasons .ant-tag').allInnerTexts();
  assert(
    reasons.some((r) => r.includes('装修')),
    `reasons name the duty: ${reasons.join('、')}`,
  );
  await t.shot(desk, 'suggested-department');
  await first.getByTestId('candidate-forward').click();
  await desk.getByTestId('order-workbench').getByTestId('order-state').filter({ hasText: '待签收' }).first().waitFor();

  // 3. The officer, in the PC workbench: 签收, 申请延期, then (granted) 答复办结.
  const office = await t.newPage(DESKTOP);
  await signIn(office, OFFICER, PASSWORD, '/admin');
  await office.goto('/admin/dept-work');
  const task = office.getByTestId('dept-task').filter({ hasText: code });
  await task.waitFor();
  await task.getByTestId('dept-task-phone').waitFor();
  await t.shot(office, 'dept-workbench');
  await task.getByTestId('dept-acknowledge').click();
  await task.getByTestId('dept-extension').waitFor();
  await task.getByTestId('dept-extension').click();
  const ext = await openedDialog(office, '申请延期');
  await ext.getByTestId('extension-reason').fill('需约业主和装修公司现场核查，夜间施工取证需要两晚');
  await ext.getByRole('button', { name: '提交申请' }).click();
  await ext.waitFor({ state: 'hidden' });

  // The desk grants the extension.
  await desk.goto(`/admin/orders/${orderUrl.split('/').pop()}`);
  await desk.getByTestId('extension-grant').click();
  await desk.getByTestId('order-state').filter({ hasText: '办理中' }).first().waitFor();

  await office.reload();
  await task.waitFor();
  await task.getByTestId('task-resolve').click();
  const reply = await openedDialog(office, '答复办结');
  await reply.locator('textarea').first().fill('已约谈业主和装修公司，承诺晚八点后不再施工；城管夜间巡查，如再发生请拨打本局电话');
  await reply.getByRole('button', { name: /办\s*结/ }).click();
  await reply.waitFor({ state: 'hidden' });
  await t.shot(office, 'dept-replied');

  // 4. The resident rates the reply.
  await resident.goto(orderUrl);
  await resident.getByTestId('rate-form').waitFor({ timeout: 20_000 });
  await resident.locator('.h5-rate-control .ant-rate-star').nth(4).click();
  await resident.getByTestId('rate-submit').tap();
  await resident.getByTestId('order-state').filter({ hasText: '已评价' }).waitFor();
  await t.shot(resident, 'rated');

  // 5. The department's figures moved: one more order received and none more left open.
  const after = await figuresOf();
  assert(after.received === before.received + 1, `one more received: ${before.received} → ${after.received}`);
  assert(after.open === before.open, `none more open: ${before.open} → ${after.open}`);
  assert(after.avgHandleHours !== null, `a handling time: ${after.avgHandleHours}`);
  const rates = ['ackRate', 'onTimeRate', 'satisfactionRate'];
  assert(
    rates.some((k) => after[k] !== before[k]),
    `the 三率 moved: ${rates.map((k) => `${k} ${before[k]} → ${after[k]}`).join(', ')}`,
  );
  await office.reload();
  await office.getByTestId('dept-figures').waitFor();
  await t.shot(office, 'dept-figures');
}
