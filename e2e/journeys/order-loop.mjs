// d. The whole order loop: a resident orders on a phone → the dispatcher dispatches on the
// 调度台 → a volunteer accepts, serves and completes on a phone → the resident rates it.
import {
  DEMO,
  DESKTOP,
  PASSWORD,
  PHONE,
  apiLogin,
  apiRegister,
  assert,
  findStation,
  freshPhone,
  makeIdNumber,
  openedDialog,
  pickCommunity,
  registerOnPhone,
  signIn,
} from '../lib/harness.mjs';

const RESIDENT = '周桂兰';
const VOLUNTEER = '郭建民';
const NEED = '我家老伴有高血压，最近头晕，想请懂医的志愿者上门帮忙量量血压，讲讲平时用药要注意什么。';

export default async function orderLoop(t) {
  // The volunteer who will serve: a user who reports in at the station, skilled in 医疗健身, living nearby.
  const dispatcherToken = await apiLogin(t, DEMO.dispatcher);
  const station = await findStation(t, dispatcherToken, '永康北路');
  const volPhone = freshPhone('136');
  const volPassword = 'jianmin-2026';
  const vol = await apiRegister(t, { phone: volPhone, name: VOLUNTEER, password: volPassword });
  const allWeek = [1, 2, 3, 4, 5, 6, 7].flatMap((weekday) => ['morning', 'afternoon', 'evening'].map((period) => ({ weekday, period })));
  const reg = await t.api('/volunteers', {
    method: 'POST',
    token: vol.token,
    body: {
      realName: VOLUNTEER,
      idNumber: makeIdNumber(4711),
      orgId: station.id,
      skills: ['health'],
      specialties: ['医疗'],
      availability: allWeek,
      lat: station.lat ?? undefined,
      lng: station.lng ?? undefined,
    },
  });
  assert(reg.status === 201, `volunteer registered: ${reg.status} ${JSON.stringify(reg.body)}`);
  t.log('volunteer', VOLUNTEER, 'at', station.name);

  // 1. The resident registers on a phone, picks the community and orders in their own words.
  const resident = await t.newPage(PHONE);
  await registerOnPhone(resident, { phone: freshPhone('137'), name: RESIDENT, password: 'guilan-2026' });
  await resident.getByTestId('tab-服务').waitFor();
  const tabs = await resident.locator('.h5-tab-label').allInnerTexts();
  assert(tabs.includes('服务') && !tabs.includes('任务'), `a resident has 服务 but no 任务: ${tabs.join(',')}`);
  await resident.getByTestId('pick-community').tap();
  await pickCommunity(resident, '永康北路');
  await resident.getByTestId('community-name').filter({ hasText: '永康北路' }).waitFor();
  await t.shot(resident, 'resident-home');

  await resident.getByTestId('home-order').tap();
  await resident.waitForURL('**/h5/order/new');
  await resident.getByTestId('order-community').filter({ hasText: '永康北路' }).waitFor();
  const address = await resident.getByLabel('服务地址').inputValue();
  assert(address.includes('永康北路'), `the address comes from the community: ${address}`);
  // An empty order is refused on the field.
  await resident.getByTestId('order-submit').tap();
  await resident.getByText('请说说您需要什么帮助').waitFor();
  await resident.getByTestId('order-content').fill(NEED);
  await resident.getByTestId('order-categories').getByText('医疗健身', { exact: true }).tap();
  await resident.getByLabel('服务地址').fill(`${address} 3号楼2单元401`);
  await t.shot(resident, 'order-form');
  await resident.getByTestId('order-submit').tap();
  await resident.waitForURL(/\/h5\/orders\/[0-9a-f-]{36}/);
  const code = (await resident.getByTestId('order-code').innerText()).trim();
  assert(/^D\d{10}$/.test(code), `order code shown large: ${code}`);
  const orderId = resident.url().match(/orders\/([0-9a-f-]{36})/)[1];
  await resident.getByTestId('order-state').filter({ hasText: '待派单' }).waitFor();
  await resident.getByTestId('order-timeline').getByText('群众点单').waitFor();
  await t.shot(resident, 'order-created');
  t.log('order', code);

  // 2. The 小店区 dispatcher finds it on the 调度台 and dispatches it to the best volunteer.
  const desk = await t.newPage(DESKTOP);
  await signIn(desk, DEMO.dispatcher, PASSWORD, '/admin');
  // The 工作台 counts the new order among 待派单; its card leads to the 调度台.
  await desk.waitForURL('**/admin/workbench');
  const toDispatch = desk.locator('[data-testid=workbench-todo][data-key=orders_to_dispatch]');
  await toDispatch.waitFor();
  const waiting = Number((await toDispatch.locator('.ant-statistic-content-value').innerText()).replace(/\D/g, ''));
  assert(waiting >= 1, `工作台 counts the new order among 待派单: ${waiting}`);
  await t.shot(desk, 'workbench');
  await toDispatch.click();
  await desk.waitForURL('**/admin/dispatch');
  // 辖区全部: orders of every site below the center (本级待办 holds those whose desk is the center itself).
  await desk.getByTestId('queue-scope').getByText('辖区全部').click();
  const item = desk.locator(`[data-testid=queue-item][data-code="${code}"]`);
  await item.waitFor();
  await item.click();
  await desk.getByTestId('workbench-code').filter({ hasText: code }).waitFor();
  await desk.getByTestId('workbench-content').filter({ hasText: '量量血压' }).waitFor();
  const confidence = await desk.getByTestId('triage-confidence').innerText();
  assert(/研判置信度 \d+%/.test(confidence), `triage confidence as a percentage: ${confidence}`);
  const candidate = desk.getByTestId('candidate').filter({ hasText: VOLUNTEER });
  await candidate.waitFor();
  const reasons = await candidate.locator('.candidate-reasons .ant-tag').allInnerTexts();
  assert(reasons.length > 0, 'the candidate comes with reasons');
  await t.shot(desk, 'dispatch-desk');
  await candidate.getByTestId('candidate-dispatch').click();
  await desk.getByTestId('order-workbench').getByTestId('order-state').filter({ hasText: '待接单' }).first().waitFor();
  await desk.getByTestId('order-timeline').getByText('中心派单').waitFor();
  await t.shot(desk, 'dispatched');

  // The resident's page follows by itself (pushed notice, no reload).
  await resident.getByTestId('order-state').filter({ hasText: '待接单' }).waitFor({ timeout: 20_000 });
  await t.shot(resident, 'resident-sees-dispatch');

  // 3. The volunteer accepts, starts and completes on a phone.
  const volunteer = await t.newPage(PHONE);
  await signIn(volunteer, volPhone, volPassword, '/h5');
  await volunteer.getByTestId('tab-任务').tap();
  await volunteer.waitForURL('**/h5/tasks');
  const task = volunteer.locator(`[data-testid=order-card][data-code="${code}"]`);
  await task.waitFor();
  await task.getByText('量量血压').waitFor();
  await t.shot(volunteer, 'task');
  await task.getByTestId('task-accept').tap();
  await task.getByTestId('task-start').waitFor();
  await task.getByTestId('order-state').filter({ hasText: '已接单' }).waitFor();
  await task.getByTestId('task-start').tap();
  await task.getByTestId('task-complete').waitFor();
  await task.getByTestId('order-state').filter({ hasText: '服务中' }).waitFor();
  await t.shot(volunteer, 'in-service');
  await task.getByTestId('task-complete').tap();
  const dialog = await openedDialog(volunteer);
  await dialog.getByTestId('complete-report').fill('上门为老人测量血压 150/95，提醒按时服药、少盐饮食，建议下周去社区卫生站复查。');
  await dialog.getByTestId('complete-hours').fill('1.5');
  await t.shot(volunteer, 'complete-form');
  await dialog.getByRole('button', { name: /提\s*交/ }).tap();
  await dialog.waitFor({ state: 'hidden' });
  // Done: it leaves 待处理 and is under 已完成.
  await task.waitFor({ state: 'detached' });
  await volunteer.getByText('已完成', { exact: true }).tap();
  await volunteer.locator(`[data-testid=order-card][data-code="${code}"]`).getByTestId('order-state').filter({ hasText: '待评价' }).waitFor();
  await t.shot(volunteer, 'completed');

  // 4. The resident rates it five stars.
  await resident.getByTestId('rate-form').waitFor({ timeout: 20_000 });
  await resident.getByTestId('order-state').filter({ hasText: '待评价' }).waitFor();
  await resident.locator('.h5-rate-control .ant-rate-star').nth(4).click();
  await resident.getByText('非常满意').waitFor();
  await resident.getByTestId('rate-comment').fill('小郭很耐心，讲得清楚，谢谢志愿者！');
  await t.shot(resident, 'rate');
  await resident.getByTestId('rate-submit').tap();
  await resident.getByTestId('order-state').filter({ hasText: '已评价' }).waitFor();
  await resident.getByTestId('rate-form').waitFor({ state: 'detached' });
  await resident.getByTestId('order-timeline').getByText('群众评单').waitFor();
  await t.shot(resident, 'rated');

  const final = await t.api(`/orders/${orderId}`, { token: dispatcherToken });
  assert(final.body.state === 'rated' && final.body.rating?.score === 5, `rated 5: ${final.body.state} ${JSON.stringify(final.body.rating)}`);
  assert(final.body.hours === 1.5, `hours kept: ${final.body.hours}`);
  const actions = final.body.timeline.map((e) => e.action).join(',');
  assert(actions === 'submit,dispatch,accept,start,complete,rate', `timeline: ${actions}`);

  // My orders lists it; no horizontal scrolling on the phone.
  await resident.getByTestId('tab-服务').tap();
  await resident.waitForURL('**/h5/orders');
  await resident.locator(`[data-testid=order-card][data-code="${code}"]`).waitFor();
  await t.shot(resident, 'my-orders');
  const overflow = await resident.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert(overflow <= 0, `no horizontal overflow (${overflow}px)`);
}
