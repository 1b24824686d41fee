// f. The console around the loop: an org admin forms a team with a leader and a member and puts
// a 服务菜单 item on the menu; a resident orders it from the home page; the dispatcher corrects
// the triage and dispatches to the team; the leader accepts on a phone naming who serves; other
// orders are forwarded to a department and returned.
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
  pickOption,
  registerOnPhone,
  signIn,
} from '../lib/harness.mjs';

const TEAM = '永康北路邻里清洁服务队';
const ITEM = '楼道清扫';

export default async function staffConsole(t) {
  const dispatcherToken = await apiLogin(t, DEMO.dispatcher);
  const station = await findStation(t, dispatcherToken, '永康北路');
  // A leader and a member, both volunteers of the station.
  const people = [];
  for (const [i, name] of ['贾志刚', '田秀芳'].entries()) {
    const phone = freshPhone('139');
    const { token } = await apiRegister(t, { phone, name, password: 'team-pass-2026' });
    const v = await t.api('/volunteers', {
      method: 'POST',
      token,
      body: {
        realName: name,
        idNumber: makeIdNumber(3100 + i),
        orgId: station.id,
        skills: ['environment'],
        lat: station.lat ?? undefined,
        lng: station.lng ?? undefined,
      },
    });
    assert(v.status === 201, `volunteer ${name}: ${v.status} ${JSON.stringify(v.body)}`);
    people.push({ name, phone, token, volunteerId: v.body.id });
  }
  const [leader, member] = people;

  // 1. The org admin forms the team: leader found by phone, then a member added.
  const admin = await t.newPage(DESKTOP);
  await signIn(admin, DEMO.orgAdmin, PASSWORD, '/admin');
  await admin.getByRole('menuitem', { name: /队伍/ }).click();
  await admin.waitForURL('**/admin/teams');
  await admin.getByRole('button', { name: /新建队伍/ }).click();
  const modal = await openedDialog(admin);
  await pickOption(admin, '所属阵地', '永康北路', '永康北路社区新时代文明实践站');
  await modal.getByLabel('队伍名称').fill(TEAM);
  await pickOption(admin, '服务类别', null, '卫生环保');
  await pickOption(admin, '队长', leader.phone, leader.name);
  await t.shot(admin, 'team-create');
  await modal.getByRole('button', { name: /创\s*建/ }).click();
  await modal.waitFor({ state: 'hidden' });
  const teamRow = admin.locator('tr').filter({ hasText: TEAM });
  await teamRow.getByText(leader.name).waitFor();
  await teamRow.click();
  const drawer = admin.locator('.ant-drawer');
  await drawer.getByText(TEAM).first().waitFor();
  await drawer.getByTestId('member-select').click();
  await admin.keyboard.type(member.phone.slice(-4));
  await admin.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: member.name }).click();
  await drawer.getByRole('button', { name: /加\s*入/ }).click();
  await drawer.locator('tr').filter({ hasText: member.name }).waitFor();
  await admin.getByText('已加入队伍').waitFor();
  await t.shot(admin, 'team-drawer');
  await admin.keyboard.press('Escape');
  await drawer.getByTestId('member-select').waitFor({ state: 'hidden' });
  const teams = await t.api(`/teams?q=${encodeURIComponent(TEAM)}`, { token: dispatcherToken });
  const team = teams.body.items.find((x) => x.name === TEAM);
  assert(team && team.leaderName === leader.name, `team with its leader: ${JSON.stringify(teams.body).slice(0, 300)}`);

  // 2. A service item on the station's menu, provided by the team.
  await admin.getByRole('menuitem', { name: /服务菜单/ }).click();
  await admin.waitForURL('**/admin/service-items');
  await admin.getByRole('button', { name: /新增服务项目/ }).click();
  const itemModal = await openedDialog(admin);
  await pickOption(admin, '提供阵地', '永康北路', '永康北路社区新时代文明实践站');
  await itemModal.getByLabel('项目名称').fill(ITEM);
  await pickOption(admin, '服务类别', null, '卫生环保');
  await itemModal.getByLabel('服务说明').fill('志愿者帮助清理楼道杂物、小广告，保持楼道整洁通畅。');
  await pickOption(admin, '承接队伍', null, TEAM);
  await admin.keyboard.press('Escape');
  await itemModal.getByRole('button', { name: /上\s*架/ }).click();
  await itemModal.waitFor({ state: 'hidden' });
  await admin.locator('tr').filter({ hasText: ITEM }).waitFor();
  await t.shot(admin, 'service-items');

  // 3. A resident orders it from the home page's 服务菜单.
  const resident = await t.newPage(PHONE);
  const residentPhone = freshPhone('137');
  await registerOnPhone(resident, { phone: residentPhone, name: '侯淑珍', password: 'shuzhen-2026' });
  await resident.getByTestId('pick-community').tap();
  await pickCommunity(resident, '永康北路');
  const card = resident.getByTestId('service-item').filter({ hasText: ITEM });
  await card.waitFor();
  await card.scrollIntoViewIfNeeded();
  await t.shot(resident, 'home-menu');
  await card.tap();
  await resident.waitForURL('**/h5/order/new?**');
  await resident.getByTestId('order-item').filter({ hasText: ITEM }).waitFor();
  await resident.getByTestId('order-content').fill('我们单元楼道里堆了很多旧纸箱和杂物，老人上下楼不方便，麻烦帮忙清理一下。');
  await resident.getByTestId('order-submit').tap();
  await resident.waitForURL(/\/h5\/orders\/[0-9a-f-]{36}/);
  const code = (await resident.getByTestId('order-code').innerText()).trim();
  t.log('menu order', code);

  // 4. The dispatcher corrects the triage (紧急) and dispatches to the team.
  const desk = await t.newPage(DESKTOP);
  await signIn(desk, DEMO.dispatcher, PASSWORD, '/admin');
  // Staff land on the 工作台 (issue 19); the desk is one click away.
  await desk.waitForURL('**/admin/workbench');
  await desk.goto('/admin/dispatch');
  await desk.getByTestId('queue-scope').getByText('辖区全部').click();
  await desk.locator(`[data-testid=queue-item][data-code="${code}"]`).click();
  await desk.getByTestId('workbench-code').filter({ hasText: code }).waitFor();
  await desk.getByTestId('triage-edit').click();
  await desk.getByTestId('triage').getByLabel('紧急程度').click();
  await desk
    .locator('.ant-select-dropdown:visible .ant-select-item-option')
    .filter({ hasText: /^紧急$/ })
    .click();
  await desk
    .getByTestId('triage')
    .getByRole('button', { name: /保\s*存/ })
    .click();
  await desk.getByText('已修正研判结果').waitFor();
  await desk.getByTestId('order-timeline').getByText('修正研判').waitFor();
  const teamCandidate = desk.getByTestId('candidate').filter({ hasText: TEAM });
  await teamCandidate.waitFor();
  await t.shot(desk, 'triage-corrected');
  await teamCandidate.getByTestId('candidate-dispatch').click();
  await desk.getByText(`已派单给 ${TEAM}`).waitFor();

  // 5. The leader accepts on a phone and names the member who serves.
  const lead = await t.newPage(PHONE);
  await signIn(lead, leader.phone, 'team-pass-2026', '/h5');
  await lead.getByTestId('tab-任务').tap();
  const task = lead.locator(`[data-testid=order-card][data-code="${code}"]`);
  await task.getByText(TEAM).waitFor();
  await task.getByTestId('task-accept').tap();
  const pick = await openedDialog(lead);
  await pick.getByText(member.name).tap();
  await t.shot(lead, 'leader-picks');
  await pick.getByRole('button', { name: /接单/ }).tap();
  await task.getByTestId('order-state').filter({ hasText: '已接单' }).waitFor();
  const accepted = await t.api(`/orders/${resident.url().match(/orders\/([0-9a-f-]{36})/)[1]}`, { token: dispatcherToken });
  assert(accepted.body.servers.map((s) => s.realName).join() === member.name, `the member serves: ${JSON.stringify(accepted.body.servers)}`);
  assert(accepted.body.urgency === 'urgent', `triage correction kept: ${accepted.body.urgency}`);

  // 6. A complaint is forwarded to a department; a misplaced order is returned.
  const residentToken = await apiLogin(t, residentPhone, 'shuzhen-2026');
  const mk = async (content) => {
    const r = await t.api('/orders', { method: 'POST', token: residentToken, body: { content, orgId: station.id } });
    assert(r.status === 201, `order: ${r.status}`);
    return r.body;
  };
  const complaint = await mk('楼上邻居装修天天砸墙，物业不管，已经持续两个月了，要求住建部门处理。');
  const misplaced = await mk('测试一下这个能不能用');
  await desk.reload();
  await desk.getByTestId('queue-scope').getByText('辖区全部').click();
  await desk.locator(`[data-testid=queue-item][data-code="${complaint.code}"]`).click();
  await desk.getByTestId('workbench-code').filter({ hasText: complaint.code }).waitFor();
  await desk.getByTestId('order-forward').click();
  const fwd = await openedDialog(desk);
  await fwd.getByTestId('forward-department').click();
  await desk.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '小店区住房和城乡建设局' }).click();
  await fwd.getByRole('textbox').fill('装修扰民，请住建局协调处理。');
  await t.shot(desk, 'forward');
  await fwd.getByRole('button', { name: /转\s*办/ }).click();
  await desk.getByText('已转办').first().waitFor();
  // A forwarded order waits for the department to sign for it (签收): its state reads 待签收.
  await desk.getByTestId('order-workbench').getByTestId('order-state').filter({ hasText: '待签收' }).first().waitFor();

  await desk.locator(`[data-testid=queue-item][data-code="${misplaced.code}"]`).click();
  await desk.getByTestId('workbench-code').filter({ hasText: misplaced.code }).waitFor();
  await desk.getByTestId('order-reject').click();
  const rej = await openedDialog(desk);
  await rej.getByTestId('reason-input').fill('内容不是服务需求，如有需要请重新说明。');
  await rej.getByRole('button', { name: /退\s*回/ }).click();
  await desk.getByTestId('order-workbench').getByTestId('order-state').filter({ hasText: '已退回' }).first().waitFor();

  // 全部工单 with a state filter.
  await desk.getByRole('tab', { name: '全部工单' }).click();
  await desk.getByTestId('state-filter').click();
  await desk.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '待签收' }).click();
  await desk.keyboard.press('Escape');
  await desk.locator('tr').filter({ hasText: complaint.code }).waitFor();
  await t.shot(desk, 'all-orders');
  const forwarded = await t.api(`/orders/${complaint.id}`, { token: dispatcherToken });
  assert(forwarded.body.state === 'forwarded' && forwarded.body.assignee.departmentName === '小店区住房和城乡建设局', `forwarded: ${forwarded.body.state}`);
  const returned = await t.api(`/orders/${misplaced.id}`, { token: residentToken });
  assert(returned.body.state === 'rejected' && returned.body.rejectReason.includes('不是服务需求'), `returned: ${returned.body.state}`);
}
