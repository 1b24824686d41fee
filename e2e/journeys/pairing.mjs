// 结对帮扶 ("3+1晚霞行动"): the demo volunteer opens today's visit on the phone, logs it with the
// large buttons, a second log is refused; staff see the visit and the pending records on the plan.
import { DEMO, DESKTOP, PASSWORD, PHONE, assert, signIn } from '../lib/harness.mjs';

export default async function pairing(t) {
  const phone = await t.newPage(PHONE);
  await signIn(phone, '13900000007', PASSWORD, '/h5');
  await phone.goto('/h5/me');
  await phone.getByTestId('me-pairing').tap();
  await phone.waitForURL('**/h5/pairing');
  const cards = phone.getByTestId('pairing-task-card');
  await cards.first().waitFor();
  assert((await phone.getByText('逾期未登记').count()) === 1, 'the overdue visit of last week is flagged');
  await t.shot(phone, 'tasks');

  // Today's visit (the last card: overdue ones come first).
  await cards.last().tap();
  await phone.getByTestId('pairing-log-form').waitFor();
  assert(await phone.getByText('给老人打电话').isVisible(), 'the paired volunteer can call the elder');
  await phone.getByRole('button', { name: '2', exact: true }).tap();
  await phone.getByPlaceholder('如：量血压、打扫卫生、陪老人聊天').fill('陪刘奶奶聊天，帮她量了血压');
  await t.shot(phone, 'log-form');
  await phone.getByTestId('pairing-log-submit').tap();
  await phone.getByTestId('pairing-done').waitFor();
  assert((await phone.getByTestId('pairing-done').innerText()).includes('服务 2 小时'), 'the logged hours show');
  assert((await phone.getByText('待审核').count()) >= 1, 'a pending service record was created');
  await t.shot(phone, 'logged');

  // The same task again through the API: 409.
  const taskId = phone.url().split('/').pop();
  const again = await phone.request.post(`/api/v1/pairing/tasks/${taskId}/log`, {
    data: { hours: 1 },
    headers: { 'x-csrf-token': (await phone.context().cookies()).find((c) => c.name === 'csrf')?.value ?? '' },
  });
  assert(again.status() === 409, `a second log is refused (got ${again.status()})`);

  // Staff of 小店区 see the log on the plan, overdue visits highlighted.
  const pc = await t.newPage(DESKTOP);
  await signIn(pc, DEMO.orgAdmin, PASSWORD, '/admin');
  await pc.goto('/admin/pairing');
  await pc.getByTestId('pairing-table').locator('.pairing-title').first().click();
  await pc.getByTestId('pairing-tasks').waitFor();
  await pc.getByText('已过 / 已完成').click();
  await pc.getByText('陪刘奶奶聊天，帮她量了血压').waitFor();
  assert((await pc.locator('.pairing-row-overdue').count()) >= 1, 'the overdue visit is highlighted');
  await t.shot(pc, 'plan');
}
